"""What the contract part says: questions, replies, notices, the contract on a lead card, and
its lines in the transcript. User text is always HTML-escaped here (the transcript is plain
text, so nothing in it is)."""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape
from zoneinfo import ZoneInfo

from domain.contract_cases import Billing, Completion, ContractCard, InvoiceOutcome
from domain.contracts import (
    MAX_EXTENSION_DAYS,
    MAX_PAYMENT_NOTE,
    Bill,
    ContractStep,
    Engagement,
    Payment,
    PaymentMethod,
    Stage,
    StepKind,
)
from domain.model import User
from handlers.core.limits import clip

DELIVERED = "📦 Delivered"
SEND_DELIVERY = "✅ Send delivery"
APPROVE = "✅ Approve"
REQUEST_CHANGES = "🔁 Request changes"
PAY = "💳 Pay"
EXTEND = "📅 Extend"
CANCEL_LEAD = "✖️ Cancel lead"
PROPOSE_CANCEL = "🤝 Propose cancellation"
YES_CANCEL = "Yes, cancel the lead"
YES_PROPOSE = "Yes, propose it"
KEEP = "Keep the contract"
ACCEPT_DATE = "✅ Accept new date"
DECLINE_DATE = "✖️ Decline"
AGREE_CANCEL = "✅ Agree to cancel"
REFUSE_CANCEL = "✖️ Keep the contract"
I_PAID = "✅ Yes, I paid"
CHANGE_METHOD = "↩️ Change method"
NOT_YET = "✖️ Not yet"
STOP = "✖️ Cancel"
MESSAGE = "💬 Message"

METHOD_BUTTONS = {
    PaymentMethod.BANK_TRANSFER: "🏦 Bank transfer",
    PaymentMethod.CARD: "💳 Card",
    PaymentMethod.PAYPAL: "🅿️ PayPal",
    PaymentMethod.CASH: "💵 Cash",
}
METHOD_WORDS = {
    PaymentMethod.BANK_TRANSFER: "bank transfer",
    PaymentMethod.CARD: "card",
    PaymentMethod.PAYPAL: "PayPal",
    PaymentMethod.CASH: "cash",
    PaymentMethod.OTHER: "another way",
    PaymentMethod.TELEGRAM: "Telegram payment",
}

NOTHING_CHANGED = "Nothing was changed."
PASSED_ON = "📎 Passed on to the buyer. Send more, or tap Send delivery."
STOPPED = "Stopped; nothing else was changed."
DELIVERY_STOPPED = "Stopped: nothing was delivered. Anything you sent was passed on as chat."
PAY_LATER = "Alright. When you have paid, tap 💳 Pay on the lead's card (/dashboard)."
UNSUPPORTED = "That kind of message is not passed on; send text, a photo, a file, voice or video."
SEND_TEXT = "Please answer with a text message, or tap one of the buttons."
INVOICE_INTRO = (
    "Pay with the invoice below; the lead is completed as soon as the payment goes through."
)
DELIVERED_ALERT, APPROVED_ALERT, SENT_ALERT = "Delivered!", "Approved.", "Sent."
AGREED_AMOUNT = "Agreed amount"
HISTORY_SHOWN = 12
NOTE_SHOWN = 80


# Times: stored in UTC, shown in the reader's time zone.


def _local(moment: datetime, reader: User) -> datetime:
    try:
        return moment.astimezone(ZoneInfo(reader.profile.timezone))
    except (ValueError, KeyError):
        return moment.astimezone(UTC)


def day(moment: datetime, reader: User) -> str:
    return f"{_local(moment, reader):%d %b %Y}"


def when(moment: datetime, reader: User) -> str:
    local = _local(moment, reader)
    return f"{local:%d %b %Y, %H:%M} {local.tzname()}"


def _title(engagement: Engagement) -> str:
    return f"“{escape(engagement.lead.title or '')}”"


def _name(user: User) -> str:
    return f"<b>{escape(user.name)}</b>"


def days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"


