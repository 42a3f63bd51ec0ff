"""Everything disputes say, to the sides and to administrators."""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape

from domain.billing import Payment
from domain.contracts import Engagement
from domain.dispute_cases import DisputeCase
from domain.disputes import MAX_FILES, Dispute, DisputeStatus, Outcome
from domain.lifecycle import describe
from domain.model import User
from domain.money import Money
from handlers.contracts.history import dispute_paid_words
from handlers.contracts.texts import days, name_of, title_of
from handlers.core.limits import clip
from handlers.core.texts import plural

OPEN_DISPUTE = "⚖️ Open dispute"
SUBMIT = "⚖️ Open dispute now"
STOP = "✖️ Cancel"
TRANSCRIPT = "📄 Transcript"
MESSAGE_BUYER = "🛡 Message buyer"
MESSAGE_SELLER = "🛡 Message seller"
RESOLVE = "⚖️ Resolve"
STOPPED = "Stopped; nothing was changed."
SEND_FILES = "Please send photos or documents, or tap Open dispute now."
TYPE_TEXT = "Please type it as text."
NO_OPEN_DISPUTES = "⚖️ No disputes are waiting for a decision."
TRANSCRIPT_CAPTION = "📄 The conversation's whole record (times in UTC)."
TOO_MANY_FILES = f"A dispute can have at most {MAX_FILES} files; tap Open dispute now."
REASON_FIRST = "Please type the reason first (⚖️ Open dispute on the contract's card)."
OUTCOME_BUTTONS = {
    Outcome.COMPLETED: "✅ Completed",
    Outcome.CANCELLED: "✖️ Cancelled",
    Outcome.SPLIT: "➗ Split",
}
LISTED_SHOWN = 60  # characters of a lead's title on a /disputes button
REASON_SHOWN = 1500
CAPTION_SHOWN = 900  # of a file's caption, under Telegram's 1024 with the line above it


def _utc(moment: datetime) -> str:
    return f"{moment.astimezone(UTC):%d %b %Y, %H:%M} UTC"


def reason_question(engagement: Engagement) -> str:
    return (
        f"⚖️ <b>Open a dispute</b> about {title_of(engagement)}\n\n"
        "Leadline support will read this conversation's record and decide: the work "
        "completed and paid, cancelled without payment, or a part of the agreed amount. "
        "Until then the contract is on hold.\n\nWhat went wrong? Please type the reason."
    )


def files_question(count: int) -> str:
    if count:
        return f"📎 Added ({count} of {MAX_FILES}). Send more, or tap Open dispute now."
    return f"Add photos or documents that show it (up to {MAX_FILES}), or tap Open dispute now."


def opened_by_me(case: DisputeCase) -> str:
    return (
        f"⚖️ Dispute opened about {title_of(case.engagement)}. Leadline support will read the "
        "conversation's record and decide; you will hear the outcome here."
    )


def opened_notice(case: DisputeCase, by: User) -> str:
    reason = escape(clip(case.dispute.reason, REASON_SHOWN))
    return (
        f"⚖️ {name_of(by)} opened a dispute about {title_of(case.engagement)}:\n“{reason}”\n\n"
        "The contract is on hold. Leadline support will read the conversation's record and "
        "decide; you will hear the outcome here."
    )


def _role(engagement: Engagement, user: User) -> str:
    role = "buyer" if user.id == engagement.contract.buyer_id else "seller"
    handle = f" @{escape(user.username)}" if user.username else ""
    return f"{name_of(user)}{handle} ({role}, Telegram id {user.telegram_id})"


def outcome_words(dispute: Dispute, agreed: Money, payment: Payment | None = None) -> str:
    """The outcome with what it pays: the seller's part, the service fee and the total."""
    if dispute.outcome is Outcome.CANCELLED or dispute.paid is None:
        return "cancelled: no payment and no service fee"
    if payment is not None:
        return f"{dispute.outcome}: {dispute_paid_words(payment, agreed)}"
    if dispute.paid == agreed:
        return f"{dispute.outcome}: the seller is paid the agreed {agreed.format()}"
    paid = dispute.paid.format()
    return f"{dispute.outcome}: the seller is paid {paid} of the agreed {agreed.format()}"


