"""Connect and bid, counter, accept (hire), decline and withdraw offers."""

from __future__ import annotations

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

from domain import deals, relay
from domain.errors import DomainError
from domain.money import Money, parse_money
from domain.negotiation import validate_days, validate_note
from handlers import deal_views, texts
from handlers.callbacks import Callback, pattern
from handlers.common import NEW_MESSAGE, TEXT_ANSWER, answer_query, edit_markup, say, telegram_id
from handlers.context import LeadlineContext
from handlers.conversation import Handlers, persistent_conversation
from handlers.deal_views import OFFER, THREAD, TelegramDealNotices
from handlers.keyboards import button, rows
from handlers.lead_views import LEAD

END = ConversationHandler.END
AMOUNT, DAYS, NOTE, CONFIRM = "amount", "days", "note", "confirm"
DRAFT = "offer_draft"  # user_data: {"thread": id, "minor": int, "days": int, "note": str}
NOTICES = TelegramDealNotices()
QUESTIONS = {
    DAYS: "In how many days will the work be done? (1–365)",
    NOTE: "Add a note for the other side (what is included, how you will work), or tap Skip.",
}


def _argument(update: Update) -> str:
    query = update.callback_query
    decoded = Callback.decode(query.data if query else None)
    return decoded.argument if decoded else ""


def _draft(context: LeadlineContext) -> dict[str, Any]:
    assert context.user_data is not None
    draft = context.user_data.setdefault(DRAFT, {})
    assert isinstance(draft, dict)
    return draft


async def _ask_amount(
    update: Update, context: LeadlineContext, thread_id: int, prefix: str = ""
) -> str:
    """Starts the offer form for a thread: asks the amount."""
    assert context.user_data is not None
    context.user_data[DRAFT] = {"thread": thread_id}
    view = await relay.view_thread(context.uow(), telegram_id(update), thread_id)
    budget = f" (budget {view.lead.budget.format()})" if view.lead.budget else ""
    text = (
        f"{prefix}Your offer for <b>{escape(view.lead.title or '')}</b>{budget}.\n"
        f"How much do you propose, in {context.services.currency}?"
    )
    await say(update, context, text)
    return AMOUNT


async def connect(update: Update, context: LeadlineContext) -> str | int:
    """Connect on a lead: opens the thread and asks for the bid."""
    lead_id = _argument(update)
    try:
        thread = await deals.connect(
            context.uow(),
            telegram_id(update),
            int(lead_id) if lead_id.isdigit() else 0,
            context.now(),
        )
    except DomainError as error:
        await answer_query(update, error.sentence, alert=True)
        return END
    await answer_query(update)
    return await _ask_amount(update, context, thread.id or 0)


async def new_offer(update: Update, context: LeadlineContext) -> str | int:
    """Make offer on a thread card."""
    thread_id = _argument(update)
    await answer_query(update)
    try:
        return await _ask_amount(update, context, int(thread_id) if thread_id.isdigit() else 0)
    except DomainError as error:
        await say(update, context, escape(error.sentence))
        return END


async def counter(update: Update, context: LeadlineContext) -> str | int:
    """Counter on an offer card: checks it may be countered, then asks the amount."""
    offer_id = _argument(update)
    try:
        thread = await deals.counter_target(
            context.uow(), telegram_id(update), int(offer_id) if offer_id.isdigit() else 0
        )
    except DomainError as error:
        await answer_query(update, error.sentence, alert=True)
        return END
    await answer_query(update)
    return await _ask_amount(update, context, thread.id or 0, prefix="🔁 Counter-offer. ")


async def amount(update: Update, context: LeadlineContext) -> str:
    """Stores the amount and asks for the days."""
    message = update.effective_message
    assert message is not None and message.text is not None
    try:
        money = parse_money(message.text, context.services.currency)
    except DomainError as error:
        await say(
            update,
            context,
            f"{escape(error.sentence)}\n\nHow much do you propose, in {context.services.currency}?",
        )
        return AMOUNT
    _draft(context)["minor"] = money.minor
    await say(update, context, QUESTIONS[DAYS])
    return DAYS


async def days(update: Update, context: LeadlineContext) -> str:
    """Stores the days and asks for a note."""
    message = update.effective_message
    assert message is not None and message.text is not None
    try:
        _draft(context)["days"] = validate_days(message.text)
    except DomainError as error:
        await say(update, context, f"{escape(error.sentence)}\n\n{QUESTIONS[DAYS]}")
        return DAYS
    await say(update, context, QUESTIONS[NOTE], rows(button("Skip", OFFER, "skipnote")))
    return NOTE


async def note(update: Update, context: LeadlineContext) -> str:
    """Stores the note and shows the offer to confirm."""
    message = update.effective_message
    assert message is not None and message.text is not None
    try:
        _draft(context)["note"] = validate_note(message.text)
    except DomainError as error:
        await say(
            update,
            context,
            f"{escape(error.sentence)}\n\n{QUESTIONS[NOTE]}",
            rows(button("Skip", OFFER, "skipnote")),
        )
        return NOTE
    return await _confirm(update, context)


