"""The questions of a contract: delivering (a message and files go first), asking for
changes, how the buyer paid after approving, and a new due date.

Every button of these questions is also an entry point, so a question answered from an
older message (or after a restart in another flow) still finds its handler; each one
checks again on the server that the user may do it now.
"""

from __future__ import annotations

from html import escape
from typing import Any

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler

from domain import contract_cases, payment_cases, relay
from domain.billing import PaymentMethod, invoice_possible
from domain.contract_cases import (
    AskMove,
    ContractCard,
    OpenContract,
    ProposeExtension,
    RequestChanges,
)
from domain.contracts import Move
from domain.errors import InvalidInput, NotAllowed
from domain.payment_cases import Approve, Billing, ConfirmPayment, PaymentForm
from domain.relay import SendMessage
from handlers.chat import texts as chat_texts
from handlers.chat.relay import RELAYABLE, message_content
from handlers.contracts import payments, texts, views
from handlers.contracts.buttons import (
    ContractApprove,
    ContractChanges,
    ContractDeliver,
    ContractDeliverSend,
    ContractExtend,
    ContractExtendBy,
    ContractFormCancel,
    ContractPayConfirm,
    ContractPayMethod,
)
from handlers.core.callbacks import StaleButton
from handlers.core.common import NEW_MESSAGE, TEXT_ANSWER, answer_query, edit_markup, say
from handlers.core.context import LeadlineContext
from handlers.core.conversation import Handlers, persistent_conversation
from handlers.core.flows import Flows
from handlers.core.flows import enter as enter_flow

END = ConversationHandler.END
NAME = "contract"
DELIVERING, CHANGES, NEW_DATE = "delivering", "changes", "new_date"
PAY_METHOD, PAY_CONFIRM = "pay_method", "pay_confirm"
# user_data: the question being asked, {"contract": id, "thread": id, "form": state}, and
# the payment being described, {"contract": id, "method": PaymentMethod, "note": str|None}.
FORM, PAYMENT = "contract_form", "contract_payment"
PICK_METHOD_FIRST = "Please tap how you paid first (💳 Pay on the lead's card)."


def _fee(context: LeadlineContext) -> float:
    return context.services.service_fee_percent


def _enter(context: LeadlineContext, card: ContractCard, form: str) -> None:
    enter_flow(context, NAME)
    assert context.user_data is not None
    contract = card.engagement.contract
    context.user_data[FORM] = {"contract": contract.key, "thread": contract.thread_id, "form": form}


def _form(context: LeadlineContext) -> dict[str, Any]:
    assert context.user_data is not None
    form = context.user_data.get(FORM)
    if not isinstance(form, dict):
        raise StaleButton
    return form


def _leave(context: LeadlineContext) -> None:
    if context.user_data is not None:
        context.user_data.pop(FORM, None)
        context.user_data.pop(PAYMENT, None)


def _text(update: Update) -> str:
    message = update.effective_message
    assert message is not None and message.text is not None
    return message.text


# Delivering.


async def start_delivery(update: Update, context: LeadlineContext) -> str:
    """Delivered: asks for the message and files that go with the delivery."""
    contract_id = ContractDeliver.of(update).contract_id
    card = await context.turn.run(contract_cases.ask, AskMove(contract_id, Move.DELIVER))
    _enter(context, card, DELIVERING)
    await answer_query(update, context)
    await say(update, context, texts.delivery_question(card), views.delivery_prompt(contract_id))
    return DELIVERING


async def delivery_message(update: Update, context: LeadlineContext) -> str:
    """Passes a message or a file of the delivery on to the buyer, as chat."""
    message = update.effective_message
    assert message is not None
    form = _form(context)
    relayed = await context.turn.run(
        relay.send, SendMessage(int(form["thread"]), message_content(message))
    )
    if relayed.remind:
        await say(update, context, chat_texts.REMINDER)
    await say(update, context, texts.PASSED_ON, views.delivery_prompt(int(form["contract"])))
    return DELIVERING


async def unsupported(update: Update, context: LeadlineContext) -> str:
    """Stickers, locations and the like are not passed on."""
    await say(update, context, texts.UNSUPPORTED)
    return DELIVERING