def card(case: DisputeCase) -> str:
    """The dispute card administrators get: lead, parties, agreed terms, reason."""
    dispute, engagement = case.dispute, case.engagement
    contract, lead = engagement.contract, engagement.lead
    lines = [
        f"⚖️ <b>Dispute #{dispute.key}</b> — lead #{lead.key} {title_of(engagement)}",
        f"Opened {_utc(dispute.opened_at)} by {_role(engagement, case.opener)}",
        f"Buyer: {_role(engagement, engagement.buyer)}",
        f"Seller: {_role(engagement, engagement.seller)}",
        f"Agreed: {contract.amount.format()} · {days(contract.days)} · started "
        f"{_utc(contract.started_at)} · due {_utc(contract.due_at)}",
        f"Lead: {describe(lead.status)}",
        "",
        f"Reason: “{escape(clip(dispute.reason, REASON_SHOWN))}”",
    ]
    if dispute.files:
        lines.append(f"📎 {plural(len(dispute.files), 'file')}, sent with this card")
    if dispute.status is DisputeStatus.RESOLVED and dispute.resolved_at is not None:
        lines += [
            "",
            f"Resolved {_utc(dispute.resolved_at)}: "
            f"{outcome_words(dispute, contract.amount, case.payment)}",
            f"Note: “{escape(dispute.note or '')}”",
        ]
    return "\n".join(lines)


def file_caption(dispute: Dispute, number: int) -> str:
    """Above a file of the evidence, with what its sender wrote under it."""
    line = f"📎 File {number} of {len(dispute.files)} of dispute #{dispute.key}"
    written = dispute.files[number - 1].caption
    if written:
        line += f":\n“{escape(clip(written, CAPTION_SHOWN))}”"
    return line


def dispute_list(cases: list[DisputeCase]) -> str:
    return f"⚖️ <b>Open disputes</b> ({len(cases)}), oldest first:"


def list_button(case: DisputeCase) -> str:
    title = clip(case.engagement.lead.title or "", LISTED_SHOWN)
    return f"#{case.dispute.key} {title}"


def write_question(case: DisputeCase, recipient: User) -> str:
    return (
        f"🛡 Type your message to {name_of(recipient)} about {title_of(case.engagement)}. It "
        "arrives as from Leadline support and is kept in the conversation's record."
    )


def written(recipient: User) -> str:
    return f"🛡 Sent to {name_of(recipient)}; it is in the conversation's record."


def support_message(engagement: Engagement, text: str) -> str:
    return (
        f"🛡 <b>Leadline support</b> about {title_of(engagement)}:\n{escape(text)}\n\n"
        "<i>↩️ Reply to answer Leadline support.</i>"
    )


def outcome_question(case: DisputeCase) -> str:
    agreed = case.engagement.contract.amount.format()
    return (
        f"⚖️ How is dispute #{case.dispute.key} resolved? Completed: the seller is paid the "
        f"agreed {agreed}. Cancelled: no payment. Split: the seller is paid a part of it."
    )


def split_question(agreed: Money) -> str:
    return f"➗ How much of the agreed {agreed.format()} is the seller paid?"


def note_question(outcome: Outcome, paid: Money | None) -> str:
    what = {
        Outcome.COMPLETED: "completed",
        Outcome.CANCELLED: "cancelled",
        Outcome.SPLIT: f"split, the seller paid {paid.format() if paid else ''}",
    }[outcome]
    return f"📝 Resolved as {what}. Write the note both sides will read with the outcome."


def resolved_for_admin(case: DisputeCase) -> str:
    agreed = case.engagement.contract.amount
    return (
        f"⚖️ Dispute #{case.dispute.key} resolved: "
        f"{outcome_words(case.dispute, agreed, case.payment)}."
    )


def resolved_notice(engagement: Engagement, dispute: Dispute, payment: Payment | None) -> str:
    words = outcome_words(dispute, engagement.contract.amount, payment)
    return (
        f"⚖️ The dispute about {title_of(engagement)} is resolved: {words}.\n"
        f"Note from Leadline support: “{escape(dispute.note or '')}”"
    )
