"""What the admin console says, and what suspended users, announcements' readers and
sellers whose documents were checked are told; user text is always HTML-escaped here."""

from __future__ import annotations

import re
from html import escape

from domain.admin_cases import Submission, UserCard
from domain.audit import AuditEntry, Subject
from domain.contact import ContactConversation
from domain.lifecycle import LeadStatus
from domain.model import User
from domain.moderation import ConsoleCounts, Flagged
from domain.ports import ThreadSummary
from handlers.core.limits import button_label, clip
from handlers.core.texts import plural
from handlers.providers.texts import VERIFIED_BADGE

FIND, ANNOUNCE, FLAGGED, REFRESH = "🔎 Find user", "📣 Announcement", "🚩 Flagged", "🔄 Refresh"
CONSOLE = "🛠 Console"
DISPUTES, CONTACTS = "⚖️ Open disputes", "✉️ Contact Us"
NO_CONTACTS = "Nobody has written to Contact Us yet."


def contacts(conversations: list[ContactConversation]) -> str:
    """The latest Contact Us exchanges, the most recent first; ⏳ marks those waiting."""
    lines = ["✉️ <b>Contact Us</b>, the latest exchanges:"]
    for item in conversations:
        mark = "⏳" if item.waiting else "✓"
        said = escape(clip(item.latest.text or "[file]", 120))
        lines.append(
            f"{mark} {_who(item.user)} · {plural(item.messages, 'message')} · "
            f"{item.latest.at:%d %b %H:%M} UTC\n   {said}"
        )
    return "\n".join(lines)


def contact_button(item: ContactConversation) -> str:
    return button_label(item.user.name, before="↩️ Reply to ")


SUSPEND, UNSUSPEND = "⛔ Suspend", "✅ Unsuspend"
USER_CARD = "👤 Open the card"
EVERYONE, BUYERS, SELLERS = "Everyone", "Buyers", "Sellers"
SEND, DROP = "📣 Send", "✖️ Cancel"
VERIFY, REJECT = "✔️ Verify", "✖️ Reject"

ASK_USER = "Who are you looking for? Send an @username, a Telegram id or an email address."
NOBODY_NAMED = "Nobody has that @username, Telegram id or email."
NOBODY = "Nobody has that @username, Telegram id or email; send another, or /cancel."
ASK_AUDIENCE = "Who should receive the announcement?"
ASK_ANNOUNCEMENT = "Send the announcement's text (plain text, up to 3000 characters)."
TAP_SEND = "Please tap Send or Cancel under the preview."
TAP_AUDIENCE = "Please tap who should receive it first."
ANNOUNCEMENT_DROPPED = "The announcement was not sent."
ASK_REJECTION = "Why is this document rejected? The seller reads your reason."
NO_FLAGGED = "No message has been flagged."
CANCELLED = "Cancelled."
SUSPEND_USAGE = "Write the user and the reason: /suspend @username reason."
UNSUSPEND_USAGE = "Write the user: /unsuspend @username."
TRANSCRIPT_CAPTION = "📄 The whole conversation, as stored (times in UTC)."
AUDIENCE_NAMES = {None: "everyone", "buyer": "buyers", "seller": "sellers"}
_STATUS_ORDER = list(LeadStatus)


def console(counts: ConsoleCounts) -> str:
    leads = " · ".join(
        f"{status.value.replace('_', ' ')} {counts.leads[status]}"
        for status in _STATUS_ORDER
        if counts.leads.get(status)
    )
    return "\n".join(
        [
            "🛠 <b>Admin console</b>",
            f"Users: {counts.users} signed up (buyers {counts.buyers}, "
            f"sellers {counts.sellers}, suspended {counts.suspended})",
            f"Not counted: {counts.unfinished} who never finished signing up, "
            f"{counts.deleted} deleted",
            f"Leads: {leads or 'none'}",
            f"Contracts: {counts.contracts}",
            f"Messages relayed today: {counts.messages_today}",
            f"Open disputes: {counts.open_disputes}",
            f"Contact Us waiting for an answer: {counts.contact_waiting}",
            f"Outbox: {counts.outbox_backlog} waiting, {counts.outbox_failed} failed",
        ]
    )


