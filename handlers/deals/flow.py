"""Connect and bid, counter, accept (hire), decline and withdraw offers."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
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
from domain.deals import AnswerDraft, AnswerOffer, DraftField, Drafting
from domain.errors import InvalidInput
from domain.negotiation import OfferDraft
from handlers.chat.buttons import ThreadOffer
from handlers.core import texts as common_texts
from handlers.core.common import NEW_MESSAGE, TEXT_ANSWER, answer_query, ask, edit_markup, say
from handlers.core.context import LeadlineContext
from handlers.core.conversation import Handlers, persistent_conversation
from handlers.core.flows import Flows
from handlers.core.flows import enter as enter_flow
from handlers.deals import texts, views
from handlers.deals.buttons import (
    OfferAccept,
    OfferCancel,
    OfferCounter,
    OfferDecline,
    OfferSend,
    OfferSkipNote,
    OfferWithdraw,
)
from handlers.leads.buttons import LeadConnect

END = ConversationHandler.END
AMOUNT, DAYS, NOTE, CONFIRM = "amount", "days", "note", "confirm"
FOLLOWING = {AMOUNT: DAYS, DAYS: NOTE, NOTE: CONFIRM}
FIELDS = {AMOUNT: DraftField.AMOUNT, DAYS: DraftField.DAYS, NOTE: DraftField.NOTE}
AS_BUYER = "offer_as_buyer"  # user_data: whether the offer being written is a buyer's counter


async def connect(update: Update, context: LeadlineContext) -> str:
    """Connect on a lead: opens the thread and asks for the bid."""
    command = deals.Connect(LeadConnect.of(update).lead_id, _currency(context))
    return await _asked_amount(update, context, await context.turn.run(deals.connect, command))


async def new_offer(update: Update, context: LeadlineContext) -> str:
    """Make offer on a thread card."""
    command = deals.StartOffer(ThreadOffer.of(update).thread_id, _currency(context))
    return await _asked_amount(update, context, await context.turn.run(deals.start_offer, command))


async def counter(update: Update, context: LeadlineContext) -> str:
    """Counter on an offer card: checks it may be countered, then asks the amount."""
    command = deals.CounterOffer(OfferCounter.of(update).offer_id, _currency(context))
    drafting = await context.turn.run(deals.start_counter, command)
    return await _asked_amount(update, context, drafting, texts.COUNTER_PREFIX)


async def _asked_amount(
    update: Update, context: LeadlineContext, drafting: Drafting, prefix: str = ""
) -> str:
    """The offer form has begun (a draft row): asks the amount."""
    enter_flow(context, "offer")
    assert context.user_data is not None
    # The questions speak to a buyer countering differently from a seller bidding.
    buyer = context.turn.user is not None and drafting.lead.buyer_id == context.turn.user.id
    context.user_data[AS_BUYER] = buyer
    await answer_query(update, context)
    text = texts.offer_for(drafting.lead, _currency(context), prefix, buyer=buyer)
    await say(update, context, text)
    return AMOUNT


def _as_buyer(context: LeadlineContext) -> bool:
    return bool(context.user_data and context.user_data.get(AS_BUYER))


def _currency(context: LeadlineContext) -> str:
    return context.services.currency


async def amount(update: Update, context: LeadlineContext) -> str:
    """Stores the amount and asks for the days."""
    return await _answer(update, context, AMOUNT)


async def days(update: Update, context: LeadlineContext) -> str:
    """Stores the days and asks for a note."""
    return await _answer(update, context, DAYS)


async def note(update: Update, context: LeadlineContext) -> str:
    """Stores the note and shows the offer to confirm."""
    return await _answer(update, context, NOTE)


async def skip_note(update: Update, context: LeadlineContext) -> str:
    """Goes on without a note."""
    draft = await context.turn.run(deals.answer_draft, AnswerDraft(DraftField.NOTE, None))
    await answer_query(update, context)
    await edit_markup(update, context, None)
    return await _ask(update, context, CONFIRM, draft)


async def _answer(update: Update, context: LeadlineContext, question: str) -> str:
    """Stores one answer of the form; a wrong one gets a sentence and the same question."""
    message = update.effective_message
    assert message is not None and message.text is not None
    try:
        draft = await context.turn.attempt(
            deals.answer_draft, AnswerDraft(FIELDS[question], message.text)
        )
    except InvalidInput as error:
        return await _ask(update, context, question, None, prefix=error.sentence)
    return await _ask(update, context, FOLLOWING[question], draft)


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
        text = texts.amount_question(_currency(context), buyer=_as_buyer(context))
    elif question == DAYS:
        text = texts.DAYS_QUESTION
    elif question == NOTE:
        text, markup = texts.note_question(buyer=_as_buyer(context)), views.skip_note()
    else:
        assert draft is not None
        text, markup = texts.confirm(draft), views.confirm()
    await ask(update, context, f"{escape(prefix)}\n\n{text}" if prefix else text, markup)
    return question


async def confirm_hint(update: Update, context: LeadlineContext) -> str:
    """A message at "Send this offer?": the buttons decide; the offer is shown again."""
    draft = await context.turn.run(deals.current_draft, None)
    return await _ask(update, context, CONFIRM, draft, prefix=common_texts.USE_BUTTONS)


async def send(update: Update, context: LeadlineContext) -> int:
    """Sends the offer to the other side."""
    deal = await context.turn.run(deals.send_draft, deals.SendDraft())
    await answer_query(update, context)
    await edit_markup(update, context, None)
    await say(update, context, texts.sent(deal), views.sent_actions(deal))
    return END


async def cancel(update: Update, context: LeadlineContext) -> int:
    """Drops the offer being written."""
    await context.turn.run(deals.drop_draft, deals.DropDraft())
    await answer_query(update, context)
    if update.callback_query is not None:
        await edit_markup(update, context, None)
    await say(update, context, texts.CANCELLED)
    return END


def not_text(question: str) -> Callable[[Update, LeadlineContext], Coroutine[Any, Any, str]]:
    """The answer to a photo, file or sticker where ``question`` wants text."""

    async def ask_again(update: Update, context: LeadlineContext) -> str:
        """One sentence, and the same question again (the note's with its Skip)."""
        return await _ask(update, context, question, None, prefix=common_texts.SEND_TEXT)

    return ask_again


async def wrong_input(update: Update, context: LeadlineContext) -> None:
    """A message the current question cannot take: one sentence, the question stays."""
    await say(update, context, common_texts.SEND_TEXT)


async def accept(update: Update, context: LeadlineContext) -> None:
    """Accept on an offer: hires."""
    hiring = await context.turn.run(deals.accept, AnswerOffer(OfferAccept.of(update).offer_id))
    await answer_query(update, context, texts.HIRED_ALERT)
    await edit_markup(update, context, None)
    await say(
        update,
        context,
        texts.hired(hiring.deal, hiring.contract),
        views.message_button(hiring.deal),
    )


async def decline(update: Update, context: LeadlineContext) -> None:
    """Decline on an offer."""
    deal = await context.turn.run(deals.decline, AnswerOffer(OfferDecline.of(update).offer_id))
    await answer_query(update, context, texts.DECLINED_ALERT)
    await edit_markup(update, context, None)
    await say(update, context, texts.declined_by_me(deal))


async def withdraw(update: Update, context: LeadlineContext) -> None:
    """Withdraw on one's own offer."""
    await context.turn.run(deals.withdraw, AnswerOffer(OfferWithdraw.of(update).offer_id))
    await answer_query(update, context, texts.WITHDRAWN_ALERT)
    await edit_markup(update, context, None)
    await say(update, context, texts.WITHDRAWN)


def build(flows: Flows) -> ConversationHandler[LeadlineContext]:
    in_flow = flows.only("offer")
    states: dict[object, Handlers] = {
        AMOUNT: [
            MessageHandler(TEXT_ANSWER & in_flow, amount),
            MessageHandler(NEW_MESSAGE & in_flow, not_text(AMOUNT)),
        ],
        DAYS: [
            MessageHandler(TEXT_ANSWER & in_flow, days),
            MessageHandler(NEW_MESSAGE & in_flow, not_text(DAYS)),
        ],
        NOTE: [
            MessageHandler(TEXT_ANSWER & in_flow, note),
            CallbackQueryHandler(skip_note, OfferSkipNote.matches),
            MessageHandler(NEW_MESSAGE & in_flow, not_text(NOTE)),
        ],
        CONFIRM: [
            CallbackQueryHandler(send, OfferSend.matches),
            CallbackQueryHandler(cancel, OfferCancel.matches),
            MessageHandler(NEW_MESSAGE & in_flow, confirm_hint),
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
            CommandHandler("cancel", cancel, filters=in_flow),
            MessageHandler(NEW_MESSAGE & in_flow, wrong_input),
        ],
    )


def handlers() -> list[BaseHandler[Update, LeadlineContext, Any]]:
    return [
        CallbackQueryHandler(accept, OfferAccept.matches),
        CallbackQueryHandler(decline, OfferDecline.matches),
        CallbackQueryHandler(withdraw, OfferWithdraw.matches),
    ]
