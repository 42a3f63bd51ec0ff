"""What the relayed chat says: thread cards, the conversations list, relayed messages and
the transcript."""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape

from domain.chat import Relay, RelayedMessage
from domain.lifecycle import LeadStatus
from domain.model import User
from domain.ports import Page, ThreadSummary
from domain.relay import (
    Decided,
    Entry,
    HiredHere,
    Offered,
    Opened,
    PaidHere,
    Said,
    Stepped,
    ThreadView,
    Transcript,
)
from handlers.contracts.history import transcript_payment, transcript_step
from handlers.core.limits import button_label
from handlers.core.texts import plural
from handlers.deals import texts as deal_texts
from handlers.deals.texts import offer_lines

REMINDER = (
    "⚠️ Your message was delivered, but it contains contact details or a link. Please keep "
    "the deal on Leadline: only what is said here counts if there is a dispute."
)
FLAG = (
    "⚠️ <i>Contains contact details or a link. Keep the deal on Leadline: only what is said "
    "here counts in a dispute.</i>"
)
SENT = "↪️ Sent."
UNSUPPORTED = (
    "That kind of message is not passed on; send text, a photo, a file, voice, audio or video."
)
LEFT = "You left the conversation. /messages lists your conversations."
NO_CONVERSATIONS = "No conversations yet. Sellers start one with Connect on a lead."
TRANSCRIPT_CAPTION = "📄 The full record of this conversation (times in UTC)."
MESSAGE = "💬 Message"
REPLY_IN_THREAD = "💬 Reply in thread"
MAKE_OFFER = "💼 Make offer"
TRANSCRIPT = "📄 Transcript"
PREVIOUS, NEXT = "◀️ Prev", "Next ▶️"


def writing_to(view: ThreadView) -> str:
    """Entering a thread: who the user now writes to, and what is passed on."""
    return (
        f"💬 You are writing to <b>{escape(view.other.name)}</b> about "
        f"<b>{escape(view.lead.title or '')}</b>. Text, photos, files, voice, audio and video are "
        "passed on and kept as the record. Send /done to leave."
    )


def thread_card(view: ThreadView) -> str:
    role = "buyer" if view.other.id == view.thread.buyer_id else "seller"
    lines = [
        f"💬 <b>{escape(view.lead.title or '')}</b>",
        f"With <b>{escape(view.other.name)}</b> ({role})",
    ]
    if view.contract is not None:
        lines.append(
            f"✅ Hired: {view.contract.amount.format()} · due {view.contract.due_at:%d %b %Y}"
        )
    elif view.latest is not None:
        who = "you" if view.latest.author_id == view.me.id else escape(view.other.name)
        state = deal_texts.offer_state(view.latest.status)
        lines += ["", f"Latest offer by {who} ({state}):"]
        lines += offer_lines(view.latest, view.lead)
    if view.contract is None and view.lead.status not in (LeadStatus.OPEN, LeadStatus.DRAFT):
        if view.lead.status is LeadStatus.WITHDRAWN:
            lines += ["", "This lead was withdrawn; it takes no more offers."]
        elif view.me.id == view.lead.buyer_id:
            lines += ["", "You hired another seller for this lead."]
        else:
            lines += ["", "This lead went to someone else; it takes no more offers."]
    return "\n".join(lines)


def thread_list(page: Page[ThreadSummary]) -> str:
    """/messages: each thread with the other side, its last message and what is unread."""
    lines = [f"💬 <b>Your conversations</b> ({page.total})"]
    for summary in page.items:
        unread = f" · <b>{summary.unread} new</b>" if summary.unread else ""
        last = summary.last_message
        snippet = (last.text or f"[{last.kind.value}]") if last else "no messages yet"
        snippet = snippet if len(snippet) <= 60 else snippet[:59] + "…"
        lines.append(
            f"\n📌 <b>{escape(summary.lead_title)}</b> — {escape(summary.other_name)}{unread}\n"
            f"   {escape(snippet)}"
        )
    return "\n".join(lines)


def thread_label(summary: ThreadSummary) -> str:
    """The button of one thread in the list (plain text, at most 60 characters)."""
    before = "🔵 " if summary.unread else ""
    return button_label(summary.lead_title, before=before, after=f" — {summary.other_name}")


