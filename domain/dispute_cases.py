"""Use cases of disputes: a side of a contract under way opens one (a reason, optional
files); administrators read the dispute and the thread's transcript, write to a side, and
resolve it as completed (the seller is paid the agreed amount), cancelled (no payment) or
split (a part), with a note both sides read.

The sides' use cases take the acting user like every other; the administrators' take an
``Admin``, which only the Telegram layer makes, for someone in ``admins.telegram_ids``.
Each runs inside the update's unit of work (the caller commits) and records events.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from domain import relay
from domain.audit import AuditEntry, Subject, Who
from domain.billing import Payment, PaymentMethod, bill
from domain.contract_cases import advance, checked, log_step, touch
from domain.contracts import ContractStep, Engagement, Move, StepKind
from domain.disputes import (
    MAX_FILES,
    Admin,
    Dispute,
    DisputeStatus,
    Outcome,
    split_amount,
    validate_note,
    validate_reason,
    validate_support_message,
)
from domain.errors import InvalidInput, NotFound
from domain.events import DisputeOpened, DisputeResolved, LeadCompleted, SupportMessaged
from domain.leads import Attachment
from domain.lifecycle import Action, Actor
from domain.model import User
from domain.ports import UnitOfWork

NO_DISPUTE = "That dispute does not exist."
LISTED = 30  # open disputes listed at once, oldest first


@dataclass(frozen=True)
class OpenDispute:
    """A side opens a dispute; ``admins`` are the Telegram ids that get its card."""

    contract_id: int
    reason: str
    files: tuple[Attachment, ...] = ()
    admins: tuple[int, ...] = ()


@dataclass(frozen=True)
class CheckReason:
    """The reason typed, checked before files are asked for (InvalidInput if wrong)."""

    contract_id: int
    reason: str


@dataclass(frozen=True)
class DisputeRef:
    dispute_id: int


@dataclass(frozen=True)
class MessageSide:
    dispute_id: int
    side: Actor  # BUYER or SELLER
    text: str


@dataclass(frozen=True)
class CheckSplit:
    dispute_id: int
    amount: str


@dataclass(frozen=True)
class Resolve:
    """``amount`` is what the seller is paid of a split (typed); the note is required."""

    dispute_id: int
    outcome: Outcome
    note: str
    fee_percent: float
    amount: str | None = None


@dataclass(frozen=True)
class DisputeCase:
    """A dispute with its contract, lead and both sides: what its card shows (and, just
    resolved, the payment it made)."""

    dispute: Dispute
    engagement: Engagement
    payment: Payment | None = None

    @property
    def opener(self) -> User:
        return self.engagement.person(self.dispute.opened_by)


async def check_reason(uow: UnitOfWork, me: User, command: CheckReason, now: datetime) -> str:
    """The reason, checked, once it is checked that ``me`` may still open a dispute."""
    await checked(uow, me, command.contract_id, Move.DISPUTE, now)
    return validate_reason(command.reason)


async def open_dispute(
    uow: UnitOfWork, me: User, command: OpenDispute, now: datetime
) -> DisputeCase:
    """The lead becomes disputed (its nudges stop with it); the other side is told and every
    administrator gets the dispute card."""
    engagement, side = await checked(uow, me, command.contract_id, Move.DISPUTE, now)
    me.ensure_active("open disputes")
    reason = validate_reason(command.reason)
    if len(command.files) > MAX_FILES:
        raise InvalidInput(f"A dispute can have at most {MAX_FILES} files.")
    by = Who.of(me)
    engagement = await advance(uow, engagement, Action.DISPUTE, side, by, now, reason=reason)
    # The record says what evidence came with it (and what the sender wrote under each file).
    note = reason + "".join(f"\n📎 {_described(f)}" for f in command.files)
    await log_step(uow, engagement, StepKind.DISPUTE_OPENED, me, now, note=note)
    contract = engagement.contract
    dispute = await uow.disputes.add(
        Dispute(contract.key, engagement.lead.key, me.key, now, reason, command.files)
    )
    await _audit(uow, now, "dispute.opened", dispute, by, f"by the {side}: {reason}")
    uow.record(DisputeOpened(engagement, dispute, me, command.admins))
    return DisputeCase(dispute, engagement)


def _described(attached: Attachment) -> str:
    """A file of the evidence in the record: "photo: screenshot of staging"."""
    what = attached.kind.value
    if attached.file_name and attached.file_name != "photo":
        what += f" {attached.file_name}"
    return f"{what}: {attached.caption}" if attached.caption else what


async def _case(uow: UnitOfWork, dispute_id: int) -> DisputeCase:
    dispute = await uow.disputes.get(dispute_id)
    if dispute is None:
        raise NotFound(NO_DISPUTE)
    contract = await uow.contracts.get(dispute.contract_id)
    lead = await uow.leads.get(dispute.lead_id)
    assert contract is not None and lead is not None
    people = await uow.users.get_many({contract.buyer_id, contract.seller_id})
    engagement = Engagement(contract, lead, people[contract.buyer_id], people[contract.seller_id])
    return DisputeCase(dispute, engagement)


async def _audit(
    uow: UnitOfWork, now: datetime, action: str, dispute: Dispute, who: Who, detail: str
) -> None:
    entry = f"dispute #{dispute.key} {detail}"
    await uow.audit.add(AuditEntry(now, action, Subject.LEAD, dispute.lead_id, who, entry))


async def dispute_card(
    uow: UnitOfWork, admin: Admin, command: DisputeRef, now: datetime
) -> DisputeCase:
    """A dispute as administrators see it."""
    return await _case(uow, command.dispute_id)


async def open_disputes(uow: UnitOfWork, admin: Admin, _: None, now: datetime) -> list[DisputeCase]:
    """The disputes waiting for a decision, oldest first."""
    return [await _case(uow, dispute.key) for dispute in await uow.disputes.open(LISTED)]


async def transcript(
    uow: UnitOfWork, admin: Admin, command: DisputeRef, now: datetime
) -> relay.Transcript:
    """The whole record of the disputed thread (administrators may read any disputed one);
    the reading is in the audit log."""
    case = await _case(uow, command.dispute_id)
    thread = await uow.threads.get(case.engagement.contract.thread_id)
    assert thread is not None
    await _audit(uow, now, "admin.transcript", case.dispute, admin.who, "transcript read")
    return await relay.record_of(uow, thread, case.engagement.lead, admin.user)


async def ask_message(
    uow: UnitOfWork, admin: Admin, command: DisputeRef, now: datetime
) -> DisputeCase:
    """About to write to a side: the dispute must still be open."""
    case = await _case(uow, command.dispute_id)
    case.dispute.ensure_open()
    return case


async def message_side(
    uow: UnitOfWork, admin: Admin, command: MessageSide, now: datetime
) -> DisputeCase:
    """Sends a side a message from the platform, logged in the thread (so in the transcript)."""
    case = await _case(uow, command.dispute_id)
    case.dispute.ensure_open()
    text = validate_support_message(command.text)
    engagement = await touch(uow, case.engagement)
    to_buyer = command.side is Actor.BUYER
    kind = StepKind.SUPPORT_TO_BUYER if to_buyer else StepKind.SUPPORT_TO_SELLER
    recipient = engagement.buyer if to_buyer else engagement.seller
    # The platform speaks, not a person: the step has no actor; the audit log names the admin.
    await uow.contracts.add_step(_platform_step(engagement, kind, now, text))
    action = f"admin.message_{command.side}"
    await _audit(uow, now, action, case.dispute, admin.who, text)
    uow.record(SupportMessaged(engagement, recipient, text))
    return DisputeCase(case.dispute, engagement)


def _platform_step(
    engagement: Engagement, kind: StepKind, now: datetime, note: str
) -> ContractStep:
    """A step of the contract written by the platform (an administrator), not a side."""
    return ContractStep(engagement.contract.key, kind, now, None, note)


async def check_split(
    uow: UnitOfWork, admin: Admin, command: CheckSplit, now: datetime
) -> DisputeCase:
    """The amount of a split, checked (InvalidInput: more than 0, less than agreed)."""
    case = await _case(uow, command.dispute_id)
    case.dispute.ensure_open()
    split_amount(command.amount, case.engagement.contract.amount)
    return case


_RESOLUTION_STEPS = {
    Outcome.COMPLETED: StepKind.RESOLVED_COMPLETED,
    Outcome.CANCELLED: StepKind.RESOLVED_CANCELLED,
    Outcome.SPLIT: StepKind.RESOLVED_SPLIT,
}


async def resolve(uow: UnitOfWork, admin: Admin, command: Resolve, now: datetime) -> DisputeCase:
    """Settles the dispute: the lead is completed (the seller paid all or part of the agreed
    amount, recorded like a confirmed payment) or cancelled; both sides hear the outcome and
    the note; a completed lead opens its reviews."""
    case = await _case(uow, command.dispute_id)
    case.dispute.ensure_open()
    note = validate_note(command.note)
    engagement = case.engagement
    agreed = engagement.contract.amount
    paid = None
    if command.outcome is Outcome.SPLIT:
        paid = split_amount(command.amount or "", agreed)
    elif command.outcome is Outcome.COMPLETED:
        paid = agreed
    if paid is None:
        engagement = await advance(
            uow,
            engagement,
            Action.RESOLVE_CANCELLED,
            Actor.ADMIN,
            admin.who,
            now,
            note,
            cancelled_at=now,
        )
    else:
        engagement = await advance(
            uow,
            engagement,
            Action.RESOLVE_COMPLETED,
            Actor.ADMIN,
            admin.who,
            now,
            note,
            completed_at=now,
        )
    step = _RESOLUTION_STEPS[command.outcome]
    await uow.contracts.add_step(_platform_step(engagement, step, now, note))
    payment = None
    if paid is not None:
        billed = bill(paid, command.fee_percent)
        payment = await uow.contracts.add_payment(
            Payment(engagement.contract.key, PaymentMethod.DISPUTE, paid, billed.fee, now)
        )
    dispute = replace(
        case.dispute,
        status=DisputeStatus.RESOLVED,
        outcome=command.outcome,
        paid=paid,
        note=note,
        resolved_at=now,
        resolved_by=admin.who,
    )
    await uow.disputes.resolve(dispute)
    paid_words = f", the seller is paid {paid.format()}" if paid is not None else ""
    detail = f"resolved {command.outcome}{paid_words}: {note}"
    await _audit(uow, now, "dispute.resolved", dispute, admin.who, detail)
    uow.record(DisputeResolved(engagement, dispute, payment))
    if paid is not None:
        uow.record(LeadCompleted(engagement.lead, engagement.contract))
    return DisputeCase(dispute, engagement, payment)
