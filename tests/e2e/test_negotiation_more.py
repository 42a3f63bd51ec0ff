"""Around the negotiation: edits are announced, bids are listed, offers withdrawn, invited
sellers bid from the invitation, and the dashboard shows offers and due dates."""

from __future__ import annotations

import pytest

from bot.runner import RunningBot
from sandbox import Sandbox
from tests.e2e.journeys import sign_up
from tests.e2e.test_leads import post_lead
from tests.e2e.test_negotiation import offer

pytestmark = pytest.mark.on_both_engines  # listed in the README


async def test_edits_bids_withdrawal_invitation_and_dashboard(
    sandbox: Sandbox, bot: RunningBot
) -> None:
    buyer, sid, sam = (sandbox.create_user(n) for n in ("Bella", "Sid", "Sam"))
    await sign_up(sandbox, buyer, role="Buyer", email="bella@example.org")
    await sign_up(sandbox, sid, role="Seller", email="sid@example.org", skills="Django")
    await sign_up(sandbox, sam, role="Seller", email="sam@example.org", skills="Figma")
    await post_lead(buyer, "Shop backend", "django")
    await buyer.send("500")
    await buyer.wait_for_message("Attach a brief")
    await buyer.tap("Skip")
    await buyer.wait_for_message("Preview")
    await buyer.tap("Publish")
    card = await buyer.wait_for_message("Share:")

    alert = await sid.wait_for_message("New lead for your skills")
    await sid.tap("Connect", message_id=alert.message_id)
    await offer(sid, "300", "5")
    sent = sid.last_bot_message
    assert sent is not None and "Your offer was sent" in sent.text
    await buyer.wait_for_message("New bid")

    await buyer.tap("Edit", message_id=card.message_id)
    await buyer.wait_for_message("Which part do you want to change?")
    await buyer.tap("Budget")
    await buyer.wait_for_message("What is your budget")
    await buyer.send("650")
    await buyer.wait_for_message("650 USD")
    changed = await sid.wait_for_message("The buyer changed the budget: 500 USD → 650 USD")
    assert "650 USD" in changed.text

    await buyer.tap("Bids", message_id=card.message_id)
    listing = await buyer.wait_for_message("Bids")
    assert "Sid — 300 USD in 5 days, waiting for an answer" in listing.text

    await sid.tap("Withdraw offer", message_id=sent.message_id)
    await sid.wait_for_message("Your offer is withdrawn")
    await buyer.wait_for_message("withdrew the offer")
    await sid.send("/dashboard")
    await sid.wait_for_message("Dashboard")
    await sid.tap("Requested leads")
    requested = await sid.wait_for_message("Requested leads")
    assert any(
        "your offer 300 USD, withdrawn" in b["text"] for r in requested.inline_buttons for b in r
    )

    await buyer.send("/providers figma")
    found = await buyer.wait_for_message("Sellers for “figma”")
    await buyer.tap("Sam", message_id=found.message_id)
    profile = await buyer.wait_for_message("Member since")
    await buyer.tap("Invite to lead", message_id=profile.message_id)
    await buyer.wait_for_message("Invite to which lead?")
    await buyer.tap("Shop backend")
    invitation = await sam.wait_for_message("invited you to a lead")
    await sam.tap("Make offer", message_id=invitation.message_id)
    await offer(sam, "450", "4")
    bid = await buyer.wait_for_message("From: Sam")
    await buyer.tap("Accept", message_id=bid.message_id)
    await buyer.wait_for_message("Hired!")
    await sid.wait_for_message("has been filled")
    await sam.wait_for_message("accepted your offer")

    for user in (buyer, sam):
        await user.send("/dashboard")
        await user.wait_for_message("Dashboard")
        await user.tap("Leads in progress")
        running = await user.wait_for_message("Leads in progress: 1–1 of 1")
        assert any("✅ Shop backend — due" in b["text"] for r in running.inline_buttons for b in r)
