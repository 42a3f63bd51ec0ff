"""A person uses the sandbox's web chat page in headless Chromium to talk to the real bot."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, async_playwright, expect

from bot.runner import RunningBot
from sandbox import Sandbox

pytestmark = pytest.mark.browser
CHROMIUM = "/usr/bin/chromium"
HAVE_CHROMIUM = Path(CHROMIUM).exists()
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    if not HAVE_CHROMIUM:
        pytest.fail("Debian's chromium is missing: `make test` installs it (apt-get)")
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            await chromium.close()


async def test_signup_starts_in_the_web_page_and_the_email_link_works(
    sandbox: Sandbox, bot: RunningBot, browser: Browser, tmp_path: Path
) -> None:
    page = await browser.new_page()
    page.set_default_timeout(15_000)
    await page.goto(sandbox.web_url)
    await page.get_by_label("First name").fill("Lena <3")
    await page.get_by_test_id("create-user").click()
    await expect(page.get_by_test_id("chat-title")).to_have_text("Lena <3")

    chat = page.get_by_test_id("messages")
    await page.get_by_test_id("message-input").fill("/start")
    await page.get_by_test_id("message-input").press("Enter")
    await expect(chat.get_by_text("Do you accept these terms?")).to_be_visible()
    await page.get_by_role("button", name="✅ Accept").click()
    await expect(chat.get_by_text("How will you use Leadline first?")).to_be_visible()
    await expect(page.get_by_test_id("bot-message").filter(has_text="→ Accepted")).to_be_visible()
    await page.get_by_role("button", name="Seller").click()
    await page.get_by_role("button", name="Individual").click()
    await expect(chat.get_by_text("What is your email address?")).to_be_visible()
    await page.get_by_test_id("message-input").fill("lena@example.org")
    await page.get_by_test_id("message-input").press("Enter")
    await expect(chat.get_by_text("I sent a confirmation link")).to_be_visible()

    await page.get_by_test_id("tab-mail").click()
    await page.get_by_test_id("mail-link").first.click(timeout=20_000)
    await page.get_by_test_id("tab-chat").click()
    await expect(chat.get_by_text("lena@example.org is confirmed")).to_be_visible()
    await expect(chat.get_by_text("What name should others see?")).to_be_visible()
    await page.screenshot(path=str(tmp_path / "web-page.png"), full_page=True)
    await page.close()


# Screenshots a person can look at after the run (ignored by git).
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


async def test_the_page_fits_a_phone_and_its_user_list_folds_away(
    sandbox: Sandbox, bot: RunningBot, browser: Browser
) -> None:
    page = await browser.new_page(viewport={"width": 390, "height": 844})
    page.set_default_timeout(15_000)
    await page.goto(sandbox.web_url)
    await page.get_by_label("First name").fill("Pia")
    await page.get_by_test_id("create-user").click()
    await expect(page.get_by_test_id("chat-title")).to_have_text("Pia")
    # Choosing a user folds the list away; its button brings it back and hides it again.
    users = page.get_by_test_id("user-list")
    await expect(users).to_be_hidden()
    await page.get_by_test_id("users-toggle").click()
    await expect(users).to_be_visible()
    await page.get_by_test_id("user-item").filter(has_text="Pia").click()
    await expect(users).to_be_hidden()

    chat = page.get_by_test_id("messages")
    await page.get_by_test_id("message-input").fill("/start")
    await page.get_by_test_id("send-button").click()
    await expect(chat.get_by_text("Do you accept these terms?")).to_be_in_viewport()
    await expect(page.get_by_role("button", name="✅ Accept")).to_be_in_viewport()
    await page.get_by_role("button", name="✅ Accept").click()
    await expect(chat.get_by_text("How will you use Leadline first?")).to_be_visible()
    # Nothing sticks out sideways: the page is as wide as the phone.
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    for control in ("message-input", "send-button", "tab-mail", "block-toggle"):
        await expect(page.get_by_test_id(control)).to_be_in_viewport()
    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / "web-page-390px.png"))
    await page.close()
