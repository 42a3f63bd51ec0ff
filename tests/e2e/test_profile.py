"""/profile: every part can be edited, bad values are refused, the other role can be added."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update
from telegram import Update
from telegram.ext import CommandHandler

from bot.runner import RunningBot
from domain import accounts
from handlers.core.context import LeadlineContext
from sandbox import Sandbox
from storage.models import EmailTokenRow
from tests.e2e.journeys import sign_up

pytestmark = pytest.mark.on_both_engines  # listed in the README


async def test_a_buyer_edits_the_profile_and_becomes_a_seller(
    sandbox: Sandbox, bot: RunningBot
) -> None:
    olga = sandbox.create_user("Olga")
    await sign_up(sandbox, olga, role="Buyer", email="olga@example.org")
    await olga.send("/profile")
    card = await olga.wait_for_message("Member since")
    assert "olga@example.org — ✅ verified" in card.text and "Roles: Buyer" in card.text

    await olga.tap("Name")
    await olga.wait_for_message("What name should others see?")
    await olga.send("O" * 65)
    await olga.wait_for_message("at most 64 characters")
    await olga.send("Olga & <Partners>")
    await olga.wait_for_message("Saved.")
    card = await olga.wait_for_message("Member since")
    assert card.text.startswith("👤 Olga & <Partners>")

    await olga.tap("Time zone", message_id=card.message_id)
    await olga.wait_for_message("Which time zone")
    await olga.send("Mars/Base")
    await olga.wait_for_message("I don't know that time zone")
    await olga.send("europe/lisbon")
    card = await olga.wait_for_message("Time zone: Europe/Lisbon")

    await olga.tap("Categories", message_id=card.message_id)
    await olga.wait_for_message("Pick the categories")
    await olga.tap("Design & Creative")
    await olga.wait_for_message(
        predicate=lambda m: any(
            b["text"] == "✅ Design & Creative" for r in m.inline_buttons for b in r
        )
    )
    await olga.tap("Done")
    card = await olga.wait_for_message("Categories: Design & Creative")

    await olga.tap("Become a seller", message_id=card.message_id)
    await olga.wait_for_message("Add at least one skill first")
    await olga.send("logo design, ILLUSTRATION")
    await olga.wait_for_message("You are now a seller too.")
    card = await olga.wait_for_message("Member since")
    assert "Roles: Buyer, Seller" in card.text
    assert "Skills: Logo Design, Illustration" in card.text
    assert not any("Become a" in b["text"] for r in card.inline_buttons for b in r)

    await olga.tap("Headline", message_id=card.message_id)
    await olga.wait_for_message("headline")
    await olga.send("/cancel")
    await olga.wait_for_message("Cancelled.")
    await olga.send("Not a headline now")
    await olga.wait_for_message("I'm not sure what to do with that")


async def test_the_confirmation_email_can_be_resent_and_replaces_the_old_link(
    sandbox: Sandbox, bot: RunningBot
) -> None:
    pia = sandbox.create_user("Pia")
    await pia.send("/start")
    await pia.wait_for_message("Do you accept these terms?")
    await pia.tap("Accept")
    await pia.wait_for_message("How will you use Leadline")
    await pia.tap("Buyer")
    await pia.wait_for_message("individual")
    await pia.tap("Individual")
    await pia.wait_for_message("email address?")
    await pia.send("pia@example.org")
    await pia.wait_for_message("I sent a confirmation link")
    first = await sandbox.wait_for_email("pia@example.org")
    await pia.tap("Resend email")
    await pia.wait_for_message("please wait")

    # Two minutes pass: the cooldown is measured from the newest token's creation.
    engine = bot.app.bot_data["runtime"].engine
    async with engine.begin() as connection:
        await connection.execute(
            update(EmailTokenRow).values(created_at=datetime.now(UTC) - timedelta(minutes=2))
        )
    answer = await pia.tap("Resend email")
    assert answer.text == "I sent a new confirmation email."
    second = await sandbox.wait_for_email("pia@example.org")
    old_link, new_link = (
        next(x for x in m.links if sandbox.is_deep_link(x)) for m in (first, second)
    )
    assert old_link != new_link
    await pia.open_link(old_link)
    await pia.wait_for_message("replaced by a newer one")
    await pia.open_link(new_link)
    await pia.wait_for_message("pia@example.org is confirmed")


async def test_a_failing_handler_gets_one_sentence_and_a_log_line(
    sandbox: Sandbox, bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    async def explode(update: Update, context: LeadlineContext) -> None:
        raise RuntimeError("kaboom")

    bot.app.add_handler(CommandHandler("explode", explode), group=-2)
    quinn = sandbox.create_user("Quinn")
    with caplog.at_level(logging.ERROR):
        await quinn.send("/explode")
        await quinn.wait_for_message("Sorry, something went wrong on our side")
    failures = [r for r in caplog.records if r.getMessage().startswith("Update ")]
    assert failures and "failed" in failures[0].getMessage()
    assert failures[0].exc_info is not None


async def test_blocking_the_bot_marks_the_user_unreachable(
    sandbox: Sandbox, bot: RunningBot
) -> None:
    rex = sandbox.create_user("Rex")
    await rex.send("/menu")
    await rex.wait_for_message("send /start to sign up")
    rex.block_bot()
    services = bot.app.bot_data["services"]
    async with asyncio.timeout(10):
        while (user := await accounts.get_user(services.uow(), rex.id)) and user.reachable:
            await asyncio.sleep(0.05)
    rex.unblock_bot()
    await rex.send("/menu")
    await rex.wait_for_message("send /start to sign up")
    user = await accounts.get_user(services.uow(), rex.id)
    assert user is not None and user.reachable
