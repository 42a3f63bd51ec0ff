"""Disputes and the audit log on SQLite and PostgreSQL: either side opens a dispute on a
contract under way (the lead is disputed, its nudges stop, the contract's moves are
refused), an administrator writes to a side and resolves it (completed, cancelled or a
split), everything in the transcript; every lifecycle move and admin action is audited."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TypeVar

import pytest

from domain import contract_cases, dispute_cases, payment_cases, relay
from domain.audit import AuditEntry, Subject, Who
from domain.billing import PaymentMethod
from domain.contract_cases import OpenContract
from domain.contracts import StepKind
from domain.dispute_cases import DisputeRef, MessageSide, OpenDispute, Resolve
from domain.disputes import Admin, DisputeStatus, Outcome
from domain.errors import Conflict, InvalidInput, NotAllowed, NotFound
from domain.events import DisputeOpened, DisputeResolved, Event, LeadCompleted, SupportMessaged
from domain.leads import Attachment, AttachmentKind
from domain.lifecycle import Actor, LeadStatus
from domain.money import Money
from domain.negotiation import Contract
from domain.nudges import NudgeKind
from domain.payment_cases import Approve
from domain.ports import UnitOfWork
from domain.relay import ExportTranscript, PaidHere, Stepped
from storage.uow import SqlUnitOfWork
from tests.acting import act
from tests.storage.test_contracts_storage import BUYER, FEE, OTHER_SELLER, SELLER, hired
from tests.storage.test_deals_storage import NOW
from tests.storage.test_nudges_storage import sweep

ADMIN = Admin(telegram_id=900)
ADMINS = (900, 901)
HOUR, DAY = timedelta(hours=1), timedelta(days=1)
C = TypeVar("C")
R = TypeVar("R")


async def as_admin(
    uow: UnitOfWork,
    use_case: Callable[[UnitOfWork, Admin, C, datetime], Awaitable[R]],
    command: C,
    now: datetime,
    events: list[Event] | None = None,
) -> R:
    """Calls an administrators' use case in one committed transaction."""
    async with uow:
        result = await use_case(uow, ADMIN, command, now)
        if events is not None:
            events.extend(uow.collect_events())
        await uow.commit()
        return result


async def lead_status(uow: SqlUnitOfWork, contract: Contract) -> LeadStatus:
    async with uow:
        lead = await uow.leads.get(contract.lead_id)
        assert lead is not None
        return lead.status


async def disputed(
    uow: SqlUnitOfWork, contract: Contract, by: int = BUYER, at: datetime = NOW + HOUR
) -> int:
    command = OpenDispute(contract.key, "The <work> & was never started", (), ADMINS)
    case = await act(uow, by, dispute_cases.open_dispute, command, at)
    return case.dispute.key


async def test_the_seller_disputes_a_delivered_lead_with_files(uow: SqlUnitOfWork) -> None:
    contract = await hired(uow)
    await act(uow, SELLER, contract_cases.deliver, OpenContract(contract.key), NOW + HOUR)
    files = (
        Attachment(AttachmentKind.PHOTO, "photo-1", "photo"),
        Attachment(AttachmentKind.DOCUMENT, "doc-1", "proof.pdf"),
    )
    command = OpenDispute(contract.key, "  The buyer stopped answering.  ", files, ADMINS)
    with pytest.raises(NotFound):  # a seller not hired sees no such contract
        await act(uow, OTHER_SELLER, dispute_cases.open_dispute, command, NOW + DAY)
    with pytest.raises(InvalidInput):
        blank = OpenDispute(contract.key, " ", (), ADMINS)
        await act(uow, SELLER, dispute_cases.open_dispute, blank, NOW + DAY)
    events: list[Event] = []
    case = await act(uow, SELLER, dispute_cases.open_dispute, command, NOW + DAY, events)

    assert await lead_status(uow, contract) is LeadStatus.DISPUTED
    [opened] = events
    assert isinstance(opened, DisputeOpened) and opened.admins == ADMINS
    assert opened.by.telegram_id == SELLER
    async with uow:
        stored = await uow.disputes.of_contract(contract.key)
        steps = [step.kind for step in await uow.contracts.steps(contract.key)]
    assert stored is not None and stored == case.dispute
    assert stored.reason == "The buyer stopped answering." and stored.files == files
    assert stored.status is DisputeStatus.OPEN and stored.opened_at == NOW + DAY
    assert steps == [StepKind.DELIVERED, StepKind.DISPUTE_OPENED]
    # The contract is on hold: no side can move it, nor dispute it again.
    with pytest.raises(NotAllowed, match="in dispute"):
        await act(uow, BUYER, payment_cases.approve, Approve(contract.key, FEE), NOW + DAY)
    with pytest.raises(NotAllowed, match="in dispute"):
        await act(uow, BUYER, dispute_cases.open_dispute, command, NOW + DAY)