async def send_delivery(update: Update, context: LeadlineContext) -> int:
    """Send delivery: the buyer gets the delivery card."""
    contract_id = ContractDeliverSend.of(update).contract_id
    engagement = await context.turn.run(contract_cases.deliver, OpenContract(contract_id))
    _leave(context)
    await answer_query(update, context, texts.DELIVERED_ALERT)
    await edit_markup(update, context, None)
    await say(update, context, texts.delivered(engagement))
    return END


# Asking for changes.


async def ask_changes(update: Update, context: LeadlineContext) -> str:
    """Request changes: asks what should change."""
    contract_id = ContractChanges.of(update).contract_id
    card = await context.turn.run(contract_cases.ask, AskMove(contract_id, Move.REQUEST_CHANGES))
    _enter(context, card, CHANGES)
    await answer_query(update, context)
    await say(update, context, texts.changes_question(card.engagement), views.stop())
    return CHANGES


async def changes_note(update: Update, context: LeadlineContext) -> int | str:
    """Sends the note to the seller; the lead is in progress again."""
    contract_id = int(_form(context)["contract"])
    try:
        engagement = await context.turn.attempt(
            contract_cases.request_changes, RequestChanges(contract_id, _text(update))
        )
    except InvalidInput as error:
        card = await context.turn.run(
            contract_cases.ask, AskMove(contract_id, Move.REQUEST_CHANGES)
        )
        question = texts.changes_question(card.engagement)
        await say(update, context, f"{escape(error.sentence)}\n\n{question}", views.stop())
        return CHANGES
    _leave(context)
    await say(update, context, texts.changes_sent(engagement))
    return END


# Approving and paying.


async def approve(update: Update, context: LeadlineContext) -> int | str:
    """Approve (or Pay): the bill and how the buyer paid, or a Telegram invoice."""
    contract_id = ContractApprove.of(update).contract_id
    billing = await context.turn.run(payment_cases.approve, Approve(contract_id, _fee(context)))
    await answer_query(update, context, texts.APPROVED_ALERT if billing.first else None)
    token = context.services.payment_provider_token
    if token and invoice_possible(billing.bill.total):
        _leave(context)
        await payments.send_invoice(update, context, billing, token)
        return END
    enter_flow(context, NAME)
    _describe(context, contract_id, None, None)
    card = texts.bill_card(billing)
    if token:
        # Telegram takes invoices of about US$1 to US$10,000 only.
        card = f"{texts.NO_INVOICE}\n\n{card}"
    await say(update, context, card, views.payment_methods(contract_id))
    return PAY_METHOD


def _describe(
    context: LeadlineContext, contract_id: int, method: PaymentMethod | None, note: str | None
) -> None:
    assert context.user_data is not None
    method_name = method.value if method is not None else None
    context.user_data[PAYMENT] = {"contract": contract_id, "method": method_name, "note": note}


async def _confirm_question(
    update: Update,
    context: LeadlineContext,
    contract_id: int,
    method: PaymentMethod,
    note: str | None,
) -> str:
    """Checks what the buyer said about the payment and asks them to confirm it; a wrong
    note gets a sentence and the question again."""
    try:
        billing = await context.turn.attempt(
            payment_cases.payment_form, PaymentForm(contract_id, method, note, _fee(context))
        )
    except InvalidInput as error:
        return await _ask_again(update, context, contract_id, error.sentence)
    _describe(context, contract_id, method, note)
    markup = views.payment_confirmation(contract_id)
    await say(update, context, texts.payment_confirmation(billing, method, note), markup)
    return PAY_CONFIRM


