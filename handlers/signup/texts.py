"""What signup says besides its questions (which live in handlers/core/texts.py, shared
with /profile): the answers shown in place of a question's buttons."""

from __future__ import annotations

ACCEPTED = "Accepted"
CHANGE_EMAIL = "Change email"
SKIPPED = "Skipped"
NO_CATEGORIES = "none picked"


def categories_chosen(categories: list[str]) -> str:
    return ", ".join(categories) or NO_CATEGORIES


JOIN_AFTER_SHARED_LEAD = (
    "To bid on leads or post your own, send /start and sign up: it takes a minute."
)