def bill_lines(bill: Bill) -> list[str]:
    return [
        f"{AGREED_AMOUNT}: {bill.amount.format()}",
        f"{fee_label(bill)}: {bill.fee.format()}",
        f"<b>Total: {bill.total.format()}</b>",
    ]


def method_words(payment: Payment, limit: int = MAX_PAYMENT_NOTE) -> str:
    """How a payment was made, as typed or picked: "bank transfer (ref 12)"."""
    note = escape(clip(payment.note, limit)) if payment.note else None
    if payment.method is PaymentMethod.OTHER and note:
        return note
    words = METHOD_WORDS[payment.method]
    return f"{words} ({note})" if note else words


# Delivering.


def delivery_question(card: ContractCard) -> str:
    engagement = card.engagement
    return (
        f"📦 <b>Delivering {_title(engagement)}</b> to {_name(engagement.buyer)}.\n\n"
        "Send a message and any files for the buyer now: they are passed on at once and kept "
        "as the record. Then tap <b>Send delivery</b>."
    )


def delivered(engagement: Engagement) -> str:
    return (
        f"📦 <b>Delivered.</b> {_name(engagement.buyer)} will approve the work or ask for changes."
    )


def delivery_card(engagement: Engagement) -> str:
    """What the buyer gets when the seller delivers."""
    return (
        f"📦 {_name(engagement.seller)} <b>delivered</b> {_title(engagement)}.\n"
        "Their message and files, if any, are just above.\n\n"
        "Approve the work to pay and close the lead, or ask for changes."
    )


# Asking for changes.


def changes_question(engagement: Engagement) -> str:
    return (
        f"🔁 What should {_name(engagement.seller)} change? Send a note: it goes to them and "
        "the lead is in progress again."
    )


def changes_sent(engagement: Engagement) -> str:
    return f"🔁 Sent to {_name(engagement.seller)}; the lead is in progress again."


def changes_card(engagement: Engagement, note: str) -> str:
    """What the seller gets when the buyer asks for changes."""
    return (
        f"🔁 {_name(engagement.buyer)} <b>asked for changes</b> on {_title(engagement)}:\n\n"
        f"{escape(note)}\n\nDeliver again when it is ready."
    )


# Approving and paying.


def approved_notice(engagement: Engagement) -> str:
    return (
        f"✅ {_name(engagement.buyer)} <b>approved your delivery</b> on {_title(engagement)}. "
        "The payment comes next; you will be told when it is confirmed."
    )


def bill_card(billing: Billing) -> str:
    engagement = billing.engagement
    return "\n".join(
        [
            f"✅ <b>Approved.</b> Please pay {_name(engagement.seller)} per the agreed terms "
            f"for {_title(engagement)}:",
            "",
            *bill_lines(billing.bill),
            "",
            "How did you pay? Tap the method, or type it (like “Wise, ref 8812”).",
        ]
    )


def payment_confirmation(billing: Billing, method: PaymentMethod, note: str | None) -> str:
    how = escape(note) if method is PaymentMethod.OTHER and note else METHOD_WORDS[method]
    if note and method is not PaymentMethod.OTHER:
        how += f" ({escape(note)})"
    return (
        f"Please confirm: you paid <b>{billing.bill.total.format()}</b> to "
        f"{_name(billing.engagement.seller)} by <b>{how}</b>, per the agreed terms. "
        "This completes the lead.\n\n"
        "You can add a reference (like a transaction id) by sending it now."
    )


def completed(completion: Completion, reader: User) -> str:
    payment = completion.payment
    return (
        f"🏁 <b>Completed!</b> {_title(completion.engagement)} is closed. Your payment of "
        f"{payment.total.format()} by {method_words(payment)} is recorded "
        f"({when(payment.paid_at, reader)}). Thank you!"
    )


