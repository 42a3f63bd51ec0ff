"""Nudges: reminders the bot derives from the state of the marketplace, each sent once.

A nudge is due when its *anchor* (a contract's due date, an offer's time, a lead's
publishing, a confirmation link's sending …) lies far enough in the past (``lag``), and it
is sent only while its reason holds (the lead still in progress, the offer still open …).
Each kind is one query in storage and one renderer in ``handlers/nudges``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class NudgeKind(StrEnum):
    DEADLINE_NEAR = "deadline_near"  # seller and buyer, before a contract's due date
    DEADLINE_PASSED = "deadline_passed"  # buyer, when the due date passed without a delivery
    DELIVERY_WAITING = "delivery_waiting"  # buyer, a delivery not yet approved
    REVIEW_PENDING = "review_pending"  # both sides of a completed lead, no review yet
    OFFER_UNANSWERED = "offer_unanswered"  # the side that must answer an open offer
    LEAD_WITHOUT_BIDS = "lead_no_bids"  # buyer of an open lead nobody has bid on
    EMAIL_UNCONFIRMED = "email_unconfirmed"  # a signup's confirmation link not opened


# What users may mute in /settings. Nudges about a contract under way cannot be muted:
# someone is waiting on the recipient, and missing them costs money (an unpaid delivery, a
# cancelled contract). The email reminder goes to people still signing up, who have no
# settings yet: without a confirmed address they cannot use Leadline at all.
MUTABLE = (NudgeKind.OFFER_UNANSWERED, NudgeKind.LEAD_WITHOUT_BIDS, NudgeKind.REVIEW_PENDING)
ESSENTIAL = frozenset(NudgeKind) - frozenset(MUTABLE)
# Reminders only a buyer ever gets: a seller-only account is not offered to mute them.
BUYERS_ONLY = frozenset({NudgeKind.LEAD_WITHOUT_BIDS})


def mutable_for(is_buyer: bool) -> tuple[NudgeKind, ...]:
    """The reminders someone may mute that can ever reach them."""
    return tuple(kind for kind in MUTABLE if is_buyer or kind not in BUYERS_ONLY)


# Each sweep claims at most this many nudges of a kind, oldest anchor first, so that a sweep
# stays short however far behind it is (the first sweep ever, a long stop); the rest follow
# in the next sweeps. With the default 60 s that is up to 350 bulk messages a minute (seven
# kinds), well within what Telegram lets a bot send besides its replies.
CLAIM_LIMIT = 50
# A sweep looks this far behind where the last one stopped: an update's transaction that
# wrote an anchor just before the last sweep but committed after it is not missed. Nudges
# already claimed in that overlap are skipped by their unique key.
OVERLAP = timedelta(minutes=5)


@dataclass(frozen=True)
class NudgeTimings:
    """The ``[nudges]`` durations of the configuration."""

    deadline_warning_before: timedelta = timedelta(hours=24)
    delivery_approval_after: timedelta = timedelta(hours=48)
    review_reminder_after: timedelta = timedelta(hours=24)
    offer_reminder_after: timedelta = timedelta(hours=48)
    stale_lead_after: timedelta = timedelta(days=7)
    email_reminder_after: timedelta = timedelta(hours=24)

    def lag(self, kind: NudgeKind) -> timedelta:
        """How long after its anchor a nudge of ``kind`` is due (negative: before it)."""
        return {
            NudgeKind.DEADLINE_NEAR: -self.deadline_warning_before,
            NudgeKind.DEADLINE_PASSED: timedelta(0),
            NudgeKind.DELIVERY_WAITING: self.delivery_approval_after,
            NudgeKind.REVIEW_PENDING: self.review_reminder_after,
            NudgeKind.OFFER_UNANSWERED: self.offer_reminder_after,
            NudgeKind.LEAD_WITHOUT_BIDS: self.stale_lead_after,
            NudgeKind.EMAIL_UNCONFIRMED: self.email_reminder_after,
        }[kind]


@dataclass(frozen=True)
class Window:
    """The anchors one sweep looks at for one kind: after ``since`` (None: from the
    beginning) up to ``until``, which is ``now - lag``."""

    kind: NudgeKind
    since: datetime | None
    until: datetime
    now: datetime
    lag: timedelta


def window(
    kind: NudgeKind, swept_until: datetime | None, timings: NudgeTimings, now: datetime
) -> Window:
    """The window of this sweep, starting a little before where the last one stopped."""
    lag = timings.lag(kind)
    since = None if swept_until is None else swept_until - OVERLAP
    return Window(kind, since, now - lag, now, lag)


@dataclass(frozen=True)
class Claim:
    """A nudge the sweep just claimed: its row is written, its reason held."""

    id: int
    anchor_at: datetime


@dataclass(frozen=True)
class Person:
    """Someone a nudge is sent to or names: enough to address them and say the time."""

    id: int
    telegram_id: int
    name: str
    timezone: str = "UTC"
    email: str | None = None


@dataclass(frozen=True)
class LeadRef:
    """The lead a nudge is about, as its message names it."""

    id: int
    title: str
    buyer_id: int


@dataclass(frozen=True)
class Nudge:
    """A claimed nudge with what its message names (read in one query for a whole sweep:
    a sweep after a long stop names hundreds of people and leads)."""

    id: int
    kind: NudgeKind
    subject_id: int  # the contract, offer, lead or confirmation link it is about
    recipient: Person
    anchor_at: datetime
    lead: LeadRef | None = None
    thread_id: int | None = None  # the conversation it concerns, if any
    other: Person | None = None  # the other side (the seller, the bidder …), if any

    @property
    def to_buyer(self) -> bool:
        """Whether the recipient is the buyer of the lead it is about."""
        return self.lead is not None and self.lead.buyer_id == self.recipient.id
