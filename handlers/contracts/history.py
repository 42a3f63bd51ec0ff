"""The contract on a lead or thread card, for its two sides: where it is, what is proposed,
and what happened when; and its lines in the transcript (plain text, times in UTC)."""

from __future__ import annotations

from datetime import UTC
from html import escape

from domain.billing import Payment, PaymentMethod
from domain.contract_cases import ContractCard
from domain.contracts import ContractStep, Engagement, Stage, StepKind
from domain.model import User
from domain.money import Money
from handlers.contracts.texts import METHOD_WORDS, day, days, method_words, name_of, when
from handlers.core.limits import clip

HISTORY_SHOWN = 12
RESOLUTIONS = {
    StepKind.RESOLVED_COMPLETED: "completed, the seller is paid the agreed amount",
    StepKind.RESOLVED_CANCELLED: "cancelled, no payment",
    StepKind.RESOLVED_SPLIT: "split, the seller is paid a part of the agreed amount",
}
NOTE_SHOWN = 80

_STAGE_LINES = {
    Stage.IN_PROGRESS: "⏳ In progress",
    Stage.DELIVERED: "📦 Delivered: waiting for the buyer to approve it or ask for changes",
    Stage.AWAITING_PAYMENT: "💳 Approved: waiting for the payment",
    Stage.DISPUTED: "⚖️ In dispute",
}


def _resolved_by_dispute(card: ContractCard) -> bool:
    return any(step.kind in RESOLUTIONS for step in card.steps)


def _dispute_payment(card: ContractCard) -> Payment | None:
    return next((p for p in card.payments if p.method is PaymentMethod.DISPUTE), None)


def _stage_line(card: ContractCard) -> str:
    contract, me = card.engagement.contract, card.me
    if card.stage is Stage.OVERDUE:
        return f"⚠️ Overdue: due {when(contract.due_at, me)}, nothing delivered yet"
    if card.stage is Stage.COMPLETED and contract.completed_at:
        payment = _dispute_payment(card)
        if payment is not None:
            # How it ended matters more than the terms above it: say what was paid.
            return (
                f"🏁 Completed by dispute resolution {when(contract.completed_at, me)}: "
                f"{dispute_paid_words(payment, contract.amount)}"
            )
        return f"🏁 Completed {when(contract.completed_at, me)}"
    if card.stage is Stage.CANCELLED and contract.cancelled_at:
        if _resolved_by_dispute(card):
            return (
                f"✖️ Cancelled by dispute resolution {when(contract.cancelled_at, me)}: no payment"
            )
        return f"✖️ Cancelled {when(contract.cancelled_at, me)}"
    return _STAGE_LINES.get(card.stage, "")


def dispute_paid_words(payment: Payment, agreed: Money) -> str:
    """What a dispute's resolution pays: the seller's part, the service fee, the total."""
    if payment.amount == agreed:
        paid = f"the seller is paid the agreed {payment.amount.format()}"
    else:
        paid = f"the seller is paid {payment.amount.format()} of the agreed {agreed.format()}"
    return (
        f"{paid}; with the service fee of {payment.fee.format()} the buyer pays "
        f"{payment.total.format()} in all"
    )


def _pending_lines(card: ContractCard) -> list[str]:
    lines = []
    if (proposal := card.extension) is not None and proposal.due_at is not None:
        waiting = "you" if card.me.id == card.engagement.seller.id else "the seller"
        lines.append(
            f"📅 New due date proposed: {day(proposal.due_at, card.me)} (waiting for {waiting})"
        )
    if (proposal := card.cancellation) is not None:
        mine = proposal.actor_id == card.me.id
        who = "You" if mine else escape(card.other.name)
        waiting = escape(card.other.name) if mine else "you"
        lines.append(f"🤝 {who} proposed cancelling (waiting for {waiting})")
    return lines


def status_lines(card: ContractCard) -> str:
    """Where the contract is, and what is proposed and not answered yet."""
    return "\n".join(line for line in [_stage_line(card), *_pending_lines(card)] if line)


def step_words(step: ContractStep, engagement: Engagement, reader: User) -> str:
    """One step of a contract's history, as HTML."""
    who = escape(engagement.person(step.actor_id).name) if step.actor_id else "Someone"
    due = day(step.due_at, reader) if step.due_at else ""
    match step.kind:
        case StepKind.DELIVERED:
            return f"📦 Delivered by {who}"
        case StepKind.CHANGES_REQUESTED:
            return f"🔁 Changes requested: “{escape(clip(step.note or '', NOTE_SHOWN))}”"
        case StepKind.APPROVED:
            return "✅ Delivery approved"
        case StepKind.COMPLETED:
            return "🏁 Completed"
        case StepKind.CANCELLED:
            return "✖️ Cancelled by the buyer: the due date passed without a delivery"
        case StepKind.EXTENSION_PROPOSED:
            return f"📅 {who} proposed the due date {due}"
        case StepKind.EXTENSION_ACCEPTED:
            return f"📅 {who} accepted the due date {due}"
        case StepKind.EXTENSION_DECLINED:
            return f"📅 {who} declined the due date {due}"
        case StepKind.CANCELLATION_PROPOSED:
            return f"🤝 {who} proposed cancelling"
        case StepKind.CANCELLATION_AGREED:
            return f"✖️ {who} agreed: cancelled by mutual agreement"
        case StepKind.CANCELLATION_REFUSED:
            return f"🤝 {who} refused to cancel"
        case StepKind.DISPUTE_OPENED:
            return f"⚖️ {who} opened a dispute: “{escape(clip(step.note or '', NOTE_SHOWN))}”"
        case StepKind.SUPPORT_TO_BUYER | StepKind.SUPPORT_TO_SELLER:
            side = "buyer" if step.kind is StepKind.SUPPORT_TO_BUYER else "seller"
            return f"🛡 Leadline support wrote to the {side}"
        case StepKind.RESOLVED_COMPLETED | StepKind.RESOLVED_CANCELLED | StepKind.RESOLVED_SPLIT:
            return f"⚖️ Dispute resolved: {RESOLUTIONS[step.kind]}"


