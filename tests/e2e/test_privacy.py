"""Private things stay private: a seller's verification documents reach only the seller (and
admins), the resume only signed-up buyers; a withdrawn lead's card and files only its buyer
and the sellers who talked about it — whatever button data someone forges, and through the
share link too, which stores nothing about someone who never signed up."""

from __future__ import annotations

import asyncio

import pytest

from bot.runner import RunningBot
from domain import accounts
from sandbox import Sandbox, SimUser
from tests.e2e.journeys import sign_up
from tests.e2e.test_leads import post_lead
from tests.e2e.test_providers import open_section

pytestmark = pytest.mark.on_both_engines  # listed in the README


async def user_id(bot: RunningBot, person: SimUser) -> int | None:
    """The account id of a Telegram user; None if the bot stores nothing about them."""
    user = await accounts.get_user(bot.app.bot_data["services"].uow(), person.id)
    return user.id if user else None


def documents(person: SimUser) -> list[str]:
    return [
        str(m.media and m.media.get("file_name"))
        for m in person.bot_messages
        if m.media_kind == "document"
    ]


async def upload_credentials(seller: SimUser) -> None:
    """Sara uploads her resume and a passport scan as a verification document."""
    await open_section(seller, "Resume", "Resume")
    await seller.tap("Upload")
    await seller.wait_for_message("Send your resume")
    await seller.send_document(b"%PDF resume", filename="sara-cv.pdf")
    await seller.wait_for_message("Resume: sara-cv.pdf")
    await open_section(seller, "Documents", "Verification documents")
    await seller.tap("Add")
    await seller.wait_for_message("What kind of document")
    await seller.tap("Certificate")
    await seller.wait_for_message("What is its title?")
    await seller.send("Passport")
    await seller.wait_for_message("send the document itself")
    await seller.send_document(b"%PDF passport scan", filename="passport.pdf")
    await seller.wait_for_message("Passport (Certificate)")


async def test_forged_buttons_get_no_resume_or_documents(sandbox: Sandbox, bot: RunningBot) -> None:
    sara, bob, otto, eve = (sandbox.create_user(n) for n in ("Sara", "Bob", "Otto", "Eve"))
    await sign_up(sandbox, sara, role="Seller", email="sara@example.org", skills="Python")
    await sign_up(sandbox, bob, role="Buyer", email="bob@example.org")
    await sign_up(sandbox, otto, role="Seller", email="otto@example.org", skills="Go")
    await upload_credentials(sara)
    sara_id = await user_id(bot, sara)
    await eve.send("/start")  # only pressed Start: no signup
    welcome = await eve.wait_for_message("Do you accept these terms?")
    await otto.send("/menu")
    otto_menu = await otto.wait_for_message("What would you like to do?")

    refusals = {
        "docs": "Verification documents are seen only by their owner and the Leadline team.",
        "resume": "Resumes are shared only with signed-up buyers.",
    }
    for person, message_id in ((eve, welcome.message_id), (otto, otto_menu.message_id)):
        for kind, sentence in refusals.items():
            answer = await person.tap_data(message_id, f"v1:pv:{kind}:{sara_id}")
            assert (answer.text, answer.show_alert) == (sentence, True), (person, kind)

    # A buyer gets the resume but not the passport; the card offers only what they may have.
    await bob.send("/providers python")
    results = await bob.wait_for_message("Sellers for “python”")
    await bob.tap("Sara", message_id=results.message_id)
    card = await bob.wait_for_message("Member since")
    labels = [b["text"] for r in card.inline_buttons for b in r]
    assert any("Resume" in label for label in labels)
    assert not any("Documents" in label for label in labels)
    await bob.tap("Resume", message_id=card.message_id)
    resume = await bob.wait_for_message(predicate=lambda m: m.media_kind == "document")
    assert resume.caption == "sara-cv.pdf"
    answer = await bob.tap_data(card.message_id, f"v1:pv:docs:{sara_id}")
    assert answer.text == refusals["docs"]

    # The owner has both.
    await sara.send("/menu")
    menu = await sara.wait_for_message("What would you like to do?")
    await sara.tap_data(menu.message_id, f"v1:pv:docs:{sara_id}")
    passport = await sara.wait_for_message(predicate=lambda m: m.media_kind == "document")
    assert passport.caption == "Passport"

    await asyncio.sleep(1)
    assert documents(eve) == [] and documents(otto) == []
    assert len(documents(bob)) == 1


