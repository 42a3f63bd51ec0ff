"""No dead ends, and counts that agree: the menu fits the user's roles and counts unread
messages, every list has a way on and back, My leads holds every lead the summary counts."""

from __future__ import annotations

import re

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


LONG_TITLE = "Django shop for a family bakery with online ordering and delivery"


async def test_cards_have_a_way_back_and_labels_keep_names_and_dates(
    sandbox: Sandbox, bot: RunningBot
) -> None:
    buyer = sandbox.create_user("Bella")
    sara, sam = sandbox.create_user("Sara"), sandbox.create_user("Sam")
    await sign_up(sandbox, buyer, role="Buyer", email="bella@example.org")
    # Signup's categories question, answered with none picked, says so in words.
    categories = next(m for m in buyer.bot_messages if "Pick the categories" in (m.text or ""))
    assert buyer.message(categories.message_id).text.endswith("→ none picked")
    for seller, email in ((sara, "sara@example.org"), (sam, "sam@example.org")):
        await sign_up(sandbox, seller, role="Seller", email=email, skills="Django")

    # The preview says "Status: draft"; one file is "1 attachment"; the card has a way back.
    await post_lead(buyer, LONG_TITLE, "django")
    await buyer.send("900")
    await buyer.wait_for_message("Attach a brief")
    await buyer.send_document(b"%PDF-1.4 brief", filename="brief.pdf")
    await buyer.wait_for_message("Added brief.pdf (1/5)")
    await buyer.tap("Done")
    preview = await buyer.wait_for_message("Preview")
    assert "Status: draft" in preview.text and "📎 1 attachment\n" in preview.text + "\n"
    await buyer.tap("Publish")
    await buyer.wait_for_message("Published")
    card = await buyer.wait_for_message("Status: open")
    assert card.button_texts()[-2:] == ["👥 Matching sellers", "🏠 Menu"]

    # Two bids on the long-titled lead: the thread buttons keep each seller's whole name.
    for seller, amount in ((sara, "800"), (sam, "850")):
        alert = await seller.wait_for_message("New lead for your skills")
        await seller.tap("Connect", message_id=alert.message_id)
        await offer(seller, amount, "5")
        await buyer.wait_for_message(f"From: {seller.first_name}")
    await buyer.send("/messages")
    listing = await buyer.wait_for_message("Your conversations")
    threads = [label for label in listing.button_texts() if "Django" in label]
    assert sorted(label.rsplit(" — ", 1)[1] for label in threads) == ["Sam", "Sara"]
    assert all(len(label) <= 60 and "… — " in label for label in threads), threads
    await buyer.tap("Sara", message_id=listing.message_id)
    thread = await buyer.wait_for_message("With Sara")
    assert thread.button_texts()[-1] == "🏠 Menu"
    await buyer.tap("Accept", message_id=thread.message_id)
    hired = await buyer.wait_for_message("Hired!")
    assert hired.button_texts() == ["💬 Message", "🏠 Menu"]

    # The lead in progress: its button in Leads in progress keeps the whole due date.
    await buyer.send("/dashboard")
    board = await buyer.wait_for_message("Dashboard")
    await buyer.tap("Leads in progress", message_id=board.message_id)
    mine = await buyer.wait_for_message("Leads in progress")
    [label] = [label for label in mine.button_texts() if "Django" in label]
    assert label.startswith("✅ Django shop") and len(label) <= 60
    assert re.search(r"… — due \d\d \w\w\w \d{4}$", label), label
    await buyer.tap("Django", message_id=mine.message_id)
    card = await buyer.wait_for_message("Status: in progress")
    assert "👥 Matching sellers" not in card.button_texts()  # it takes no offers now
    assert card.button_texts()[-1] == "🏠 Menu"

    # /providers: results and the invitation picker each have a way out.
    await publish(buyer, "Django shop number two")
    await buyer.send("/providers django")
    results = await buyer.wait_for_message("Sellers for “django”")
    assert results.button_texts()[-1] == "🏠 Menu"
    await buyer.tap("Sara", message_id=results.message_id)
    profile = await buyer.wait_for_message("Member since")
    await buyer.tap("Invite to lead", message_id=profile.message_id)
    picker = await buyer.wait_for_message("Invite to which lead?")
    assert picker.button_texts()[-1] == "✖️ Cancel"
    await buyer.tap("Cancel", message_id=picker.message_id)
    await buyer.wait_for_message(
        predicate=lambda m: m.message_id != profile.message_id and "Member since" in (m.text or "")
    )
    await buyer.send("/providers nobodyhasthis")
    none = await buyer.wait_for_message("No sellers found")
    assert none.button_texts() == ["🏠 Menu"]

    # A seller's search without results still leads back.
    await sam.send("/leads nothingmatchesthis")
    empty = await sam.wait_for_message("No open leads for")
    assert empty.button_texts()[-1] == "🏠 Menu"
