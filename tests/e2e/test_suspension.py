"""A suspended user is told why whenever they try to act, and can do nothing but read: no
posting, bidding or messaging; their lead leaves search until the suspension is lifted."""

from __future__ import annotations

import pytest

from bot.runner import RunningBot
from sandbox import Sandbox
from tests.e2e.journeys import sign_up
from tests.e2e.test_admin import ADMIN_ID, admin_user
from tests.e2e.test_mydata import my_data
from tests.e2e.test_reviews import publish_lead

REASON = "Asked for payment outside Leadline"


@pytest.fixture
def admin_ids() -> list[int]:
    return [ADMIN_ID]


async def test_a_suspended_user_can_only_read(sandbox: Sandbox, bot: RunningBot) -> None:
    admin = await admin_user(sandbox)
    buyer = sandbox.create_user("Bella", username="bella_b")
    seller = sandbox.create_user("Sid", username="sid_s")
    await sign_up(sandbox, buyer, role="Buyer", email="bella@example.org")
    await sign_up(sandbox, seller, role="Seller", email="sid@example.org", skills="Django")
    await publish_lead(buyer, "Shop rebuild", "django")
    alert = await seller.wait_for_message("New lead for your skills")
    await seller.tap("Connect", message_id=alert.message_id)
    await seller.wait_for_message("How much do you propose")
    await seller.send("/cancel")
    await seller.wait_for_message()

    await admin.send(f"/suspend @sid_s {REASON}")
    await admin.wait_for_message("Sid is suspended")
    await seller.wait_for_message(REASON)
    # Bidding: the alert's Connect.
    answer = await seller.tap("Connect", message_id=alert.message_id)
    assert answer.text is not None and REASON in answer.text and "connect to leads" in answer.text
    # Editing the profile is refused at the tap, in words naming it, before any question.
    await seller.send("/profile")
    card = await seller.wait_for_message("Time zone")
    for label in ("✏️ Name", "🕒 Time zone"):
        answer = await seller.tap(label, message_id=card.message_id)
        assert answer.text is not None and "cannot edit your profile" in answer.text
    await seller.tap("📄 Resume", message_id=card.message_id)
    section = await seller.wait_for_message("Resume")
    answer = await seller.tap("⬆️ Upload", message_id=section.message_id)
    assert answer.text is not None and "cannot change your credentials" in answer.text
    assert seller.last_bot_message is not None
    assert seller.last_bot_message.message_id == section.message_id  # nothing was asked

    await admin.send(f"/suspend @bella_b {REASON}")
    await admin.wait_for_message("Bella is suspended")
    await buyer.wait_for_message(REASON)
    # Posting.
    await buyer.send("/newlead")
    refused = await buyer.wait_for_message("Your account is suspended")
    assert refused.text is not None and REASON in refused.text and "post leads" in refused.text
    # Her lead is hidden from search while she is suspended (the seller is back).
    await admin.send("/unsuspend @sid_s")
    await admin.wait_for_message("Sid is no longer suspended")
    await seller.send("/leads shop")
    await seller.wait_for_message("No open leads for “shop”")
    # Messaging: the seller writes in their thread; she cannot answer.
    await seller.send("/messages")
    await seller.wait_for_message("Shop rebuild")
    await buyer.send("/messages")
    await buyer.wait_for_message("Shop rebuild")
    await buyer.tap("Shop rebuild")
    thread = await buyer.wait_for_message("Sid")
    answer = await buyer.tap("💬 Message", message_id=thread.message_id)
    assert answer.text is not None and "cannot send messages" in answer.text
    assert not any("You are writing to" in (m.text or "") for m in buyer.bot_messages)

    await admin.send("/unsuspend @bella_b")
    await admin.wait_for_message("Bella is no longer suspended")
    await buyer.wait_for_message("active again")
    await seller.send("/leads shop")
    found = await seller.wait_for_message("Open leads for")
    assert "📌 Shop rebuild" in [b["text"] for row in found.inline_buttons for b in row]


async def test_my_data_says_why_and_since_when_i_am_suspended(
    sandbox: Sandbox, bot: RunningBot
) -> None:
    admin = await admin_user(sandbox)
    sue = sandbox.create_user("Sue", username="sue_s")
    await sign_up(sandbox, sue, role="Buyer", email="sue@example.org")
    await admin.send(f"/suspend @sue_s {REASON}")
    await admin.wait_for_message("Sue is suspended")
    await sue.wait_for_message(REASON)
    account = (await my_data(sandbox, sue))["account"]
    assert account["status"] == "suspended" and account["terms_version"]
    assert account["suspension"]["reason"] == REASON
    assert str(account["suspension"]["since"]).startswith("20")