async def test_a_withdrawn_lead_is_read_only_by_those_who_were_in_it(
    sandbox: Sandbox, bot: RunningBot
) -> None:
    bella, sid, otto, eve, nia = (
        sandbox.create_user(n) for n in ("Bella", "Sid", "Otto", "Eve", "Nia")
    )
    await sign_up(sandbox, bella, role="Buyer", email="bella@example.org")
    await sign_up(sandbox, sid, role="Seller", email="sid@example.org", skills="Django")
    await sign_up(sandbox, otto, role="Seller", email="otto@example.org", skills="Go")
    await eve.send("/start")
    welcome = await eve.wait_for_message("Do you accept these terms?")

    await post_lead(bella, "Secret <shop>", "django")
    await bella.send("900")
    await bella.wait_for_message("Attach a brief")
    await bella.send_document(b"%PDF brief", filename="brief.pdf")
    await bella.wait_for_message("Added brief.pdf")
    await bella.tap("Done")
    await bella.wait_for_message("Preview")
    await bella.tap("Publish")
    card = await bella.wait_for_message("Share: https://t.me/")
    share = next(w for w in card.text.split() if w.startswith("https://t.me/"))
    lead_id = int(share.rsplit("lead_", 1)[1])

    # Sid talks about it (Connect opens his conversation with Bella).
    alert = await sid.wait_for_message("New lead for your skills")
    await sid.tap("Connect", message_id=alert.message_id)
    await sid.wait_for_message("How much do you propose")
    await sid.send("/cancel")
    await sid.wait_for_message("no offer was sent")

    # While it is open, a share link shows it to anyone, and stores nothing about Nia.
    await nia.open_link(share)
    shown = await nia.wait_for_message("Secret <shop>")
    await nia.wait_for_message(predicate=lambda m: m.media_kind == "document")
    await nia.wait_for_message("send /start and sign up")
    assert "by Bella" in shown.text
    assert await user_id(bot, nia) is None

    await bella.tap("Withdraw", message_id=card.message_id)
    await bella.wait_for_message("Withdraw this lead?")
    await bella.tap("Yes, withdraw")
    await bella.wait_for_message("The lead is withdrawn")
    await sid.wait_for_message("withdrew")

    refused = "This lead is closed; only its buyer and the sellers who talked about it can open it."
    await eve.tap_data(welcome.message_id, f"v1:ld:view:{lead_id}")
    await eve.wait_for_message(refused)
    await otto.send("/menu")
    menu = await otto.wait_for_message("What would you like to do?")
    await otto.tap_data(menu.message_id, f"v1:ld:view:{lead_id}")
    await otto.wait_for_message(refused)
    await nia.open_link(share)
    await nia.wait_for_message(refused)
    await otto.open_link(share)
    await otto.wait_for_message(refused)
    assert await user_id(bot, nia) is None

    # Its buyer and the seller who was in talks still read it, files included.
    await bella.tap_data(card.message_id, f"v1:ld:view:{lead_id}")
    own = await bella.wait_for_message("Secret <shop>")
    assert "withdrawn" in own.text.lower()
    await bella.wait_for_message(predicate=lambda m: m.media_kind == "document")
    await sid.tap("View", message_id=alert.message_id)
    await sid.wait_for_message("Secret <shop>")
    await sid.wait_for_message(predicate=lambda m: m.media_kind == "document")

    await asyncio.sleep(1)
    assert documents(eve) == [] and documents(otto) == []
    assert len(documents(nia)) == 1  # from when the lead was open
    assert not [m for m in eve.bot_messages + otto.bot_messages if "Secret" in (m.text or "")]