def lead_title(title: str | None) -> str:
    return escape(title or "untitled lead")


def transcript_button(summary: ThreadSummary) -> str:
    title, other = summary.lead_title or "lead", summary.other_name
    return button_label(title, before="📄 ", after=f" — {other}")


def _who(user: User) -> str:
    handle = f" @{escape(user.username)}" if user.username else ""
    return f"<b>{escape(user.name)}</b>{handle}"


def user_card(card: UserCard) -> str:
    user = card.user
    roles = ", ".join(sorted(role.value for role in user.roles)) or "no role yet"
    email = escape(user.email or "no email")
    confirmed = " (confirmed)" if user.email_verified else ""
    lines = [
        f"👤 {_who(user)}",
        f"Telegram id {user.telegram_id} · account #{user.key} · since {user.created_at:%Y-%m-%d}",
        f"Roles: {roles} · {email}{confirmed}",
    ]
    if user.verified:
        lines.append(VERIFIED_BADGE)
    if card.admin:
        lines.append("🛠 Administrator")
    suspension = card.suspension
    if user.suspended and suspension is not None:
        by = f" by {escape(suspension.suspended_by)}" if suspension.suspended_by else ""
        lines.append(
            f"⛔ Suspended since {suspension.suspended_at:%Y-%m-%d %H:%M} UTC{by}: "
            f"{escape(suspension.reason)}"
        )
    elif suspension is not None and suspension.lifted_at is not None:
        lines.append(
            f"Active; the last suspension was lifted {suspension.lifted_at:%Y-%m-%d %H:%M} UTC."
        )
    else:
        lines.append("Active.")
    if card.history:
        lines.append("\nLatest in the audit log:")
        lines += [f"• {audit_line(entry, card)}" for entry in card.history]
    threads = card.threads
    if threads.total:
        lines.append(f"\nConversations: {threads.total} (transcripts below, latest first)")
    else:
        lines.append("\nNo conversations.")
    return "\n".join(lines)


# What each action of the audit log reads as; the lead's moves take its title after them.
_LEAD_MOVES = {
    "lead.publish": "published",
    "lead.withdraw": "withdrew",
    "lead.hire": "hired on",
    "lead.deliver": "delivered",
    "lead.close": "closed",
    "lead.cancel": "cancelled",
    "lead.dispute": "disputed",
    "lead.resolve_completed": "resolved as completed",
    "lead.resolve_cancelled": "resolved as cancelled",
    "lead.request_changes": "asked for changes to",
    "lead.cancel_by_agreement": "cancelled by agreement",
}
_ON_DISPUTES = {
    "dispute.opened": "opened",
    "dispute.resolved": "resolved",
    "admin.transcript": "read the transcript of",
    "admin.message_buyer": "wrote to the buyer in",
    "admin.message_seller": "wrote to the seller in",
}
_ON_USERS = {
    "admin.suspend": "suspended",
    "admin.unsuspend": "lifted the suspension of",
    "admin.verify": "verified",
    "admin.reject_document": "rejected a document of",
}
# A lead's move is noted "draft → open by the buyer: why"; a dispute's "dispute #3 …".
_MOVE = re.compile(r"(\w+) → (\w+) by the \w+(?:: (.*))?", re.DOTALL)
_DISPUTE = re.compile(r"dispute #(\d+) (.*)", re.DOTALL)
_SAID = 120  # characters of a reason or message shown on a card


def _actor(entry: AuditEntry, card: UserCard) -> str:
    """Who acted, unless it is the card's user (their own doings read without a name)."""
    who = entry.who
    if who.user_id == card.user.key:
        return ""
    if who.user_id is not None and who.user_id in card.names:
        return f"{escape(card.names[who.user_id])} "
    return "an administrator " if who.telegram_id is not None else "Leadline "


