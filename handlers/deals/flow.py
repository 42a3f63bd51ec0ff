"""Connect and bid, counter, accept (hire), decline and withdraw offers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from html import escape
from typing import Any

from telegram import Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
)

from domain import deals
from domain.errors import DomainError, InvalidInput
from domain.negotiation import OfferDraft
from domain.ports import UnitOfWork
from handlers.chat.buttons import ThreadMessage, ThreadOffer
from handlers.core import texts
from handlers.core.common import (
    NEW_MESSAGE,
    TEXT_ANSWER,
    answer_query,
    edit_markup,
    say,
    telegram_id,
)
from handlers.core.context import LeadlineContext
from handlers.core.conversation import Handlers, persistent_conversation
from handlers.core.flows import enter as enter_flow
from handlers.core.flows import in_flow
from handlers.core.keyboards import button, rows
from handlers.deals import views as deal_views
from handlers.deals.buttons import (
    OfferAccept,
    OfferCancel,
    OfferCounter,
    OfferDecline,
    OfferSend,
    OfferSkipNote,
    OfferWithdraw,
)
from handlers.deals.views import TelegramDealNotices
from handlers.leads.buttons import LeadConnect

END = ConversationHandler.END
FLOW = in_flow("offer")
AMOUNT, DAYS, NOTE, CONFIRM = "amount", "days", "note", "confirm"
NOTICES = TelegramDealNotices()
QUESTIONS = {
    DAYS: "In how many days will the work be done? (1–365)",
    NOTE: "Add a note for the other side (what is included, how you will work), or tap Skip.",
}


async def _ask_amount(
    update: Update, context: LeadlineContext, thread_id: int, prefix: str = ""
) -> str:
    """Starts the offer form for a thread (a draft row): asks the amount."""
    lead = await deals.start_draft(
        context.uow(), telegram_id(update), thread_id, context.services.currency, context.now()
    )
    budget = f" (budget {lead.budget.format()})" if lead.budget else ""
    text = (
        f"{prefix}Your offer for <b>{escape(lead.title or '')}</b>{budget}.\n"
        f"{_amount_question(context)}"
    )
    await say(update, context, text)
    return AMOUNT


def _amount_question(context: LeadlineContext) -> str:
    return f"How much do you propose, in {context.services.currency}?"


async def connect(update: Update, context: LeadlineContext) -> str | int:
    """Connect on a lead: opens the thread and asks for the bid."""
    enter_flow(context, "offer")
    lead_id = LeadConnect.of(update).lead_id
    try:
        thread = await deals.connect(context.uow(), telegram_id(update), lead_id, context.now())
    except DomainError as error:
        await answer_query(update, context, error.sentence, alert=True)
        return END
    await answer_query(update, context)
    return await _ask_amount(update, context, thread.id or 0)


async def new_offer(update: Update, context: LeadlineContext) -> str | int:
    """Make offer on a thread card."""
    enter_flow(context, "offer")
    thread_id = ThreadOffer.of(update).thread_id
    await answer_query(update, context)
    try:
        return await _ask_amount(update, context, thread_id)
    except DomainError as error:
        await say(update, context, escape(error.sentence))
        return END


async def counter(update: Update, context: LeadlineContext) -> str | int:
    """Counter on an offer card: checks it may be countered, then asks the amount."""
    enter_flow(context, "offer")
    offer_id = OfferCounter.of(update).offer_id
    try:
        thread = await deals.counter_target(context.uow(), telegram_id(update), offer_id)
    except DomainError as error:
        await answer_query(update, context, error.sentence, alert=True)
        return END
    await answer_query(update, context)
    return await _ask_amount(update, context, thread.id or 0, prefix="🔁 Counter-offer. ")


async def amount(update: Update, context: LeadlineContext) -> str | int:
    """Stores the amount and asks for the days."""
    return await _answer(update, context, deals.draft_amount, AMOUNT, DAYS)


async def days(update: Update, context: LeadlineContext) -> str | int:
    """Stores the days and asks for a note."""
    return await _answer(update, context, deals.draft_days, DAYS, NOTE)


async def note(update: Update, context: LeadlineContext) -> str | int:
    """Stores the note and shows the offer to confirm."""
    return await _answer(update, context, deals.draft_note, NOTE, CONFIRM)


async def skip_note(update: Update, context: LeadlineContext) -> str | int:
    """Goes on without a note."""
    await answer_query(update, context)
    await edit_markup(update, context, None)
    try:
        draft = await deals.draft_note(context.uow(), telegram_id(update), None, context.now())
    except DomainError as error:
        await say(update, context, escape(error.sentence))
        return END
    return await _ask(update, context, CONFIRM, draft)


async def _answer(
    update: Update,
    context: LeadlineContext,
    store: Callable[[UnitOfWork, int, str, datetime], Awaitable[OfferDraft]],
    question: str,
    following: str,
) -> str | int:
    """Stores one answer of the form; a wrong one gets a sentence and the same question."""
    message = update.effective_message
    assert message is not None and message.text is not None
    try:
        draft = await store(context.uow(), telegram_id(update), message.text, context.now())
    except InvalidInput as error:
        return await _ask(update, context, question, None, prefix=escape(error.sentence))
    except DomainError as error:
        await say(update, context, escape(error.sentence))
        return END
    return await _ask(update, context, following, draft)


async def _ask(
    update: Update,
    context: LeadlineContext,
    question: str,
    draft: OfferDraft | None,
    prefix: str = "",
) -> str:
    """Asks one question of the offer form (the confirmation shows the whole offer)."""
    markup = None
    if question == AMOUNT:
        text = _amount_question(context)
    elif question == NOTE:
        text, markup = QUESTIONS[NOTE], rows(button("Skip", OfferSkipNote()))
    elif question == CONFIRM and draft is not None and draft.amount is not None:
        lines = [
            f"Send this offer?\n\n💰 <b>{draft.amount.format()}</b> in <b>{draft.days}</b> day(s)"
        ]
        if draft.note:
            lines.append(f"📝 {escape(draft.note)}")
        text = "\n".join(lines)
        markup = rows(button("📨 Send offer", OfferSend()), button("✖️ Cancel", OfferCancel()))
    else:
        text = QUESTIONS[DAYS]
    await say(update, context, f"{prefix}\n\n{text}" if prefix else text, markup)
    return question


async def confirm_hint(update: Update, context: LeadlineContext) -> str | int:
    """A message at "Send this offer?": the buttons decide; the offer is shown again."""
    draft = await deals.draft_of(context.uow(), telegram_id(update))
    if draft is None:
        return END
    return await _ask(update, context, CONFIRM, draft, prefix=texts.USE_BUTTONS)


async def send(update: Update, context: LeadlineContext) -> str | int:
    """Sends the offer to the other side."""
    try:
        deal = await deals.send_draft(context.uow(), telegram_id(update), context.now(), NOTICES)
    except DomainError as error:
        await answer_query(update, context, error.sentence, alert=True)
        return END
    context.services.kick_outbox()
    await answer_query(update, context)
    await edit_markup(update, context, None)
    await say(
        update,
        context,
        f"📨 Your offer was sent to {escape(deal.recipient.name)}.",
        deal_views.sent_actions(deal),
    )
    return END


async def cancel(update: Update, context: LeadlineContext) -> int:
    """Drops the offer being written."""
    await answer_query(update, context)
    if update.callback_query is not None:
        await edit_markup(update, context, None)
    await deals.drop_draft(context.uow(), telegram_id(update))
    await say(update, context, "Cancelled; no offer was sent.")
    return END


async def wrong_input(update: Update, context: LeadlineContext) -> None:
    """A message the current question cannot take: one sentence, the question stays."""
    await say(update, context, texts.SEND_TEXT)


async def accept(update: Update, context: LeadlineContext) -> None:
    """Accept on an offer: hires."""
    offer_id = OfferAccept.of(update).offer_id
    try:
        deal, contract = await deals.accept(
            context.uow(),
            telegram_id(update),
            offer_id,
            context.now(),
            NOTICES,
        )
    except DomainError as error:
        await answer_query(update, context, error.sentence, alert=True)
        return
    context.services.kick_outbox()
    await answer_query(update, context, "Hired!")
    await edit_markup(update, context, None)
    await say(
        update,
        context,
        deal_views.hired_text(deal, contract),
        rows(button("💬 Message", ThreadMessage(deal.thread.id or 0))),
    )


async def _close(update: Update, context: LeadlineContext, withdrawing: bool) -> None:
    pressed = OfferWithdraw.of(update) if withdrawing else OfferDecline.of(update)
    close = deals.withdraw if withdrawing else deals.decline
    try:
        deal = await close(
            context.uow(),
            telegram_id(update),
            pressed.offer_id,
            context.now(),
            NOTICES,
        )
    except DomainError as error:
        await answer_query(update, context, error.sentence, alert=True)
        return
    context.services.kick_outbox()
    await answer_query(update, context, "Withdrawn." if withdrawing else "Declined.")
    await edit_markup(update, context, None)
    if withdrawing:
        await say(update, context, "Your offer is withdrawn.")
    else:
        await say(update, context, f"You declined the offer of {escape(deal.author.name)}.")


async def decline(update: Update, context: LeadlineContext) -> None:
    """Decline on an offer."""
    await _close(update, context, withdrawing=False)


async def withdraw(update: Update, context: LeadlineContext) -> None:
    """Withdraw on one's own offer."""
    await _close(update, context, withdrawing=True)