async def _ask_again(
    update: Update, context: LeadlineContext, contract_id: int, sentence: str
) -> str:
    """The question the buyer is at, again, after one sentence saying what was wrong."""
    payment = _payment(context)
    method = payment[1] if payment is not None and payment[0] == contract_id else None
    billing: Billing
    if method is None:
        billing = await context.turn.run(payment_cases.approve, Approve(contract_id, _fee(context)))
        text, markup = texts.bill_card(billing), views.payment_methods(contract_id)
        state = PAY_METHOD
    else:
        note = payment[2] if payment is not None else None
        billing = await context.turn.run(
            payment_cases.payment_form, PaymentForm(contract_id, method, note, _fee(context))
        )
        text = texts.payment_confirmation(billing, method, note)
        markup, state = views.payment_confirmation(contract_id), PAY_CONFIRM
    await say(update, context, f"{escape(sentence)}\n\n{text}", markup)
    return state


def _payment(context: LeadlineContext) -> tuple[int, PaymentMethod | None, str | None] | None:
    """The payment being described: (contract id, method, note)."""
    assert context.user_data is not None
    payment = context.user_data.get(PAYMENT)
    if not isinstance(payment, dict):
        return None
    method = payment.get("method")
    return (
        int(payment["contract"]),
        PaymentMethod(method) if method else None,
        payment.get("note"),
    )


async def pick_method(update: Update, context: LeadlineContext) -> str:
    """A payment method tapped: asks to confirm the payment."""
    pressed = ContractPayMethod.of(update)
    if not views.pickable(pressed.method):
        raise StaleButton
    enter_flow(context, NAME)
    await answer_query(update, context)
    await edit_markup(update, context, None)
    return await _confirm_question(update, context, pressed.contract_id, pressed.method, None)


async def typed_method(update: Update, context: LeadlineContext) -> str:
    """A payment method typed: asks to confirm the payment."""
    payment = _payment(context)
    if payment is None:
        raise NotAllowed(PICK_METHOD_FIRST)
    return await _confirm_question(update, context, payment[0], PaymentMethod.OTHER, _text(update))


async def typed_note(update: Update, context: LeadlineContext) -> str:
    """A reference typed at the confirmation (or, for a typed method, a new wording)."""
    payment = _payment(context)
    if payment is None or payment[1] is None:
        raise NotAllowed(PICK_METHOD_FIRST)
    return await _confirm_question(update, context, payment[0], payment[1], _text(update))


async def confirm_paid(update: Update, context: LeadlineContext) -> int:
    """Yes, I paid: the payment is recorded with the time, and the lead is completed."""
    contract_id = ContractPayConfirm.of(update).contract_id
    payment = _payment(context)
    if payment is None or payment[0] != contract_id or payment[1] is None:
        # Someone who may not pay hears why; the buyer, that a method is missing.
        await context.turn.run(contract_cases.ask, AskMove(contract_id, Move.PAY))
        raise NotAllowed(PICK_METHOD_FIRST)
    command = ConfirmPayment(contract_id, payment[1], payment[2], _fee(context))
    completion = await context.turn.run(payment_cases.confirm_payment, command)
    _leave(context)
    await answer_query(update, context)
    await edit_markup(update, context, None)
    await say(update, context, texts.completed(completion, context.turn.actor))
    return END


# A new due date.


async def ask_new_date(update: Update, context: LeadlineContext) -> str:
    """Extend: asks for the new due date to propose to the seller."""
    contract_id = ContractExtend.of(update).contract_id
    card = await context.turn.run(contract_cases.ask, AskMove(contract_id, Move.EXTEND))
    _enter(context, card, NEW_DATE)
    await answer_query(update, context)
    options = views.extend_options(card, context.turn.now)
    await say(update, context, texts.extend_question(card), options)
    return NEW_DATE


async def extend_by(update: Update, context: LeadlineContext) -> int:
    """A new due date tapped: proposed to the seller."""
    pressed = ContractExtendBy.of(update)
    command = ProposeExtension(pressed.contract_id, days=pressed.days)
    proposed = await context.turn.run(contract_cases.propose_extension, command)
    _leave(context)
    await answer_query(update, context, texts.SENT_ALERT)
    await edit_markup(update, context, None)
    me = context.turn.actor
    await say(update, context, texts.extension_sent(proposed.engagement, proposed.proposal, me))
    return END


