"""A question answered by a tap, answered by typing instead: one sentence naming what to
tap, and the same question again with its buttons (never an older question)."""

from __future__ import annotations

import asyncio

import pytest

from bot.runner import RunningBot
from handlers.profile.texts import ALERTS_OFF_BUTTON, ALERTS_ON_BUTTON
from sandbox import Sandbox, server
from sandbox.errors import BotApiError
from sandbox.params import Params
from sandbox.world import World
from tests.e2e.journeys import sign_up
from tests.e2e.test_bad_input import PNG
from tests.e2e.test_reviews import publish_lead


async def test_typing_at_a_lead_question_that_wants_a_tap_repeats_it_with_its_buttons(
    sandbox: Sandbox, bot: RunningBot
) -> None:
    bea = sandbox.create_user("Bea")
    await sign_up(sandbox, bea, role="Buyer", email="bea@example.org")
    await bea.send("/newlead")
    await bea.wait_for_message("What is the title of your lead?")
    await bea.send("Price scraper for three shops")
    await bea.wait_for_message("Describe the work")
    await bea.send("/cancel")
    await bea.wait_for_message("Cancelled. Your draft is kept")

    await bea.send("/newlead")
    await bea.wait_for_message("You have an unfinished lead.")
    await bea.send("Python scraper for prices")
    again = await bea.wait_for_message("Please tap Continue or Start over.")
    assert "You have an unfinished lead." in again.text
    assert "Describe the work" not in again.text
    assert again.button_texts() == ["Continue", "Start over"]

    await bea.tap("Continue", message_id=again.message_id)
    await bea.wait_for_message("Describe the work")
    await bea.send("Scrape the prices of three shops every night and mail me a CSV file.")
    await bea.wait_for_message("Which category fits")
    await bea.send("Web and mobile")
    again = await bea.wait_for_message("Please tap one of the categories.")
    assert "Which category fits the lead best?" in again.text and again.button_texts()
    await bea.tap("Web & Mobile", message_id=again.message_id)
    await bea.wait_for_message("Which skills should the seller have?")
    await bea.send("Python")
    await bea.wait_for_message("What is your budget in USD?")
    await bea.send("300")
    question = await bea.wait_for_message("Attach a brief")
    assert question.button_texts() == ["Skip"]
    await bea.send("no files")
    again = await bea.wait_for_message("Please send a document or a photo.")
    assert again.text.endswith("or tap Skip.") and again.button_texts() == ["Skip"]
    await bea.send_document(b"%PDF-1.4 brief", "brief.pdf")
    await bea.wait_for_message("Added brief.pdf")
    await bea.send("that is all")
    again = await bea.wait_for_message("Please send a document or a photo.")
    assert again.text.endswith("or tap Done.") and again.button_texts() == ["Done"]
    await bea.tap("Done", message_id=again.message_id)
    await bea.wait_for_message("Preview —")
    await bea.send("looks good")
    await bea.wait_for_message("Please tap Publish, Edit or Cancel under the preview.")
    preview = await bea.wait_for_message("Price scraper for three shops")
    assert "🚀 Publish" in preview.button_texts()
    await bea.tap("✏️ Edit", message_id=preview.message_id)
    await bea.wait_for_message("Which part do you want to change?")
    await bea.send("the budget")
    again = await bea.wait_for_message("Please tap the part you want to change.")
    assert "Which part do you want to change?" in again.text and "Budget" in again.button_texts()


async def test_typing_at_the_signup_categories_repeats_the_picker(
    sandbox: Sandbox, bot: RunningBot
) -> None:
    sid = sandbox.create_user("Sid")
    await sid.send("/start")
    await sid.wait_for_message("Do you accept these terms?")
    await sid.tap("Accept")
    await sid.wait_for_message("How will you use Leadline")
    await sid.tap("Buyer")
    await sid.wait_for_message("individual or as an organization")
    await sid.tap("Individual")
    await sid.wait_for_message("email address?")
    await sid.send("sid@example.org")
    await sid.wait_for_message("I sent a confirmation link")
    email = await sandbox.wait_for_email("sid@example.org")
    await sid.open_link(next(link for link in email.links if sandbox.is_deep_link(link)))
    await sid.wait_for_message("What name should others see?")
    await sid.send("Sid")
    await sid.wait_for_message("headline")
    await sid.tap("Skip")
    await sid.wait_for_message("skills")
    await sid.tap("Skip")
    await sid.wait_for_message("Pick the categories")
    await sid.send("Design")
    again = await sid.wait_for_message("Please tap")
    assert "Pick the categories" in again.text
    assert "Done" in again.button_texts() and "Skip" in again.button_texts()


COMMANDS = ("/settings", "/profile", "/newlead", "/providers python", "/dashboard", "/leads")


async def test_before_signup_the_answer_says_whether_to_start_or_to_finish(
    sandbox: Sandbox, bot: RunningBot
) -> None:
    new = sandbox.create_user("New")
    for text in (*COMMANDS, "hello"):
        await new.send(text)
        answer = await new.wait_for_message()
        assert answer.text == "Please send /start to sign up first.", text

    await new.send("/start")
    await new.wait_for_message("Do you accept these terms?")
    await new.tap("Accept")
    await new.wait_for_message("How will you use Leadline")
    for text in COMMANDS:
        await new.send(text)
        answer = await new.wait_for_message()
        assert answer.text == (
            "Please finish signing up first: send /start to continue where you left off."
        ), text
    await new.send("/start")
    # /start goes on at the question they left, asked again with its buttons.
    await new.wait_for_message("How will you use Leadline", predicate=lambda m: m.button_texts())


