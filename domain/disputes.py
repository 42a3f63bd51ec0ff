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
from domain.money import Money, parse_money

MAX_REASON = 2000
MAX_NOTE = 2000
MAX_SUPPORT_MESSAGE = 3000
MAX_FILES = 5
ADMINS_ONLY = "Only Leadline's administrators can do that."
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
    text = raw.strip()
    if not text:
        raise InvalidInput("Please say in a few words what went wrong.")
    if len(text) > MAX_REASON:
        raise InvalidInput(f"Please keep it to {MAX_REASON} characters; yours has {len(text)}.")
    return text


def validate_note(raw: str) -> str:
    text = raw.strip()
    if not text:
        raise InvalidInput("A note for both sides is required; please type it.")
    if len(text) > MAX_NOTE:
        raise InvalidInput(f"Please keep the note to {MAX_NOTE} characters; it has {len(text)}.")
    return text


def validate_support_message(raw: str) -> str:
    text = raw.strip()
    if not text:
        raise InvalidInput("The message cannot be empty; please type it.")
    if len(text) > MAX_SUPPORT_MESSAGE:
        raise InvalidInput(
            f"Please keep it to {MAX_SUPPORT_MESSAGE} characters; yours has {len(text)}."
        )
    return text


def split_amount(raw: str, agreed: Money) -> Money:
    """The part of the agreed amount the seller is paid: more than 0, less than all of it."""
    try:
        amount = parse_money(raw, agreed.currency)
    except InvalidInput:
        amount = None
    if amount is None or amount.minor >= agreed.minor:
        raise InvalidInput(
            f"Please send an amount between 0 and {agreed.format()}, for example "
            f"{Money(agreed.minor // 2, agreed.currency).format()}."
        )
    return amount
