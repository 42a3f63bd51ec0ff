"""Reviews after a lead is completed, and how stars add up.

The buyer gives the hired seller 1–5 stars in each skill of the lead; the seller may give
the buyer one 1–5 rating. Each side writes at most one review per lead. A review is a draft
until it is submitted, can be changed for 48 hours after that, and is final afterwards.
Only submitted reviews count.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from domain.errors import InvalidInput, NotAllowed
from domain.leads import Lead
from domain.model import User
from domain.skills import skill_key
from domain.validation import clean_paragraphs

MIN_STARS, MAX_STARS = 1, 5
EDITABLE_FOR = timedelta(hours=48)
MAX_COMMENT = 1000
# What a seller rates: the buyer, as one thing.
AS_BUYER = "as a buyer"
FINAL = "This review is final: a review can be changed only in the 48 hours after it is given."


class ReviewSide(StrEnum):
    """Who wrote the review: the buyer (stars per skill for the seller) or the seller (one
    rating of the buyer)."""

    BUYER = "buyer"
    SELLER = "seller"


def aspects(lead: Lead, side: ReviewSide) -> tuple[str, ...]:
    """What a review rates, in the order its rows are shown: the lead's skills, or the buyer."""
    return tuple(lead.skills) if side is ReviewSide.BUYER else (AS_BUYER,)


def validate_stars(value: int) -> int:
    if not MIN_STARS <= value <= MAX_STARS:
        raise InvalidInput(f"Stars go from {MIN_STARS} to {MAX_STARS}.")
    return value


def validate_comment(raw: str) -> str:
    return clean_paragraphs(
        raw,
        what="comment",
        limit=MAX_COMMENT,
        if_empty="The comment cannot be empty; send it again or tap Skip.",
    )


@dataclass
class Review:
    """One side's review of the other on one completed lead."""

    lead_id: int
    side: ReviewSide
    author_id: int
    subject_id: int
    created_at: datetime
    # Stars by aspect: by skill (the buyer's review) or under AS_BUYER (the seller's).
    stars: dict[str, int] = field(default_factory=dict)
    comment: str | None = None
    submitted_at: datetime | None = None
    id: int | None = None

    @property
    def submitted(self) -> bool:
        return self.submitted_at is not None

    @property
    def final_at(self) -> datetime | None:
        """When the review stops being editable (None while it is a draft)."""
        return self.submitted_at + EDITABLE_FOR if self.submitted_at is not None else None

    def editable(self, now: datetime) -> bool:
        final_at = self.final_at
        return final_at is None or now < final_at

    def ensure_editable(self, now: datetime) -> None:
        if not self.editable(now):
            raise NotAllowed(FINAL)

    def rate(self, aspect: str, stars: int, now: datetime) -> None:
        self.ensure_editable(now)
        self.stars[aspect] = validate_stars(stars)

    def missing(self, rated: Iterable[str]) -> list[str]:
        """The aspects not rated yet."""
        return [aspect for aspect in rated if aspect not in self.stars]

    def submit(self, rated: tuple[str, ...], now: datetime) -> bool:
        """Submits the review (again, after a change); True the first time."""
        self.ensure_editable(now)
        missing = self.missing(rated)
        if missing:
            if self.side is ReviewSide.SELLER:
                raise InvalidInput("Please tap 1 to 5 stars first.")
            raise InvalidInput("Please rate every skill first: " + ", ".join(missing) + ".")
        # Stars of an aspect no longer rated (none today) never count.
        self.stars = {aspect: self.stars[aspect] for aspect in rated}
        first = self.submitted_at is None
        if first:
            self.submitted_at = now
        return first

    def write_comment(self, text: str | None, now: datetime) -> None:
        """Sets the comment (None removes it); only once the stars are submitted."""
        self.ensure_editable(now)
        if not self.submitted:
            raise NotAllowed("Submit the stars first; then you can add a comment.")
        self.comment = validate_comment(text) if text is not None else None


@dataclass(frozen=True)
class ReviewCard:
    """A review with everything its card shows: the lead, both people, what is rated."""

    review: Review
    lead: Lead
    author: User
    subject: User

    @property
    def aspects(self) -> tuple[str, ...]:
        return aspects(self.lead, self.review.side)


@dataclass(frozen=True)
class StarTally:
    """Stars added up: their sum and how many were given."""

    total: int = 0
    count: int = 0

    def __add__(self, other: StarTally) -> StarTally:
        return StarTally(self.total + other.total, self.count + other.count)

    @property
    def tenths(self) -> int | None:
        """The average in tenths of a star, rounded half up (45 is 4.5); None without stars."""
        if not self.count:
            return None
        return (20 * self.total + self.count) // (2 * self.count)

    @property
    def average(self) -> str | None:
        """The average to one decimal ("4.5"), as shown; None without stars."""
        tenths = self.tenths
        return None if tenths is None else f"{tenths // 10}.{tenths % 10}"


def tally(stars: Iterable[int]) -> StarTally:
    values = list(stars)
    return StarTally(sum(values), len(values))


@dataclass(frozen=True)
class Reputation:
    """What a seller's completed leads earned: stars per skill and how many were completed."""

    stars: Mapping[str, StarTally] = field(default_factory=dict)
    completed: int = 0

    def of(self, skill: str) -> StarTally:
        """The stars in one skill, however it is spelled."""
        return self.in_skills([skill])

    def in_skills(self, skills: Iterable[str]) -> StarTally:
        """The stars in these skills together (every star in them, however spelled)."""
        wanted = {skill_key(skill) for skill in skills}
        found = [t for skill, t in self.stars.items() if skill_key(skill) in wanted]
        return sum(found, StarTally())

    @property
    def overall(self) -> StarTally:
        return sum(self.stars.values(), StarTally())

    def rated(self) -> list[str]:
        """The skills with stars, the most stars first."""
        return sorted(self.stars, key=lambda skill: (-self.stars[skill].count, skill))


def star_tallies(reviews: Iterable[Review]) -> dict[int, dict[str, StarTally]]:
    """Stars per subject and aspect, from the submitted reviews (what storage adds up in SQL)."""
    tallies: dict[int, dict[str, StarTally]] = {}
    for review in reviews:
        if not review.submitted:
            continue
        mine = tallies.setdefault(review.subject_id, {})
        for aspect, stars in review.stars.items():
            mine[aspect] = mine.get(aspect, StarTally()) + StarTally(stars, 1)
    return tallies
