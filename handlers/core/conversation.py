"""Builds ConversationHandlers the way every flow here wants them."""

from __future__ import annotations

import warnings
from collections.abc import Sequence

from telegram import Update
from telegram.ext import BaseHandler, ConversationHandler
from telegram.warnings import PTBUserWarning

from handlers.core.context import LeadlineContext

Handlers = Sequence[BaseHandler[Update, LeadlineContext, object]]


def persistent_conversation(
    name: str,
    entry_points: Handlers,
    states: dict[object, Handlers],
    fallbacks: Handlers,
) -> ConversationHandler[LeadlineContext]:
    """A conversation keyed per user and chat, stored in the database, re-enterable."""
    with warnings.catch_warnings():
        # Callback buttons are deliberately tracked per chat, not per message: the
        # callback data says what they are for, and the handlers check it.
        warnings.filterwarnings("ignore", message="If 'per_message=False'", category=PTBUserWarning)
        return ConversationHandler(
            entry_points=list(entry_points),
            states={state: list(handlers) for state, handlers in states.items()},
            fallbacks=list(fallbacks),
            name=name,
            persistent=True,
            allow_reentry=True,
        )
