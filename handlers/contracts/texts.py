"""What the contract part says: questions, replies and notices (the contract on cards and
in the transcript is in history.py). User text is always HTML-escaped here."""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape
from zoneinfo import ZoneInfo

from domain.billing import MAX_PAYMENT_NOTE, Bill, Payment, PaymentMethod
from domain.contract_cases import ContractCard
from domain.contracts import MAX_EXTENSION_DAYS, ContractStep, Engagement
from domain.model import User
from domain.payment_cases import Billing, Completion, InvoiceOutcome
from handlers.core.limits import clip
from handlers.core.texts import plural

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
    PaymentMethod.DISPUTE: "dispute resolution",
}

NOTHING_CHANGED = "Nothing was changed."
PASSED_ON = "📎 Passed on to the buyer. Send more, or tap Send delivery."
STOPPED = "Stopped; nothing else was changed."
DELIVERY_STOPPED = "Stopped: nothing was delivered. Anything you sent was passed on as chat."
NO_INVOICE = (
    "Telegram cannot take a payment of this size by invoice, so please pay as agreed and "
    "confirm it here."
)
PAY_LATER = "Alright. When you have paid, tap 💳 Pay on the lead's card (/dashboard)."
UNSUPPORTED = "That kind of message is not passed on; send text, a photo, a file, voice or video."
SEND_TEXT = "Please answer with a text message, or tap one of the buttons."
INVOICE_INTRO = (
    "Pay with the invoice below; the lead is completed as soon as the payment goes through."
)
DELIVERED_ALERT, APPROVED_ALERT, SENT_ALERT = "Delivered!", "Approved.", "Sent."
AGREED_AMOUNT = "Agreed amount"


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


def title_of(engagement: Engagement) -> str:
    return f"“{escape(engagement.lead.title or '')}”"


def name_of(user: User) -> str:
    return f"<b>{escape(user.name)}</b>"


def days(count: int) -> str:
    return plural(count, "day")


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
        f"📦 <b>Delivering {title_of(engagement)}</b> to {name_of(engagement.buyer)}.\n\n"
        "Send a message and any files for the buyer now: they are passed on at once and kept "
        "as the record. Then tap <b>Send delivery</b>."
    )


def delivered(engagement: Engagement) -> str:
    buyer = name_of(engagement.buyer)
    return f"📦 <b>Delivered.</b> {buyer} will approve the work or ask for changes."


def delivery_card(engagement: Engagement) -> str:
    """What the buyer gets when the seller delivers."""
    return (
        f"📦 {name_of(engagement.seller)} <b>delivered</b> {title_of(engagement)}.\n"
        "Their message and files, if any, are just above.\n\n"
        "Approve the work to pay and close the lead, or ask for changes."
    )


# Asking for changes.


def changes_question(engagement: Engagement) -> str:
    return (
        f"🔁 What should {name_of(engagement.seller)} change? Send a note: it goes to them and "
        "the lead is in progress again."
    )


def changes_sent(engagement: Engagement) -> str:
    return f"🔁 Sent to {name_of(engagement.seller)}; the lead is in progress again."


def changes_card(engagement: Engagement, note: str) -> str:
    """What the seller gets when the buyer asks for changes."""
    return (
        f"🔁 {name_of(engagement.buyer)} <b>asked for changes</b> on {title_of(engagement)}:\n\n"
        f"{escape(note)}\n\nDeliver again when it is ready."
    )


# Approving and paying.


def approved_notice(engagement: Engagement) -> str:
    return (
        f"✅ {name_of(engagement.buyer)} <b>approved your delivery</b> on {title_of(engagement)}. "
        "The payment comes next; you will be told when it is confirmed."
    )


def bill_card(billing: Billing) -> str:
    engagement = billing.engagement
    return "\n".join(
        [
            f"✅ <b>Approved.</b> Please pay {name_of(engagement.seller)} per the agreed terms "
            f"for {title_of(engagement)}:",
            "",
            *bill_lines(billing.bill),
            "",
            "How did you pay? Tap the method, or type it (like “Wise, ref 8812”).",
        ]
    )


def payment_confirmation(billing: Billing, method: PaymentMethod, note: str | None) -> str:
    typed = method is PaymentMethod.OTHER
    how = escape(note) if typed and note else METHOD_WORDS[method]
    if note and not typed:
        how += f" ({escape(note)})"
    more = (
        "To word it differently, send it again."
        if typed
        else "You can add a reference (like a transaction id) by sending it now."
    )
    return (
        f"Please confirm: you paid <b>{billing.bill.total.format()}</b> to "
        f"{name_of(billing.engagement.seller)} by <b>{how}</b>, per the agreed terms. "
        f"This completes the lead.\n\n{more}"
    )


def completed(completion: Completion, reader: User) -> str:
    payment = completion.payment
    return (
        f"🏁 <b>Completed!</b> {title_of(completion.engagement)} is closed. Your payment of "
        f"{payment.total.format()} by {method_words(payment)} is recorded "
        f"({when(payment.paid_at, reader)}). Thank you!"
    )


