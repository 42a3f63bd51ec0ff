"""Abuse limits with small configured values: each one refuses with one sentence saying when
it resets, and a restart of the bot resets none of them (they are counted in the database)."""

from __future__ import annotations

import re

import pytest

from bot.runner import start_bot
from bot.settings import LimitSettings, Settings
from sandbox import Sandbox, SimUser
from tests.e2e.journeys import sign_up
from tests.e2e.test_leads import post_lead
from tests.e2e.test_negotiation import offer

pytestmark = pytest.mark.on_both_engines

WHEN = r"(at|on \d{1,2} [A-Z][a-z]{2} at) \d\d:\d\d\."


async def publish(buyer: SimUser, title: str) -> None:
    """Writes a lead up to its preview."""
    await post_lead(buyer, title, "django")
    await buyer.send("500")
    await buyer.wait_for_message("Attach a brief")
    await buyer.tap("Skip")
    await buyer.wait_for_message("Preview")


async def refused_tap(user: SimUser, label: str, sentence: str) -> None:
    """A tap answered by an alert with the limit's sentence."""
    tap = await user.tap(label)
    assert tap.show_alert and tap.text is not None, tap
    assert re.fullmatch(sentence + " " + WHEN, tap.text), tap.text


async def test_each_limit_says_when_it_resets_and_survives_a_restart(
    sandbox: Sandbox, settings: Settings
) -> None:
    limits = LimitSettings(
        leads_per_day=1, bids_per_hour=1, messages_per_minute=2, contact_messages_per_day=1
    )
    configured = settings.model_copy(update={"limits": limits})
    running = await start_bot(configured)
    buyer, seller = sandbox.create_user("Bella"), sandbox.create_user("Sid")
    try:
        await sign_up(sandbox, buyer, role="Buyer", email="bella@example.org")
        await sign_up(sandbox, seller, role="Seller", email="sid@example.org", skills="Django")

        # One new lead a day.
        await publish(buyer, "First shop")
        await buyer.tap("Publish")
        await buyer.wait_for_message("Published.")
        await publish(buyer, "Second shop")
        await refused_tap(
            buyer,
            "Publish",
            r"You have published as many leads as a day allows\. You can publish again",
        )

        # One bid an hour.
        alert = await seller.wait_for_message("New lead for your skills")
        await seller.tap("Connect", message_id=alert.message_id)
        await offer(seller, "450", "7")
        await buyer.wait_for_message("New bid")
        await refused_tap(
            seller, "Connect", r"You have made as many bids as an hour allows\. You can bid again"
        )

        # Two messages a minute.
        sent = next(m for m in seller.bot_messages if "Your offer was sent" in (m.text or ""))
        await seller.tap("Message", message_id=sent.message_id)
        await seller.wait_for_message("You are writing to Bella")
        for text in ("one", "two"):
            await seller.send(text)
            await buyer.wait_for_message(text)
        await seller.send("three")
        too_fast = await seller.wait_for_message("too fast")
        assert re.fullmatch(
            r"You are sending messages too fast\. You can send messages again " + WHEN,
            too_fast.text or "",
        )

        # One message to the team a day.
        await buyer.send("/contact")
        await buyer.wait_for_message("Write your message")
        await buyer.send("Hello team")
        await buyer.wait_for_message("Sent to the Leadline team")
        await buyer.send("/contact")
        refused = await buyer.wait_for_message("as often as a day allows")
        assert re.fullmatch(
            r"You have written to us as often as a day allows\. You can write to us again " + WHEN,
            refused.text or "",
        )
    finally:
        await running.stop()

    running = await start_bot(configured)
    try:
        await refused_tap(buyer, "Publish", r"You have published .+\. You can publish again")
        await refused_tap(seller, "Connect", r"You have made .+\. You can bid again")
        await buyer.send("/contact")
        await buyer.wait_for_message("You can write to us again")
    finally:
        await running.stop()
    # Nothing refused was stored: one lead published, one bid, two messages.
    assert "three" not in [m.text for m in buyer.bot_messages]
    assert sandbox.api_errors == []
    assert sandbox.unanswered_callback_queries() == []
