"""Small helpers every flow uses: who is talking, replying, closing answered questions.

Replies are queued on the update's turn and sent once its transaction has committed
(handlers.core.turn), so a user never reads about a change that was rolled back.
"""

from __future__ import annotations

import logging

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.ext import filters

from domain.accounts import TelegramIdentity
from handlers.core.context import LeadlineContext
from handlers.core.turn import BotCall, Turn, current

log = logging.getLogger(__name__)

# Answers are new messages: an edit of an earlier message never answers the current question.
NEW_MESSAGE = filters.UpdateType.MESSAGE & ~filters.COMMAND
TEXT_ANSWER = NEW_MESSAGE & filters.TEXT


def identity(update: Update) -> TelegramIdentity:
    user = update.effective_user
    assert user is not None
    return TelegramIdentity(user.id, user.first_name, user.username)


def is_admin(update: Update, context: LeadlineContext) -> bool:
    """Whether the person behind the update is one of the configured administrators."""
    user = update.effective_user
    return user is not None and user.id in context.services.admin_ids


def turn_of(context: LeadlineContext) -> Turn:
    turn = current(context)
    assert turn is not None, "handlers run inside a turn (handlers.core.turn)"
    return turn


def later(context: LeadlineContext, call: BotCall) -> None:
    """Queues any Bot API call for after the commit, in order with the replies."""
    turn_of(context).say_later(call)


async def say(
    update: Update,
    context: LeadlineContext,
    text: str,
    markup: InlineKeyboardMarkup | None = None,
) -> None:
    """Sends a message to the chat the update came from."""
    chat = update.effective_chat
    assert chat is not None
    bot = context.bot
    later(context, lambda: bot.send_message(chat.id, text, reply_markup=markup))


async def close_question(update: Update, context: LeadlineContext, text: str) -> None:
    """Answers the button press and replaces the question's buttons with the answer given."""
    await answer_query(update, context)
    await edit_text(update, context, text, None)


async def edit_text(
    update: Update, context: LeadlineContext, text: str, markup: InlineKeyboardMarkup | None
) -> None:
    """Rewrites the tapped message; a double tap that changes nothing is not an error."""
    query = update.callback_query
    assert query is not None
    later(context, lambda: query.edit_message_text(text, reply_markup=markup))


async def edit_markup(
    update: Update, context: LeadlineContext, markup: InlineKeyboardMarkup | None
) -> None:
    """Replaces the buttons of the tapped message; an identical redraw is not an error."""
    query = update.callback_query
    assert query is not None
    if isinstance(query.message, Message) and query.message.reply_markup == markup:
        # A repeated (or replayed) press: Telegram refuses an edit that changes nothing.
        return
    later(context, lambda: query.edit_message_reply_markup(markup))


async def answer_query(
    update: Update, context: LeadlineContext, text: str | None = None, alert: bool = False
) -> None:
    """Sets the button press's answer; the turn sends it once, after the commit."""
    if update.callback_query is None:
        return
    turn_of(context).answer_button(text, alert)