def build() -> ConversationHandler[LeadlineContext]:
    states: dict[object, Handlers] = {
        AMOUNT: [MessageHandler(TEXT_ANSWER & FLOW, amount)],
        DAYS: [MessageHandler(TEXT_ANSWER & FLOW, days)],
        NOTE: [
            MessageHandler(TEXT_ANSWER & FLOW, note),
            CallbackQueryHandler(skip_note, OfferSkipNote.matches),
        ],
        CONFIRM: [
            CallbackQueryHandler(send, OfferSend.matches),
            CallbackQueryHandler(cancel, OfferCancel.matches),
            MessageHandler(NEW_MESSAGE & FLOW, confirm_hint),
        ],
    }
    return persistent_conversation(
        "offer",
        entry_points=[
            CallbackQueryHandler(connect, LeadConnect.matches),
            CallbackQueryHandler(counter, OfferCounter.matches),
            CallbackQueryHandler(new_offer, ThreadOffer.matches),
        ],
        states=states,
        fallbacks=[
            CommandHandler("cancel", cancel, filters=FLOW),
            MessageHandler(NEW_MESSAGE & FLOW, wrong_input),
        ],
    )


def handlers() -> list[BaseHandler[Update, LeadlineContext, Any]]:
    return [
        CallbackQueryHandler(accept, OfferAccept.matches),
        CallbackQueryHandler(decline, OfferDecline.matches),
        CallbackQueryHandler(withdraw, OfferWithdraw.matches),
    ]
