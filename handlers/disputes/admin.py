"""What administrators do with disputes outside a question: /disputes, a dispute's card,
its transcript, and Resolve (which offers the outcomes).

Administrators are the Telegram ids of ``admins.telegram_ids``; they need no account. Every
press is checked again here: anyone else gets the answer any dead button gets (as the admin
console's buttons do, so nobody learns what administrators may do) and nothing changes, and
/disputes answers them as any unknown command.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from io import BytesIO
from typing import Any, TypeVar

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from domain import dispute_cases
from domain.dispute_cases import DisputeCase, DisputeRef
from domain.disputes import RESOLVED_ALREADY, Admin, DisputeStatus
from domain.ports import UnitOfWork
from handlers.chat import texts as chat_texts
from handlers.core.callbacks import StaleButton
from handlers.core.common import answer_query, edit_text, later, say
from handlers.core.context import LeadlineContext
from handlers.disputes import texts, views
from handlers.disputes.buttons import DisputeCard, DisputeResolve, DisputeTranscript
from handlers.menu import general

C = TypeVar("C")
# user_data: the card (chat id, message id) each dispute's Resolve was pressed on, by id.
CARDS = "dispute_cards"
R = TypeVar("R")


def is_admin(update: Update, context: LeadlineContext) -> bool:
    sender = update.effective_user
    return sender is not None and sender.id in context.services.admin_ids


def admin_of(update: Update, context: LeadlineContext) -> Admin:
    """The administrator pressing or writing; anyone else hears the button is not active."""
    sender = update.effective_user
    if sender is None or not is_admin(update, context):
        raise StaleButton
    return Admin(sender.id, context.turn.user)


async def run_as_admin(
    update: Update,
    context: LeadlineContext,
    use_case: Callable[[UnitOfWork, Admin, C, datetime], Awaitable[R]],
    command: C,
) -> R:
    """Calls one administrators' use case in this update's turn."""
    admin = admin_of(update, context)
    return await use_case(context.turn.uow, admin, command, context.turn.now)


async def disputes(update: Update, context: LeadlineContext) -> None:
    """/disputes: the open disputes, each with a button to its card (administrators only)."""
    if not is_admin(update, context):
        await general.unknown_command(update, context)
        return
    cases = await run_as_admin(update, context, dispute_cases.open_disputes, None)
    if not cases:
        await say(update, context, texts.NO_OPEN_DISPUTES)
        return
    await say(update, context, texts.dispute_list(cases), views.dispute_list(cases))


async def card(update: Update, context: LeadlineContext) -> None:
    """A dispute's card with its buttons."""
    dispute_id = DisputeCard.of(update).dispute_id
    case = await run_as_admin(update, context, dispute_cases.dispute_card, DisputeRef(dispute_id))
    await answer_query(update, context)
    await say(update, context, texts.card(case), views.card(case))


async def transcript(update: Update, context: LeadlineContext) -> None:
    """Transcript: the disputed thread's whole record as a UTF-8 text file."""
    dispute_id = DisputeTranscript.of(update).dispute_id
    record = await run_as_admin(update, context, dispute_cases.transcript, DisputeRef(dispute_id))
    await answer_query(update, context)
    chat = update.effective_chat
    assert chat is not None
    bot, content = context.bot, chat_texts.transcript(record, context.turn.now).encode("utf-8")
    name = f"leadline-dispute-{dispute_id}.txt"
    later(
        context,
        lambda: bot.send_document(
            chat.id, BytesIO(content), filename=name, caption=texts.TRANSCRIPT_CAPTION
        ),
    )


async def resolve(update: Update, context: LeadlineContext) -> None:
    """Resolve: offers completed, cancelled or split; on a dispute resolved meanwhile (by
    another administrator), says so and shows the pressed card resolved."""
    dispute_id = DisputeResolve.of(update).dispute_id
    case = await run_as_admin(update, context, dispute_cases.dispute_card, DisputeRef(dispute_id))
    if case.dispute.status is not DisputeStatus.OPEN:
        await answer_query(update, context, RESOLVED_ALREADY)
        await edit_text(update, context, texts.card(case), views.card(case))
        return
    remember_card(update, context, dispute_id)
    await answer_query(update, context)
    await say(update, context, texts.outcome_question(case), views.outcomes(dispute_id))


def remember_card(update: Update, context: LeadlineContext, dispute_id: int) -> None:
    """Notes the card Resolve was pressed on, to show it resolved once the note is sent."""
    query = update.callback_query
    if query is None or query.message is None or context.user_data is None:
        return
    cards = context.user_data.setdefault(CARDS, {})
    cards[str(dispute_id)] = [query.message.chat.id, query.message.message_id]


def show_resolved(context: LeadlineContext, case: DisputeCase) -> None:
    """Edits the card Resolve was pressed on to the resolved dispute (Transcript only)."""
    cards = context.user_data.get(CARDS) if context.user_data is not None else None
    if not isinstance(cards, dict):
        return
    found = cards.pop(str(case.dispute.key), None)
    if not found:
        return
    chat_id, message_id = int(found[0]), int(found[1])
    bot, text, markup = context.bot, texts.card(case), views.card(case)
    later(
        context,
        lambda: bot.edit_message_text(text, chat_id, message_id, reply_markup=markup),
    )


def handlers() -> list[BaseHandler[Update, LeadlineContext, Any]]:
    return [
        CommandHandler("disputes", disputes),
        CallbackQueryHandler(card, DisputeCard.matches),
        CallbackQueryHandler(transcript, DisputeTranscript.matches),
        CallbackQueryHandler(resolve, DisputeResolve.matches),
    ]
