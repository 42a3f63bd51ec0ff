"""The admin's and the seller's questions that want a tap, answered by typing; an
@username shorter than Telegram allows, looked up anyway or explained."""

from __future__ import annotations

import pytest

from bot.runner import RunningBot
from sandbox import Sandbox
from tests.e2e.journeys import sign_up
from tests.e2e.test_admin import ADMIN_ID, admin_user
from tests.e2e.test_providers import open_section


@pytest.fixture
def admin_ids() -> list[int]:
    return [ADMIN_ID]


async def test_typing_at_send_it_shows_the_announcement_again_with_its_buttons(
    sandbox: Sandbox, bot: RunningBot
) -> None:
    admin = await admin_user(sandbox)
    await admin.send("/admin")
    await admin.wait_for_message("Admin console")
    await admin.tap("📣 Announcement")
    await admin.wait_for_message("Who should receive the announcement?")
    await admin.send("Maintenance tonight")
    again = await admin.wait_for_message("Please tap who should receive it first.")
    assert "Who should receive the announcement?" in (again.text or "")
    assert "Sellers" in again.button_texts()
    await admin.tap("Sellers", message_id=again.message_id)
    await admin.wait_for_message("Send the announcement's text")
    await admin.send("Maintenance tonight")
    await admin.wait_for_message("Preview — to sellers")
    await admin.send("yes send it")
    again = await admin.wait_for_message("Please tap Send or Cancel under the preview.")
    assert "Preview — to sellers" in (again.text or "") and "Maintenance tonight" in again.text
    assert again.button_texts() == ["📣 Send", "✖️ Cancel"]
    await admin.tap("Cancel", message_id=again.message_id)
    await admin.wait_for_message("The announcement was not sent.")


async def test_a_short_username_is_looked_up_and_otherwise_explained(
    sandbox: Sandbox, bot: RunningBot
) -> None:
    admin = await admin_user(sandbox)
    bob = sandbox.create_user("Bob", username="bob")
    await sign_up(sandbox, bob, role="Buyer", email="bob@example.org")
    await admin.send("/suspend @bob Fake reviews")
    await admin.wait_for_message("Bob is suspended")
    await admin.send("/suspend @al Fake reviews")
    answer = await admin.wait_for_message("@al")
    assert answer.text == (
        "@al is not a Telegram username: they have 5 to 32 letters, digits or underscores."
    )


async def test_typing_a_title_before_the_kind_of_document_asks_for_the_kind_again(
    sandbox: Sandbox, bot: RunningBot
) -> None:
    sara = sandbox.create_user("Sara")
    await sign_up(sandbox, sara, role="Seller", email="sara@example.org", skills="Python")
    await open_section(sara, "Documents", "Verification documents")
    await sara.tap("Add")
    await sara.wait_for_message("What kind of document")
    await sara.send("My certificate")
    again = await sara.wait_for_message("Please tap the kind of document first.")
    assert "What kind of document is it?" in (again.text or "")
    assert again.button_texts() == ["Certificate", "Award", "Reference"]
