"""Reviews: who may review what and until when (table-driven), and how stars add up
(hypothesis: averages stay within 1–5, counts add up, one review per side per lead)."""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any, cast

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain import review_cases
from domain.errors import DomainError, InvalidInput, NotAllowed, NotFound
from domain.events import Event, LeadCompleted, ReviewCommented, ReviewGiven, ReviewsOpened
from domain.leads import Lead
from domain.lifecycle import LeadStatus
from domain.model import Role, SignupStage, User
from domain.money import Money
from domain.negotiation import Contract
from domain.ports import UnitOfWork
from domain.review_cases import Comment, OpenReview, Rate, SubmitReview
from domain.reviews import (
    AS_BUYER,
    EDITABLE_FOR,
    FINAL,
    Reputation,
    Review,
    ReviewSide,
    StarTally,
    aspects,
    star_tallies,
    tally,
)

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
SKILLS = ["Python", "Django", "Figma"]


def lead(lead_id: int = 1, skills: list[str] | None = None) -> Lead:
    return Lead(
        buyer_id=1,
        created_at=NOW,
        id=lead_id,
        title="Shop",
        skills=list(SKILLS if skills is None else skills),
        budget=Money(100_000, "USD"),
        status=LeadStatus.COMPLETED,
    )


def draft(side: ReviewSide = ReviewSide.BUYER) -> Review:
    return Review(1, side, 1 if side is ReviewSide.BUYER else 2, 2, created_at=NOW)


# -- the rules of one review, table-driven --------------------------------------------------

# (how long ago it was submitted, or None for a draft) -> may it still change?
WINDOW = [
    (None, True),
    (timedelta(0), True),
    (timedelta(hours=47, minutes=59), True),
    (EDITABLE_FOR, False),
    (timedelta(days=30), False),
]


@pytest.mark.parametrize(("ago", "editable"), WINDOW)
def test_a_review_changes_for_48_hours_after_it_is_given(
    ago: timedelta | None, editable: bool
) -> None:
    review = draft()
    review.stars = {skill: 4 for skill in SKILLS}
    if ago is not None:
        review.submitted_at = NOW - ago
    assert review.editable(NOW) is editable
    if editable:
        review.rate("Python", 5, NOW)
        review.submit(tuple(SKILLS), NOW)
        review.write_comment("Great", NOW)
        assert review.stars["Python"] == 5 and review.comment == "Great"
        return
    for change in (
        lambda: review.rate("Python", 5, NOW),
        lambda: review.submit(tuple(SKILLS), NOW),
        lambda: review.write_comment("Great", NOW),
    ):
        with pytest.raises(NotAllowed) as refused:
            change()
        assert refused.value.sentence == FINAL
    assert review.stars["Python"] == 4 and review.comment is None


@pytest.mark.parametrize(
    ("side", "stars", "refusal"),
    [
        (ReviewSide.BUYER, {}, "Please rate every skill first: Python, Django, Figma."),
        (ReviewSide.BUYER, {"Python": 5}, "Please rate every skill first: Django, Figma."),
        (ReviewSide.SELLER, {}, "Please tap 1 to 5 stars first."),
    ],
)
def test_submitting_needs_every_row_rated(
    side: ReviewSide, stars: dict[str, int], refusal: str
) -> None:
    review = draft(side)
    review.stars = dict(stars)
    with pytest.raises(InvalidInput) as refused:
        review.submit(aspects(lead(), side), NOW)
    assert refused.value.sentence == refusal and review.submitted_at is None


def test_submitting_twice_keeps_the_first_time_and_comments_follow_the_stars() -> None:
    review = draft(ReviewSide.SELLER)
    with pytest.raises(NotAllowed, match="Submit the stars first"):
        review.write_comment("Nice buyer", NOW)
    review.rate(AS_BUYER, 4, NOW)
    assert review.submit((AS_BUYER,), NOW) is True
    assert review.submit((AS_BUYER,), NOW + timedelta(hours=1)) is False
    assert review.submitted_at == NOW and review.final_at == NOW + EDITABLE_FOR
    review.write_comment("  Paid on time  ", NOW)
    assert review.comment == "Paid on time"
    for bad in ("   ", "x" * 1001):
        with pytest.raises(InvalidInput):
            review.write_comment(bad, NOW)
    review.write_comment(None, NOW)
    assert review.comment is None


@pytest.mark.parametrize("stars", [0, 6, -1, 100])
def test_stars_go_from_one_to_five(stars: int) -> None:
    with pytest.raises(InvalidInput, match="Stars go from 1 to 5"):
        draft().rate("Python", stars, NOW)


def test_what_each_side_rates() -> None:
    assert aspects(lead(), ReviewSide.BUYER) == ("Python", "Django", "Figma")
    assert aspects(lead(), ReviewSide.SELLER) == (AS_BUYER,)


