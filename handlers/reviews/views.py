"""The keyboards of review cards: a row of stars per skill, Submit, and what comes after."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from domain.reviews import MAX_STARS, MIN_STARS, ReviewCard, ReviewSide
from handlers.core.keyboards import button, rows
from handlers.dashboard.buttons import DashboardOpen
from handlers.reviews import texts
from handlers.reviews.buttons import (
    ReviewAspect,
    ReviewComment,
    ReviewEdit,
    ReviewSkipComment,
    ReviewStar,
    ReviewSubmit,
)


def card(card: ReviewCard) -> InlineKeyboardMarkup:
    """Per skill its name, then its row of stars 1–5 (the seller's one row has no name row);
    then Submit, or Save changes once given."""
    lead_id, review = card.lead.key, card.review
    keyboard: list[list[InlineKeyboardButton]] = []
    for index, aspect in enumerate(card.aspects):
        if review.side is ReviewSide.BUYER:
            keyboard.append([button(f"🛠 {aspect}", ReviewAspect(lead_id, index))])
        chosen = review.stars.get(aspect)
        keyboard.append(
            [
                button(texts.star_button(value, chosen), ReviewStar(lead_id, index, value))
                for value in range(MIN_STARS, MAX_STARS + 1)
            ]
        )
    done = texts.SAVE if review.submitted else texts.SUBMIT
    keyboard.append([button(done, ReviewSubmit(lead_id))])
    return InlineKeyboardMarkup(keyboard)


def summary(card: ReviewCard) -> InlineKeyboardMarkup:
    lead_id = card.lead.key
    comment = texts.CHANGE_COMMENT if card.review.comment else texts.ADD_COMMENT
    return rows(
        button(texts.CHANGE_STARS, ReviewEdit(lead_id)), button(comment, ReviewComment(lead_id))
    )


def skip_comment(card: ReviewCard) -> InlineKeyboardMarkup:
    return rows(button(texts.SKIP, ReviewSkipComment(card.lead.key)))


def dashboard() -> InlineKeyboardMarkup:
    return rows(button(texts.DASHBOARD, DashboardOpen()))
