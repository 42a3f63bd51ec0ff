"""Abuse limits: how often one user may publish, bid, relay and write to Contact Us.

Each limit is counted from what the database already holds (published leads, offers,
relayed messages, Contact Us messages) over a sliding window, so a restart never resets
it. Over the limit, a use case raises ``LimitReached`` with one sentence saying when, in
the user's time zone, they may do it again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from enum import StrEnum
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from domain.errors import LimitReached
from domain.model import User

if TYPE_CHECKING:
    from domain.ports import UnitOfWork


class Usage(StrEnum):
    """Something counted against a limit."""

    LEAD_PUBLISHED = "lead_published"  # leads the buyer published
    BID = "bid"  # offers the seller made on leads (as the thread's seller)
    MESSAGE_RELAYED = "message_relayed"  # messages the user sent in threads (not edits)
    CONTACT_MESSAGE = "contact_message"  # messages the user wrote to Contact Us


WINDOWS: dict[Usage, timedelta] = {
    Usage.LEAD_PUBLISHED: timedelta(days=1),
    Usage.BID: timedelta(hours=1),
    Usage.MESSAGE_RELAYED: timedelta(minutes=1),
    Usage.CONTACT_MESSAGE: timedelta(days=1),
}
DOING: dict[Usage, str] = {
    Usage.LEAD_PUBLISHED: "You have published as many leads as a day allows",
    Usage.BID: "You have made as many bids as an hour allows",
    Usage.MESSAGE_RELAYED: "You are sending messages too fast",
    Usage.CONTACT_MESSAGE: "You have written to us as often as a day allows",
}
AGAIN: dict[Usage, str] = {
    Usage.LEAD_PUBLISHED: "publish again",
    Usage.BID: "bid again",
    Usage.MESSAGE_RELAYED: "send messages again",
    Usage.CONTACT_MESSAGE: "write to us again",
}


@dataclass(frozen=True)
class Limits:
    """How many of each a user may do in its window; None is no limit."""

    leads_per_day: int | None = None
    bids_per_hour: int | None = None
    messages_per_minute: int | None = None
    contact_messages_per_day: int | None = None

    def of(self, usage: Usage) -> int | None:
        return {
            Usage.LEAD_PUBLISHED: self.leads_per_day,
            Usage.BID: self.bids_per_hour,
            Usage.MESSAGE_RELAYED: self.messages_per_minute,
            Usage.CONTACT_MESSAGE: self.contact_messages_per_day,
        }[usage]


def resets_at(recent: list[datetime], limit: int, window: timedelta) -> datetime | None:
    """When one more is allowed, given the times of the latest uses (newest first, at least
    ``limit`` of them if there are that many in the window); None if one is allowed now."""
    if len(recent) < limit:
        return None
    # Once the limit-th newest use leaves the window, fewer than ``limit`` are in it.
    return recent[limit - 1] + window


def _zone(name: str) -> tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def when(moment: datetime, now: datetime, timezone: str) -> str:
    """ "at 14:05" today in the user's time zone, else "on 2 Dec at 14:05"."""
    zone = _zone(timezone)
    local, today = moment.astimezone(zone), now.astimezone(zone)
    # Round up: "at 14:05" must not be a minute too early.
    if local.second or local.microsecond:
        local = local.replace(second=0, microsecond=0) + timedelta(minutes=1)
    if local.date() == today.date():
        return f"at {local:%H:%M}"
    return f"on {local.day} {local:%b} at {local:%H:%M}"


def sentence(usage: Usage, moment: datetime, now: datetime, timezone: str) -> str:
    """ "You have made as many bids as an hour allows. You can bid again at 14:05." """
    return f"{DOING[usage]}. You can {AGAIN[usage]} {when(moment, now, timezone)}."


async def ensure_within(uow: UnitOfWork, user: User, usage: Usage, now: datetime) -> None:
    """Refuses (``LimitReached``) a use that would go over the user's limit for ``usage``."""
    limit = uow.limits.of(usage)
    if limit is None:
        return
    window = WINDOWS[usage]
    recent = await uow.usage.recent(usage, user.key, now - window, now, limit)
    moment = resets_at(recent, limit, window)
    if moment is not None:
        raise LimitReached(sentence(usage, moment, now, user.profile.timezone), moment)
