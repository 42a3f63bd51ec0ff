"""The web chat page, driven in headless Chromium through Playwright."""

from __future__ import annotations

import html
from collections.abc import AsyncIterator

import pytest
from playwright.async_api import Browser, async_playwright, expect
from sandbox_testkit import builder, running
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, LabeledPrice, Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    PreCheckoutQueryHandler,
    filters,
)

from sandbox import Sandbox

pytestmark = pytest.mark.browser
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message and update.effective_user
    name = html.escape(update.effective_user.first_name)
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Tap me", callback_data="tap")]])
    await update.effective_message.reply_html(f"Welcome, <b>{name}</b>!", reply_markup=keyboard)


async def tapped(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.callback_query
    await update.callback_query.answer("Tapped!")
    await update.callback_query.edit_message_text("You tapped the button")


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            await chromium.close()


async def test_chat_as_a_new_user_in_the_page(sb: Sandbox, browser: Browser) -> None:
    app = builder(sb).build()
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(tapped))
    async with running(app):
        page = await browser.new_page()
        page.set_default_timeout(15_000)
        await page.goto(sb.web_url)
        await page.get_by_label("First name").fill("Dana <script>")
        await page.get_by_test_id("create-user").click()
        await expect(page.get_by_test_id("chat-title")).to_have_text("Dana <script>")

        await page.get_by_test_id("message-input").fill("/start")
        await page.get_by_test_id("message-input").press("Enter")
        welcome = page.get_by_test_id("bot-message").last
        await expect(welcome).to_contain_text("Welcome, Dana <script>!")
        await expect(welcome.locator("strong")).to_have_text("Dana <script>")

        await page.get_by_role("button", name="Tap me").click()
        await expect(page.get_by_test_id("toast")).to_have_text("Tapped!")
        await expect(welcome).to_contain_text("You tapped the button")
        await expect(welcome.get_by_test_id("edited")).to_be_visible()
        await expect(page.get_by_role("button", name="Tap me")).to_have_count(0)
        await page.close()
    assert sb.api_errors == [] and sb.unanswered_callback_queries() == []
    assert [u.first_name for u in sb.users] == ["Dana <script>"]


async def send_invoice(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message
    payload = context.args[0] if context.args else "contract:42"
    await update.effective_message.reply_invoice(
        "Lead 42",
        "Logo design, <b>as agreed</b>",
        payload,
        "USD",
        [LabeledPrice("Agreed amount", 45_000), LabeledPrice("Service fee", 2_250)],
        provider_token="284685063:TEST:sandbox",
    )


async def pre_checkout(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.pre_checkout_query
    assert query
    if query.invoice_payload == "sold-out":
        await query.answer(ok=False, error_message="Sorry, this was just sold out.")
    elif query.invoice_payload != "silent":
        await query.answer(ok=True)


async def paid(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    assert message and message.successful_payment
    await message.reply_text(f"Thanks, payment {message.successful_payment.invoice_payload} done")


async def test_pay_an_invoice_in_the_page(sb: Sandbox, browser: Browser) -> None:
    sb.pre_checkout_timeout = 0.5
    app = builder(sb).build()
    app.add_handler(CommandHandler("invoice", send_invoice))
    app.add_handler(PreCheckoutQueryHandler(pre_checkout))
    app.add_handler(MessageHandler(filters.SUCCESSFUL_PAYMENT, paid))
    async with running(app):
        page = await browser.new_page()
        page.set_default_timeout(15_000)
        await page.goto(sb.web_url)
        await page.get_by_label("First name").fill("Bea")
        await page.get_by_test_id("create-user").click()
        await page.get_by_test_id("message-input").fill("/invoice")
        await page.get_by_test_id("message-input").press("Enter")

        card = page.get_by_test_id("invoice")
        await expect(card).to_contain_text("Lead 42")
        await expect(card).to_contain_text("Logo design, <b>as agreed</b>")
        await expect(page.get_by_test_id("invoice-total")).to_have_text("472.50 USD")
        pay = page.get_by_test_id("pay-button")
        await expect(pay).to_have_text("Pay 472.50 USD")
        await pay.click()
        await expect(page.get_by_test_id("invoice-status")).to_have_text("Paid ✓")
        await expect(pay).to_have_text("Receipt")
        await expect(pay).to_be_disabled()
        await expect(page.get_by_test_id("service-message")).to_have_text(
            "You successfully transferred 472.50 USD to Leadline for Lead 42"
        )
        await expect(page.get_by_test_id("bot-message").last).to_contain_text(
            "Thanks, payment contract:42 done"
        )

        await page.get_by_test_id("message-input").fill("/invoice sold-out")
        await page.get_by_test_id("message-input").press("Enter")
        await expect(page.get_by_test_id("pay-button")).to_have_count(2)
        await page.get_by_test_id("pay-button").last.click()
        await expect(page.get_by_test_id("alert")).to_contain_text("Sorry, this was just sold out.")
        await page.get_by_test_id("alert-ok").click()
        await expect(page.get_by_test_id("pay-button").last).to_have_text("Pay 472.50 USD")

        await page.get_by_test_id("message-input").fill("/invoice silent")
        await page.get_by_test_id("message-input").press("Enter")
        await expect(page.get_by_test_id("pay-button")).to_have_count(3)
        await page.get_by_test_id("pay-button").last.click()
        await expect(page.get_by_test_id("alert")).to_contain_text(
            "the bot did not confirm the order in time"
        )
        await page.close()
    assert [p.status for p in sb.payments] == ["paid", "declined", "expired"]
    assert sb.api_errors == []
