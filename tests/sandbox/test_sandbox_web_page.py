"""The web chat page, driven in headless Chromium through Playwright."""

from __future__ import annotations

import html
from collections.abc import AsyncIterator

import pytest
from playwright.async_api import Browser, async_playwright, expect
from sandbox_testkit import builder, running
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ContextTypes

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
