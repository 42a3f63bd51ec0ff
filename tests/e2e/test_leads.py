"""The buyer posts a lead, matching sellers are alerted once, sellers find it, the buyer
edits and withdraws it — through the real bot and the sandbox."""

from __future__ import annotations

import asyncio

import pytest

from bot.runner import RunningBot
from sandbox import Sandbox, SimUser
from tests.e2e.journeys import sign_up

pytestmark = pytest.mark.on_both_engines  # listed in the README


async def post_lead(
    buyer: SimUser, title: str, skills: str, category: str = "Software Development"
) -> None:
    await buyer.send("/newlead")
    await buyer.wait_for_message("What is the title of your lead?")
    await buyer.send(title)
    await buyer.wait_for_message("Describe the work")
    await buyer.send("A booking site for my <3 bakery & café.\nPayments via Stripe.")
    await buyer.wait_for_message("Which category fits")
    await buyer.tap(category)
    await buyer.wait_for_message("Which skills should the seller have?")
    await buyer.send(skills)
    await buyer.wait_for_message("What is your budget in USD?")


async def test_a_lead_is_posted_matched_found_shared_edited_and_withdrawn(
    sandbox: Sandbox, bot: RunningBot
) -> None:
    buyer, seller, other = (sandbox.create_user(n) for n in ("Bella", "Sid", "Otto"))
    await sign_up(sandbox, buyer, role="Buyer", email="bella@example.org")
    await sign_up(sandbox, seller, role="Seller", email="sid@example.org", skills="Python, Django")
    await sign_up(sandbox, other, role="Seller", email="otto@example.org", skills="Copywriting")

    await post_lead(buyer, "Booking <site> & more", "django, PYTHON")
    for bad in ("-5", "0", "abc", "1e309", "NaN"):
        await buyer.send(bad)
        again = await buyer.wait_for_message("What is your budget in USD?")
        assert len(again.text.split("\n\n")) == 2  # one sentence, then the same question
    await buyer.send("$1,200")
    await buyer.wait_for_message("Attach a brief")
    await buyer.send_document(b"%PDF-1.4 brief", filename="brief.pdf")
    await buyer.wait_for_message("Added brief.pdf (1/5)")
    await buyer.tap("Done")
    preview = await buyer.wait_for_message("Preview")
    assert "Booking <site> & more" in preview.text and "1,200 USD" in preview.text
    assert "Django, Python" in preview.text and "1 attachment" in preview.text
    await buyer.tap("Publish")
    await buyer.wait_for_message("1 matching seller will hear of it")
    card = await buyer.wait_for_message("Share: https://t.me/")
    share = next(w for w in card.text.split() if w.startswith("https://t.me/"))

    alert = await seller.wait_for_message("New lead for your skills")
    assert "Booking <site> & more" in alert.text and "1,200 USD" in alert.text
    await asyncio.sleep(1.5)  # nothing else may arrive
    assert [m for m in seller.bot_messages if "New lead" in (m.text or "")] == [alert]
    assert not [m for m in other.bot_messages if "New lead" in (m.text or "")]

    await seller.tap("View", message_id=alert.message_id)
    full = await seller.wait_for_message("Payments via Stripe.")
    assert "by Bella" in full.text
    document = await seller.wait_for_message(predicate=lambda m: m.media_kind == "document")
    assert document.media is not None and document.caption == "📎 Booking <site> & more"
    await seller.tap("Connect", message_id=full.message_id)
    await seller.wait_for_message("How much do you propose, in USD?")
    await seller.send("/cancel")
    await seller.wait_for_message("no offer was sent")

    await seller.send("/leads")
    found = await seller.wait_for_message("Open leads for your skills")
    assert any("Booking <site> & more" in b["text"] for r in found.inline_buttons for b in r)
    await seller.send("/leads bakery stripe")
    found = await seller.wait_for_message("Open leads for “bakery stripe”: 1–1 of 1")
    await seller.send("/leads nothing-like-this")
    await seller.wait_for_message("No open leads for “nothing-like-this”")
    for wordless in ("/leads 🍰🍰", "/leads <b>", "/leads % _"):
        await seller.send(wordless)
        await seller.wait_for_message("That search has no words to look for")
    assert await seller.inline_query("🍰 %") == []
    await seller.send('/leads "booking site" -cheap')
    await seller.wait_for_message('Open leads for “"booking site" -cheap”: 1–1 of 1')
    results = await seller.inline_query("booking")
    assert [r["title"] for r in results] == ["Booking <site> & more"]

    await other.open_link(share)
    shared = await other.wait_for_message("Booking <site> & more")
    assert "Payments via Stripe." in shared.text

    await buyer.tap("Edit", message_id=card.message_id)
    await buyer.wait_for_message("Which part do you want to change?")
    await buyer.tap("Budget")
    await buyer.wait_for_message("What is your budget in USD?")
    await buyer.send("1500.50")
    edited = await buyer.wait_for_message("1,500.50 USD")
    await asyncio.sleep(1)
    assert [m for m in seller.bot_messages if "New lead" in (m.text or "")] == [alert]

    await buyer.tap("Withdraw", message_id=edited.message_id)
    await buyer.wait_for_message("Withdraw this lead?")
    await buyer.tap("Yes, withdraw")
    await buyer.wait_for_message("The lead is withdrawn")
    await seller.send("/leads booking")
    await seller.wait_for_message("No open leads for “booking”")
    assert await seller.inline_query("booking") == []


