"""Who may accept, counter, decline or withdraw an offer, in each state (table-driven)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from domain.errors import InvalidInput, NotAllowed
from domain.money import Money
from domain.negotiation import (
    Offer,
    OfferAction,
    OfferStatus,
    Thread,
    check,
    validate_days,
    validate_note,
)

NOW = datetime(2026, 11, 26, tzinfo=UTC)
BUYER, SELLER, STRANGER = 1, 2, 3
THREAD = Thread(lead_id=10, buyer_id=BUYER, seller_id=SELLER, created_at=NOW, id=5)
A, C, D, W = OfferAction.ACCEPT, OfferAction.COUNTER, OfferAction.DECLINE, OfferAction.WITHDRAW

# (offer status, latest?, who asks) -> actions allowed; every other action is refused.
TABLE: list[tuple[OfferStatus, bool, int, set[OfferAction]]] = [
    (OfferStatus.OPEN, True, BUYER, {A, C, D}),  # the seller's bid, answered by the buyer
    (OfferStatus.OPEN, True, SELLER, {W}),  # the seller's own bid
    (OfferStatus.OPEN, True, STRANGER, set()),
    (OfferStatus.OPEN, False, BUYER, set()),  # an older offer: superseded
    (OfferStatus.OPEN, False, SELLER, set()),
    (OfferStatus.SUPERSEDED, False, BUYER, set()),
    (OfferStatus.ACCEPTED, True, BUYER, set()),
    (OfferStatus.ACCEPTED, True, SELLER, set()),
    (OfferStatus.DECLINED, True, BUYER, set()),
    (OfferStatus.DECLINED, True, SELLER, set()),
    (OfferStatus.WITHDRAWN, True, BUYER, set()),
    (OfferStatus.WITHDRAWN, True, SELLER, set()),
]


def seller_bid(status: OfferStatus) -> Offer:
    return Offer(THREAD.id or 0, SELLER, Money(45_000, "USD"), 7, NOW, status=status, id=9)


@pytest.mark.parametrize(("status", "latest", "who", "allowed"), TABLE)
def test_offer_actions_follow_the_table(
    status: OfferStatus, latest: bool, who: int, allowed: set[OfferAction]
) -> None:
    offer = seller_bid(status)
    for action in OfferAction:
        if action in allowed:
            check(offer, latest, who, THREAD, action)
        else:
            with pytest.raises(NotAllowed) as caught:
                check(offer, latest, who, THREAD, action)
            assert caught.value.sentence.endswith(".")


def test_a_buyers_counter_is_answered_by_the_seller() -> None:
    counter = Offer(THREAD.id or 0, BUYER, Money(40_000, "USD"), 10, NOW, id=11)
    check(counter, True, SELLER, THREAD, OfferAction.ACCEPT)
    with pytest.raises(NotAllowed, match="your own offer"):
        check(counter, True, BUYER, THREAD, OfferAction.ACCEPT)


@pytest.mark.parametrize(
    ("status", "sentence"),
    [
        (OfferStatus.SUPERSEDED, "lapsed: the lead is no longer open"),
        (OfferStatus.ACCEPTED, "already accepted"),
        (OfferStatus.DECLINED, "declined"),
        (OfferStatus.WITHDRAWN, "withdrawn"),
    ],
)
def test_closed_offers_say_why(status: OfferStatus, sentence: str) -> None:
    with pytest.raises(NotAllowed, match=sentence):
        check(seller_bid(status), True, BUYER, THREAD, OfferAction.ACCEPT)


def test_an_older_offer_says_a_newer_one_replaced_it() -> None:
    for status in OfferStatus:
        with pytest.raises(NotAllowed, match="A newer offer replaced this one"):
            check(seller_bid(status), False, BUYER, THREAD, OfferAction.ACCEPT)


@pytest.mark.parametrize(
    ("typed", "days"), [("7", 7), (" 30 days", 30), ("1 day", 1), ("365", 365)]
)
def test_days_are_read(typed: str, days: int) -> None:
    assert validate_days(typed) == days


@pytest.mark.parametrize("typed", ["0", "366", "-3", "seven", "2.5", ""])
def test_bad_days_are_refused(typed: str) -> None:
    with pytest.raises(InvalidInput, match="1 to 365"):
        validate_days(typed)


def test_notes_have_a_limit() -> None:
    assert validate_note("  <b>fast</b> & clean ") == "<b>fast</b> & clean"
    with pytest.raises(InvalidInput, match="at most 1000"):
        validate_note("n" * 1001)
