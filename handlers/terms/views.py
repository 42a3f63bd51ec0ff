"""The keyboards of the terms."""

from __future__ import annotations

import hashlib

from telegram import InlineKeyboardMarkup

from handlers.core.keyboards import button, rows
from handlers.terms import texts
from handlers.terms.buttons import TermsAccept, TermsShow


def tag(version: str) -> str:
    """A short digest of a version, fit for callback data."""
    return hashlib.sha256(version.encode()).hexdigest()[:12]


def accept(version: str) -> InlineKeyboardMarkup:
    return rows(button(texts.ACCEPT, TermsAccept(tag(version))))


def read_and_accept(version: str) -> InlineKeyboardMarkup:
    return rows(button(texts.READ, TermsShow()), button(texts.ACCEPT, TermsAccept(tag(version))))
