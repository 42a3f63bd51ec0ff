"""Buttons of reviews (``ReviewStart`` is named here so nudges can offer it too)."""

from __future__ import annotations

from handlers.core.callbacks import Button

REVIEW = "rv"


class ReviewStart(Button, area=REVIEW, action="start"):
    """Opens (or reopens) the acting user's review of the other side of a completed lead."""

    lead_id: int


class ReviewStar(Button, area=REVIEW, action="star"):
    """``stars`` for the row at ``aspect`` (a skill of the lead, or the buyer)."""

    lead_id: int
    aspect: int
    stars: int


class ReviewAspect(Button, area=REVIEW, action="aspect"):
    """The name above a row of stars: tapping it explains the row."""

    lead_id: int
    aspect: int


class ReviewSubmit(Button, area=REVIEW, action="submit"):
    lead_id: int


class ReviewEdit(Button, area=REVIEW, action="edit"):
    """Change stars, on a given review: the card with its rows again, in place."""

    lead_id: int


class ReviewComment(Button, area=REVIEW, action="comment"):
    """Add (or change) the comment of a given review."""

    lead_id: int


class ReviewSkipComment(Button, area=REVIEW, action="skip"):
    lead_id: int