async def test_a_split_resolution_pays_part_and_opens_the_reviews(uow: SqlUnitOfWork) -> None:
    contract = await hired(uow)  # 500 USD
    dispute = await disputed(uow, contract)  # the buyer, on the lead in progress
    assert [c.dispute.key for c in await as_admin(uow, dispute_cases.open_disputes, None, NOW)] == [
        dispute
    ]
    for amount in ["0", "500", "600", "abc", "-5", ""]:
        with pytest.raises(InvalidInput, match="more than 0 and less than 500 USD"):
            bad = Resolve(dispute, Outcome.SPLIT, "Half of it was done.", FEE, amount)
            await as_admin(uow, dispute_cases.resolve, bad, NOW + DAY)
    with pytest.raises(InvalidInput, match="note"):
        no_note = Resolve(dispute, Outcome.SPLIT, "  ", FEE, "200")
        await as_admin(uow, dispute_cases.resolve, no_note, NOW + DAY)
    assert await lead_status(uow, contract) is LeadStatus.DISPUTED  # nothing was kept

    events: list[Event] = []
    split = Resolve(dispute, Outcome.SPLIT, "Half of the <work> was done.", FEE, "200")
    case = await as_admin(uow, dispute_cases.resolve, split, NOW + DAY, events)

    assert await lead_status(uow, contract) is LeadStatus.COMPLETED
    assert [type(event) for event in events] == [DisputeResolved, LeadCompleted]
    assert case.dispute.paid == Money(20_000, "USD") and case.dispute.outcome is Outcome.SPLIT
    async with uow:
        [payment] = await uow.contracts.payments(contract.key)
        stored = await uow.disputes.get(dispute)
        open_now = await uow.disputes.open(10)
    assert payment.method is PaymentMethod.DISPUTE and payment.amount == Money(20_000, "USD")
    assert payment.fee == Money(2_000, "USD") and payment.paid_at == NOW + DAY
    assert stored is not None and stored.status is DisputeStatus.RESOLVED
    assert stored.note == "Half of the <work> was done." and stored.resolved_by == ADMIN.who
    assert open_now == []
    with pytest.raises(NotAllowed, match="resolved already"):
        await as_admin(uow, dispute_cases.resolve, split, NOW + 2 * DAY)
    record = await act(uow, BUYER, relay.transcript, ExportTranscript(contract.thread_id), NOW)
    kinds = [entry.step.kind for entry in record.entries if isinstance(entry, Stepped)]
    assert kinds == [StepKind.DISPUTE_OPENED, StepKind.RESOLVED_SPLIT]
    assert [e.payment.amount for e in record.entries if isinstance(e, PaidHere)] == [
        Money(20_000, "USD")
    ]


@pytest.mark.parametrize(
    ("outcome", "status", "paid"),
    [
        (Outcome.COMPLETED, LeadStatus.COMPLETED, Money(50_000, "USD")),
        (Outcome.CANCELLED, LeadStatus.CANCELLED, None),
    ],
)
async def test_completed_pays_the_agreed_amount_and_cancelled_nothing(
    uow: SqlUnitOfWork, outcome: Outcome, status: LeadStatus, paid: Money | None
) -> None:
    contract = await hired(uow)
    dispute = await disputed(uow, contract, by=SELLER)
    events: list[Event] = []
    resolve = Resolve(dispute, outcome, "Decided from the record.", FEE)
    await as_admin(uow, dispute_cases.resolve, resolve, NOW + DAY, events)
    assert await lead_status(uow, contract) is status
    async with uow:
        payments = [p.amount for p in await uow.contracts.payments(contract.key)]
    assert payments == ([paid] if paid else [])
    assert (LeadCompleted in [type(e) for e in events]) == (paid is not None)


async def test_support_writes_to_a_side_in_the_thread(uow: SqlUnitOfWork) -> None:
    contract = await hired(uow)
    dispute = await disputed(uow, contract)
    events: list[Event] = []
    with pytest.raises(InvalidInput):
        await as_admin(
            uow, dispute_cases.message_side, MessageSide(dispute, Actor.SELLER, " "), NOW
        )
    message = MessageSide(dispute, Actor.SELLER, "Please send us the <files>.")
    await as_admin(uow, dispute_cases.message_side, message, NOW + 2 * HOUR, events)
    [told] = events
    assert isinstance(told, SupportMessaged) and told.recipient.telegram_id == SELLER
    assert told.text == "Please send us the <files>."
    record = await as_admin(uow, dispute_cases.transcript, DisputeRef(dispute), NOW + 3 * HOUR)
    assert record.reader is None
    [said] = [e.step for e in record.entries if isinstance(e, Stepped) and e.step.actor_id is None]
    assert said.kind is StepKind.SUPPORT_TO_SELLER and said.note == "Please send us the <files>."
    await as_admin(
        uow, dispute_cases.resolve, Resolve(dispute, Outcome.CANCELLED, "No work.", FEE), NOW
    )
    with pytest.raises(NotAllowed, match="resolved already"):
        await as_admin(uow, dispute_cases.message_side, message, NOW + DAY)
    with pytest.raises(NotFound):
        await as_admin(uow, dispute_cases.dispute_card, DisputeRef(dispute + 100), NOW)