async def typed_date(update: Update, context: LeadlineContext) -> int | str:
    """A new due date typed: proposed, or the question again."""
    contract_id = int(_form(context)["contract"])
    try:
        proposed = await context.turn.attempt(
            contract_cases.propose_extension, ProposeExtension(contract_id, text=_text(update))
        )
    except InvalidInput as error:
        return await _ask_date_again(update, context, contract_id, error.sentence)
    _leave(context)
    me = context.turn.actor
    await say(update, context, texts.extension_sent(proposed.engagement, proposed.proposal, me))
    return END


async def _ask_date_again(
    update: Update, context: LeadlineContext, contract_id: int, sentence: str
) -> str:
    """The new due date question, again with its options, after one sentence."""
    card = await context.turn.run(contract_cases.ask, AskMove(contract_id, Move.EXTEND))
    question = texts.extend_question(card)
    options = views.extend_options(card, context.turn.now)
    await say(update, context, f"{escape(sentence)}\n\n{question}", options)
    return NEW_DATE


async def date_not_text(update: Update, context: LeadlineContext) -> str:
    """A photo or file at the new due date: one sentence and the question with its options."""
    return await _ask_date_again(update, context, int(_form(context)["contract"]), texts.SEND_TEXT)


async def payment_not_text(update: Update, context: LeadlineContext) -> str | None:
    """A photo or file at the payment questions: one sentence and the question again."""
    payment = _payment(context)
    if payment is None:
        await wrong_input(update, context)
        return None
    return await _ask_again(update, context, payment[0], texts.SEND_TEXT)


# Leaving a question.


async def stop(update: Update, context: LeadlineContext) -> int:
    """Cancel, Not yet or /cancel: leaves the question; nothing more changes."""
    assert context.user_data is not None
    form = context.user_data.get(FORM)
    delivering = isinstance(form, dict) and form.get("form") == DELIVERING
    paying = PAYMENT in context.user_data
    _leave(context)
    await answer_query(update, context)
    if update.callback_query is not None:
        await edit_markup(update, context, None)
    text = texts.DELIVERY_STOPPED if delivering else texts.PAY_LATER if paying else texts.STOPPED
    await say(update, context, text)
    return END


async def wrong_input(update: Update, context: LeadlineContext) -> None:
    """A message the question cannot take: one sentence, the question stays."""
    await say(update, context, texts.SEND_TEXT)


def build(flows: Flows) -> ConversationHandler[LeadlineContext]:
    in_flow = flows.only(NAME)
    text = TEXT_ANSWER & in_flow
    states: dict[object, Handlers] = {
        DELIVERING: [
            MessageHandler(RELAYABLE & in_flow, delivery_message),
            MessageHandler(NEW_MESSAGE & in_flow, unsupported),
        ],
        CHANGES: [MessageHandler(text, changes_note)],
        PAY_METHOD: [
            MessageHandler(text, typed_method),
            MessageHandler(NEW_MESSAGE & in_flow, payment_not_text),
        ],
        PAY_CONFIRM: [
            MessageHandler(text, typed_note),
            MessageHandler(NEW_MESSAGE & in_flow, payment_not_text),
        ],
        NEW_DATE: [
            MessageHandler(text, typed_date),
            MessageHandler(NEW_MESSAGE & in_flow, date_not_text),
        ],
    }
    return persistent_conversation(
        NAME,
        entry_points=[
            CallbackQueryHandler(start_delivery, ContractDeliver.matches),
            CallbackQueryHandler(send_delivery, ContractDeliverSend.matches),
            CallbackQueryHandler(ask_changes, ContractChanges.matches),
            CallbackQueryHandler(approve, ContractApprove.matches),
            CallbackQueryHandler(pick_method, ContractPayMethod.matches),
            CallbackQueryHandler(confirm_paid, ContractPayConfirm.matches),
            CallbackQueryHandler(ask_new_date, ContractExtend.matches),
            CallbackQueryHandler(extend_by, ContractExtendBy.matches),
            CallbackQueryHandler(stop, ContractFormCancel.matches),
        ],
        states=states,
        fallbacks=[
            CommandHandler("cancel", stop, filters=in_flow),
            MessageHandler(NEW_MESSAGE & in_flow, wrong_input),
        ],
    )
