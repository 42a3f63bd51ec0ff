"""Money parsing and the lead lifecycle table."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.errors import InvalidInput, NotAllowed
from domain.lifecycle import TRANSITIONS, Action, Actor, LeadStatus, next_status
from domain.money import MAX_MAJOR_UNITS, Money, parse_money


@pytest.mark.parametrize(
    ("typed", "minor"),
    [
        ("500", 50_000),
        ("$1,200", 120_000),
        ("1200.50", 120_050),
        ("1 200 USD", 120_000),
        ("usd 75", 7_500),
        ("$ 300", 30_000),
        ("0.01", 1),
        ("1'000", 100_000),
    ],
)
def test_amounts_people_type_are_understood(typed: str, minor: int) -> None:
    assert parse_money(typed, "USD") == Money(minor, "USD")


@pytest.mark.parametrize(
    "typed",
    [
        "-5",
        "0",
        "0.00",
        "abc",
        "1e309",
        "NaN",
        "inf",
        "",
        "1,20",
        "12.345",
        "€5",
        "5 EUR",
        "1.2.3",
        "10000001",
        "--5",
        "+5",
    ],
)
def test_nonsense_amounts_are_refused_with_a_sentence(typed: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_money(typed, "USD")
    assert caught.value.sentence.endswith(".")


def test_currency_exponents_follow_iso() -> None:
    assert parse_money("1500", "JPY") == Money(1500, "JPY")
    with pytest.raises(InvalidInput, match="0 decimal places"):
        parse_money("15.5", "JPY")
    assert Money(120_050, "USD").format() == "1,200.50 USD"
    assert Money(1_500, "JPY").format() == "1,500 JPY"


@given(st.decimals(min_value=Decimal("0.01"), max_value=MAX_MAJOR_UNITS, places=2))
def test_formatted_amounts_parse_back(amount: Decimal) -> None:
    money = parse_money(f"{amount:,.2f}", "USD")
    assert money.minor == int(amount * 100)
    assert parse_money(money.format(), "USD") == money


@given(st.text(max_size=20))
def test_parser_never_crashes(text: str) -> None:
    try:
        money = parse_money(text, "USD")
    except InvalidInput:
        return
    assert 0 < money.minor <= MAX_MAJOR_UNITS * 100


CASES = [
    (LeadStatus.DRAFT, Action.PUBLISH, Actor.BUYER, LeadStatus.OPEN),
    (LeadStatus.OPEN, Action.WITHDRAW, Actor.BUYER, LeadStatus.WITHDRAWN),
    (LeadStatus.OPEN, Action.HIRE, Actor.BUYER, LeadStatus.IN_PROGRESS),
    (LeadStatus.IN_PROGRESS, Action.DELIVER, Actor.SELLER, LeadStatus.DELIVERED),
    (LeadStatus.DELIVERED, Action.REQUEST_CHANGES, Actor.BUYER, LeadStatus.IN_PROGRESS),
    (LeadStatus.DELIVERED, Action.CLOSE, Actor.BUYER, LeadStatus.COMPLETED),
    (LeadStatus.IN_PROGRESS, Action.CANCEL, Actor.BUYER, LeadStatus.CANCELLED),
    (LeadStatus.DELIVERED, Action.DISPUTE, Actor.SELLER, LeadStatus.DISPUTED),
    (LeadStatus.DISPUTED, Action.RESOLVE_COMPLETED, Actor.ADMIN, LeadStatus.COMPLETED),
    (LeadStatus.DISPUTED, Action.RESOLVE_CANCELLED, Actor.ADMIN, LeadStatus.CANCELLED),
]


@pytest.mark.parametrize(("source", "action", "actor", "target"), CASES)
def test_allowed_transitions(
    source: LeadStatus, action: Action, actor: Actor, target: LeadStatus
) -> None:
    assert next_status(source, action, actor) is target


def test_every_other_combination_is_refused_with_a_sentence() -> None:
    allowed = {(s, a, who) for s, a, who, _ in CASES}
    allowed |= {(s, a, who) for a, t in TRANSITIONS.items() for s in t.source for who in t.actors}
    for status in LeadStatus:
        for action in Action:
            for actor in Actor:
                if (status, action, actor) in allowed:
                    continue
                with pytest.raises(NotAllowed) as caught:
                    next_status(status, action, actor)
                assert caught.value.sentence.endswith(".")