def paid_notice(engagement: Engagement, payment: Payment) -> str:
    """What the seller hears when the buyer has paid: the lead is completed."""
    verb = "paid" if payment.method is PaymentMethod.TELEGRAM else "confirmed paying"
    return (
        f"💰 {name_of(engagement.buyer)} <b>{verb}</b> {payment.amount.format()} for "
        f"{title_of(engagement)}, by {method_words(payment)}.\n🏁 The lead is completed."
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
            f"{title_of(outcome.engagement)} is completed. Thank you!"
        )
    return (
        f"💰 Your payment of {payment.total.format()} is recorded, but the lead "
        f"{title_of(outcome.engagement)} had ended meanwhile, so it did not complete it; the "
        "record is kept for an administrator to settle."
    )


# Deadlines: a new due date, cancelling after the due date passed.


def extend_question(card: ContractCard) -> str:
    engagement = card.engagement
    return (
        f"📅 {title_of(engagement)} is due on <b>{day(engagement.contract.due_at, card.me)}</b>. "
        f"Pick the new due date to propose to {name_of(engagement.seller)}, or send one (like "
        f"2026-12-20 or 20 Dec) or a number of extra days (like 5; up to {MAX_EXTENSION_DAYS})."
    )


def extend_option(moment: datetime, count: int, reader: User) -> str:
    return f"+{days(count)} · {day(moment, reader)}"


def extension_sent(engagement: Engagement, proposal: ContractStep, reader: User) -> str:
    assert proposal.due_at is not None
    return (
        f"📅 Proposed to {name_of(engagement.seller)}: due <b>{day(proposal.due_at, reader)}</b>. "
        "You will hear their answer."
    )


def extension_card(engagement: Engagement, proposal: ContractStep) -> str:
    """What the seller gets: the buyer's new due date to accept or decline."""
    assert proposal.due_at is not None
    seller = engagement.seller
    return (
        f"📅 {name_of(engagement.buyer)} <b>proposes a new due date</b> for "
        f"{title_of(engagement)}: "
        f"<b>{day(proposal.due_at, seller)}</b> instead of "
        f"{day(engagement.contract.due_at, seller)}."
    )


def extension_answered(
    engagement: Engagement, proposal: ContractStep, accepted: bool, reader: User
) -> str:
    """What the buyer hears of the seller's answer (``reader``: the buyer)."""
    assert proposal.due_at is not None
    seller, title = name_of(engagement.seller), title_of(engagement)
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
        return f"✅ Accepted: {title_of(engagement)} is now due on <b>{due}</b>."
    return f"You declined; {title_of(engagement)} stays due on {due}."


def cancel_question(card: ContractCard) -> str:
    engagement = card.engagement
    return (
        f"✖️ Cancel {title_of(engagement)}? It was due on "
        f"{day(engagement.contract.due_at, card.me)} and nothing was delivered. "
        f"{name_of(engagement.seller)} will be told that no payment is due."
    )


def cancelled_by_me(engagement: Engagement, agreed: bool) -> str:
    if agreed:
        return f"✖️ Agreed: {title_of(engagement)} is cancelled; no payment is due."
    return (
        f"✖️ {title_of(engagement)} is cancelled. {name_of(engagement.seller)} was told that no "
        "payment is due."
    )


def cancelled_notice(engagement: Engagement, by: User, agreed: bool, reader: User) -> str:
    """What the other side hears when the lead is cancelled."""
    if agreed:
        return (
            f"✖️ {name_of(by)} <b>agreed to cancel</b> {title_of(engagement)}. The lead is "
            "cancelled; no payment is due."
        )
    return (
        f"✖️ {name_of(by)} <b>cancelled</b> {title_of(engagement)}: the due date "
        f"({day(engagement.contract.due_at, reader)}) passed without a delivery. "
        "No payment is due."
    )


def propose_cancel_question(card: ContractCard) -> str:
    return (
        f"🤝 Propose to {name_of(card.other)} that {title_of(card.engagement)} be cancelled by "
        "mutual agreement? If they agree, the lead is cancelled and no payment is due."
    )


def cancel_proposed(engagement: Engagement, me: User) -> str:
    return f"🤝 Proposed. {name_of(engagement.other(me.key))} will agree or refuse."


def cancellation_card(engagement: Engagement, by: User) -> str:
    """What the other side gets: a proposal to cancel by mutual agreement."""
    return (
        f"🤝 {name_of(by)} <b>proposes cancelling</b> {title_of(engagement)} by mutual agreement. "
        "If you agree, the lead is cancelled and no payment is due."
    )


def cancellation_refused(engagement: Engagement, by: User) -> str:
    title = title_of(engagement)
    return f"🤝 {name_of(by)} <b>wants to keep</b> the contract for {title}; it goes on."


REFUSED_BY_ME = "The contract goes on."
