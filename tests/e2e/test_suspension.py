"""A suspended user is told why whenever they try to act, and can do nothing but read: no
posting, bidding or messaging; their lead leaves search until the suspension is lifted."""

from __future__ import annotations

import pytest

from bot.runner import RunningBot
from sandbox import Sandbox
from tests.e2e.journeys import sign_up
from tests.e2e.test_admin import ADMIN_ID, admin_user
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
    await buyer.wait_for_message("Sid")
    await buyer.tap("💬 Message")
    await buyer.wait_for_message()
    await buyer.send("Hello Sid")
    refused = await buyer.wait_for_message("Your account is suspended")
    assert refused.text is not None and "send messages" in refused.text

    await admin.send("/unsuspend @bella_b")
    await admin.wait_for_message("Bella is no longer suspended")
    await buyer.wait_for_message("active again")
    await seller.send("/leads shop")
    found = await seller.wait_for_message("Open leads for")
    assert "📌 Shop rebuild" in [b["text"] for row in found.inline_buttons for b in row]
