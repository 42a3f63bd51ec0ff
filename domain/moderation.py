"""What the admin console reads and decides: counts, finding a user, flagged messages,
announcements (its use cases: domain/admin_cases.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from domain.chat import RelayedMessage
from domain.errors import InvalidInput
from domain.lifecycle import LeadStatus
from domain.validation import clean_text

MAX_REASON = 300
MAX_ANNOUNCEMENT = 3000
# Telegram's rule for usernames; a name outside it is still looked up (older or sandbox
# accounts have them), and only when nobody has it is the admin told why.
_TELEGRAM_USERNAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{4,31}")
_USERNAME = re.compile(r"@?([A-Za-z0-9_]{1,32})")
_TELEGRAM_ID = re.compile(r"[0-9]{1,15}")


@dataclass(frozen=True)
class ConsoleCounts:
    """The marketplace at a glance."""

    users: int  # signed up and not deleted; the roles and suspended count among them
    buyers: int
    sellers: int
    suspended: int
    leads: dict[LeadStatus, int]
    contracts: int
    messages_today: int
    outbox_backlog: int
    outbox_failed: int
    open_disputes: int = 0
    # Users whose latest Contact Us message nobody has answered yet.
    contact_waiting: int = 0
    # Apart from the users: who pressed Start but never finished signing up, who deleted.
    unfinished: int = 0
    deleted: int = 0


@dataclass(frozen=True)
class UserQuery:
    """Who an admin looks for: one of a Telegram @username, a Telegram id or an email."""

    username: str | None = None
    telegram_id: int | None = None
    email: str | None = None

    def impossible(self) -> InvalidInput | None:
        """Why nobody can be found by this @username, when it breaks Telegram's rule."""
        if self.username is None or _TELEGRAM_USERNAME.fullmatch(self.username):
            return None
        return InvalidInput(
            f"@{self.username} is not a Telegram username: they have 5 to 32 letters, "
            "digits or underscores."
        )


def parse_user_query(raw: str) -> UserQuery:
    """Reads "@name", "123456789" or "name@example.org"; anything else is refused."""
    text = raw.strip()
    if "@" in text[1:]:
        return UserQuery(email=text.lower())
    if _TELEGRAM_ID.fullmatch(text):
        return UserQuery(telegram_id=int(text))
    found = _USERNAME.fullmatch(text)
    if found:
        return UserQuery(username=found.group(1))
    raise InvalidInput("Please send an @username, a Telegram id (digits only) or an email address.")


def validate_reason(raw: str) -> str:
    return clean_text(raw, what="reason", limit=MAX_REASON)


def validate_announcement(raw: str) -> str:
    """The announcement as typed (line breaks kept), within one Telegram message."""
    text = raw.strip()
    if not text:
        raise InvalidInput("The announcement cannot be empty; please type it again.")
    if len(text) > MAX_ANNOUNCEMENT:
        raise InvalidInput(
            f"The announcement can be at most {MAX_ANNOUNCEMENT} characters; yours has {len(text)}."
        )
    return text


@dataclass(frozen=True)
class Flagged:
    """A relayed message flagged as moving a deal off the platform, with its thread."""

    message: RelayedMessage
    sender_name: str
    lead_title: str | None


@dataclass(frozen=True)
class Suspension:
    """The latest suspension of a user: why, by whom, when, and whether it was lifted."""

    reason: str
    suspended_at: datetime
    suspended_by: str | None
    lifted_at: datetime | None = None
