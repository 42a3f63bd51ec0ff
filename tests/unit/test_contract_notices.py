"""What the other side of a contract hears, and with which buttons: each event goes to the
right person, once where it can only happen once."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from domain.billing import Payment, PaymentMethod
from domain.contracts import ContractStep, Engagement, StepKind
from domain.events import (
    CancellationProposed,
    CancellationRefused,
    ChangesRequested,
    ContractCancelled,
    ContractPaid,
    DeliveryApproved,
    Event,
    ExtensionAnswered,
    ExtensionProposed,
    WorkDelivered,
)
from domain.leads import Lead
from domain.lifecycle import LeadStatus
from domain.model import OutboxMessage, User
from domain.money import Money
from domain.negotiation import Contract
from handlers.contracts import notices
from handlers.contracts.buttons import (
    ContractApprove,
    ContractChanges,
    ContractDeliver,
    ContractProposalAccept,
    ContractProposalDecline,
)
from handlers.core.callbacks import Button
from handlers.core.notify import Notifier, Telling

NOW = datetime(2026, 12, 1, tzinfo=UTC)
TELL = Telling(NOW, "leadline_bot")
BUYER = User(telegram_id=101, first_name="<Bella>", created_at=NOW, id=1)
SELLER = User(telegram_id=202, first_name="Sid & co", created_at=NOW, id=2)
CONTRACT = Contract(
    lead_id=42,
    thread_id=5,
    offer_id=7,
    buyer_id=1,
    seller_id=2,
    amount=Money(45_000, "USD"),
    days=7,
    started_at=NOW,
    due_at=NOW + timedelta(days=7),
    id=3,
)
LEAD = Lead(buyer_id=1, created_at=NOW, id=42, title="<b>Logo</b>", status=LeadStatus.DELIVERED)
DEAL = Engagement(CONTRACT, LEAD, BUYER, SELLER)
EXTENSION = ContractStep(
    3, StepKind.EXTENSION_PROPOSED, NOW, 1, due_at=NOW + timedelta(days=9), id=8
)
CANCELLATION = ContractStep(3, StepKind.CANCELLATION_PROPOSED, NOW, 2, id=9)
PAYMENT = Payment(3, PaymentMethod.CASH, Money(45_000, "USD"), Money(4_500, "USD"), NOW, id=1)


def told(event: Event) -> list[OutboxMessage]:
    rows = list(notices.NOTICES[type(event)](event, TELL))
    assert all(isinstance(row.payload["text"], str) for row in rows)
    return rows


def buttons(row: OutboxMessage) -> list[Button | None]:
    markup = row.payload["markup"]
    assert isinstance(markup, dict)
    return [Button.decode(b["callback_data"]) for r in markup["inline_keyboard"] for b in r]


def recipients(rows: Iterable[OutboxMessage]) -> list[str]:
    return [row.recipient for row in rows]


def test_every_contract_event_has_a_notice() -> None:
    notifier = Notifier(notices.NOTICES)
    for kind in (
        WorkDelivered,
        ChangesRequested,
        DeliveryApproved,
        ContractPaid,
        ContractCancelled,
        ExtensionProposed,
        ExtensionAnswered,
        CancellationProposed,
        CancellationRefused,
    ):
        assert notifier.knows(kind)


def test_the_buyer_gets_the_delivery_with_approve_and_request_changes() -> None:
    [row] = told(WorkDelivered(DEAL))
    assert row.recipient == "101"
    assert buttons(row)[:2] == [ContractApprove(3), ContractChanges(3)]
    assert "Sid &amp; co" in str(row.payload["text"]) and "&lt;b&gt;Logo" in str(
        row.payload["text"]
    )


def test_the_seller_gets_the_changes_to_make_and_can_deliver_again() -> None:
    [row] = told(ChangesRequested(DEAL, "<bigger> & bolder"))
    assert row.recipient == "202" and "&lt;bigger&gt; &amp; bolder" in str(row.payload["text"])
    assert buttons(row)[0] == ContractDeliver(3)


def test_payment_and_cancellation_are_told_once() -> None:
    [paid] = told(ContractPaid(DEAL, PAYMENT))
    assert paid.recipient == "202" and paid.dedupe_key == "contract-paid:3"
    assert "450 USD" in str(paid.payload["text"]) and "by cash" in str(paid.payload["text"])
    [by_buyer] = told(ContractCancelled(DEAL, BUYER, agreed=False))
    assert by_buyer.recipient == "202" and by_buyer.dedupe_key == "contract-cancelled:3"
    assert "No payment is due." in str(by_buyer.payload["text"])
    [by_seller] = told(ContractCancelled(DEAL, SELLER, agreed=True))
    assert by_seller.recipient == "101"


def test_proposals_go_to_the_other_side_with_answers() -> None:
    [extension] = told(ExtensionProposed(DEAL, EXTENSION))
    assert extension.recipient == "202"
    assert buttons(extension)[:2] == [ContractProposalAccept(8), ContractProposalDecline(8)]
    assert "10 Dec 2026" in str(extension.payload["text"])
    [answer] = told(ExtensionAnswered(DEAL, EXTENSION, accepted=True))
    assert answer.recipient == "101" and "accepted" in str(answer.payload["text"])
    [proposal] = told(CancellationProposed(DEAL, CANCELLATION, SELLER))
    assert proposal.recipient == "101"
    assert buttons(proposal)[:2] == [ContractProposalAccept(9), ContractProposalDecline(9)]
    [refused] = told(CancellationRefused(DEAL, CANCELLATION, BUYER))
    assert refused.recipient == "202"
    assert recipients(told(DeliveryApproved(DEAL))) == ["202"]
