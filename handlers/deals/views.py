"""The buttons of offer cards."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from domain.negotiation import Deal
from handlers.chat.buttons import ThreadMessage, ThreadOffer
from handlers.core import texts as common_texts
from handlers.core.keyboards import button, rows
from handlers.deals import texts
from handlers.deals.buttons import (
    OfferAccept,
    OfferCancel,
    OfferCounter,
    OfferDecline,
    OfferSend,
    OfferSkipNote,
    OfferWithdraw,
)
from handlers.menu.buttons import MenuOpen
from handlers.providers.buttons import ProviderView


def bid_actions(deal: Deal) -> InlineKeyboardMarkup:
    offer, thread = deal.offer.id or 0, deal.thread.id or 0
    buttons = [
        button(texts.ACCEPT, OfferAccept(offer)),
        button(texts.COUNTER, OfferCounter(offer)),
        button(texts.DECLINE, OfferDecline(offer)),
        button(texts.MESSAGE, ThreadMessage(thread)),
    ]
    if deal.author.id == deal.thread.seller_id:
        buttons.append(button(texts.SELLER_PROFILE, ProviderView(deal.thread.seller_id)))
    return rows(*buttons)


def sent_actions(deal: Deal) -> InlineKeyboardMarkup:
    return rows(
        button(texts.WITHDRAW, OfferWithdraw(deal.offer.id or 0)),
        button(texts.MESSAGE, ThreadMessage(deal.thread.id or 0)),
    )


def message_button(deal: Deal) -> InlineKeyboardMarkup:
    """Under "Hired!": write to the other side, or go back to the menu."""
    return rows(
        button(texts.MESSAGE, ThreadMessage(deal.thread.id or 0)),
        button(common_texts.BACK_TO_MENU, MenuOpen()),
    )


def new_offer_button(deal: Deal) -> InlineKeyboardMarkup:
    return rows(button(texts.NEW_OFFER, ThreadOffer(deal.thread.id or 0)))


def skip_note() -> InlineKeyboardMarkup:
    return rows(button(texts.SKIP, OfferSkipNote()))


def confirm() -> InlineKeyboardMarkup:
    return rows(button(texts.SEND, OfferSend()), button(texts.CANCEL, OfferCancel()))
