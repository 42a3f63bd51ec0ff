"""Relayed messages: the record of everything said between buyer and seller."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from domain.leads import Lead
from domain.model import User


class MessageKind(StrEnum):
    TEXT = "text"
    PHOTO = "photo"
    DOCUMENT = "document"
    VOICE = "voice"
    VIDEO = "video"
    AUDIO = "audio"


@dataclass
class RelayedMessage:
    """One message as sent; an edit is a new row pointing at the original (``original_id``)."""

    thread_id: int
    sender_id: int
    recipient_id: int
    kind: MessageKind
    created_at: datetime
    sender_message_id: int
    text: str | None = None
    file_id: str | None = None
    file_name: str | None = None
    file_size: int | None = None  # bytes, as Telegram reported them
    flagged: bool = False
    recipient_message_id: int | None = None
    original_id: int | None = None
    version: int = 1
    id: int | None = None


# Contact details that would take a deal off the platform.
_OFF_PLATFORM = re.compile(
    r"(\+?\d[\d\s().-]{7,}\d)"  # phone numbers
    r"|([\w.+-]+@[\w-]+\.[\w.]+)"  # email addresses
    r"|((?<![\w@])@[A-Za-z][A-Za-z0-9_]{3,31})"  # @handles
    r"|(https?://|www\.|t\.me/|wa\.me/)",  # links
    re.IGNORECASE,
)


def off_platform(text: str | None) -> bool:
    """Whether a message carries contact details or links (it is delivered, but flagged)."""
    return bool(text) and _OFF_PLATFORM.search(text or "") is not None


@dataclass(frozen=True)
class Relay:
    """Who a thread's message goes between, and the lead it is about."""

    lead: Lead
    sender: User
    recipient: User
