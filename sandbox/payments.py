"""What pressing Pay on an invoice does, and what the bot's pre-checkout answer leads to.

Telegram's order of events: the user confirms the payment form, the bot gets a
``pre_checkout_query`` and must answer it with answerPreCheckoutQuery within 10 seconds.
ok=True: the provider charges the user and the bot gets a message with
``successful_payment`` (both charge ids). ok=False: the user sees the bot's error_message
and nothing is charged. No answer in time: the payment fails, nothing is charged.
Shared by the Python scripting API (SimUser) and the web chat page.
"""

from __future__ import annotations

import asyncio
import secrets

from sandbox.errors import SandboxError, bad_request
from sandbox.models import JSON, Message, Payment
from sandbox.world import ChatState, World

QUERY_INVALID = "query is too old and response timeout expired or query ID is invalid"
EXPIRED_NOTICE = "Payment failed: the bot did not confirm the order in time. You were not charged."


def payments_for(world: World, state: ChatState, message_id: int) -> list[Payment]:
    user_id = state.user["id"]
    return [
        p
        for p in world.payments.values()
        if p.user_id == user_id and p.invoice_message_id == message_id
    ]


def newest_unpaid_invoice(world: World, state: ChatState) -> Message:
    """The newest invoice from the bot in this chat that has not been paid yet."""
    for message in reversed(list(state.messages.values())):
        if not message.from_bot or message.deleted or message.invoice is None:
            continue
        if not any(p.ok for p in payments_for(world, state, message.message_id)):
            return message
    raise SandboxError(f"no unpaid invoice in the chat with user {state.user['id']}")


def start(world: World, state: ChatState, message_id: int) -> Payment:
    """The user fills in the payment form and presses Pay: the bot gets a pre_checkout_query."""
    if state.blocked:
        raise SandboxError(f"user {state.user['id']} has blocked the bot; unblock it to pay")
    message = state.messages.get(message_id)
    if message is None or message.deleted:
        raise SandboxError(f"no message {message_id} in the chat with user {state.user['id']}")
    invoice = message.invoice
    if not message.from_bot or invoice is None:
        raise SandboxError(f"message {message_id} is not an invoice")
    earlier = payments_for(world, state, message_id)
    if any(p.ok for p in earlier):
        # Telegram turns the Pay button of a paid invoice into Receipt.
        raise SandboxError(f"invoice {message_id} is already paid")
    if any(p.pending for p in earlier):
        raise SandboxError(f"a payment of invoice {message_id} is already waiting for the bot")
    private: JSON = message.extra["_invoice"]
    payment = Payment(
        id=str(world.next_id() * 6151 + 7_000_000),
        user_id=int(state.user["id"]),
        invoice_message_id=message_id,
        currency=invoice["currency"],
        total_amount=invoice["total_amount"],
        invoice_payload=private["payload"],
    )
    world.payments[payment.id] = payment
    update = world.updates.push(
        "pre_checkout_query",
        {
            "id": payment.id,
            "from": dict(state.user),
            "currency": payment.currency,
            "total_amount": payment.total_amount,
            "invoice_payload": payment.invoice_payload,
        },
    )
    payment.pre_checkout_update_id = update["update_id"] if update else None
    loop = asyncio.get_running_loop()
    payment.expiry = loop.call_later(world.pre_checkout_timeout, expire, world, payment)
    world.changed()
    return payment


def answer(world: World, query_id: str, ok: bool, error_message: str | None) -> None:
    """The bot's answerPreCheckoutQuery (already validated by the method)."""
    payment = world.payments.get(query_id)
    if payment is None or not payment.pending:
        raise bad_request(QUERY_INVALID)
    if payment.expiry is not None:
        payment.expiry.cancel()
    if ok:
        _charge(world, payment)
    else:
        payment.status, payment.error_message = "declined", error_message
        world.add_notice(payment.user_id, "alert", error_message or "")
    world.changed()


def expire(world: World, payment: Payment) -> None:
    """No answer within the deadline: the payment fails, as it does in Telegram."""
    if not payment.pending:
        return
    payment.status = "expired"
    world.add_notice(payment.user_id, "alert", EXPIRED_NOTICE)
    world.changed()


def cancel_timers(world: World) -> None:
    for payment in world.payments.values():
        if payment.expiry is not None:
            payment.expiry.cancel()


def _charge(world: World, payment: Payment) -> None:
    """The provider took the money: the payer's chat gets the successful_payment message."""
    state = world.chats[payment.user_id]
    payment.status = "paid"
    payment.telegram_payment_charge_id = f"sbx-tg-{payment.id}-{secrets.token_hex(4)}"
    payment.provider_payment_charge_id = f"sbx-provider-{payment.id}-{secrets.token_hex(4)}"
    receipt = world.add_message(
        state,
        False,
        extra={
            "successful_payment": {
                "currency": payment.currency,
                "total_amount": payment.total_amount,
                "invoice_payload": payment.invoice_payload,
                "telegram_payment_charge_id": payment.telegram_payment_charge_id,
                "provider_payment_charge_id": payment.provider_payment_charge_id,
            },
            "_invoice_message_id": payment.invoice_message_id,
        },
    )
    payment.receipt_message_id = receipt.message_id
    update = world.updates.push("message", world.message_to_api(receipt))
    payment.update_id = update["update_id"] if update else None
