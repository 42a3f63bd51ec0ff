"""What Contact Us says; user text is always HTML-escaped here."""

from __future__ import annotations

from html import escape

from domain.contact import ContactMessage
from domain.model import User, UserStatus

WRITE = "✍️ Write to us"
REPLY = "↩️ Reply"
ASK = (
    "✉️ <b>Contact Leadline</b>\n"
    "Write your message to the Leadline team — a question, a suggestion or a problem with "
    "a deal. Send text, or a photo or a file with a caption. /cancel leaves."
)
SENT = "✅ Sent to the Leadline team. The answer will arrive in this chat."
CANCELLED = "Cancelled; nothing was sent."
ADMIN_CANCELLED = "Cancelled; no answer was sent."
SEND_TEXT_OR_FILE = "Please send text, or a photo or a file (with a caption if you like)."


def _who(user: User) -> str:
    """Ann (@ann · id 42 · buyer, seller · suspended)."""
    facts = []
    if user.username:
        facts.append(f"@{escape(user.username)}")
    facts.append(f"Telegram id {user.telegram_id}")
    if not user.signed_up:
        facts.append("has not finished signing up")
    elif user.roles:
        facts.append(", ".join(sorted(role.value for role in user.roles)))
    if user.status is UserStatus.SUSPENDED:
        facts.append("suspended")
    return f"<b>{escape(user.name)}</b> ({' · '.join(facts)})"


def _body(message: ContactMessage) -> str:
    text = escape(message.text) if message.text else "<i>(no text)</i>"
    files = len(message.files)
    attached = f"\n📎 {files} file{'s' if files != 1 else ''} below" if files else ""
    return text + attached


def to_admins(message: ContactMessage, sender: User) -> str:
    """The card every admin gets for a user's message."""
    return f"📨 <b>Contact Us</b> — from {_who(sender)}\n\n{_body(message)}"


def file_caption(sender: User) -> str:
    return f"📎 From {escape(sender.name)} (Contact Us)"


def to_user(message: ContactMessage) -> str:
    """An admin's answer, as the user reads it."""
    return f"💬 <b>Leadline support</b>\n\n{_body(message)}"


SUPPORT_FILE = "📎 From Leadline support"


def ask_admin(message: ContactMessage, user: User) -> str:
    quoted = escape((message.text or "")[:300])
    quote = f"\n\n<i>“{quoted}”</i>" if quoted else ""
    return (
        f"↩️ Write your answer to {_who(user)}: text, or a photo or a file with a caption. "
        f"It arrives as from Leadline support. /cancel leaves.{quote}"
    )


def answered(user: User) -> str:
    return f"✅ Your answer was sent to {escape(user.name)}."
