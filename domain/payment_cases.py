"""Use cases of paying for a contract: approving the delivery (the bill), the buyer
confirming a payment made per the agreed terms, and a Telegram invoice: the pre-checkout
check and the payment it reports, recorded once.

Each use case runs inside the update's unit of work (the caller commits) as the acting
user, takes one small command, and records what the other side should hear as events.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.audit import Who
from domain.billing import (
    Bill,
    Payment,
    PaymentMethod,
    bill,
    read_invoice_payload,
    validate_payment_note,
)
from domain.contract_cases import advance, checked, engagement_of, log_step, touch
from domain.contracts import Engagement, Move, StepKind, allowed, check, stage_of
from domain.errors import NotAllowed, NotFound
from domain.events import ContractPaid, DeliveryApproved, LeadCompleted
from domain.lifecycle import Action, Actor
from domain.model import User
from domain.money import Money
from domain.ports import UnitOfWork

NOT_OUR_INVOICE = "This invoice is not one of Leadline's."
AMOUNT_CHANGED = "The amount has changed since this invoice was made; tap Approve for a new one."


@dataclass(frozen=True)
class Approve:
    contract_id: int
    fee_percent: float


@dataclass(frozen=True)
class ConfirmPayment:
    """The buyer confirms having paid per the agreed terms: a method, and what they typed
    (required for ``OTHER``, which is how they named the method)."""

    contract_id: int
    method: PaymentMethod
    note: str | None
    fee_percent: float


@dataclass(frozen=True)
class CheckInvoice:
    """Telegram's pre-checkout query: the invoice's payload and what is about to be charged."""

    payload: str
    currency: str
    total_minor: int
    fee_percent: float


@dataclass(frozen=True)
class InvoicePaid:
    """Telegram's successful_payment, with both charge ids."""

    payload: str
    currency: str
    total_minor: int
    telegram_payment_charge_id: str
    provider_payment_charge_id: str


@dataclass(frozen=True)
class Billing:
    """What the buyer is to pay after approving; ``first`` when this approval is new."""

    engagement: Engagement
    bill: Bill
    first: bool


@dataclass(frozen=True)
class Completion:
    engagement: Engagement
    payment: Payment


@dataclass(frozen=True)
class InvoiceOutcome:
    """A payment Telegram reported; ``completed`` unless the lead had moved on meanwhile."""

    engagement: Engagement
    payment: Payment
    completed: bool


@dataclass(frozen=True)
class PaymentForm:
    """What the buyer says about their payment before confirming it: the method, and what
    they typed (the method itself, for ``OTHER``; else a reference)."""

    contract_id: int
    method: PaymentMethod
    note: str | None
    fee_percent: float


async def approve(uow: UnitOfWork, me: User, command: Approve, now: datetime) -> Billing:
    """The buyer approves the delivery (once; approving again shows the bill again)."""
    engagement, _ = await checked(uow, me, command.contract_id, Move.APPROVE, now)
    first = engagement.contract.approved_at is None
    if first:
        engagement = await touch(uow, engagement, approved_at=now)
        await log_step(uow, engagement, StepKind.APPROVED, me, now)
        uow.record(DeliveryApproved(engagement))
    return Billing(engagement, bill(engagement.contract.amount, command.fee_percent), first)


def _payment_note(method: PaymentMethod, note: str | None) -> str | None:
    """What the buyer typed about the payment, checked (InvalidInput)."""
    checked = validate_payment_note(note) if note is not None else None
    if method is PaymentMethod.TELEGRAM or (method is PaymentMethod.OTHER and checked is None):
        raise NotAllowed("Please tap how you paid, or type it.")
    return checked


async def payment_form(uow: UnitOfWork, me: User, command: PaymentForm, now: datetime) -> Billing:
    """Checks how the buyer says they paid (a wrong note raises InvalidInput); returns the
    bill to confirm."""
    engagement, _ = await checked(uow, me, command.contract_id, Move.PAY, now)
    _payment_note(command.method, command.note)
    return Billing(engagement, bill(engagement.contract.amount, command.fee_percent), False)


async def confirm_payment(
    uow: UnitOfWork, me: User, command: ConfirmPayment, now: datetime
) -> Completion:
    """The buyer confirms having paid per the agreed terms: recorded with the time, and the
    lead is completed."""
    engagement, _ = await checked(uow, me, command.contract_id, Move.PAY, now)
    note = _payment_note(command.method, command.note)
    billed = bill(engagement.contract.amount, command.fee_percent)
    payment = await uow.contracts.add_payment(
        Payment(engagement.contract.key, command.method, billed.amount, billed.fee, now, note)
    )
    assert payment is not None  # only a Telegram charge can be a repeat
    engagement = await _complete(uow, engagement, me, payment, now)
    return Completion(engagement, payment)


async def _complete(
    uow: UnitOfWork, engagement: Engagement, me: User, payment: Payment, now: datetime
) -> Engagement:
    engagement = await advance(
        uow, engagement, Action.CLOSE, Actor.BUYER, Who.of(me), now, completed_at=now
    )
    await log_step(uow, engagement, StepKind.COMPLETED, me, now)
    uow.record(ContractPaid(engagement, payment))
    uow.record(LeadCompleted(engagement.lead, engagement.contract))
    return engagement


async def _invoiced(
    uow: UnitOfWork, me: User, payload: str, currency: str, total_minor: int
) -> tuple[Engagement, Actor, Money]:
    """The contract an invoice bills, and the total it billed (checked against Telegram's)."""
    found = read_invoice_payload(payload)
    if found is None:
        raise NotFound(NOT_OUR_INVOICE)
    contract_id, billed = found
    engagement, side = await engagement_of(uow, me, contract_id)
    if billed != Money(total_minor, currency):
        raise NotAllowed(AMOUNT_CHANGED)
    return engagement, side, billed


async def check_invoice(uow: UnitOfWork, me: User, command: CheckInvoice, now: datetime) -> Bill:
    """Telegram asks before charging: the contract must still await this very payment."""
    engagement, side, billed = await _invoiced(
        uow, me, command.payload, command.currency, command.total_minor
    )
    check(stage_of(engagement.lead.status, engagement.contract, now), side, Move.PAY)
    due = bill(engagement.contract.amount, command.fee_percent)
    if due.total != billed:
        raise NotAllowed(AMOUNT_CHANGED)
    return due


async def record_invoice_payment(
    uow: UnitOfWork, me: User, command: InvoicePaid, now: datetime
) -> InvoiceOutcome | None:
    """Records what Telegram charged, with both charge ids, once: a repeated update finds
    the charge recorded and changes nothing (None). The lead is completed if it still
    awaited the payment; money taken is recorded whatever happened meanwhile."""
    engagement, side, billed = await _invoiced(
        uow, me, command.payload, command.currency, command.total_minor
    )
    amount = engagement.contract.amount
    payment = await uow.contracts.add_payment(
        Payment(
            engagement.contract.key,
            PaymentMethod.TELEGRAM,
            amount,
            Money(billed.minor - amount.minor, billed.currency),
            now,
            telegram_payment_charge_id=command.telegram_payment_charge_id,
            provider_payment_charge_id=command.provider_payment_charge_id,
        )
    )
    if payment is None:
        return None
    stage = stage_of(engagement.lead.status, engagement.contract, now)
    if Move.PAY not in allowed(stage, side):
        return InvoiceOutcome(engagement, payment, completed=False)
    engagement = await _complete(uow, engagement, me, payment, now)
    return InvoiceOutcome(engagement, payment, completed=True)
