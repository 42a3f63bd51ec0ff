"""What the other side hears about offers and hiring."""

from __future__ import annotations

from collections.abc import Iterable

from domain.events import Hired, LeadFilled, OfferDeclined, OfferMade, OfferWithdrawn
from domain.model import OutboxMessage
from handlers.core import outgoing
from handlers.core.notify import Notices, Telling
from handlers.deals import texts, views


def offer_made(event: OfferMade, tell: Telling) -> Iterable[OutboxMessage]:
    deal = event.deal
    text = texts.bid_card(deal, event.counter, event.reputation, event.buyer_rating)
    card = outgoing.text(text, views.bid_actions(deal))
    yield tell.to(deal.recipient, card)


def hired(event: Hired, tell: Telling) -> Iterable[OutboxMessage]:
    deal = event.deal
    notice = outgoing.text(texts.accepted(deal, event.contract), views.message_button(deal))
    yield tell.to(deal.author, notice)


def filled(event: LeadFilled, tell: Telling) -> Iterable[OutboxMessage]:
    notice = outgoing.text(texts.filled(event.lead))
    for seller in event.sellers:
        yield tell.to(seller, notice, key=f"filled:{event.lead.id}:{seller.id}")


def declined(event: OfferDeclined, tell: Telling) -> Iterable[OutboxMessage]:
    deal = event.deal
    notice = outgoing.text(texts.declined(deal), views.new_offer_button(deal))
    yield tell.to(deal.author, notice)


def withdrawn(event: OfferWithdrawn, tell: Telling) -> Iterable[OutboxMessage]:
    yield tell.to(event.deal.recipient, outgoing.text(texts.withdrawn(event.deal)))


NOTICES: Notices = {
    OfferMade: offer_made,
    Hired: hired,
    LeadFilled: filled,
    OfferDeclined: declined,
    OfferWithdrawn: withdrawn,
}
