"""No dead ends, and counts that agree: the menu fits the user's roles and counts unread
messages, every list has a way on and back, My leads holds every lead the summary counts."""

from __future__ import annotations

import pytest

from bot.runner import RunningBot
from sandbox import Message, Sandbox, SimUser
from tests.e2e.journeys import sign_up
from tests.e2e.test_leads import post_lead
from tests.e2e.test_negotiation import offer

pytestmark = pytest.mark.on_both_engines  # listed in the README


async def publish(buyer: SimUser, title: str) -> Message:
    await post_lead(buyer, title, "django")
    await buyer.send("900")
    await buyer.wait_for_message("Attach a brief")
    await buyer.tap("Skip")
    await buyer.wait_for_message("Preview")
    await buyer.tap("Publish")
    return await buyer.wait_for_message("Published")


async def menu_of(user: SimUser) -> Message:
    await user.send("/menu")
    return await user.wait_for_message("What would you like to do?")


async def test_menus_lists_and_counts_lead_somewhere(sandbox: Sandbox, bot: RunningBot) -> None:
    buyer, seller = sandbox.create_user("Bella"), sandbox.create_user("Sid")
    await sign_up(sandbox, buyer, role="Buyer", email="bella@example.org")
    await sign_up(sandbox, seller, role="Seller", email="sid@example.org", skills="Django")

    # Each role sees what it can do.
    labels = (await menu_of(buyer)).button_texts()
    assert "➕ Post a lead" in labels and "🔎 Find leads" not in labels and "💬 Messages" in labels
    labels = (await menu_of(seller)).button_texts()
    assert "🔎 Find leads" in labels and "➕ Post a lead" not in labels

    # A buyer's /leads without words: how to search and where their own leads are.
    await buyer.send("/leads")
    hint = await buyer.wait_for_message("Search open leads with a few words")
    assert hint.button_texts() == ["📌 My leads", "🏠 Menu"]

    await publish(buyer, "Django booking engine")
    await publish(buyer, "Django shop to withdraw")
    alert = await seller.wait_for_message("Django booking engine")
    await seller.tap("Connect", message_id=alert.message_id)
    await offer(seller, "800", "5", "Hello <b>Bella</b>")

    # The buyer's menu counts the unread message (the bid's note is an offer, not a message).
    bid = await buyer.wait_for_message("New bid")
    await buyer.tap("Message", message_id=bid.message_id)
    await buyer.wait_for_message("You are writing to Sid")
    await buyer.send("Can you start on Monday?")
    await buyer.send("/done")
    await buyer.wait_for_message("You left the conversation")
    await seller.wait_for_message("Can you start on Monday?")
    menu = await menu_of(seller)
    assert "💬 Messages (1)" in menu.button_texts()
    await seller.tap("💬 Messages (1)", message_id=menu.message_id)
    listing = await seller.wait_for_message("Your conversations")
    assert listing.button_texts()[-1] == "🏠 Menu"
    await seller.tap("Bella", message_id=listing.message_id)
    await seller.wait_for_message("With Bella")
    assert "💬 Messages" in (await menu_of(seller)).button_texts()  # read now: no count

    # Withdrawn: counted and listed alike, each lead with its status.
    await buyer.send("/dashboard")
    board = await buyer.wait_for_message("Dashboard")
    await buyer.tap("My leads", message_id=board.message_id)
    mine = await buyer.wait_for_message("My leads")
    await buyer.tap("Django shop to withdraw", message_id=mine.message_id)
    card = await buyer.wait_for_message("Django shop to withdraw")
    await buyer.tap("Withdraw", message_id=card.message_id)
    await buyer.wait_for_message("Withdraw this lead?")
    await buyer.tap("Yes, withdraw")
    await buyer.wait_for_message("The lead is withdrawn")
    await buyer.tap("Accept", message_id=bid.message_id)
    await buyer.wait_for_message("Hired!")

    await buyer.send("/dashboard")
    board = await buyer.wait_for_message("Dashboard")
    assert "0 open · 1 in progress · 0 completed · 0 cancelled · 1 withdrawn" in board.text
    assert board.button_texts()[-3:] == ["➕ Post a lead", "🧑\u200d💻 Find providers", "🏠 Menu"]
    await buyer.tap("My leads", message_id=board.message_id)
    mine = await buyer.wait_for_message("My leads: 1–2 of 2")
    labels = [label for label in mine.button_texts() if "Django" in label]
    assert labels[0].startswith("✅ in progress · Django booking engine")
    assert labels[1].startswith("🗑 withdrawn · Django shop to withdraw")

    # The hired seller's dashboard shows the work under way, and ways on.
    await seller.send("/dashboard")
    board = await seller.wait_for_message("Dashboard")
    assert "🛠 Hired work under way: 1" in board.text
    assert board.button_texts()[-2:] == ["🔎 Find leads", "🏠 Menu"]
