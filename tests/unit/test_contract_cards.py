"""The largest contract cards and notices users can cause still fit Telegram's limits, and
user text in them is escaped."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

from domain.billing import MAX_PAYMENT_NOTE, Bill, Payment, PaymentMethod
from domain.contract_cases import ContractCard
from domain.contracts import MAX_CHANGE_NOTE, ContractStep, Engagement, Stage, StepKind
from domain.lifecycle import Actor, LeadStatus
from domain.money import Money
from domain.negotiation import Contract
from domain.payment_cases import Billing
from handlers.contracts import history, texts
from handlers.leads import texts as lead_texts
from tests.unit.test_card_limits import NOW, biggest_lead, biggest_user, length

SELLER = replace(biggest_user(), id=2, telegram_id=2)
BUYER = replace(biggest_user(), id=1, telegram_id=1)
CONTRACT = Contract(
    lead_id=123456,
    thread_id=9,
    offer_id=9,
    buyer_id=1,
    seller_id=2,
    amount=Money(10**15, "USD"),
    days=365,
    started_at=NOW,
    due_at=NOW + timedelta(days=365),
    id=77,
    completed_at=NOW + timedelta(days=400),
)
NOTE = "<&>" * (MAX_CHANGE_NOTE // 3)


def biggest_card(reader_id: int = 1) -> ContractCard:
    lead = replace(biggest_lead(), status=LeadStatus.COMPLETED)
    engagement = Engagement(CONTRACT, lead, BUYER, SELLER)
    steps = [
        ContractStep(CONTRACT.key, kind, NOW + timedelta(hours=i), 1, NOTE, NOW, id=i)
        for i, kind in enumerate(list(StepKind) * 20)
    ]
    payments = [
        Payment(
            CONTRACT.key,
            PaymentMethod.OTHER,
            CONTRACT.amount,
            Money(10**14, "USD"),
            NOW + timedelta(days=400),  # the latest: all of them are on the card
            "&" * MAX_PAYMENT_NOTE,
        )
    ] * 12
    me = BUYER if reader_id == 1 else SELLER
    side = Actor.BUYER if reader_id == 1 else Actor.SELLER
    return ContractCard(engagement, me, side, Stage.COMPLETED, steps, payments)


def test_the_biggest_lead_card_with_its_contract_fits() -> None:
    card = biggest_card()
    lead_card = lead_texts.lead_card(card.engagement.lead, BUYER, "bot", full=False)
    whole = f"{lead_card}\n\n{history.contract_section(card)}"
    assert length(whole) <= 4096
    assert "<&>" not in whole and "&amp;&amp;" in whole


def test_the_biggest_notices_fit() -> None:
    card = biggest_card()
    engagement = card.engagement
    billing = Billing(engagement, Bill(CONTRACT.amount, Money(10**14, "USD"), Decimal(10)), True)
    payment = card.payments[0]
    for text in (
        texts.changes_card(engagement, NOTE),
        texts.delivery_card(engagement),
        texts.bill_card(billing),
        texts.payment_confirmation(billing, PaymentMethod.OTHER, payment.note),
        texts.payment_confirmation(billing, PaymentMethod.CARD, payment.note),
        texts.paid_notice(engagement, payment),
        texts.cancelled_notice(engagement, BUYER, agreed=False, reader=SELLER),
        history.status_lines(card),
    ):
        assert length(text) <= 4096
        assert "<&>" not in text
    assert len(texts.invoice_title(engagement)) <= 32
    assert len(texts.invoice_description(billing)) <= 255
