"""Verified sellers: each verification document a seller uploads reaches every admin with
Verify / Reject; the seller is told either way; a verified seller carries the badge in
/providers (above an unverified seller with equal stars) and on the public card, whose
documents only their owner and the admins may have."""

from __future__ import annotations

import pytest

from bot.runner import RunningBot
from sandbox import Sandbox, SimUser
from tests.e2e.journeys import sign_up
from tests.e2e.test_admin import ADMIN_ID, admin_user
from tests.e2e.test_providers import open_section


@pytest.fixture
def admin_ids() -> list[int]:
    return [ADMIN_ID]


async def upload(seller: SimUser, title: str, filename: str) -> None:
    await open_section(seller, "Documents", "Verification documents")
    await seller.tap("Add")
    await seller.wait_for_message("What kind of document")
    await seller.tap("Certificate")
    await seller.wait_for_message("What is its title?")
    await seller.send(title)
    await seller.wait_for_message("send the document itself")
    await seller.send_document(b"%PDF scan", filename=filename)
    await seller.wait_for_message(f"{title} (Certificate)")


async def test_admins_verify_or_reject_and_the_badge_shows(
    sandbox: Sandbox, bot: RunningBot
) -> None:
    admin = await admin_user(sandbox)
    # Older first: without the badge, Otto would be listed before Sara.
    otto, sara, bob = (sandbox.create_user(n) for n in ("Otto", "Sara", "Bob"))
    await sign_up(sandbox, otto, role="Seller", email="otto@example.org", skills="Django")
    await sign_up(sandbox, sara, role="Seller", email="sara@example.org", skills="Django")
    await sign_up(sandbox, bob, role="Buyer", email="bob@example.org")

    await upload(otto, "Passport <scan>", "otto.pdf")
    card = otto_card = await admin.wait_for_message("Verification document")
    assert card.caption is not None and "Passport <scan>" in card.caption and "Otto" in card.caption
    assert card.media_kind == "document"
    await admin.tap("✖️ Reject", message_id=card.message_id)
    await admin.wait_for_message("Why is this document rejected?")
    await admin.send("The scan is blurred")
    await admin.wait_for_message("was rejected")
    told = await otto.wait_for_message("was not accepted")
    assert told.text is not None and "The scan is blurred" in told.text

    await upload(sara, "ID card", "sara.pdf")
    card = await admin.wait_for_message("ID card")
    await admin.tap("✔️ Verify", message_id=card.message_id)
    await admin.wait_for_message("Sara is verified")
    await sara.wait_for_message("✔️ Verified badge")
    # A document is decided once: Verify on the rejected one is refused.
    answer = await admin.tap("✔️ Verify", message_id=otto_card.message_id)
    assert answer.text is not None and "decided already" in answer.text

    await bob.send("/providers django")
    found = await bob.wait_for_message("Sellers for")
    assert found.text is not None
    assert found.text.index("Sara · ✔️ Verified") < found.text.index("Otto")
    await bob.tap("Sara", message_id=found.message_id)
    public = await bob.wait_for_message("Member since")
    assert public.text is not None and "Sara · ✔️ Verified" in public.text
    # Verification documents are not offered to a buyer.
    labels = [b["text"] for row in public.inline_buttons for b in row]
    assert "🏅 Documents" not in labels