async def test_settings_show_only_what_applies_to_the_users_roles(
    sandbox: Sandbox, bot: RunningBot
) -> None:
    bea, sid = sandbox.create_user("Bea"), sandbox.create_user("Sid")
    await sign_up(sandbox, bea, role="Buyer", email="bea@example.org")
    await sign_up(sandbox, sid, role="Seller", email="sid@example.org", skills="Python")

    await bea.send("/settings")
    card = await bea.wait_for_message("⚙️ Settings")
    assert "New-lead alerts" not in card.text and "Digest" not in card.text
    assert "Open leads without bids: on" in card.text
    assert not any("alerts" in label for label in card.button_texts())
    assert "🔕 Mute: leads without bids" in card.button_texts()

    await sid.send("/settings")
    card = await sid.wait_for_message("⚙️ Settings")
    assert "New-lead alerts: on 🔔" in card.text and "Digest" in card.text
    assert "🔕 Mute new-lead alerts" in card.button_texts()
    assert "without bids" not in card.text
    assert not any("without bids" in label for label in card.button_texts())


async def test_a_photo_in_the_offer_form_gets_a_sentence_and_the_same_question(
    sandbox: Sandbox, bot: RunningBot
) -> None:
    sid, bea = sandbox.create_user("Sid"), sandbox.create_user("Bea")
    await sign_up(sandbox, sid, role="Seller", email="sid@example.org", skills="Python")
    await sign_up(sandbox, bea, role="Buyer", email="bea@example.org")
    await publish_lead(bea, "Price scraper", "python")
    alert = await sid.wait_for_message("New lead for your skills")
    await sid.tap("Connect", message_id=alert.message_id)
    await sid.wait_for_message("How much do you propose")
    await sid.send_photo(PNG)
    again = await sid.wait_for_message("Please answer with a text message.")
    assert "How much do you propose" in (again.text or "")
    await sid.send("300")
    await sid.wait_for_message("In how many days")
    await sid.send_photo(PNG)
    again = await sid.wait_for_message("Please answer with a text message.")
    assert "In how many days" in (again.text or "")
    await sid.send("3")
    await sid.wait_for_message("Add a note for the buyer")
    await sid.send_photo(PNG)
    again = await sid.wait_for_message("Please answer with a text message.")
    assert "Add a note for the buyer" in (again.text or "") and again.button_texts() == ["Skip"]
    await sid.tap("Skip", message_id=again.message_id)
    await sid.wait_for_message("Send this offer?")


async def test_a_double_tap_redraws_the_card_once(sandbox: Sandbox, bot: RunningBot) -> None:
    """Two taps sent before the first one's edit showed: the second would redraw the card
    as it already is, which Telegram refuses ("message is not modified"); it is not sent."""
    sid = sandbox.create_user("Sid")
    await sign_up(sandbox, sid, role="Seller", email="sid@example.org", skills="Python")
    await sid.send("/settings")
    card = await sid.wait_for_message("⚙️ Settings")
    first = await sid.tap(ALERTS_OFF_BUTTON, message_id=card.message_id, wait_answer=False)
    second = await sid.tap(ALERTS_OFF_BUTTON, message_id=card.message_id, wait_answer=False)
    for tap in (first, second):
        assert tap.callback_query_id is not None
        await sid.wait_answer(sandbox.world.callbacks[tap.callback_query_id])
    edited = await sid.wait_for_message("New-lead alerts: off")
    assert edited.message_id == card.message_id
    assert ALERTS_ON_BUTTON in edited.button_texts()
    assert sandbox.api_errors == []
    # Unmuted again from the same card: an edit that changes something still goes out.
    await sid.tap(ALERTS_ON_BUTTON, message_id=card.message_id)
    redrawn = await sid.wait_for_message("New-lead alerts: on")
    assert redrawn.message_id == card.message_id
    assert ALERTS_OFF_BUTTON in redrawn.button_texts()


async def test_an_edit_whose_answer_was_lost_does_not_hide_the_next_one(
    sandbox: Sandbox, bot: RunningBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Telegram made the edit but its answer never came: what the card says is unknown, so
    the edit back to what it said before still goes out."""
    sid = sandbox.create_user("Sid")
    await sign_up(sandbox, sid, role="Seller", email="sid@example.org", skills="Python")
    await sid.send("/settings")
    card = await sid.wait_for_message("⚙️ Settings")
    edit = server.METHODS["editmessagetext"]
    lost: list[int] = []

    async def edited_then_lost(world: World, params: Params) -> object:
        result = await edit(world, params)
        if not lost:
            lost.append(1)
            raise BotApiError(502, "Bad Gateway")
        return result

    monkeypatch.setitem(server.METHODS, "editmessagetext", edited_then_lost)
    await sid.tap(ALERTS_OFF_BUTTON, message_id=card.message_id)
    await sid.wait_for_message("New-lead alerts: off")
    await asyncio.sleep(1)  # the bot's retry of the edit, refused as changing nothing
    await sid.tap(ALERTS_ON_BUTTON, message_id=card.message_id)
    redrawn = await sid.wait_for_message("New-lead alerts: on")
    assert redrawn.message_id == card.message_id
    refused = {(e.error_code, "not modified" in e.description) for e in sandbox.api_errors}
    assert refused <= {(502, False), (400, True)}  # the lost answer, and the retry it caused
    sandbox.clear_api_errors()