def audit_line(entry: AuditEntry, card: UserCard) -> str:
    """An entry of the audit log in words, e.g. "01 Dec 21:13 UTC · published “Django shop”
    (draft → open)"; an action it does not know reads as stored."""
    when = f"{entry.at:%d %b %H:%M} UTC · {_actor(entry, card)}"
    detail = entry.detail or ""
    said = ""
    if entry.subject is Subject.LEAD:
        title = f"“{lead_title(card.titles.get(entry.subject_id))}”"
        move = _MOVE.fullmatch(detail)
        if entry.action in _LEAD_MOVES and move is not None:
            before, after, why = move.groups()
            states = f"{before} → {after}".replace("_", " ")
            said = f": {escape(clip(why, _SAID))}" if why else ""
            return f"{when}{_LEAD_MOVES[entry.action]} {title} ({states}){said}"
        dispute = _DISPUTE.fullmatch(detail)
        if entry.action in _ON_DISPUTES and dispute is not None:
            number, rest = dispute.groups()
            rest = re.sub(r"^(by the \w+: |resolved |transcript read$)", "", rest)
            said = f": {escape(clip(rest, _SAID))}" if rest else ""
            what = _ON_DISPUTES[entry.action]
            return f"{when}{what} dispute #{number} on {title}{said}"
    elif entry.action in _ON_USERS:
        name = escape(card.names.get(entry.subject_id, f"account #{entry.subject_id}"))
        said = f": {escape(clip(detail, _SAID))}" if detail else ""
        return f"{when}{_ON_USERS[entry.action]} {name}{said}"
    elif entry.action == "admin.announce":
        return f"{when}made an announcement {escape(clip(detail, _SAID))}"
    said = f": {escape(clip(detail, _SAID))}" if detail else ""
    return f"{when}{escape(entry.action)}{said}"


def ask_reason(user: User) -> str:
    return f"Why suspend {escape(user.name)}? They read the reason; or /cancel."


def suspended(user: User) -> str:
    return f"⛔ {escape(user.name)} is suspended: {escape(user.suspension_reason or '')}"


def unsuspended(user: User) -> str:
    return f"✅ {escape(user.name)} is no longer suspended."


def flagged(found: list[Flagged]) -> str:
    lines = ["🚩 <b>Latest flagged messages</b>"]
    for item in found:
        message = item.message
        text = message.text or ""
        shown = text if len(text) <= 200 else text[:199] + "…"
        lines.append(
            f"• {message.created_at:%Y-%m-%d %H:%M} UTC <b>{escape(item.sender_name)}</b> "
            f"on “{lead_title(item.lead_title)}”: {escape(shown)}"
        )
    return "\n".join(lines)


def preview(text: str, role: str | None) -> str:
    return (
        f"Preview — to {AUDIENCE_NAMES.get(role, 'everyone')}:\n\n{announcement(text)}\n\nSend it?"
    )


def announcement(text: str) -> str:
    return f"📣 <b>Leadline announcement</b>\n\n{escape(text)}"


def announced(role: str | None) -> str:
    return f"📣 Queued for {AUDIENCE_NAMES.get(role, 'everyone')}; it goes out paced like alerts."


# What the user hears (through the outbox).


def told_suspended(reason: str) -> str:
    return (
        f"⛔ Your Leadline account is suspended: {escape(reason)}. You can still read your "
        "data and /terms, and write to us with /contact."
    )


TOLD_UNSUSPENDED = "✅ Your Leadline account is active again; welcome back."


# Verification documents.


def submission(found: Submission) -> str:
    seller, document = found.seller, found.document
    return (
        f"🏅 <b>Verification document</b> from {_who(seller)} (account #{seller.key})\n"
        f"{escape(document.title)} ({document.kind.value})"
    )


def verified_admin(found: Submission) -> str:
    return f"✔️ {escape(found.seller.name)} is verified."


def rejected_admin(found: Submission) -> str:
    return f"✖️ {escape(found.document.title)} of {escape(found.seller.name)} was rejected."


def told_verified(title: str) -> str:
    return (
        f"✔️ Your document “{escape(title)}” was checked: your profile now carries "
        f"the {VERIFIED_BADGE} badge."
    )


def told_rejected(title: str, reason: str) -> str:
    return (
        f"✖️ Your document “{escape(title)}” was not accepted: {escape(reason)}. "
        "You can upload another in /profile."
    )