async def test_only_buyers_with_a_profile_may_post(sandbox: Sandbox, bot: RunningBot) -> None:
    sam = sandbox.create_user("Sam")
    await sign_up(sandbox, sam, role="Seller", email="sam@example.org", skills="Go")
    await sam.send("/newlead")
    await sam.wait_for_message("To post a lead you first need the buyer role.")
    newbie = sandbox.create_user("Newbie")
    await newbie.send("/newlead")
    await newbie.wait_for_message("Please send /start to sign up first.")


async def test_a_muted_seller_gets_no_alert_and_the_dashboard_counts_leads(
    sandbox: Sandbox, bot: RunningBot
) -> None:
    buyer, quiet, loud = (sandbox.create_user(n) for n in ("Bea", "Quiet", "Loud"))
    await sign_up(sandbox, buyer, role="Buyer", email="bea@example.org")
    await sign_up(sandbox, quiet, role="Seller", email="quiet@example.org", skills="Figma")
    await sign_up(sandbox, loud, role="Seller", email="loud@example.org", skills="Figma")
    await quiet.send("/settings")
    await quiet.wait_for_message("New-lead alerts: on")
    answer = await quiet.tap("Mute new-lead alerts")
    assert answer.text is not None and "off" in answer.text
    await quiet.wait_for_message("New-lead alerts: off")

    await post_lead(buyer, "App mockups", "figma", category="Design & Creative")
    await buyer.send("800")
    await buyer.wait_for_message("Attach a brief")
    await buyer.tap("Skip")
    await buyer.wait_for_message("Preview")
    await buyer.tap("Publish")
    await buyer.wait_for_message("1 matching seller will hear of it")
    await loud.wait_for_message("New lead for your skills")
    await asyncio.sleep(1)
    assert not [m for m in quiet.bot_messages if "New lead" in (m.text or "")]
    await quiet.send("/leads")
    await quiet.wait_for_message("Open leads for your skills: 1–1 of 1")

    await buyer.send("/dashboard")
    board = await buyer.wait_for_message("Dashboard")
    assert "0 draft · 1 open · 0 in progress · 0 completed" in board.text
    await buyer.tap("My leads")
    mine = await buyer.wait_for_message("My leads: 1–1 of 1")
    await buyer.tap("App mockups", message_id=mine.message_id)
    card = await buyer.wait_for_message("App mockups")
    assert any(b["text"] == "🗑 Withdraw" for r in card.inline_buttons for b in r)
