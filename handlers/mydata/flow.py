"""/mydata: everything stored about the user as a JSON file; /deleteaccount: deleting the
account after a confirmation."""

from __future__ import annotations

import json
from datetime import datetime
from enum import Enum
from io import BytesIO
from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from domain import account_cases
from domain.account_cases import DeleteAccount, ExportData
from handlers.core.common import answer_query, edit_markup, later, say
from handlers.core.context import LeadlineContext
from handlers.core.flows import enter
from handlers.mydata import texts, views
from handlers.mydata.buttons import AccountDeleteConfirmed, AccountKeep

# The flow a deleted account is left in: none has this name, so no half-finished form of
# the deleted account takes the next messages of the person who comes back.
GONE = "account_deleted"


def _plain(value: object) -> Any:
    """What JSON has no type for: times in ISO 8601 (UTC), sets as sorted lists."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, set | frozenset):
        return sorted(value)
    raise TypeError(f"{type(value).__name__} is not exported")


async def my_data(update: Update, context: LeadlineContext) -> None:
    """Sends everything stored about the user as a JSON document (suspended users too)."""
    data = await context.turn.run(account_cases.export_data, ExportData())
    content = json.dumps(data, ensure_ascii=False, indent=2, default=_plain).encode("utf-8")
    chat = update.effective_chat
    assert chat is not None
    bot, name = context.bot, texts.export_file_name(context.turn.now)
    later(
        context,
        lambda: bot.send_document(
            chat.id, BytesIO(content), filename=name, caption=texts.EXPORT_CAPTION
        ),
    )


async def ask_delete(update: Update, context: LeadlineContext) -> None:
    """/deleteaccount: says why it cannot be done now, or asks to confirm."""
    user = context.turn.actor
    await context.turn.run(account_cases.check_deletion, DeleteAccount(user.key))
    await say(update, context, texts.DELETE_QUESTION, views.confirm_delete(user))


async def delete(update: Update, context: LeadlineContext) -> None:
    """Yes, delete: erases the account; the person is a stranger to the bot from now on."""
    command = DeleteAccount(AccountDeleteConfirmed.of(update).user_id)
    deletion = await context.turn.run(account_cases.delete_account, command)
    await answer_query(update, context)
    await edit_markup(update, context, None)
    if context.user_data is not None:
        context.user_data.clear()
    enter(context, GONE)
    await say(update, context, texts.deleted(deletion))


async def keep(update: Update, context: LeadlineContext) -> None:
    """No, keep it."""
    AccountKeep.of(update)
    context.turn.actor  # noqa: B018 - someone unknown gets the sentence asking for /start
    await answer_query(update, context, texts.KEPT)
    await edit_markup(update, context, None)


def handlers() -> list[BaseHandler[Update, LeadlineContext, Any]]:
    return [
        CommandHandler("mydata", my_data),
        CommandHandler("deleteaccount", ask_delete),
        CallbackQueryHandler(delete, AccountDeleteConfirmed.matches),
        CallbackQueryHandler(keep, AccountKeep.matches),
    ]