@pytest.mark.parametrize(
    ("stars", "average"),
    [
        ([5], "5.0"),
        ([4, 5], "4.5"),
        ([4, 4, 4, 5], "4.3"),  # 4.25: half up, not to even
        ([1, 1, 1, 2], "1.3"),
        ([4, 4, 5], "4.3"),
        ([1, 2, 2], "1.7"),
    ],
)
def test_averages_show_one_decimal_rounded_half_up(stars: list[int], average: str) -> None:
    assert tally(stars).average == average
    assert StarTally().average is None and StarTally().tenths is None


def test_a_reputation_finds_a_skill_however_it_is_spelled() -> None:
    reputation = Reputation({"Python": StarTally(9, 2), "Django": StarTally(4, 1)}, completed=2)
    assert reputation.of("PYTHON ") == StarTally(9, 2)
    assert reputation.in_skills(["python", "django", "Go"]) == StarTally(13, 3)
    assert reputation.overall == StarTally(13, 3)
    assert reputation.rated() == ["Python", "Django"]


# -- how stars add up (hypothesis) ------------------------------------------------------------

some_stars = st.lists(st.integers(1, 5), min_size=1, max_size=200)


@given(some_stars)
def test_an_average_stays_within_one_and_five_and_near_the_mean(stars: list[int]) -> None:
    counted = tally(stars)
    assert counted.count == len(stars) and counted.total == sum(stars)
    assert counted.tenths is not None and 10 <= counted.tenths <= 50
    assert counted.average is not None and 1.0 <= float(counted.average) <= 5.0
    assert abs(float(counted.average) - sum(stars) / len(stars)) <= 0.05 + 1e-9


@given(st.lists(some_stars, min_size=1, max_size=10))
def test_tallies_add_up_like_the_stars_they_count(groups: list[list[int]]) -> None:
    together = sum((tally(group) for group in groups), StarTally())
    assert together == tally([stars for group in groups for stars in group])
    assert together.count == sum(len(group) for group in groups)


submitted_or_not = st.one_of(st.none(), st.just(NOW))
a_review = st.builds(
    lambda subject, stars, submitted: Review(
        1, ReviewSide.BUYER, 99, subject, NOW, stars=stars, submitted_at=submitted
    ),
    st.integers(1, 4),
    st.dictionaries(st.sampled_from(SKILLS), st.integers(1, 5), min_size=1),
    submitted_or_not,
)


@given(st.lists(a_review, max_size=40))
def test_every_submitted_star_is_counted_once_and_drafts_never(reviews: list[Review]) -> None:
    tallies = star_tallies(reviews)
    submitted = [review for review in reviews if review.submitted]
    assert sum(t.count for mine in tallies.values() for t in mine.values()) == sum(
        len(review.stars) for review in submitted
    )
    for subject, mine in tallies.items():
        for skill, counted in mine.items():
            assert counted == tally(
                r.stars[skill] for r in submitted if r.subject_id == subject and skill in r.stars
            )
            assert counted.average is not None and 1.0 <= float(counted.average) <= 5.0


# -- one review per side per lead, through the use cases (hypothesis) -------------------------

BUYER, SELLER, STRANGER = 1, 2, 3


@dataclass
class Market:
    """What the use cases read and write, in memory."""

    users: dict[int, User]
    leads: dict[int, Lead]
    contracts: dict[int, Contract]
    reviews: list[Review] = field(default_factory=list)


class _Users:
    def __init__(self, market: Market) -> None:
        self._market = market

    async def get(self, user_id: int) -> User | None:
        return copy.deepcopy(self._market.users.get(user_id))

    async def get_many(self, user_ids: Collection[int]) -> dict[int, User]:
        return {i: copy.deepcopy(self._market.users[i]) for i in user_ids}


class _Leads:
    def __init__(self, market: Market) -> None:
        self._market = market

    async def get(self, lead_id: int) -> Lead | None:
        return copy.deepcopy(self._market.leads.get(lead_id))


class _Threads:
    def __init__(self, market: Market) -> None:
        self._market = market

    async def contract_of_lead(self, lead_id: int) -> Contract | None:
        return self._market.contracts.get(lead_id)


class _Reviews:
    """Keeps the port's promise as storage does (its unique key): one review per side."""

    def __init__(self, market: Market) -> None:
        self._market = market

    async def get(self, lead_id: int, author_id: int) -> Review | None:
        found = [
            r for r in self._market.reviews if (r.lead_id, r.author_id) == (lead_id, author_id)
        ]
        return copy.deepcopy(found[0]) if found else None

    async def open(self, review: Review) -> Review:
        key = (review.lead_id, review.side)
        found = [r for r in self._market.reviews if (r.lead_id, r.side) == key]
        if not found:
            found = [replace(review, id=len(self._market.reviews) + 1, stars={})]
            self._market.reviews.append(found[0])
        return copy.deepcopy(found[0])

    async def save(self, review: Review, now: datetime) -> None:
        reviews = self._market.reviews
        reviews[:] = [copy.deepcopy(review) if r.id == review.id else r for r in reviews]


