"""The audit log: who did what to which object, when, and why.

Entries are written for every move of a lead through its lifecycle (the lead records
them as it moves, and they are stored with it), for disputes opened and resolved, and for
what administrators do. They are never changed or deleted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from domain.model import User

LATEST = 20  # how many entries a reader is shown unless it asks for another number


class Subject(StrEnum):
    LEAD = "lead"
    USER = "user"


@dataclass(frozen=True)
class Who:
    """Who acted: a user (their id and Telegram id), an administrator who may have no
    account (a Telegram id alone), or the system (neither)."""

    user_id: int | None = None
    telegram_id: int | None = None

    @classmethod
    def of(cls, user: User) -> Who:
        return cls(user.id, user.telegram_id)


SYSTEM = Who()


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    action: str  # "lead.hire", "dispute.opened", "admin.message_buyer" …
    subject: Subject
    subject_id: int
    who: Who = SYSTEM
    detail: str | None = None
    id: int | None = None
