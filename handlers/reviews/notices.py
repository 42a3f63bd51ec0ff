"""Reviews: a completed lead asks each side for theirs; the reviewed side hears what it got."""

from __future__ import annotations

from collections.abc import Iterable

from domain import review_cases
from domain.events import LeadCompleted, ReviewCommented, ReviewGiven, ReviewsOpened
from domain.model import OutboxMessage
from handlers.core import outgoing
from handlers.core.notify import Notices, Reactions, Telling
from handlers.reviews import texts, views

# A completed lead opens both reviews in the transaction that completed it.
REACTIONS: Reactions = {LeadCompleted: review_cases.open_reviews}


def opened(event: ReviewsOpened, tell: Telling) -> Iterable[OutboxMessage]:
    """The buyer gets the stars card, the seller the card rating the buyer (once each)."""
    for card in (event.by_buyer, event.by_seller):
        # A draft card shows no time, so the author's time zone does not matter yet.
        payload = outgoing.text(texts.card(card, "UTC"), views.card(card))
        key = f"review:{card.lead.key}:{card.review.side.value}"
        yield tell.to(card.author, payload, key=key)


def given(event: ReviewGiven, tell: Telling) -> Iterable[OutboxMessage]:
    card = event.card
    notice = outgoing.text(texts.awarded(card, event.first), views.dashboard())
    yield tell.to(card.subject, notice)


def commented(event: ReviewCommented, tell: Telling) -> Iterable[OutboxMessage]:
    yield tell.to(event.card.subject, outgoing.text(texts.comment_notice(event.card)))


NOTICES: Notices = {
    ReviewsOpened: opened,
    ReviewGiven: given,
    ReviewCommented: commented,
}