def relay_header(relay: Relay) -> str:
    """Above every relayed message: who sends it, about which lead."""
    return f"💬 <b>{escape(relay.sender.name)}</b> · {escape(relay.lead.title or '')}"


def flag(message: RelayedMessage) -> str:
    """The warning under a message that carries contact details, or nothing."""
    return f"\n\n{FLAG}" if message.flagged else ""


def relayed_text(header: str, body: str, flag: str) -> str:
    """A relayed text message; ``body`` is already HTML."""
    return f"{header}\n\n{body}{flag}"


def edited_text(header: str, body: str, flag: str) -> str:
    """The new text of a relayed message, replacing it in the recipient's chat."""
    return f"{header} <i>(edited)</i>\n\n{body}{flag}"


def edited_as_new(header: str) -> str:
    """The header of an edit sent as a new message (the original's id in the recipient's
    chat was never recorded)."""
    return f"✏️ {header} <i>(edited message)</i>"


def part_header(header: str, number: int, count: int) -> str:
    """The header of one part of a message too long to relay in one."""
    return f"{header} <i>({number}/{count})</i>"


def continued(header: str) -> str:
    """The header of the text of a file whose caption could not hold it."""
    return f"{header} <i>(text of the file above)</i>"


def caption(header: str, body: str | None) -> str:
    """A relayed file's caption without the flag; ``body`` is already HTML."""
    return f"{header}\n\n{body}" if body else header


def edited_caption(caption: str, flag: str) -> str:
    return f"{caption} <i>(edited)</i>{flag}"


# The transcript: a UTF-8 text file, so nothing in it is escaped.


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _role(record: Transcript, user: User) -> str:
    return f"{user.name} ({'buyer' if user.id == record.buyer.id else 'seller'})"


def _line(record: Transcript, entry: Entry) -> str:
    lead = record.lead
    match entry:
        case Opened():
            return f"Conversation opened about lead #{lead.id}: {lead.title}"
        case Offered(number=number, offer=offer, author=author):
            note = f" — note: {offer.note}" if offer.note else ""
            return (
                f"{_role(record, author)} offered {offer.amount.format()} "
                f"in {plural(offer.days, 'day')} (offer {number}){note}"
            )
        case Decided(number=number, status=status, by=by):
            who = f" by {_role(record, by)}" if by is not None else ""
            return f"Offer {number} {deal_texts.offer_state(status)}{who}"
        case HiredHere(contract=contract):
            return (
                f"Hired: {contract.amount.format()}, {plural(contract.days, 'day')}, "
                f"due {_utc(contract.due_at)}"
            )
        case Said(message=message, author=author):
            what = message.text or ""
            if message.file_id:
                what = f"[{file_reference(message)}] {what}".strip()
            if message.original_id is not None:
                what = f"(edit {message.version} of message #{message.original_id}) {what}"
            flagged = " [flagged: contact details]" if message.flagged else ""
            return f"#{message.id} {_role(record, author)}: {what}{flagged}"
        case PaidHere(payment=payment, author=author):
            return transcript_payment(payment, _role(record, author))
        case Stepped(step=step, author=author):
            return transcript_step(step, _role(record, author) if author else "Leadline")


def file_reference(message: RelayedMessage) -> str:
    """ "photo, 245 KB", "document brief.pdf, 1.2 MB": what a person needs to find the file."""
    described = message.kind.value
    if message.file_name:
        described += f" {message.file_name}"
    if message.file_size is not None:
        described += f", {file_size(message.file_size)}"
    return described


def file_size(size: int) -> str:
    """Bytes as people read them: 812 bytes, 245 KB, 1.2 MB."""
    if size < 1024:
        return plural(size, "byte")
    if size < 1024 * 1024:
        return f"{round(size / 1024)} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def transcript(record: Transcript, now: datetime) -> str:
    """The whole record of a thread, with UTC times, exported at ``now``."""
    header = [
        "Leadline transcript",
        f"Lead #{record.lead.id}: {record.lead.title}",
        f"Between {_role(record, record.buyer)} and {_role(record, record.seller)}",
        f"Exported {_utc(now)} by {record.reader.name if record.reader else 'Leadline support'}",
        "",
    ]
    lines = [f"{_utc(entry.at)}  {_line(record, entry)}" for entry in record.entries]
    return "\n".join(header + lines) + "\n"


def transcript_file_name(thread_id: int) -> str:
    return f"leadline-thread-{thread_id}.txt"
