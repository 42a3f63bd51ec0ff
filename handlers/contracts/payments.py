"""Paying by Telegram invoice, when a payment provider is configured.

The invoice answers the buyer's own Approve (or Pay), so it is sent as that tap's reply,
after the commit, in the replies' lane rather than behind bulk deliveries in the outbox.
Nothing is lost if it never arrives: the payload names the contract and the total billed,
any invoice of the contract is as good as another, and tapping Pay sends a new one.

Telegram asks before charging (``pre_checkout_query``); the answer is yes only if the
contract still awaits this very payment. The ``successful_payment`` that follows is
recorded with both charge ids exactly once: the charge id is unique in the database, so a
repeated update finds it recorded and changes nothing.
"""

from __future__ import annotations

from typing import Any

from telegram import LabeledPrice, Update
from telegram.ext import BaseHandler, MessageHandler, PreCheckoutQueryHandler, filters

from domain import payment_cases
from domain.billing import invoice_payload
from domain.errors import DomainError
from domain.payment_cases import Billing, CheckInvoice, InvoicePaid
from handlers.contracts import texts
from handlers.core.common import later, say
from handlers.core.context import LeadlineContext


async def send_invoice(
    update: Update, context: LeadlineContext, billing: Billing, provider_token: str
) -> None:
    """Sends the buyer an invoice for the total: the agreed amount and the service fee."""
    chat = update.effective_chat
    assert chat is not None
    bill, engagement = billing.bill, billing.engagement
    prices = [LabeledPrice(texts.AGREED_AMOUNT, bill.amount.minor)]
    if bill.fee.minor:
        prices.append(LabeledPrice(texts.fee_label(bill), bill.fee.minor))
    bot = context.bot
    title, description = texts.invoice_title(engagement), texts.invoice_description(billing)
    payload = invoice_payload(engagement.contract, bill.total)
    await say(update, context, texts.INVOICE_INTRO)
    later(
        context,
        lambda: bot.send_invoice(
            chat.id,
            title,
            description,
            payload,
            bill.total.currency,
            prices,
            provider_token=provider_token,
        ),
    )


async def pre_checkout(update: Update, context: LeadlineContext) -> None:
    """Telegram asks before charging: yes only if the contract still awaits this payment."""
    query = update.pre_checkout_query
    assert query is not None
    command = CheckInvoice(
        query.invoice_payload,
        query.currency,
        query.total_amount,
        context.services.service_fee_percent,
    )
    try:
        await context.turn.run(payment_cases.check_invoice, command)
    except DomainError as error:
        sentence = error.sentence
        later(context, lambda: query.answer(ok=False, error_message=sentence))
        return
    later(context, lambda: query.answer(ok=True))


async def paid(update: Update, context: LeadlineContext) -> None:
    """Telegram reports the payment: recorded once with both charge ids; the lead is
    completed."""
    message = update.effective_message
    assert message is not None and message.successful_payment is not None
    payment = message.successful_payment
    command = InvoicePaid(
        payment.invoice_payload,
        payment.currency,
        payment.total_amount,
        payment.telegram_payment_charge_id,
        payment.provider_payment_charge_id,
    )
    outcome = await context.turn.run(payment_cases.record_invoice_payment, command)
    if outcome is None:
        return  # Telegram repeated the update: this charge is recorded already
    await say(update, context, texts.invoice_paid(outcome))


def handlers() -> list[BaseHandler[Update, LeadlineContext, Any]]:
    return [
        PreCheckoutQueryHandler(pre_checkout),
        MessageHandler(filters.SUCCESSFUL_PAYMENT, paid),
    ]
