"""Use cases of reviews: opening both when a lead is completed, giving stars, submitting,
commenting, and changing a review in its 48 hours.

The acting user always writes their own review of the lead (the side follows from the
contract), so a forged button can at most reach a review that is not theirs: refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.errors import InvalidInput, NotAllowed, NotFound
from domain.events import LeadCompleted, ReviewCommented, ReviewGiven, ReviewsOpened
from domain.lifecycle import LeadStatus
from domain.model import User
from domain.ports import UnitOfWork
from domain.reviews import Review, ReviewCard, ReviewSide

NOT_YOURS = "That review is not yours to give."


@dataclass(frozen=True)
class OpenReview:
    lead_id: int


@dataclass(frozen=True)
class Rate:
    """Stars for one of the things a review rates, named by its position on the card."""

    lead_id: int
    aspect: int
    stars: int


@dataclass(frozen=True)
class SubmitReview:
    lead_id: int


@dataclass(frozen=True)
class Comment:
    """The review's comment; ``text`` None removes it."""

    lead_id: int
    text: str | None


@dataclass(frozen=True)
class Submission:
    card: ReviewCard
    first: bool


async def open_reviews(uow: UnitOfWork, event: LeadCompleted, now: datetime) -> None:
    """When a lead is completed: a draft review for each side, and each side asked for it."""
    lead, contract = event.lead, event.contract
    people = await uow.users.get_many({contract.buyer_id, contract.seller_id})
    buyer, seller = people[contract.buyer_id], people[contract.seller_id]
    by_buyer = await uow.reviews.open(
        Review(lead.key, ReviewSide.BUYER, buyer.key, seller.key, created_at=now)
    )
    by_seller = await uow.reviews.open(
        Review(lead.key, ReviewSide.SELLER, seller.key, buyer.key, created_at=now)
    )
    uow.record(
        ReviewsOpened(
            ReviewCard(by_buyer, lead, buyer, seller), ReviewCard(by_seller, lead, seller, buyer)
        )
    )


async def _card(uow: UnitOfWork, me: User, lead_id: int, now: datetime) -> ReviewCard:
    """The acting user's review of a completed lead they were a side of (a draft the first
    time)."""
    me.ensure_signed_up()
    lead = await uow.leads.get(lead_id)
    contract = await uow.threads.contract_of_lead(lead_id) if lead is not None else None
    if lead is None or contract is None or me.key not in (contract.buyer_id, contract.seller_id):
        raise NotFound(NOT_YOURS)
    if lead.status is not LeadStatus.COMPLETED:
        raise NotAllowed("Reviews open once the lead is completed.")
    side = ReviewSide.BUYER if me.key == contract.buyer_id else ReviewSide.SELLER
    other = contract.seller_id if side is ReviewSide.BUYER else contract.buyer_id
    review = await uow.reviews.get(lead_id, me.key)
    if review is None:
        review = await uow.reviews.open(Review(lead_id, side, me.key, other, created_at=now))
    subject = await uow.users.get(other)
    assert subject is not None
    return ReviewCard(review, lead, me, subject)


async def open_review(uow: UnitOfWork, me: User, command: OpenReview, now: datetime) -> ReviewCard:
    """The acting user's review of the lead, to give it or change it while it may change."""
    card = await _card(uow, me, command.lead_id, now)
    card.review.ensure_editable(now)
    return card


async def start_comment(
    uow: UnitOfWork, me: User, command: OpenReview, now: datetime
) -> ReviewCard:
    """The review whose comment the acting user is about to write: refused at the tap when
    they may not write it (suspended, or the review no longer changes), not after typing."""
    card = await open_review(uow, me, command, now)
    me.ensure_active("give reviews")
    return card


async def change_stars(uow: UnitOfWork, me: User, command: OpenReview, now: datetime) -> ReviewCard:
    """The submitted review whose stars the acting user is about to change: refused at the
    tap when they may not change them, not after the card is redrawn for editing."""
    card = await open_review(uow, me, command, now)
    me.ensure_active("give reviews")
    return card


async def rate(uow: UnitOfWork, me: User, command: Rate, now: datetime) -> ReviewCard:
    """Sets the stars of one row of the card; the card shows them at once."""
    card = await _card(uow, me, command.lead_id, now)
    me.ensure_active("give reviews")
    aspects = card.aspects
    if not 0 <= command.aspect < len(aspects):
        raise InvalidInput("That row is not part of this review any more.")
    card.review.rate(aspects[command.aspect], command.stars, now)
    await uow.reviews.save(card.review, now)
    return card


async def submit(uow: UnitOfWork, me: User, command: SubmitReview, now: datetime) -> Submission:
    """Submits the stars (or the changed stars); the other side hears what they got."""
    card = await _card(uow, me, command.lead_id, now)
    me.ensure_active("give reviews")
    first = card.review.submit(card.aspects, now)
    await uow.reviews.save(card.review, now)
    uow.record(ReviewGiven(card, first))
    return Submission(card, first)


async def comment(uow: UnitOfWork, me: User, command: Comment, now: datetime) -> ReviewCard:
    """Adds, changes or removes the comment of a submitted review; the other side reads a
    new one."""
    card = await _card(uow, me, command.lead_id, now)
    me.ensure_active("give reviews")
    card.review.write_comment(command.text, now)
    await uow.reviews.save(card.review, now)
    if command.text is not None:
        uow.record(ReviewCommented(card))
    return card
