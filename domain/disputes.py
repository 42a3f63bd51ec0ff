"""Disputes: either side of a contract under way asks the platform to decide, and an
administrator settles it from the thread's record: completed (the seller is paid the
agreed amount), cancelled (no payment), or split (a part of it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from domain.audit import Who
from domain.errors import InvalidInput, NotAllowed
from domain.leads import Attachment
from domain.model import User
from domain.money import Money, exponent, parse_money
from domain.validation import clean_paragraphs, is_blank

MAX_REASON = 2000
MAX_NOTE = 2000
MAX_SUPPORT_MESSAGE = 3000
MAX_FILES = 5
MAX_CAPTION = 1024  # Telegram's limit on a caption
RESOLVED_ALREADY = "This dispute has been resolved already."


class DisputeStatus(StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"


class Outcome(StrEnum):
    COMPLETED = "completed"  # the seller is paid the agreed amount
    CANCELLED = "cancelled"  # no payment
    SPLIT = "split"  # the seller is paid a part of the agreed amount


@dataclass(frozen=True)
class Admin:
    """An administrator (``admins.telegram_ids``), who may have no account of their own."""

    telegram_id: int
    user: User | None = None

    @property
    def who(self) -> Who:
        return Who(self.user.id if self.user else None, self.telegram_id)


@dataclass(frozen=True)
class Dispute:
    contract_id: int
    lead_id: int
    opened_by: int
    opened_at: datetime
    reason: str
    files: tuple[Attachment, ...] = ()
    status: DisputeStatus = DisputeStatus.OPEN
    outcome: Outcome | None = None
    paid: Money | None = None  # what the seller is paid (completed or split)
    note: str | None = None
    resolved_at: datetime | None = None
    resolved_by: Who | None = None
    id: int | None = None

    @property
    def key(self) -> int:
        assert self.id is not None, "the dispute is not stored yet"
        return self.id

    def ensure_open(self) -> None:
        if self.status is not DisputeStatus.OPEN:
            raise NotAllowed(RESOLVED_ALREADY)


def validate_reason(raw: str) -> str:
    return clean_paragraphs(
        raw, what="reason", limit=MAX_REASON, if_empty="Please say in a few words what went wrong."
    )


def validate_note(raw: str) -> str:
    return clean_paragraphs(
        raw, what="note", limit=MAX_NOTE, if_empty="The note cannot be empty; please type it."
    )


def validate_support_message(raw: str) -> str:
    return clean_paragraphs(raw, what="message", limit=MAX_SUPPORT_MESSAGE)


def validate_file_caption(raw: str | None) -> str | None:
    """A file's caption, kept with it; a blank one is no caption."""
    if raw is None or is_blank(raw):
        return None
    return clean_paragraphs(raw, what="caption", limit=MAX_CAPTION)


def split_amount(raw: str, agreed: Money) -> Money:
    """The part of the agreed amount the seller is paid: more than 0, less than all of it."""
    try:
        amount: Money | None = parse_money(raw, agreed.currency)
    except InvalidInput:
        amount = None
    if amount is None or amount.minor >= agreed.minor:
        digits = exponent(agreed.currency)
        cents = f", with at most {digits} decimal places" if digits else ", in whole units"
        raise InvalidInput(
            f"Please send an amount more than 0 and less than {agreed.format()}{cents}, for "
            f"example {Money(agreed.minor // 2, agreed.currency).format()}."
        )
    return amount
