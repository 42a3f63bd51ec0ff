"""Small helpers every flow uses: who is talking, replying, closing answered questions."""

from __future__ import annotations

import logging
from collections import deque

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest
from telegram.ext import filters

from domain.accounts import TelegramIdentity
from handlers.core.context import LeadlineContext

log = logging.getLogger(__name__)

ANSWERED = "answered_queries"  # chat_data: ids of the button presses already answered

# Answers are new messages: an edit of an earlier message never answers the current question.
NEW_MESSAGE = filters.UpdateType.MESSAGE & ~filters.COMMAND
TEXT_ANSWER = NEW_MESSAGE & filters.TEXT


def identity(update: Update) -> TelegramIdentity:
    user = update.effective_user
    assert user is not None
    return TelegramIdentity(user.id, user.first_name, user.username)


def telegram_id(update: Update) -> int:
    user = update.effective_user
    assert user is not None
    return user.id


async def say(
    update: Update,
    context: LeadlineContext,
    text: str,
    markup: InlineKeyboardMarkup | None = None,
) -> Message:
    """Sends a message to the chat the update came from."""
    chat = update.effective_chat
    assert chat is not None
    return await context.bot.send_message(chat.id, text, reply_markup=markup)


async def close_question(update: Update, context: LeadlineContext, text: str) -> None:
    """Answers the button press and replaces the question's buttons with the answer given."""
    await answer_query(update, context)
    await edit_text(update, text, None)


async def edit_text(update: Update, text: str, markup: InlineKeyboardMarkup | None) -> None:
    """Rewrites the tapped message; a double tap that changes nothing is not an error."""
    query = update.callback_query
    assert query is not None
    try:
        await query.edit_message_text(text, reply_markup=markup)
    except BadRequest as error:
        if "not modified" not in error.message:
            raise


async def edit_markup(update: Update, markup: InlineKeyboardMarkup | None) -> None:
    """Replaces the buttons of the tapped message; an identical redraw is not an error."""
    query = update.callback_query
    assert query is not None
    try:
        await query.edit_message_reply_markup(markup)
    except BadRequest as error:
        if "not modified" not in error.message:
            raise


async def answer_query(
    update: Update, context: LeadlineContext, text: str | None = None, alert: bool = False
) -> None:
    """Answers the button press, once: Telegram refuses a second answer to the same query."""
    query = update.callback_query
    if query is None:
        return
    if context.chat_data is not None:
        answered = context.chat_data.setdefault(ANSWERED, deque(maxlen=64))
        if query.id in answered:
            return
        answered.append(query.id)
    await query.answer(text, show_alert=alert)
