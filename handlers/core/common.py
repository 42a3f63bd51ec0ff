"""Small helpers every flow uses: who is talking, replying, closing answered questions.

A question asked with buttons (``ask``) keeps them only while it is the latest: once it
is answered by typing, asked again or followed by the next question, its buttons go, so
that no stale Skip is left in the chat. A handler that rewrites a tapped question itself
(``close_question``, ``edit_markup(…, None)``) says so, and it is not edited twice.

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

# user_data: [chat id, message id] of the latest question asked with buttons (``ask``).
QUESTION = "open_question"

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
    later(context, lambda: bot.send_text(chat.id, text, markup))


async def ask(
    update: Update,
    context: LeadlineContext,
    text: str,
    markup: InlineKeyboardMarkup | None = None,
) -> None:
    """Asks a question; only the latest question keeps its buttons, so the one before it
    (answered by typing, or asked again) loses its Skip and the like."""
    retire_question(update, context)
    if markup is None:
        await say(update, context, text)
        return
    chat = update.effective_chat
    assert chat is not None
    bot, user_data = context.bot, context.user_data

    async def send() -> None:
        sent = await bot.send_text(chat.id, text, markup)
        if user_data is not None:
            # Known only once sent, after the commit: kept with the flow data from then on.
            user_data[QUESTION] = [chat.id, sent]

    later(context, send)


def retire_question(update: Update, context: LeadlineContext) -> None:
    """Takes the buttons off the latest question: its answer was typed, or the flow moved
    on. Once only, since Telegram refuses an edit that changes nothing."""
    asked = context.user_data.pop(QUESTION, None) if context.user_data is not None else None
    if not asked:
        return
    chat_id, message_id = int(asked[0]), int(asked[1])
    bot = context.bot
    later(context, lambda: bot.edit_message_reply_markup(chat_id, message_id, reply_markup=None))


def _forget_tapped(update: Update, context: LeadlineContext) -> None:
    """A tapped question whose buttons its handler removes is no longer one to retire."""
    query = update.callback_query
    asked = context.user_data.get(QUESTION) if context.user_data is not None else None
    if query is None or query.message is None or not asked or context.user_data is None:
        return
    if int(asked[1]) == query.message.message_id:
        context.user_data.pop(QUESTION, None)


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
    if markup is None:
        _forget_tapped(update, context)
    later(context, lambda: query.edit_message_text(text, reply_markup=markup))


async def edit_markup(
    update: Update, context: LeadlineContext, markup: InlineKeyboardMarkup | None
) -> None:
    """Replaces the buttons of the tapped message; an identical redraw is not an error."""
    query = update.callback_query
    assert query is not None
    if markup is None:
        _forget_tapped(update, context)
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