async def skip_note(update: Update, context: LeadlineContext) -> str:
    """Goes on without a note."""
    await answer_query(update)
    await edit_markup(update, None)
    _draft(context).pop("note", None)
    return await _confirm(update, context)


async def _confirm(update: Update, context: LeadlineContext) -> str:
    draft = _draft(context)
    money = Money(int(draft["minor"]), context.services.currency)
    lines = [f"Send this offer?\n\n💰 <b>{money.format()}</b> in <b>{draft['days']}</b> day(s)"]
    if draft.get("note"):
        lines.append(f"📝 {escape(str(draft['note']))}")
    markup = rows(button("📨 Send offer", OFFER, "send"), button("✖️ Cancel", OFFER, "cancel"))
    await say(update, context, "\n".join(lines), markup)
    return CONFIRM


async def send(update: Update, context: LeadlineContext) -> str | int:
    """Sends the offer to the other side."""
    draft = _draft(context)
    try:
        deal = await deals.make_offer(
            context.uow(),
            telegram_id(update),
            int(draft["thread"]),
            Money(int(draft["minor"]), context.services.currency),
            int(draft["days"]),
            draft.get("note"),
            context.now(),
            NOTICES,
        )
    except DomainError as error:
        await answer_query(update, error.sentence, alert=True)
        return END
    except KeyError:
        await answer_query(update, texts.STALE_BUTTON)
        return END
    context.services.kick_outbox()
    assert context.user_data is not None
    context.user_data.pop(DRAFT, None)
    await answer_query(update)
    await edit_markup(update, None)
    await say(
        update,
        context,
        f"📨 Your offer was sent to {escape(deal.recipient.name)}.",
        deal_views.sent_actions(deal),
    )
    return END


async def cancel(update: Update, context: LeadlineContext) -> int:
    """Drops the offer being written."""
    await answer_query(update)
    if update.callback_query is not None:
        await edit_markup(update, None)
    if context.user_data is not None:
        context.user_data.pop(DRAFT, None)
    await say(update, context, "Cancelled; no offer was sent.")
    return END


async def wrong_input(update: Update, context: LeadlineContext) -> None:
    """A message the current question cannot take: one sentence, the question stays."""
    await say(update, context, texts.SEND_TEXT)


async def accept(update: Update, context: LeadlineContext) -> None:
    """Accept on an offer: hires."""
    offer_id = _argument(update)
    try:
        deal, contract = await deals.accept(
            context.uow(),
            telegram_id(update),
            int(offer_id) if offer_id.isdigit() else 0,
            context.now(),
            NOTICES,
        )
    except DomainError as error:
        await answer_query(update, error.sentence, alert=True)
        return
    context.services.kick_outbox()
    await answer_query(update, "Hired!")
    await edit_markup(update, None)
    await say(
        update,
        context,
        deal_views.hired_text(deal, contract),
        rows(button("💬 Message", THREAD, "msg", str(deal.thread.id))),
    )


async def _close(update: Update, context: LeadlineContext, withdrawing: bool) -> None:
    offer_id = _argument(update)
    close = deals.withdraw if withdrawing else deals.decline
    try:
        deal = await close(
            context.uow(),
            telegram_id(update),
            int(offer_id) if offer_id.isdigit() else 0,
            context.now(),
            NOTICES,
        )
    except DomainError as error:
        await answer_query(update, error.sentence, alert=True)
        return
    context.services.kick_outbox()
    await answer_query(update, "Withdrawn." if withdrawing else "Declined.")
    await edit_markup(update, None)
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
        AMOUNT: [MessageHandler(TEXT_ANSWER, amount)],
        DAYS: [MessageHandler(TEXT_ANSWER, days)],
        NOTE: [
            MessageHandler(TEXT_ANSWER, note),
            CallbackQueryHandler(skip_note, pattern(OFFER, "skipnote")),
        ],
        CONFIRM: [
            CallbackQueryHandler(send, pattern(OFFER, "send")),
            CallbackQueryHandler(cancel, pattern(OFFER, "cancel")),
        ],
    }
    return persistent_conversation(
        "offer",
        entry_points=[
            CallbackQueryHandler(connect, pattern(LEAD, "connect")),
            CallbackQueryHandler(counter, pattern(OFFER, "counter")),
            CallbackQueryHandler(new_offer, pattern(THREAD, "offer")),
        ],
        states=states,
        fallbacks=[CommandHandler("cancel", cancel), MessageHandler(NEW_MESSAGE, wrong_input)],
    )


def handlers() -> list[BaseHandler[Update, LeadlineContext, Any]]:
    return [
        CallbackQueryHandler(accept, pattern(OFFER, "accept")),
        CallbackQueryHandler(decline, pattern(OFFER, "decline")),
        CallbackQueryHandler(withdraw, pattern(OFFER, "withdraw")),
    ]
