"""Threads, offers and contracts: who may offer, counter, accept, decline or withdraw."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from domain.errors import InvalidInput, NotAllowed
from domain.leads import Lead
from domain.model import User
from domain.money import Money
from domain.validation import clean_paragraphs

MIN_DAYS, MAX_DAYS = 1, 365
_DAYS = re.compile(r"[0-9]{1,3}")
MAX_NOTE = 1000


class OfferStatus(StrEnum):
    OPEN = "open"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    SUPERSEDED = "superseded"


class OfferAction(StrEnum):
    ACCEPT = "accept"
    DECLINE = "decline"
    COUNTER = "counter"
    WITHDRAW = "withdraw"


class Side(StrEnum):
    AUTHOR = "author"  # who made the offer
    COUNTERPARTY = "counterparty"  # the other side of the thread
    OUTSIDER = "outsider"  # anyone else


@dataclass
class Thread:
    """One buyer–seller conversation about one lead."""

    lead_id: int
    buyer_id: int
    seller_id: int
    created_at: datetime
    id: int | None = None
    buyer_read_up_to: int = 0
    seller_read_up_to: int = 0
    buyer_reminded: bool = False
    seller_reminded: bool = False

    def party(self, user_id: int) -> bool:
        return user_id in (self.buyer_id, self.seller_id)

    def other(self, user_id: int) -> int:
        return self.seller_id if user_id == self.buyer_id else self.buyer_id


@dataclass
class Offer:
    thread_id: int
    author_id: int
    amount: Money
    days: int
    created_at: datetime
    note: str | None = None
    status: OfferStatus = OfferStatus.OPEN
    decided_at: datetime | None = None
    id: int | None = None

    def side(self, user_id: int, thread: Thread) -> Side:
        if user_id == self.author_id:
            return Side.AUTHOR
        return Side.COUNTERPARTY if thread.party(user_id) else Side.OUTSIDER


@dataclass(frozen=True)
class Contract:
    lead_id: int
    thread_id: int
    offer_id: int
    buyer_id: int
    seller_id: int
    amount: Money
    days: int
    started_at: datetime
    due_at: datetime
    id: int | None = None
    # The latest delivery, the buyer's approval of it, and how the contract ended
    # (domain/contracts.py); ``version`` guards against two changes at once.
    delivered_at: datetime | None = None
    approved_at: datetime | None = None
    completed_at: datetime | None = None
    cancelled_at: datetime | None = None
    version: int = 0

    @property
    def key(self) -> int:
        """The database id of a stored contract (every loaded contract has one)."""
        assert self.id is not None, "the contract is not stored yet"
        return self.id


# Who may do what with an offer: (status, latest?, side) -> allowed actions.
# Only the latest open offer can be answered; its author can only withdraw it.
RULES: dict[tuple[OfferStatus, bool, Side], frozenset[OfferAction]] = {
    (OfferStatus.OPEN, True, Side.COUNTERPARTY): frozenset(
        {OfferAction.ACCEPT, OfferAction.DECLINE, OfferAction.COUNTER}
    ),
    (OfferStatus.OPEN, True, Side.AUTHOR): frozenset({OfferAction.WITHDRAW}),
}

_REFUSALS = {
    OfferStatus.ACCEPTED: "This offer was already accepted.",
    OfferStatus.DECLINED: "This offer was declined.",
    OfferStatus.WITHDRAWN: "This offer was withdrawn.",
    OfferStatus.SUPERSEDED: "This offer lapsed: the lead is no longer open.",
}
_REPLACED = "A newer offer replaced this one."


def check(offer: Offer, latest: bool, user_id: int, thread: Thread, action: OfferAction) -> None:
    """Raises NotAllowed with a sentence unless ``user_id`` may do ``action`` now."""
    side = offer.side(user_id, thread)
    if side is Side.OUTSIDER:
        raise NotAllowed("This offer is not yours to answer.")
    if not latest:
        raise NotAllowed(_REPLACED)
    if offer.status is not OfferStatus.OPEN:
        raise NotAllowed(_REFUSALS[offer.status])
    if action not in RULES.get((offer.status, latest, side), frozenset()):
        if side is Side.AUTHOR:
            raise NotAllowed("This is your own offer; the other side answers it.")
        raise NotAllowed("Only the author of an offer can withdraw it.")


def validate_days(raw: str) -> int:
    """A whole number of days ("7", "7 days"); digits are ASCII only ("²" is no number)."""
    text = raw.strip().lower().removesuffix("days").removesuffix("day").strip()
    if not _DAYS.fullmatch(text) or not MIN_DAYS <= int(text) <= MAX_DAYS:
        raise InvalidInput(f"Please send a whole number of days from {MIN_DAYS} to {MAX_DAYS}.")
    return int(text)


def validate_note(raw: str) -> str:
    return clean_paragraphs(
        raw,
        what="note",
        limit=MAX_NOTE,
        if_empty="The note cannot be empty; send it again or tap Skip.",
    )


def due_date(started_at: datetime, days: int) -> datetime:
    return started_at + timedelta(days=days)


@dataclass
class OfferDraft:
    """An offer being written, one per user; kept in the database between questions."""

    thread_id: int
    currency: str
    amount: Money | None = None
    days: int | None = None
    note: str | None = None


@dataclass(frozen=True)
class Deal:
    """An offer with everything around it: the lead, the thread and both sides."""

    lead: Lead
    thread: Thread
    offer: Offer
    author: User
    recipient: User
