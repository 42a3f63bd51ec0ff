"""Small things that looked broken: messages read live in a thread count as read and come
without a Reply button; a question answered by typing loses its Skip button; the profile's
time zone follows the city typed at signup."""

from __future__ import annotations

import pytest

from bot.runner import RunningBot
from sandbox import Message, Sandbox, SimUser
from tests.e2e.journeys import confirm_email_from_inbox, sign_up
from tests.e2e.test_leads import post_lead
from tests.e2e.test_negotiation import offer

pytestmark = pytest.mark.on_both_engines

REPLY = "💬 Reply in thread"


async def bid_and_write(sandbox: Sandbox) -> tuple[SimUser, SimUser]:
    """Bella posts a lead, Sid bids, Bella opens the thread to write to him."""
    buyer, seller = sandbox.create_user("Bella"), sandbox.create_user("Sid")
    await sign_up(sandbox, buyer, role="Buyer", email="bella@example.org")
    await sign_up(sandbox, seller, role="Seller", email="sid@example.org", skills="Django")
    await post_lead(buyer, "Django shop for a bakery", "django")
    await buyer.send("1,000")
    await buyer.wait_for_message("Attach a brief")
    await buyer.tap("Skip")
    await buyer.wait_for_message("Preview")
    await buyer.tap("Publish")
    alert = await seller.wait_for_message("New lead for your skills")
    await seller.tap("Connect", message_id=alert.message_id)
    await offer(seller, "450", "7")
    bid = await buyer.wait_for_message("New bid")
    await buyer.tap("Message", message_id=bid.message_id)
    await buyer.wait_for_message("You are writing to Sid")
    return buyer, seller


async def conversations(user: SimUser) -> Message:
    await user.send("/messages")
    return await user.wait_for_message("Your conversations")


async def test_a_message_read_live_in_its_thread_is_read_and_needs_no_reply_button(
    sandbox: Sandbox, bot: RunningBot
) -> None:
    buyer, seller = await bid_and_write(sandbox)
    await buyer.send("Hello Sid, when could you start?")
    # Sid is not in the thread: the message waits for him, with its Reply button.
    hello = await seller.wait_for_message("when could you start?")
    assert hello.button_texts() == [REPLY]
    assert "1 new" in (await conversations(seller)).text

    await seller.tap(REPLY, message_id=hello.message_id)
    await seller.wait_for_message("You are writing to Bella")
    await seller.send("Monday, if that suits you.")
    # Bella is writing in that very thread: she reads it as it arrives.
    answer = await buyer.wait_for_message("Monday, if that suits you.")
    assert answer.button_texts() == []
    listing = await conversations(buyer)
    assert "new" not in listing.text and "🔵" not in " ".join(listing.button_texts())
    await buyer.send("/menu")
    menu = await buyer.wait_for_message("What would you like to do")
    assert "💬 Messages" in menu.button_texts()

    # Once she leaves the thread, what Sid writes waits for her again.
    await buyer.send("/done")
    await buyer.wait_for_message("You left the conversation")
    await seller.send("I could also start on Sunday.")
    later = await buyer.wait_for_message("start on Sunday")
    assert later.button_texts() == [REPLY]
    assert "1 new" in (await conversations(buyer)).text


async def test_a_question_answered_by_typing_loses_its_skip_and_the_city_gives_the_time_zone(
    sandbox: Sandbox, bot: RunningBot
) -> None:
    hana = sandbox.create_user("Hana")
    await hana.send("/start")
    await hana.wait_for_message("Do you accept these terms?")
    await hana.tap("Accept")
    await hana.wait_for_message("How will you use Leadline")
    await hana.tap("Seller")
    await hana.wait_for_message("individual or as an organization")
    await hana.tap("Individual")
    await hana.wait_for_message("email address?")
    await hana.send("hana@example.org")
    await hana.wait_for_message("I sent a confirmation link")
    await confirm_email_from_inbox(sandbox, hana, "hana@example.org")
    await hana.wait_for_message("What name should others see?")
    await hana.tap(f"Use “{hana.first_name}”")
    headline = await hana.wait_for_message("headline")
    assert "Skip" in headline.button_texts()
    await hana.send("Pastry chef who builds bakery websites")
    await hana.wait_for_message("skills")
    # Answered by typing: no Skip is left to tap under the question.
    assert hana.message(headline.message_id).button_texts() == []
    await hana.send("Django")
    await hana.wait_for_message("categories")
    await hana.tap("Done")
    where = await hana.wait_for_message("Where are you based?")
    await hana.send("Lisbon, Portugal")
    await hana.wait_for_message("You're all set")
    assert hana.message(where.message_id).button_texts() == []
    await hana.send("/profile")
    card = await hana.wait_for_message("Location: Lisbon, Portugal")
    assert "Time zone: Europe/Lisbon" in card.text

    # The note of an offer, typed rather than skipped, takes the Skip button with it.
    bella = sandbox.create_user("Bella")
    await sign_up(sandbox, bella, role="Buyer", email="bella@example.org")
    await post_lead(bella, "Django shop for a bakery", "django")
    await bella.send("1,000")
    await bella.wait_for_message("Attach a brief")
    await bella.tap("Skip")
    await bella.wait_for_message("Preview")
    await bella.tap("Publish")
    alert = await hana.wait_for_message("New lead for your skills")
    await hana.tap("Connect", message_id=alert.message_id)
    await hana.wait_for_message("How much do you propose")
    await hana.send("450")
    await hana.wait_for_message("In how many days")
    await hana.send("7")
    note = await hana.wait_for_message("Add a note for the buyer")
    await hana.send("Two rounds of changes included.")
    await hana.wait_for_message("Send this offer?")
    assert hana.message(note.message_id).button_texts() == []


async def test_a_profile_without_a_known_city_says_how_to_set_the_time_zone(
    sandbox: Sandbox, bot: RunningBot
) -> None:
    bella = sandbox.create_user("Bella")
    await sign_up(sandbox, bella, role="Buyer", email="bella@example.org")
    await bella.send("/profile")
    card = await bella.wait_for_message("Time zone:")
    assert "Time zone: UTC — tap 🕒 Time zone to set yours" in card.text