async def test_a_resolution_is_written_once(uow: SqlUnitOfWork) -> None:
    contract = await hired(uow)
    dispute = await disputed(uow, contract)
    async with uow:
        found = await uow.disputes.get(dispute)
        assert found is not None
        done = replace(found, status=DisputeStatus.RESOLVED, outcome=Outcome.CANCELLED, note="x")
        await uow.disputes.resolve(replace(done, resolved_at=NOW, resolved_by=ADMIN.who))
        with pytest.raises(Conflict):  # the second writer finds it resolved
            await uow.disputes.resolve(replace(done, resolved_at=NOW, resolved_by=ADMIN.who))


async def test_a_disputed_lead_gets_no_nudges(uow: SqlUnitOfWork) -> None:
    contract = await hired(uow)  # due NOW + 7 days
    await disputed(uow, contract)
    assert await sweep(uow, NOW + 6 * DAY + HOUR) == []  # no "deadline near"
    assert await sweep(uow, NOW + 8 * DAY) == []  # no "deadline passed"


async def test_a_disputed_delivery_is_not_awaiting_approval(uow: SqlUnitOfWork) -> None:
    contract = await hired(uow)
    await act(uow, SELLER, contract_cases.deliver, OpenContract(contract.key), NOW + HOUR)
    await disputed(uow, contract, by=SELLER, at=NOW + 2 * HOUR)
    due = await sweep(uow, NOW + 4 * DAY)
    assert [n for n in due if n.kind is NudgeKind.DELIVERY_WAITING] == []
    assert due == []


def actions(entries: list[AuditEntry]) -> list[str]:
    return [entry.action for entry in entries]


async def test_every_lifecycle_move_and_admin_action_is_audited(uow: SqlUnitOfWork) -> None:
    contract = await hired(uow)
    await act(uow, SELLER, contract_cases.deliver, OpenContract(contract.key), NOW + HOUR)
    dispute = await disputed(uow, contract, by=SELLER, at=NOW + 2 * HOUR)
    message = MessageSide(dispute, Actor.BUYER, "Did you receive the files?")
    await as_admin(uow, dispute_cases.message_side, message, NOW + 3 * HOUR)
    await as_admin(uow, dispute_cases.transcript, DisputeRef(dispute), NOW + 4 * HOUR)
    resolve = Resolve(dispute, Outcome.COMPLETED, "The files were delivered.", FEE)
    await as_admin(uow, dispute_cases.resolve, resolve, NOW + 5 * HOUR)

    async with uow:
        lead_log = await uow.audit.latest_for_lead(contract.lead_id)
        seller = await uow.users.get_by_telegram_id(SELLER)
        buyer = await uow.users.get_by_telegram_id(BUYER)
        assert seller is not None and buyer is not None
        seller_log = await uow.audit.latest_for_user(seller.key)
        buyer_log = await uow.audit.latest_for_user(buyer.key, limit=1)
        other_lead = await uow.audit.latest_for_lead(contract.lead_id + 1000)
    assert actions(lead_log) == [  # newest first
        "dispute.resolved",
        "lead.resolve_completed",
        "admin.transcript",
        "admin.message_buyer",
        "dispute.opened",
        "lead.dispute",
        "lead.deliver",
        "lead.hire",
        "lead.publish",
    ]
    assert all(e.subject is Subject.LEAD and e.subject_id == contract.lead_id for e in lead_log)
    resolved, moved = lead_log[0], lead_log[1]
    assert resolved.who == Who(None, ADMIN.telegram_id) and resolved.at == NOW + 5 * HOUR
    assert "completed" in (resolved.detail or "") and "500 USD" in (resolved.detail or "")
    assert moved.detail == "disputed → completed by the admin: The files were delivered."
    assert lead_log[5].detail == (
        "delivered → disputed by the seller: The <work> & was never started"
    )
    assert lead_log[5].who == Who(seller.key, SELLER)
    assert actions(seller_log) == ["dispute.opened", "lead.dispute", "lead.deliver"]
    assert actions(buyer_log) == ["lead.hire"]
    assert other_lead == []
