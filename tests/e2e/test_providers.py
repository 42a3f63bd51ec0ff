"""A seller fills in credentials; a buyer finds the seller, reads the public card, gets the
resume and invites the seller to a lead, which then shows under Requested leads."""

from __future__ import annotations

import pytest

from bot.runner import RunningBot
from sandbox import Sandbox, SimUser
from tests.e2e.journeys import sign_up
from tests.e2e.test_leads import post_lead

pytestmark = pytest.mark.on_both_engines  # listed in the README


async def open_section(seller: SimUser, label: str, heading: str) -> None:
    await seller.send("/profile")
    card = await seller.wait_for_message("Member since")
    await seller.tap(label, message_id=card.message_id)
    await seller.wait_for_message(heading)


async def test_credentials_public_card_and_invitation(sandbox: Sandbox, bot: RunningBot) -> None:
    seller, buyer = sandbox.create_user("Sara"), sandbox.create_user("Bob")
    await sign_up(sandbox, seller, role="Seller", email="sara@example.org", skills="Python, Django")
    await sign_up(sandbox, buyer, role="Buyer", email="bob@example.org")

    await open_section(seller, "Experience", "Experience")
    await seller.tap("Set years")
    await seller.wait_for_message("years per skill")
    await seller.send("Python 5, Rust 2")
    await seller.wait_for_message("“Rust” is not among your skills")
    await seller.send("python 5, Django 3")
    await seller.wait_for_message("Python: 5 yr")

    await open_section(seller, "Education", "Education")
    await seller.tap("Add")
    await seller.wait_for_message("degree and the school")
    await seller.send("just one thing")
    await seller.wait_for_message("separated by a comma")
    await seller.send("BSc Computer Science, TU <Berlin> & Co, 2019")
    await seller.wait_for_message("BSc Computer Science — TU <Berlin> & Co, 2019")

    await open_section(seller, "Resume", "Resume")
    await seller.tap("Upload")
    await seller.wait_for_message("Send your resume")
    await seller.send("here it is")
    await seller.wait_for_message("Please send a document")
    await seller.send_document(b"%PDF resume", filename="sara-cv.pdf")
    await seller.wait_for_message("Resume: sara-cv.pdf")

    await open_section(seller, "Documents", "Verification documents")
    await seller.tap("Add")
    await seller.wait_for_message("What kind of document")
    await seller.tap("Certificate")
    await seller.wait_for_message("What is its title?")
    await seller.send("AWS <Pro> & more")
    await seller.wait_for_message("send the document itself")
    await seller.send_document(b"%PDF cert", filename="aws.pdf")
    await seller.wait_for_message("AWS <Pro> & more (Certificate)")

    await open_section(seller, "Portfolio", "Portfolio")
    await seller.tap("Add")
    await seller.wait_for_message("link to your work")
    await seller.send("ftp://example.org")
    await seller.wait_for_message("web address starting with https://")
    await seller.send("https://example.org/work My <work>")
    await seller.wait_for_message("My <work>: https://example.org/work")

    await post_lead(buyer, "Django shop", "Django")
    await buyer.send("900")
    await buyer.wait_for_message("Attach a brief")
    await buyer.tap("Skip")
    await buyer.wait_for_message("Preview")
    await buyer.tap("Publish")
    await buyer.wait_for_message("Published")
    await seller.wait_for_message("New lead for your skills")

    await buyer.send("/providers python")
    results = await buyer.wait_for_message("Sellers for “python”: 1–1 of 1")
    await buyer.tap("Sara", message_id=results.message_id)
    card = await buyer.wait_for_message("Completed leads: 0")
    for expected in (
        "Python — no stars yet · 5 yr",
        "Django — no stars yet · 3 yr",
        "✅ email verified",
        "TU <Berlin> & Co",
        "My <work>: https://example.org/work",
        "AWS <Pro> & more (certificate)",
        "Member since",
    ):
        assert expected in card.text
    await buyer.tap("Resume", message_id=card.message_id)
    resume = await buyer.wait_for_message(predicate=lambda m: m.media_kind == "document")
    assert resume.caption == "sara-cv.pdf"
    await buyer.tap("Invite to lead", message_id=card.message_id)
    await buyer.wait_for_message("Invite to which lead?")
    await buyer.tap("Django shop")
    await buyer.wait_for_message("Invitation sent")
    notice = await seller.wait_for_message("invited you to a lead")
    assert "Bob" in notice.text and "Django shop" in notice.text
    await seller.tap("View", message_id=notice.message_id)
    await seller.wait_for_message("Django shop")

    await seller.send("/dashboard")
    board = await seller.wait_for_message("Dashboard")
    assert "Requested leads: 1" in board.text and "Python: no stars yet" in board.text
    await seller.tap("Requested leads")
    listing = await seller.wait_for_message("Requested leads")
    assert any("Django shop" in b["text"] for r in listing.inline_buttons for b in r)


async def test_a_skill_of_two_words_is_found_without_commas(
    sandbox: Sandbox, bot: RunningBot
) -> None:
    """The play-test: "/providers logo design" and "/providers logo" found nobody, though
    Sam has the skill Logo Design ("/providers Logo Design," did find him)."""
    sam, bob = sandbox.create_user("Sam"), sandbox.create_user("Bob")
    await sign_up(sandbox, sam, role="Seller", email="sam@example.org", skills="Logo Design")
    await sign_up(sandbox, bob, role="Buyer", email="bob@example.org")
    for asked in ("logo design", "Logo Design,", "logo", "vintage logo", "figma, logo design"):
        await bob.send(f"/providers {asked}")
        found = await bob.wait_for_message("Sellers for")
        assert "1–1 of 1" in found.text and "Sam" in found.text
    await bob.send("/providers calligraphy")
    none = await bob.wait_for_message("No sellers found for “calligraphy”")
    assert "separate several skills with commas" in none.text
    await bob.send("/providers")
    ask = await bob.wait_for_message("Which skills are you looking for?")
    assert "commas separate several skills" in ask.text
    await bob.send("/help")
    await bob.wait_for_message("/providers logo design finds one skill, commas separate several")
