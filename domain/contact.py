"""Contact Us messages: a user's exchange with the Leadline team, kept append-only."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from domain.chat import MessageKind
from domain.errors import InvalidInput
from domain.model import User
from domain.validation import check_message, is_blank, trimmed

# Room for the header above it in one Telegram message (4096), with margin.
MAX_CONTACT_TEXT = 3500


class Direction(StrEnum):
    FROM_USER = "in"  # the user wrote to the Leadline team
    FROM_SUPPORT = "out"  # an admin answered


@dataclass(frozen=True)
class ContactFile:
    kind: MessageKind
    file_id: str
    file_name: str | None = None


@dataclass
class ContactMessage:
    """One message of a user's exchange with the Leadline team, append-only."""

    user_id: int
    direction: Direction
    at: datetime
    text: str | None = None
    files: list[ContactFile] = field(default_factory=list)
    # The admin who answered (a message from support), if they are a stored user.
    admin_id: int | None = None
    id: int | None = None

    @property
    def key(self) -> int:
        assert self.id is not None, "the message is not stored yet"
        return self.id


@dataclass(frozen=True)
class ContactConversation:
    """A user's exchange with the team, as the admin console lists it."""

    user: User
    latest: ContactMessage
    messages: int
    # The latest message is the user's: nobody has answered it yet.
    waiting: bool


def clean_message(text: str | None, files: Collection[ContactFile]) -> str | None:
    """The text of a message to or from support, trimmed; refuses an empty or too long one,
    and one holding characters no typed text may (a right-to-left override)."""
    check_message(text, with_file=True)
    # Text made only of invisible characters says nothing.
    stripped = None if is_blank(text or "") else trimmed(text or "")
    if stripped is None and not files:
        raise InvalidInput("Please write a few words (or send a photo or a file).")
    if stripped is not None and len(stripped) > MAX_CONTACT_TEXT:
        raise InvalidInput(
            f"That is too long: please keep it to {MAX_CONTACT_TEXT:,} characters "
            f"(yours has {len(stripped):,})."
        )
    return stripped
