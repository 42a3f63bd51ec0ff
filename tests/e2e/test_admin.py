"""The admin console as an admin uses it, and as anyone else cannot see it: /admin answers a
non-admin exactly like an unknown command; the admin reads the counts, finds a user, opens a
transcript, suspends by button and by command, announces to one role, reviews flagged
messages."""

from __future__ import annotations

import pytest

from bot.runner import RunningBot
from sandbox import Sandbox, SimUser
from tests.e2e.journeys import sign_up
from tests.e2e.test_reviews import publish_lead

ADMIN_ID = 777_000_001


@pytest.fixture
def admin_ids() -> list[int]:
    return [ADMIN_ID]


async def admin_user(sandbox: Sandbox) -> SimUser:
    """The configured admin, who has pressed Start."""
    admin = sandbox.create_user("Ada", username="ada_admin", user_id=ADMIN_ID)
    await admin.send("/start")
    await admin.wait_for_message("Do you accept these terms?")
    return admin


async def test_a_non_admin_gets_the_unknown_command_answer(
    sandbox: Sandbox, bot: RunningBot
) -> None:
    mallory = sandbox.create_user("Mallory")
    await sign_up(sandbox, mallory, role="Buyer", email="mallory@example.org")
    await mallory.send("/frobnicate")
    unknown = await mallory.wait_for_message("I don't know the command")
    for command in ("/admin", "/suspend @ada_admin spam", "/unsuspend @ada_admin"):
        await mallory.send(command)
        answer = await mallory.wait_for_message("I don't know the command")
        name = command.split()[0]
        assert answer.text == unknown.text.replace("/frobnicate", name)
        assert answer.inline_buttons == unknown.inline_buttons


async def test_the_admin_finds_suspends_and_announces(sandbox: Sandbox, bot: RunningBot) -> None:
    admin = await admin_user(sandbox)
    buyer = sandbox.create_user("Bella", username="bella_b")
    seller = sandbox.create_user("Sid", username="sid_s")
    await sign_up(sandbox, buyer, role="Buyer", email="bella@example.org")
    await sign_up(sandbox, seller, role="Seller", email="sid@example.org", skills="Django")
    await publish_lead(buyer, "Shop <rebuild>", "django")
    alert = await seller.wait_for_message("New lead for your skills")
    await seller.tap("Connect", message_id=alert.message_id)
    await seller.wait_for_message("How much do you propose")
    await seller.send("/cancel")
    await seller.wait_for_message()

    await admin.send("/admin")
    console = await admin.wait_for_message("Admin console")
    assert console.text is not None
    # The admin only pressed Start: counted apart from the two who signed up.
    assert "Users: 2 signed up (buyers 1, sellers 1, suspended 0)" in console.text
    assert "Not counted: 1 who never finished signing up, 0 deleted" in console.text
    assert "open 1" in console.text

    await admin.tap("🔎 Find user")
    await admin.wait_for_message("Who are you looking for?")
    await admin.send("@nobody_here")
    await admin.wait_for_message("Nobody has that")
    await admin.send("bella@example.org")
    card = await admin.wait_for_message("Telegram id")
    assert card.text is not None and "Bella" in card.text and "Active." in card.text

    await admin.tap("Shop <rebuild>", message_id=card.message_id)
    transcript = await admin.wait_for_message("The whole conversation")
    assert transcript.media_kind == "document"

    await admin.tap("⛔ Suspend", message_id=card.message_id)
    await admin.wait_for_message("Why suspend Bella?")
    await admin.send("Asked for payment by wire outside Leadline")
    await admin.wait_for_message("Bella is suspended")
    told = await buyer.wait_for_message("Your Leadline account is suspended")
    assert told.text is not None and "Asked for payment by wire" in told.text
    # The card whose Suspend was tapped now says so, with Unsuspend instead of Suspend.
    tapped = admin.message(card.message_id)
    assert tapped.text is not None and "⛔ Suspended since" in tapped.text
    assert "Active." not in tapped.text
    assert "✅ Unsuspend" in tapped.button_texts() and "⛔ Suspend" not in tapped.button_texts()

    # Unsuspended from her card: the card is redrawn as it now stands, with its buttons.
    await admin.send("/admin")
    await admin.tap("🔎 Find user")
    await admin.wait_for_message("Who are you looking for?")
    await admin.send("@bella_b")
    card = await admin.wait_for_message("⛔ Suspended since")
    await admin.tap("✅ Unsuspend", message_id=card.message_id)
    await admin.wait_for_message("Bella is no longer suspended")
    redrawn = admin.message(card.message_id)
    assert redrawn.text is not None and "⛔ Suspended" not in redrawn.text
    assert "Active; the last suspension was lifted" in redrawn.text
    assert "⛔ Suspend" in redrawn.button_texts() and "🛠 Console" in redrawn.button_texts()
    await buyer.wait_for_message("Your Leadline account is active again")
    await admin.send("/suspend @sid_s")
    await admin.wait_for_message("Write the user and the reason")
    await admin.send("/suspend @sid_s Spamming buyers")
    await admin.wait_for_message("Sid is suspended: Spamming buyers")
    await seller.wait_for_message("Spamming buyers")
    await admin.send("/unsuspend @sid_s")
    await admin.wait_for_message("Sid is no longer suspended")
    # Both show on the user's card, from the audit log, newest first.
    await admin.send("/admin")
    await admin.tap("🔎 Find user")
    await admin.wait_for_message("Who are you looking for?")
    await admin.send("@bella_b")
    card = await admin.wait_for_message("Latest in the audit log")
    history = card.text.split("Latest in the audit log:")[1]
    # In words: who did what, and which lead (the buyer's own publishing reads unnamed).
    assert history.index("Ada lifted the suspension of Bella") < history.index(
        "Ada suspended Bella: Asked for payment by wire outside Leadline"
    )
    assert "UTC · published “Shop <rebuild>” (draft → open)" in history

    await admin.send("/admin")
    await admin.wait_for_message("Admin console")
    await admin.tap("📣 Announcement")
    await admin.wait_for_message("Who should receive the announcement?")
    await admin.tap("Sellers")
    await admin.wait_for_message("Send the announcement's text")
    await admin.send("Maintenance <tonight> at 22:00 UTC")
    preview = await admin.wait_for_message("Preview — to sellers")
    assert preview.text is not None and "Maintenance <tonight>" in preview.text
    await admin.tap("📣 Send")
    await admin.wait_for_message("Queued for sellers")
    news = await seller.wait_for_message("Leadline announcement")
    assert news.text is not None and "Maintenance <tonight> at 22:00 UTC" in news.text
    await admin.send("/admin")
    await admin.wait_for_message("Admin console")
    # The buyer is not a seller: nothing reached them (their last message is still the one
    # about their account).
    assert not any("Leadline announcement" in (m.text or "") for m in buyer.bot_messages)

    await admin.tap("🚩 Flagged")
    await admin.wait_for_message("No message has been flagged")
