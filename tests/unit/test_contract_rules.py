"""Who may deliver, approve, pay, cancel or extend a contract in each stage (table-driven),
the bill's rounding, proposals, new due dates and invoice payloads."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.billing import (
    bill,
    invoice_payload,
    invoice_possible,
    read_invoice_payload,
    validate_payment_note,
)
from domain.contracts import (
    ContractStep,
    Move,
    Proposal,
    Stage,
    StepKind,
    check,
    check_answer,
    new_due_date,
    open_proposal,
    stage_of,
    validate_change_note,
)
from domain.errors import InvalidInput, NotAllowed
from domain.lifecycle import Action, Actor, LeadStatus, next_status
from domain.money import Money
from domain.negotiation import Contract

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
BUYER, SELLER = 1, 2
B, S = Actor.BUYER, Actor.SELLER
CONTRACT = Contract(
    lead_id=10,
    thread_id=5,
    offer_id=7,
    buyer_id=BUYER,
    seller_id=SELLER,
    amount=Money(45_000, "USD"),
    days=7,
    started_at=NOW - timedelta(days=3),
    due_at=NOW + timedelta(days=4),
    id=3,
)
D, RC, AP, PAY = Move.DELIVER, Move.REQUEST_CHANGES, Move.APPROVE, Move.PAY
CX, EX, AE = Move.CANCEL, Move.EXTEND, Move.ANSWER_EXTENSION
PC, AC, DS = Move.PROPOSE_CANCELLATION, Move.ANSWER_CANCELLATION, Move.DISPUTE

# (stage, side) -> the moves allowed; every other move is refused with a sentence. Either
# side may open a dispute while the work is going on.
TABLE: list[tuple[Stage, Actor, set[Move]]] = [
    (Stage.IN_PROGRESS, B, {EX, PC, AC, DS}),
    (Stage.IN_PROGRESS, S, {D, AE, PC, AC, DS}),
    (Stage.OVERDUE, B, {CX, EX, PC, AC, DS}),  # cancelling alone only once the due date passed
    (Stage.OVERDUE, S, {D, AE, PC, AC, DS}),  # a late delivery is still a delivery
    (Stage.DELIVERED, B, {AP, RC, PC, AC, DS}),
    (Stage.DELIVERED, S, {PC, AC, DS}),
    (Stage.AWAITING_PAYMENT, B, {AP, PAY, PC, AC, DS}),  # approving again shows the bill again
    (Stage.AWAITING_PAYMENT, S, {PC, AC, DS}),
    (Stage.COMPLETED, B, set()),
    (Stage.COMPLETED, S, set()),
    (Stage.CANCELLED, B, set()),
    (Stage.CANCELLED, S, set()),
    (Stage.DISPUTED, B, set()),
    (Stage.DISPUTED, S, set()),
]


def test_the_table_covers_every_stage_and_side() -> None:
    assert {(stage, side) for stage, side, _ in TABLE} == {(s, a) for s in Stage for a in (B, S)}


@pytest.mark.parametrize(("stage", "side", "moves"), TABLE)
def test_contract_moves_follow_the_table(stage: Stage, side: Actor, moves: set[Move]) -> None:
    for move in Move:
        if move in moves:
            check(stage, side, move)
            continue
        with pytest.raises(NotAllowed) as caught:
            check(stage, side, move)
        assert caught.value.sentence.endswith("."), (stage, side, move)


@pytest.mark.parametrize(
    ("stage", "side", "move", "sentence"),
    [
        (Stage.IN_PROGRESS, B, D, "Only the hired seller can deliver"),
        (Stage.IN_PROGRESS, B, CX, "has not passed yet"),
        (Stage.OVERDUE, S, CX, "Only the buyer can cancel"),
        (Stage.IN_PROGRESS, S, EX, "Only the buyer can propose a new due date"),
        (Stage.DELIVERED, B, CX, "The work was delivered"),
        (Stage.DELIVERED, B, PAY, "approve the delivery first"),
        (Stage.DELIVERED, S, D, "delivered already"),
        (Stage.AWAITING_PAYMENT, B, RC, "approved this delivery already"),
        (Stage.IN_PROGRESS, B, AP, "Nothing has been delivered yet"),
        (Stage.DELIVERED, B, EX, "no due date to move"),
        (Stage.DELIVERED, S, AE, "no longer open"),
        (Stage.COMPLETED, B, PAY, "This lead is completed"),
        (Stage.CANCELLED, S, D, "This lead is cancelled"),
        (Stage.DISPUTED, B, CX, "in dispute"),
    ],
)
def test_refusals_say_why(stage: Stage, side: Actor, move: Move, sentence: str) -> None:
    with pytest.raises(NotAllowed, match=sentence):
        check(stage, side, move)


@pytest.mark.parametrize(
    ("status", "due_in", "approved", "stage"),
    [
        (LeadStatus.IN_PROGRESS, timedelta(days=1), False, Stage.IN_PROGRESS),
        (LeadStatus.IN_PROGRESS, timedelta(seconds=1), False, Stage.IN_PROGRESS),
        (LeadStatus.IN_PROGRESS, timedelta(0), False, Stage.OVERDUE),  # due now: passed
        (LeadStatus.IN_PROGRESS, -timedelta(days=2), False, Stage.OVERDUE),
        (LeadStatus.DELIVERED, -timedelta(days=2), False, Stage.DELIVERED),  # not overdue
        (LeadStatus.DELIVERED, timedelta(days=2), True, Stage.AWAITING_PAYMENT),
        (LeadStatus.COMPLETED, -timedelta(days=2), True, Stage.COMPLETED),
        (LeadStatus.CANCELLED, -timedelta(days=2), False, Stage.CANCELLED),
        (LeadStatus.DISPUTED, timedelta(days=2), False, Stage.DISPUTED),
    ],
)
def test_the_stage_adds_the_due_date_and_the_approval_to_the_status(
    status: LeadStatus, due_in: timedelta, approved: bool, stage: Stage
) -> None:
    contract = replace(CONTRACT, due_at=NOW + due_in, approved_at=NOW if approved else None)
    assert stage_of(status, contract, NOW) is stage


@pytest.mark.parametrize("status", [LeadStatus.DRAFT, LeadStatus.OPEN, LeadStatus.WITHDRAWN])
def test_a_lead_without_a_hire_has_no_contract_stage(status: LeadStatus) -> None:
    with pytest.raises(ValueError):
        stage_of(status, CONTRACT, NOW)


@pytest.mark.parametrize("actor", [B, S])
def test_either_side_may_end_a_contract_by_agreement(actor: Actor) -> None:
    for status in (LeadStatus.IN_PROGRESS, LeadStatus.DELIVERED):
        assert next_status(status, Action.CANCEL_BY_AGREEMENT, actor) is LeadStatus.CANCELLED
    with pytest.raises(NotAllowed):
        next_status(LeadStatus.COMPLETED, Action.CANCEL_BY_AGREEMENT, actor)
    with pytest.raises(NotAllowed):
        next_status(LeadStatus.IN_PROGRESS, Action.CANCEL, S)  # alone: the buyer only


# Proposals: open until a later step of their family answers or replaces them.


def step(kind: StepKind, actor: int, number: int, due: datetime | None = None) -> ContractStep:
    return ContractStep(CONTRACT.key, kind, NOW, actor, due_at=due, id=number)


LATER = NOW + timedelta(days=9)
EXT = step(StepKind.EXTENSION_PROPOSED, BUYER, 1, LATER)
EXT2 = step(StepKind.EXTENSION_PROPOSED, BUYER, 2, LATER + timedelta(days=1))
CAN = step(StepKind.CANCELLATION_PROPOSED, SELLER, 3)

PROPOSALS: list[tuple[list[ContractStep], Proposal, ContractStep | None]] = [
    ([], Proposal.EXTENSION, None),
    ([EXT], Proposal.EXTENSION, EXT),
    ([EXT, step(StepKind.EXTENSION_ACCEPTED, SELLER, 4, LATER)], Proposal.EXTENSION, None),
    ([EXT, step(StepKind.EXTENSION_DECLINED, SELLER, 4, LATER)], Proposal.EXTENSION, None),
    ([EXT, EXT2], Proposal.EXTENSION, EXT2),  # the newer one replaces it
    ([EXT, step(StepKind.DELIVERED, SELLER, 4)], Proposal.EXTENSION, None),  # delivered
    ([EXT, CAN], Proposal.EXTENSION, EXT),  # families are apart
    ([EXT, CAN], Proposal.CANCELLATION, CAN),
    ([CAN, step(StepKind.CANCELLATION_REFUSED, BUYER, 4)], Proposal.CANCELLATION, None),
    ([CAN, step(StepKind.DELIVERED, SELLER, 4)], Proposal.CANCELLATION, CAN),
]


@pytest.mark.parametrize(("steps", "kind", "open_one"), PROPOSALS)
def test_open_proposals(
    steps: list[ContractStep], kind: Proposal, open_one: ContractStep | None
) -> None:
    assert open_proposal(steps, kind) == open_one


def test_a_proposal_is_answered_by_the_other_side_while_open() -> None:
    assert check_answer(EXT, [EXT], SELLER) is Proposal.EXTENSION
    with pytest.raises(NotAllowed, match="your own proposal"):
        check_answer(EXT, [EXT], BUYER)
    with pytest.raises(NotAllowed, match="no longer open"):
        check_answer(EXT, [EXT, EXT2], SELLER)
    with pytest.raises(NotAllowed, match="no longer open"):
        check_answer(step(StepKind.DELIVERED, SELLER, 9), [EXT], BUYER)


# The bill: integer minor units, the fee rounded to the nearest one, halves up.


@pytest.mark.parametrize(
    ("minor", "percent", "fee"),
    [
        (45_000, 10, 4_500),
        (5, 10, 1),  # 0.5 of a cent rounds up
        (4, 10, 0),  # 0.4 of a cent rounds down
        (15, 10, 2),  # 1.5 -> 2
        (999, 2.5, 25),  # 24.975 -> 25
        (100, 0, 0),
        (100, 100, 100),
        (1, 33.3, 0),
    ],
)
def test_the_service_fee_is_rounded_to_whole_minor_units(
    minor: int, percent: float, fee: int
) -> None:
    billed = bill(Money(minor, "USD"), percent)
    assert billed.fee == Money(fee, "USD")
    assert billed.total == Money(minor + fee, "USD")


@given(
    st.integers(min_value=1, max_value=10**12),
    st.decimals(min_value=0, max_value=100, places=2),
)
def test_the_fee_stays_between_nothing_and_the_amount(minor: int, percent: Decimal) -> None:
    billed = bill(Money(minor, "JPY"), percent)
    assert 0 <= billed.fee.minor <= minor
    assert abs(Decimal(billed.fee.minor) - Decimal(minor) * percent / 100) <= Decimal("0.5")
    assert billed.total.minor == minor + billed.fee.minor and billed.total.currency == "JPY"


def test_invoice_payloads_name_the_contract_and_the_total() -> None:
    total = Money(49_500, "USD")
    payload = invoice_payload(CONTRACT, total)
    assert len(payload.encode()) <= 128
    assert read_invoice_payload(payload) == (CONTRACT.key, total)
    for forged in ["", "ct1:3:49500", "ct1:x:1:USD", "ct2:3:1:USD", "ct1:3:1:usd", payload + " "]:
        assert read_invoice_payload(forged) is None


# New due dates, typed in the buyer's time zone.


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("5", CONTRACT.due_at + timedelta(days=5)),
        ("+3", CONTRACT.due_at + timedelta(days=3)),
        ("7 days", CONTRACT.due_at + timedelta(days=7)),
        ("1 day", CONTRACT.due_at + timedelta(days=1)),
        ("2026-12-20", datetime(2026, 12, 20, 12, 0, tzinfo=UTC)),
        ("20 Dec", datetime(2026, 12, 20, 12, 0, tzinfo=UTC)),
        ("dec 20, 2026", datetime(2026, 12, 20, 12, 0, tzinfo=UTC)),
        ("  20   December  2026 ", datetime(2026, 12, 20, 12, 0, tzinfo=UTC)),
        ("3 Jan", datetime(2027, 1, 3, 12, 0, tzinfo=UTC)),  # the next 3 January
    ],
)
def test_new_due_dates_are_read(typed: str, expected: datetime) -> None:
    assert new_due_date(typed, CONTRACT, NOW, "UTC") == expected


def test_a_date_is_read_in_the_buyers_time_zone_at_the_due_dates_time_of_day() -> None:
    # Due 5 Dec 12:00 UTC is 21:00 in Tokyo; "20 Dec" there is 20 Dec 21:00 JST.
    due = new_due_date("20 Dec", CONTRACT, NOW, "Asia/Tokyo")
    assert due == datetime(2026, 12, 20, 12, 0, tzinfo=UTC)


def test_extra_days_count_from_today_once_the_due_date_has_passed() -> None:
    overdue = replace(CONTRACT, due_at=NOW - timedelta(days=10))
    assert new_due_date("2", overdue, NOW, "UTC") == NOW + timedelta(days=2)


@pytest.mark.parametrize(
    ("typed", "sentence"),
    [
        ("tomorrow-ish", "like 2026-12-20"),
        ("31 Feb", "like 2026-12-20"),
        ("2026-13-01", "like 2026-12-20"),
        ("0", "from 1 to 365"),
        ("400", "from 1 to 365"),
        ("2026-12-02", "after the current due date"),
        ("2026-11-30", "passed already"),
        ("2028-01-01", "within a year"),
    ],
)
def test_wrong_due_dates_get_a_sentence(typed: str, sentence: str) -> None:
    with pytest.raises(InvalidInput, match=sentence):
        new_due_date(typed, CONTRACT, NOW, "UTC")


def test_notes_are_checked() -> None:
    assert validate_change_note("  <b>bigger</b> logo ") == "<b>bigger</b> logo"
    with pytest.raises(InvalidInput, match="what should be changed"):
        validate_change_note("   ")
    with pytest.raises(InvalidInput, match="at most 1000"):
        validate_change_note("x" * 1001)
    assert validate_payment_note(" Wise,\n ref  8812 ") == "Wise, ref 8812"
    with pytest.raises(InvalidInput, match="200 characters"):
        validate_payment_note("x" * 201)


@pytest.mark.parametrize(
    ("total", "possible"),
    [
        (Money(99, "USD"), False),
        (Money(100, "USD"), True),
        (Money(1_000_000, "USD"), True),
        (Money(1_000_001, "USD"), False),  # above Telegram's about US$10,000
        (Money(5_000, "EUR"), True),
        (Money(5_000, "KWD"), False),  # a currency Telegram payments do not take
    ],
)
def test_an_invoice_only_for_totals_telegram_takes(total: Money, possible: bool) -> None:
    assert invoice_possible(total) is possible