def paid_notice(engagement: Engagement, payment: Payment) -> str:
    """What the seller hears when the buyer has paid: the lead is completed."""
    verb = "paid" if payment.method is PaymentMethod.TELEGRAM else "confirmed paying"
    return (
        f"💰 {_name(engagement.buyer)} <b>{verb}</b> {payment.amount.format()} for "
        f"{_title(engagement)}, by {method_words(payment)}.\n🏁 The lead is completed."
    )


def fee_label(bill: Bill) -> str:
    return f"Service fee ({bill.fee_percent.normalize():f}%)"


def invoice_title(engagement: Engagement) -> str:
    """At most 32 characters, as Telegram wants."""
    return clip(engagement.lead.title or "Leadline", 32)


def invoice_description(billing: Billing) -> str:
    """Plain text (no HTML in invoices), at most 255 characters."""
    bill = billing.bill
    seller = clip(billing.engagement.seller.name, 64)
    return clip(
        f"{bill.amount.format()} agreed with {seller}, plus the service fee of "
        f"{bill.fee.format()}. The lead is completed once this is paid.",
        255,
    )


def invoice_paid(outcome: InvoiceOutcome) -> str:
    payment = outcome.payment
    if outcome.completed:
        return (
            f"🏁 <b>Payment received</b>: {payment.total.format()}. "
            f"{_title(outcome.engagement)} is completed. Thank you!"
        )
    return (
        f"💰 Your payment of {payment.total.format()} is recorded, but the lead "
        f"{_title(outcome.engagement)} had ended meanwhile, so it did not complete it; the "
        "record is kept for an administrator to settle."
    )


# Deadlines: a new due date, cancelling after the due date passed.


def extend_question(card: ContractCard) -> str:
    engagement = card.engagement
    return (
        f"📅 {_title(engagement)} is due on <b>{day(engagement.contract.due_at, card.me)}</b>. "
        f"Pick the new due date to propose to {_name(engagement.seller)}, or send one (like "
        f"2026-12-20 or 20 Dec) or a number of extra days (like 5; up to {MAX_EXTENSION_DAYS})."
    )


def extend_option(moment: datetime, count: int, reader: User) -> str:
    return f"+{days(count)} · {day(moment, reader)}"


def extension_sent(engagement: Engagement, proposal: ContractStep, reader: User) -> str:
    assert proposal.due_at is not None
    return (
        f"📅 Proposed to {_name(engagement.seller)}: due <b>{day(proposal.due_at, reader)}</b>. "
        "You will hear their answer."
    )


def extension_card(engagement: Engagement, proposal: ContractStep) -> str:
    """What the seller gets: the buyer's new due date to accept or decline."""
    assert proposal.due_at is not None
    seller = engagement.seller
    return (
        f"📅 {_name(engagement.buyer)} <b>proposes a new due date</b> for {_title(engagement)}: "
        f"<b>{day(proposal.due_at, seller)}</b> instead of "
        f"{day(engagement.contract.due_at, seller)}."
    )


def extension_answered(
    engagement: Engagement, proposal: ContractStep, accepted: bool, reader: User
) -> str:
    """What the buyer hears of the seller's answer (``reader``: the buyer)."""
    assert proposal.due_at is not None
    seller, title = _name(engagement.seller), _title(engagement)
    if accepted:
        return (
            f"✅ {seller} <b>accepted</b>: {title} is now due on "
            f"<b>{day(proposal.due_at, reader)}</b>."
        )
    return (
        f"✖️ {seller} <b>declined</b> the new due date for {title}; it stays due on "
        f"{day(engagement.contract.due_at, reader)}."
    )


def my_extension_answer(engagement: Engagement, accepted: bool, reader: User) -> str:
    due = day(engagement.contract.due_at, reader)
    if accepted:
        return f"✅ Accepted: {_title(engagement)} is now due on <b>{due}</b>."
    return f"You declined; {_title(engagement)} stays due on {due}."


def cancel_question(card: ContractCard) -> str:
    engagement = card.engagement
    return (
        f"✖️ Cancel {_title(engagement)}? It was due on "
        f"{day(engagement.contract.due_at, card.me)} and nothing was delivered. "
        f"{_name(engagement.seller)} will be told that no payment is due."
    )