@dataclass
class MarketUnitOfWork:
    market: Market
    events: list[Event] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.users = _Users(self.market)
        self.leads = _Leads(self.market)
        self.threads = _Threads(self.market)
        self.reviews = _Reviews(self.market)

    def record(self, event: Event) -> None:
        self.events.append(event)

    def collect_events(self) -> list[Event]:
        events, self.events = self.events, []
        return events


def person(user_id: int) -> User:
    return User(
        telegram_id=user_id,
        first_name=f"U{user_id}",
        created_at=NOW,
        id=user_id,
        roles={Role.BUYER, Role.SELLER},
        signup_stage=SignupStage.DONE,
    )


def market(leads: int) -> Market:
    users = {i: person(i) for i in (BUYER, SELLER, STRANGER)}
    completed = {i: lead(i, SKILLS[: 1 + i % 3]) for i in range(1, leads + 1)}
    contracts = {
        i: Contract(i, i, i, BUYER, SELLER, Money(100_000, "USD"), 7, NOW, NOW) for i in completed
    }
    return Market(users, completed, contracts)


action = st.tuples(
    st.sampled_from(["open", "rate", "submit", "comment"]),
    st.integers(1, 3),  # the lead
    st.sampled_from([BUYER, SELLER, STRANGER]),
    st.integers(0, 3),  # the row (3 is never one)
    st.integers(0, 6),  # stars (0 and 6 are refused)
    st.integers(0, 80),  # hours after completion
)


async def play(actions: list[tuple[str, int, int, int, int, int]]) -> tuple[Market, list[Event]]:
    world = market(leads=3)
    uow = MarketUnitOfWork(world)
    events: list[Event] = []
    for kind, lead_id, who, row, stars, hours in sorted(actions, key=lambda a: a[-1]):
        me = world.users[who]
        now = NOW + timedelta(hours=hours)
        command: Any = {
            "open": OpenReview(lead_id),
            "rate": Rate(lead_id, row, stars),
            "submit": SubmitReview(lead_id),
            "comment": Comment(lead_id, "Thanks"),
        }[kind]
        use_case: Any = {
            "open": review_cases.open_review,
            "rate": review_cases.rate,
            "submit": review_cases.submit,
            "comment": review_cases.comment,
        }[kind]
        before = copy.deepcopy(world.reviews)
        try:
            await use_case(cast(UnitOfWork, uow), me, command, now)
        except NotFound:
            assert who == STRANGER
            world.reviews = before
        except DomainError:
            world.reviews = before  # the turn rolls back
        events += uow.collect_events()
    return world, events


@settings(max_examples=150, deadline=None)
@given(st.lists(action, max_size=40))
def test_one_review_per_side_per_lead_whatever_anyone_taps(
    actions: list[tuple[str, int, int, int, int, int]],
) -> None:
    world, events = asyncio.run(play(actions))
    sides = [(review.lead_id, review.side) for review in world.reviews]
    assert len(sides) == len(set(sides))
    for review in world.reviews:
        contract = world.contracts[review.lead_id]
        author, subject = (
            (contract.buyer_id, contract.seller_id)
            if review.side is ReviewSide.BUYER
            else (contract.seller_id, contract.buyer_id)
        )
        assert (review.author_id, review.subject_id) == (author, subject)
        rated = aspects(world.leads[review.lead_id], review.side)
        assert set(review.stars) <= set(rated)
        assert all(1 <= stars <= 5 for stars in review.stars.values())
        if review.submitted:
            assert set(review.stars) == set(rated)
    firsts = [e for e in events if isinstance(e, ReviewGiven) and e.first]
    assert len(firsts) == len([r for r in world.reviews if r.submitted])
    assert all(isinstance(e, ReviewGiven | ReviewCommented) for e in events)
    for mine in star_tallies(world.reviews).values():
        for counted in mine.values():
            assert counted.average is not None and 1.0 <= float(counted.average) <= 5.0


def test_a_completed_lead_opens_both_reviews_once() -> None:
    world = market(leads=1)
    uow = MarketUnitOfWork(world)
    completed = LeadCompleted(world.leads[1], world.contracts[1])

    async def complete_twice() -> None:
        for _ in range(2):
            await review_cases.open_reviews(cast(UnitOfWork, uow), completed, NOW)

    asyncio.run(complete_twice())
    [opened, again] = uow.collect_events()
    assert isinstance(opened, ReviewsOpened) and opened == again
    assert opened.by_buyer.subject.id == SELLER and opened.by_seller.subject.id == BUYER
    assert opened.by_buyer.aspects == ("Python", "Django")
    assert opened.by_seller.aspects == (AS_BUYER,)
    assert [(r.lead_id, r.side, r.author_id) for r in world.reviews] == [
        (1, ReviewSide.BUYER, BUYER),
        (1, ReviewSide.SELLER, SELLER),
    ]
