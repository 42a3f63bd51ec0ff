"""Buttons of reviews (named here so nudges can offer them too)."""

from __future__ import annotations

from handlers.core.callbacks import Button

REVIEW = "rv"


class ReviewStart(Button, area=REVIEW, action="start"):
    """Opens (or reopens) the acting user's review of the other side of a completed lead."""

    lead_id: int