def contract_section(card: ContractCard) -> str:
    """The contract under a lead card: terms, stage, open proposals, and its history."""
    engagement, me = card.engagement, card.me
    contract = engagement.contract
    role = "seller" if card.other.id == contract.seller_id else "buyer"
    lines = [
        f"📋 <b>Contract</b> with {name_of(card.other)} ({role})",
        f"💰 {contract.amount.format()} · {days(contract.days)} · started "
        f"{day(contract.started_at, me)} · due {day(contract.due_at, me)}",
        _stage_line(card),
        *_pending_lines(card),
    ]
    history = [
        (step.at, step_words(step, engagement, me))
        for step in card.steps
        if step.kind is not StepKind.COMPLETED
    ]
    history += [
        (payment.paid_at, _payment_words(payment, contract.amount)) for payment in card.payments
    ]
    history.sort(key=lambda item: item[0])
    if history:
        earlier = len(history) - HISTORY_SHOWN
        lines.append("")
        if earlier > 0:
            lines.append(f"<i>{earlier} earlier step(s) are in the transcript.</i>")
        lines += [f"• {when(at, me)} — {words}" for at, words in history[-HISTORY_SHOWN:]]
    return "\n".join(line for line in lines if line)


def _payment_words(payment: Payment, agreed: Money) -> str:
    if payment.method is PaymentMethod.DISPUTE:
        return f"💰 By dispute resolution {dispute_paid_words(payment, agreed)}"
    return f"💰 Paid {payment.total.format()} by {method_words(payment, NOTE_SHOWN)}"


# The transcript: plain text, times in UTC.


def transcript_step(step: ContractStep, actor: str) -> str:
    due = f"{step.due_at.astimezone(UTC):%Y-%m-%d %H:%M UTC}" if step.due_at else ""
    match step.kind:
        case StepKind.DELIVERED:
            return f"{actor} delivered the work"
        case StepKind.CHANGES_REQUESTED:
            return f"{actor} asked for changes: {step.note or ''}"
        case StepKind.APPROVED:
            return f"{actor} approved the delivery"
        case StepKind.COMPLETED:
            return "The lead was completed"
        case StepKind.CANCELLED:
            return f"{actor} cancelled the lead: the due date passed without a delivery"
        case StepKind.EXTENSION_PROPOSED:
            return f"{actor} proposed a new due date: {due}"
        case StepKind.EXTENSION_ACCEPTED:
            return f"{actor} accepted the new due date: {due}"
        case StepKind.EXTENSION_DECLINED:
            return f"{actor} declined the new due date: {due}"
        case StepKind.CANCELLATION_PROPOSED:
            return f"{actor} proposed cancelling by mutual agreement"
        case StepKind.CANCELLATION_AGREED:
            return f"{actor} agreed: the lead was cancelled by mutual agreement"
        case StepKind.CANCELLATION_REFUSED:
            return f"{actor} refused to cancel"
        case StepKind.DISPUTE_OPENED:
            return f"{actor} opened a dispute: {step.note or ''}"
        case StepKind.SUPPORT_TO_BUYER:
            return f"🛡 Leadline support to the buyer: {step.note or ''}"
        case StepKind.SUPPORT_TO_SELLER:
            return f"🛡 Leadline support to the seller: {step.note or ''}"
        case StepKind.RESOLVED_COMPLETED | StepKind.RESOLVED_CANCELLED | StepKind.RESOLVED_SPLIT:
            return (
                f"Leadline support resolved the dispute: {RESOLUTIONS[step.kind]} — note: "
                f"{step.note or ''}"
            )


def transcript_payment(payment: Payment, actor: str) -> str:
    if payment.method is PaymentMethod.DISPUTE:
        return (
            f"By dispute resolution the seller is paid {payment.amount.format()} (+ "
            f"{payment.fee.format()} service fee)"
        )
    how = payment.note if payment.method is PaymentMethod.OTHER else METHOD_WORDS[payment.method]
    line = (
        f"{actor} paid {payment.total.format()} ({payment.amount.format()} agreed + "
        f"{payment.fee.format()} service fee) by {how}"
    )
    if payment.note and payment.method is not PaymentMethod.OTHER:
        line += f" — note: {payment.note}"
    if payment.telegram_payment_charge_id:
        line += (
            f" [Telegram charge {payment.telegram_payment_charge_id}, provider charge "
            f"{payment.provider_payment_charge_id}]"
        )
    return line
