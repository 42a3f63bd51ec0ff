"""Payments as Telegram does them: sendInvoice's checks, the pre_checkout_query the bot
must answer within 10 s, successful_payment with both charge ids, and repeated updates."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from sandbox_testkit import TOKEN, PtbApp, builder, running
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LabeledPrice,
    Update,
)
from telegram.error import BadRequest
from telegram.ext import ContextTypes, MessageHandler, PreCheckoutQueryHandler, filters

from sandbox import Payment, Sandbox, SandboxError, SimUser

Ctx = ContextTypes.DEFAULT_TYPE
GOOD: dict[str, Any] = {
    "title": "Lead 42: logo design",
    "description": "Agreed amount 450.00 USD plus the 5% service fee",
    "payload": "contract:42",
    "provider_token": "284685063:TEST:sandbox",
    "currency": "USD",
    "prices": [{"label": "Agreed amount", "amount": 45_000}, {"label": "Fee", "amount": 2_250}],
}


async def call(sb: Sandbox, method: str, **params: Any) -> tuple[int, dict[str, Any]]:
    """POST a Bot API method as JSON, the way any client may."""
    url = f"{sb.base_url}{TOKEN}/{method}"
    async with aiohttp.ClientSession() as session, session.post(url, json=params) as response:
        return response.status, await response.json()


async def started(sb: Sandbox, name: str = "Alice") -> SimUser:
    user = sb.create_user(name)
    await user.send("/start")
    return user


def replace(**changes: Any) -> dict[str, Any]:
    params = {**GOOD, **changes}
    return {key: value for key, value in params.items() if value is not None}


REFUSALS = [
    (replace(title=None), 'parameter "title" is required'),
    (replace(description=""), 'parameter "description" is required'),
    (replace(payload=None), 'parameter "payload" is required'),
    (replace(currency=None), 'parameter "currency" is required'),
    (replace(prices=None), 'parameter "prices" is required'),
    (replace(prices="[{"), "can't parse prices JSON object"),
    (replace(prices={"label": "A", "amount": 500}), "expected an Array of labeled prices"),
    (replace(prices=[]), "there must be at least one price"),
    (replace(prices=[500]), "can't parse labeled price: LabeledPrice must be an Object"),
    (replace(prices=[{"amount": 500}]), "can't parse labeled price: Can't find field \"label\""),
    (
        replace(prices=[{"label": "", "amount": 500}]),
        "can't parse labeled price: LabeledPrice label must be non-empty",
    ),
    (
        replace(prices=[{"label": "A", "amount": "12.5"}]),
        "can't parse labeled price: Can't parse \"12.5\" as number",
    ),
    (
        replace(prices=[{"label": "A", "amount": True}]),
        'can\'t parse labeled price: Field "amount" must be a Number',
    ),
    (
        replace(prices=[{"label": "A", "amount": 500}, {"label": "B", "amount": -500}]),
        "total price must be positive",
    ),
    (replace(max_tip_amount="lots"), 'can\'t parse "max_tip_amount" as Number'),
    (
        replace(max_tip_amount=100, suggested_tip_amounts=[50, 150]),
        "suggested tip amount can't be bigger than max_tip_amount",
    ),
    (replace(title="T" * 33), "TITLE_INVALID"),
    (replace(description="D" * 256), "DESCRIPTION_INVALID"),
    (replace(payload="é" * 65), "INVOICE_PAYLOAD_INVALID"),  # 65 characters, 130 bytes
    (replace(currency="usd"), "CURRENCY_INVALID"),
    (replace(currency="KWD"), "CURRENCY_INVALID"),  # real, but not for Telegram payments
    (replace(provider_token=None), "PAYMENT_PROVIDER_INVALID"),
    (replace(prices=[{"label": "A", "amount": 99}]), "CURRENCY_TOTAL_AMOUNT_INVALID"),
    (replace(prices=[{"label": "A", "amount": 1_000_001}]), "CURRENCY_TOTAL_AMOUNT_INVALID"),
    (replace(currency="XTR", prices=[{"label": "A", "amount": 50}]), "PAYMENT_PROVIDER_INVALID"),
    (
        replace(currency="XTR", provider_token=None),  # Stars: exactly one price
        "STARS_INVOICE_INVALID",
    ),
    (
        replace(reply_markup={"inline_keyboard": [[{"text": "Later", "callback_data": "x"}]]}),
        "REPLY_MARKUP_BUY_EMPTY",
    ),
    (
        replace(
            reply_markup={
                "inline_keyboard": [[{"text": "Pay", "pay": True}, {"text": "Again", "pay": True}]]
            }
        ),
        "BUTTON_TYPE_INVALID",
    ),
]


@pytest.mark.parametrize(("params", "error"), REFUSALS)
async def test_send_invoice_refuses_what_telegram_refuses(
    sb: Sandbox, params: dict[str, Any], error: str
) -> None:
    alice = await started(sb)
    status, body = await call(sb, "sendInvoice", chat_id=alice.id, **params)
    assert (status, body["description"]) == (400, f"Bad Request: {error}")
    assert [e.description for e in sb.api_errors] == [f"Bad Request: {error}"]
    assert alice.bot_messages == []


ACCEPTED = [
    replace(title="T" * 32, description="D" * 255, payload="é" * 64),
    replace(prices=[{"label": "A", "amount": 100}]),
    replace(prices=[{"label": "A", "amount": "1000000"}]),  # numbers may come as strings
    replace(currency="JPY", prices=[{"label": "A", "amount": 5_000}]),
    replace(currency="XTR", provider_token=None, prices=[{"label": "Stars", "amount": 50}]),
    replace(max_tip_amount=500, suggested_tip_amounts=[100, 200, 500]),
    replace(
        reply_markup={
            "inline_keyboard": [
                [{"text": "Pay 472.50 USD", "pay": True}],
                [{"text": "Later", "callback_data": "later"}],
            ]
        }
    ),
]


@pytest.mark.parametrize("params", ACCEPTED)
async def test_send_invoice_accepts_the_edges(sb: Sandbox, params: dict[str, Any]) -> None:
    alice = await started(sb)
    status, body = await call(sb, "sendInvoice", chat_id=alice.id, **params)
    assert status == 200, body
    assert body["result"]["invoice"]["title"] == params["title"]
    assert sb.api_errors == []


async def test_the_invoice_message_carries_the_invoice_not_the_payload(
    sb: Sandbox, bot: Bot
) -> None:
    alice = await started(sb)
    message = await bot.send_invoice(
        alice.id,
        GOOD["title"],
        GOOD["description"],
        GOOD["payload"],
        GOOD["currency"],
        [LabeledPrice("Agreed amount", 45_000), LabeledPrice("Fee", 2_250)],
        provider_token=GOOD["provider_token"],
    )
    assert message.invoice is not None
    invoice = message.invoice
    assert (invoice.title, invoice.description, invoice.currency) == (
        GOOD["title"],
        GOOD["description"],
        "USD",
    )
    assert (invoice.total_amount, invoice.start_parameter) == (47_250, "")
    status, raw = await call(sb, "sendInvoice", chat_id=alice.id, **GOOD)
    assert status == 200 and "payload" not in json.dumps(raw["result"])
    shown = await alice.wait_for_invoice("Lead 42")
    assert shown.message_id == message.message_id
    assert shown.invoice is not None and shown.invoice["total_amount"] == 47_250


async def test_pay_buttons_belong_on_invoices_only(sb: Sandbox, bot: Bot) -> None:
    alice = await started(sb)
    pay = InlineKeyboardMarkup([[InlineKeyboardButton("Pay", pay=True)]])
    with pytest.raises(BadRequest, match=r"(?i)BUTTON_TYPE_INVALID"):
        await bot.send_message(alice.id, "Please pay", reply_markup=pay)
    text = await bot.send_message(alice.id, "Please pay")
    with pytest.raises(BadRequest, match=r"(?i)BUTTON_TYPE_INVALID"):
        await bot.edit_message_reply_markup(alice.id, text.message_id, reply_markup=pay)
    invoice = await bot.send_invoice(
        alice.id, "Work", "The work", "p", "USD", [LabeledPrice("W", 500)], provider_token="t"
    )
    later = InlineKeyboardMarkup([[InlineKeyboardButton("Later", callback_data="later")]])
    with pytest.raises(BadRequest, match=r"(?i)REPLY_MARKUP_BUY_EMPTY"):
        await bot.edit_message_reply_markup(alice.id, invoice.message_id, reply_markup=later)
    assert await bot.edit_message_reply_markup(alice.id, invoice.message_id, reply_markup=pay)
    assert [e.description for e in sb.api_errors] == [
        "Bad Request: BUTTON_TYPE_INVALID",
        "Bad Request: BUTTON_TYPE_INVALID",
        "Bad Request: REPLY_MARKUP_BUY_EMPTY",
    ]


async def test_a_pinned_provider_token_refuses_others() -> None:
    async with Sandbox(bot_token=TOKEN, provider_token="284685063:TEST:right") as sb:
        alice = await started(sb)
        status, body = await call(sb, "sendInvoice", chat_id=alice.id, **GOOD)
        assert body["description"] == "Bad Request: PAYMENT_PROVIDER_INVALID"
        right = replace(provider_token="284685063:TEST:right")
        status, body = await call(sb, "sendInvoice", chat_id=alice.id, **right)
        assert status == 200


async def test_invoices_follow_the_chat_rules(sb: Sandbox) -> None:
    stranger = sb.create_user("Stranger")  # never started the bot
    status, body = await call(sb, "sendInvoice", chat_id=stranger.id, **GOOD)
    assert (status, body["description"]) == (
        403,
        "Forbidden: bot can't initiate conversation with a user",
    )
    status, body = await call(sb, "sendInvoice", chat_id=424242, **GOOD)
    assert (status, body["description"]) == (400, "Bad Request: chat not found")


# -- paying, against a real PTB application ------------------------------------------------


class Shop:
    """The bot side: answers pre-checkout queries by payload and records payments."""

    def __init__(self) -> None:
        self.queries: list[dict[str, Any]] = []
        self.payments: list[dict[str, Any]] = []

    async def pre_checkout(self, update: Update, context: Ctx) -> None:
        query = update.pre_checkout_query
        assert query is not None
        self.queries.append(query.to_dict())
        if query.invoice_payload == "sold-out":
            await query.answer(ok=False, error_message="Sorry, this was just sold out.")
        elif query.invoice_payload != "silent":
            await query.answer(ok=True)

    async def paid(self, update: Update, context: Ctx) -> None:
        message = update.effective_message
        assert message is not None and message.successful_payment is not None
        self.payments.append(
            {"update_id": update.update_id, **message.successful_payment.to_dict()}
        )
        await message.reply_text(f"Thanks! Received {message.successful_payment.total_amount}.")


@pytest.fixture
async def shop(sb: Sandbox) -> AsyncIterator[Shop]:
    shop = Shop()
    application: PtbApp = builder(sb).build()
    application.add_handler(PreCheckoutQueryHandler(shop.pre_checkout))
    application.add_handler(MessageHandler(filters.SUCCESSFUL_PAYMENT, shop.paid))
    async with running(application):
        yield shop


async def invoice(bot: Bot, user: SimUser, payload: str, **extra: Any) -> int:
    message = await bot.send_invoice(
        user.id,
        "Lead 42",
        "Logo design",
        payload,
        "USD",
        [LabeledPrice("Agreed amount", 45_000), LabeledPrice("Fee", 2_250)],
        provider_token="284685063:TEST:sandbox",
        **extra,
    )
    return message.message_id


async def test_paying_asks_the_bot_then_tells_it_the_payment(
    sb: Sandbox, bot: Bot, shop: Shop
) -> None:
    alice = await started(sb)
    message_id = await invoice(bot, alice, "contract:42")
    outcome = await alice.pay(message_id)
    assert outcome.status == "paid" and outcome.ok
    assert (outcome.currency, outcome.total_amount, outcome.invoice_payload) == (
        "USD",
        47_250,
        "contract:42",
    )
    query = shop.queries[0]
    assert query["id"] == outcome.id and query["from"]["id"] == alice.id
    assert (query["currency"], query["total_amount"], query["invoice_payload"]) == (
        "USD",
        47_250,
        "contract:42",
    )
    await alice.wait_for_message("Thanks! Received 47250.")
    (payment,) = shop.payments
    assert payment["update_id"] == outcome.update_id
    assert payment == {
        "update_id": outcome.update_id,
        "currency": "USD",
        "total_amount": 47_250,
        "invoice_payload": "contract:42",
        "telegram_payment_charge_id": outcome.telegram_payment_charge_id,
        "provider_payment_charge_id": outcome.provider_payment_charge_id,
    }
    assert outcome.telegram_payment_charge_id != outcome.provider_payment_charge_id
    receipt = alice.message(outcome.receipt_message_id or 0)
    assert not receipt.from_bot and receipt.successful_payment is not None
    with pytest.raises(SandboxError, match="already paid"):
        await alice.pay(message_id)
    assert sb.payments == [outcome] and alice.payments == [outcome]
    assert sb.api_errors == []


async def test_a_declined_payment_shows_the_bots_words_and_charges_nothing(
    sb: Sandbox, bot: Bot, shop: Shop
) -> None:
    alice = await started(sb)
    message_id = await invoice(bot, alice, "sold-out")
    outcome = await alice.pay()  # the newest unpaid invoice
    assert (outcome.status, outcome.error_message) == (
        "declined",
        "Sorry, this was just sold out.",
    )
    assert outcome.invoice_message_id == message_id and outcome.update_id is None
    assert shop.payments == [] and not any(m.successful_payment for m in alice.chat)
    assert [n.text for n in sb.world.notices] == ["Sorry, this was just sold out."]
    again = await alice.pay(message_id)  # a declined invoice can be tried again
    assert again.status == "declined" and again.id != outcome.id


async def test_no_answer_in_time_fails_the_payment(sb: Sandbox, bot: Bot, shop: Shop) -> None:
    sb.pre_checkout_timeout = 0.3
    alice = await started(sb)
    await invoice(bot, alice, "silent")
    outcome = await alice.pay()
    assert outcome.status == "expired" and outcome.telegram_payment_charge_id is None
    assert len(shop.queries) == 1 and shop.payments == []
    assert "did not confirm the order in time" in sb.world.notices[-1].text
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_pre_checkout_query(outcome.id, ok=True)


async def test_answer_pre_checkout_query_rules(sb: Sandbox, bot: Bot) -> None:
    alice = await started(sb)
    await invoice(bot, alice, "contract:7")
    paying = asyncio.create_task(alice.pay())
    await sb.world.wait_for(lambda: sb.payments or None, 5)
    (pending,) = sb.payments
    status, body = await call(sb, "answerPreCheckoutQuery", pre_checkout_query_id=pending.id)
    assert status == 400
    assert body["description"] == 'Bad Request: parameter "error_message" is required'
    _, body = await call(sb, "answerPreCheckoutQuery", pre_checkout_query_id="1", ok=True)
    assert body["description"].endswith(
        "query is too old and response timeout expired or query ID is invalid"
    )
    assert await bot.answer_pre_checkout_query(pending.id, ok=True)
    outcome: Payment = await paying
    assert outcome.ok
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_pre_checkout_query(pending.id, ok=True)


@pytest.mark.parametrize("new_id", [False, True])
async def test_a_repeated_successful_payment_reaches_the_bot_twice(
    sb: Sandbox, bot: Bot, shop: Shop, new_id: bool
) -> None:
    alice = await started(sb)
    await invoice(bot, alice, "contract:42")
    outcome = await alice.pay()
    assert outcome.update_id is not None
    await alice.wait_for_message("Thanks!")
    await alice.send("/start")  # the bot confirms the first delivery with its next getUpdates
    await sb.wait_until_delivered(5)
    repeated = sb.repeat_update(outcome.update_id, new_id=new_id)
    await alice.wait_for_message("Thanks!")
    first, second = shop.payments
    assert first["update_id"] == outcome.update_id
    assert second["update_id"] == repeated["update_id"]
    assert (repeated["update_id"] != outcome.update_id) is new_id
    assert {k: v for k, v in first.items() if k != "update_id"} == {
        k: v for k, v in second.items() if k != "update_id"
    }
    await alice.send("/start")
    await sb.wait_until_delivered(5)
    assert len(shop.payments) == 2 and sb.pending_updates == []
    with pytest.raises(SandboxError, match="no update 999"):
        sb.repeat_update(999)


async def test_tapping_the_pay_button_pays(sb: Sandbox, bot: Bot, shop: Shop) -> None:
    alice = await started(sb)
    keyboard = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton("Pay 472.50 USD", pay=True)],
            [InlineKeyboardButton("Not now", callback_data="later")],
        ]
    )
    message_id = await invoice(bot, alice, "contract:42", reply_markup=keyboard)
    tapped = await alice.tap("Pay 472.50 USD")
    assert tapped.kind == "pay" and tapped.message_id == message_id
    assert tapped.payment is not None and tapped.payment.ok


async def test_invoices_forward_but_do_not_copy(sb: Sandbox, bot: Bot, shop: Shop) -> None:
    alice, bob = await started(sb), await started(sb, "Bob")
    message_id = await invoice(bot, alice, "contract:42")
    with pytest.raises(BadRequest, match=r"(?i)message can't be copied"):
        await bot.copy_message(bob.id, alice.id, message_id)
    forwarded = await bot.forward_message(bob.id, alice.id, message_id)
    assert forwarded.invoice is not None and forwarded.invoice.total_amount == 47_250
    outcome = await bob.pay(forwarded.message_id)
    assert outcome.ok and outcome.user_id == bob.id and outcome.invoice_payload == "contract:42"
    receipt = outcome.receipt_message_id
    with pytest.raises(BadRequest, match=r"(?i)message can't be forwarded"):
        await bot.forward_message(alice.id, bob.id, receipt or 0)


async def test_a_bot_that_does_not_take_pre_checkout_queries_cannot_be_paid(
    sb: Sandbox, bot: Bot
) -> None:
    sb.pre_checkout_timeout = 0.2
    alice = await started(sb)
    await bot.get_updates(allowed_updates=["message", "callback_query"])
    await invoice(bot, alice, "contract:42")
    outcome = await alice.pay()
    assert outcome.status == "expired" and outcome.pre_checkout_update_id is None


# -- webhook mode --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_payments_arrive_by_webhook_too(sb: Sandbox, bot: Bot) -> None:
    received: list[dict[str, Any]] = []
    answering: set[asyncio.Task[bool]] = set()

    async def hook(request: web.Request) -> web.Response:
        update = json.loads(await request.read())
        received.append(update)
        if "pre_checkout_query" in update:
            task = asyncio.create_task(
                bot.answer_pre_checkout_query(update["pre_checkout_query"]["id"], ok=True)
            )
            answering.add(task)
            task.add_done_callback(answering.discard)
        return web.Response()

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        alice = await started(sb)
        await bot.set_webhook(f"http://127.0.0.1:{port}/hook")
        await invoice(bot, alice, "contract:42")
        outcome = await alice.pay()
        assert outcome.ok and outcome.update_id is not None
        await sb.wait_until_delivered(5)
        sb.repeat_update(outcome.update_id)  # as if the bot's 200 OK had been lost
        async with asyncio.timeout(10):
            while sum("successful_payment" in u.get("message", {}) for u in received) < 2:
                await asyncio.sleep(0.01)
        kinds = [next(k for k in u if k != "update_id") for u in received]
        assert kinds == ["message", "pre_checkout_query", "message", "message"]
        first, second = (u for u in received if "successful_payment" in u.get("message", {}))
        assert first == second and first["update_id"] == outcome.update_id
    finally:
        await runner.cleanup()
    assert sb.api_errors == []
