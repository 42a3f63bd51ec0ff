"""Buttons of the terms of service."""

from __future__ import annotations

from handlers.core.callbacks import Button

TERMS = "tm"


class TermsShow(Button, area=TERMS, action="show"):
    """Shows the terms (the same as /terms)."""


class TermsAccept(Button, area=TERMS, action="accept"):
    """I accept, under the version ``tag`` names (a digest), so an old button cannot accept
    terms changed since."""

    tag: str
