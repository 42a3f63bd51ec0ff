"""A newcomer signs up as the user guide describes, through the real bot and the sandbox."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from bot.runner import RunningBot
from sandbox import Sandbox
from storage.models import EmailTokenRow
from tests.e2e.journeys import confirm_email_from_inbox, sign_up

pytestmark = pytest.mark.on_both_engines  # listed in the README


async def test_a_buyer_organization_signs_up_and_confirms_the_email(
    sandbox: Sandbox, bot: RunningBot
) -> None:
    ann = sandbox.create_user("Ann", username="ann")
    await ann.send("/start")
    welcome = await ann.wait_for_message("Welcome to Leadline")
    assert "Terms in short" in welcome.text
    await ann.wait_for_message("Do you accept these terms?")
    await ann.tap("Accept")
    await ann.wait_for_message("How will you use Leadline")
    await ann.tap("Buyer")
    await ann.wait_for_message("individual or as an organization")
    await ann.tap("Organization")
    await ann.wait_for_message("name of your organization")
    await ann.send("<Acme & Sons> <3")
    await ann.wait_for_message("What is your email address?")
    await ann.send("ann@example.org")
    sent = await ann.wait_for_message("I sent a confirmation link")
    assert "ann@example.org" in sent.text

    email = await sandbox.wait_for_email("ann@example.org")
    assert "Confirm" in email.subject
    links = [link for link in email.links if sandbox.is_deep_link(link)]
    assert len(links) == 1 and links[0].startswith(f"https://t.me/{sandbox.bot_username}?start=")
    await ann.open_link(links[0])
    await ann.wait_for_message("ann@example.org is confirmed")

    await ann.wait_for_message("What name should others see?")
    await ann.send("Ann <b>not bold</b>")
    await ann.wait_for_message("headline")
    await ann.send("I hire <3 & pay on time")
    await ann.wait_for_message("Which skills interest you?")
    await ann.tap("Skip")
    await ann.wait_for_message("Pick the categories")
    await ann.tap("Legal")
    await ann.wait_for_message(
        predicate=lambda m: any(b["text"] == "✅ Legal" for r in m.inline_buttons for b in r)
    )
    await ann.tap("Done")
    await ann.wait_for_message("Where are you based?")
    await ann.send("Berlin & <Brandenburg>")
    await ann.wait_for_message("You're all set")

    await ann.send("/profile")
    card = await ann.wait_for_message("Ann <b>not bold</b>")
    assert "I hire <3 & pay on time" in card.text
    assert "<Acme & Sons> <3" in card.text
    assert "ann@example.org — ✅ verified" in card.text
    assert "Berlin & <Brandenburg>" in card.text
    assert "Legal" in card.text

    # The link worked once; opening it again gets a clear sentence.
    await ann.open_link(links[0])
    await ann.wait_for_message("already used")


async def test_a_seller_must_give_skills_and_they_are_normalized(
    sandbox: Sandbox, bot: RunningBot
) -> None:
    sam = sandbox.create_user("Sam")
    await sign_up(
        sandbox, sam, role="Seller", email="sam@example.org", skills=" python, PYTHON ,js"
    )
    await sam.send("/profile")
    card = await sam.wait_for_message("Skills:")
    assert "Skills: Python, JavaScript" in card.text
    assert "Roles: Seller" in card.text


async def test_commands_are_registered_on_start(sandbox: Sandbox, bot: RunningBot) -> None:
    names = {command["command"] for command in sandbox.commands()}
    assert {"start", "menu", "help", "profile", "cancel"} <= names


async def test_a_new_email_from_the_profile_is_confirmed_by_its_own_link(
    sandbox: Sandbox, bot: RunningBot
) -> None:
    bea = sandbox.create_user("Bea")
    await sign_up(sandbox, bea, role="Buyer", email="bea@example.org")
    await bea.send("/profile")
    await bea.wait_for_message("Email:")
    await bea.tap("Email")
    await bea.wait_for_message("email address?")
    await bea.send("bea.new@example.org")
    sent = await bea.wait_for_message("I sent a confirmation link to bea.new@example.org")
    card = await bea.wait_for_message("Email:")
    await sandbox.wait_for_email("bea.new@example.org")
    # Some time passes, the first mail went missing: ask for another one.
    engine = bot.app.bot_data["runtime"].engine
    async with engine.begin() as connection:
        await connection.execute(
            update(EmailTokenRow).values(created_at=datetime.now(UTC) - timedelta(minutes=2))
        )
    await bea.tap("Resend email", message_id=sent.message_id)
    await bea.wait_for_message("I sent a new confirmation link to bea.new@example.org")
    assert "bea@example.org — ✅ verified" in card.text
    await confirm_email_from_inbox(sandbox, bea, "bea.new@example.org")
    await bea.send("/profile")
    card = await bea.wait_for_message("Email:")
    assert "bea.new@example.org — ✅ verified" in card.text