def cancelled_by_me(engagement: Engagement, agreed: bool) -> str:
    if agreed:
        return f"✖️ Agreed: {_title(engagement)} is cancelled; no payment is due."
    return (
        f"✖️ {_title(engagement)} is cancelled. {_name(engagement.seller)} was told that no "
        "payment is due."
    )


def cancelled_notice(engagement: Engagement, by: User, agreed: bool, reader: User) -> str:
    """What the other side hears when the lead is cancelled."""
    if agreed:
        return (
            f"✖️ {_name(by)} <b>agreed to cancel</b> {_title(engagement)}. The lead is "
            "cancelled; no payment is due."
        )
    return (
        f"✖️ {_name(by)} <b>cancelled</b> {_title(engagement)}: the due date "
        f"({day(engagement.contract.due_at, reader)}) passed without a delivery. "
        "No payment is due."
    )


def propose_cancel_question(card: ContractCard) -> str:
    return (
        f"🤝 Propose to {_name(card.other)} that {_title(card.engagement)} be cancelled by "
        "mutual agreement? If they agree, the lead is cancelled and no payment is due."
    )


def cancel_proposed(engagement: Engagement, me: User) -> str:
    return f"🤝 Proposed. {_name(engagement.other(me.key))} will agree or refuse."


def cancellation_card(engagement: Engagement, by: User) -> str:
    """What the other side gets: a proposal to cancel by mutual agreement."""
    return (
        f"🤝 {_name(by)} <b>proposes cancelling</b> {_title(engagement)} by mutual agreement. "
        "If you agree, the lead is cancelled and no payment is due."
    )


def cancellation_refused(engagement: Engagement, by: User) -> str:
    return f"🤝 {_name(by)} <b>wants to keep</b> the contract for {_title(engagement)}; it goes on."


REFUSED_BY_ME = "The contract goes on."


# The contract on a lead card, for its two sides: what happened and when.

_STAGE_LINES = {
    Stage.IN_PROGRESS: "⏳ In progress",
    Stage.DELIVERED: "📦 Delivered: waiting for the buyer to approve it or ask for changes",
    Stage.AWAITING_PAYMENT: "💳 Approved: waiting for the payment",
    Stage.DISPUTED: "⚖️ In dispute",
}


def _stage_line(card: ContractCard) -> str:
    contract, me = card.engagement.contract, card.me
    if card.stage is Stage.OVERDUE:
        return f"⚠️ Overdue: due {when(contract.due_at, me)}, nothing delivered yet"
    if card.stage is Stage.COMPLETED and contract.completed_at:
        return f"🏁 Completed {when(contract.completed_at, me)}"
    if card.stage is Stage.CANCELLED and contract.cancelled_at:
        return f"✖️ Cancelled {when(contract.cancelled_at, me)}"
    return _STAGE_LINES.get(card.stage, "")


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


def contract_section(card: ContractCard) -> str:
    """The contract under a lead card: terms, stage, open proposals, and its history."""
    engagement, me = card.engagement, card.me
    contract = engagement.contract
    role = "seller" if card.other.id == contract.seller_id else "buyer"
    lines = [
        f"📋 <b>Contract</b> with {_name(card.other)} ({role})",
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
        (
            payment.paid_at,
            f"💰 Paid {payment.total.format()} by {method_words(payment, NOTE_SHOWN)}",
        )
        for payment in card.payments
    ]
    history.sort(key=lambda item: item[0])
    if history:
        earlier = len(history) - HISTORY_SHOWN
        lines.append("")
        if earlier > 0:
            lines.append(f"<i>{earlier} earlier step(s) are in the transcript.</i>")
        lines += [f"• {when(at, me)} — {words}" for at, words in history[-HISTORY_SHOWN:]]
    return "\n".join(line for line in lines if line)


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


def transcript_payment(payment: Payment, actor: str) -> str:
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
