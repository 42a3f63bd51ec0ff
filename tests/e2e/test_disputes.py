"""Disputes with an administrator configured: the seller disputes a delivered lead (a
reason and a photo), the administrator gets the card, reads the transcript, writes to the
seller as Leadline support and resolves a split (a wrong amount first); both sides hear
the outcome, which is in the transcript, and reviews open. The buyer disputes a lead in
progress, found through /disputes and cancelled. Nobody else can press the
administrators' buttons, and /disputes is an unknown command to them."""

from __future__ import annotations

import pytest

from bot.runner import RunningBot
from sandbox import Message, Sandbox, SimUser
from tests.e2e.test_contracts import hired, lead_card_from_dashboard, thread_card, transcript

pytestmark = pytest.mark.on_both_engines  # listed in the README

ADMINS_ONLY = "Only Leadline's administrators can do that."
ADMIN_BUTTONS = ["📄 Transcript", "🛡 Message buyer", "🛡 Message seller", "⚖️ Resolve"]


@pytest.fixture
def admin(sandbox: Sandbox) -> SimUser:
    return sandbox.create_user("Ada")


@pytest.fixture
def admin_ids(admin: SimUser) -> list[int]:
    return [admin.id]


async def started(user: SimUser) -> None:
    """Opens the chat with the bot (an administrator needs no account)."""
    await user.send("/start")
    await user.wait_for_message("Do you accept these terms?")


def button_data(message: Message, label: str) -> str:
    return next(
        str(button["callback_data"])
        for row in message.inline_buttons
        for button in row
        if label in button["text"]
    )


async def press_all(user: SimUser, card: Message) -> None:
    """Someone who is not an administrator replays every button of a dispute card."""
    somewhere = user.last_bot_message
    assert somewhere is not None
    for label in ADMIN_BUTTONS:
        answer = await user.tap_data(somewhere.message_id, button_data(card, label))
        assert answer.text == ADMINS_ONLY, label


async def test_the_seller_disputes_a_delivery_and_support_splits_it(
    sandbox: Sandbox, bot: RunningBot, admin: SimUser
) -> None:
    await started(admin)
    buyer, seller = await hired(sandbox)
    card = await lead_card_from_dashboard(seller, "Leads in progress")
    await seller.tap("Delivered", message_id=card.message_id)
    await seller.wait_for_message("Delivering")
    await seller.tap("Send delivery")
    await seller.wait_for_message("Delivered.")
    delivery = await buyer.wait_for_message("delivered")
    assert "⚖️ Open dispute" in delivery.button_texts()

    # The seller opens a dispute from the thread card: a reason, then a photo.
    thread = await thread_card(seller)
    await seller.tap("Open dispute", message_id=thread.message_id)
    await seller.wait_for_message("What went wrong?")
    await seller.send("x" * 2001)
    again = await seller.wait_for_message("2000 characters")
    assert "What went wrong?" in again.text  # one sentence, then the same question
    await seller.send("The buyer <stopped> answering & won't approve")
    await seller.wait_for_message("Add photos or documents")
    await seller.send_photo(b"\x89PNG proof", caption="proof")
    await seller.wait_for_message("Added (1 of 5)")
    await seller.tap("Open dispute now")
    await seller.wait_for_message("Dispute opened")
    told = await buyer.wait_for_message("opened a dispute")
    assert "The buyer <stopped> answering & won't approve" in told.text

    dispute = await admin.wait_for_message("Dispute #1")
    for shown in (
        "Logo <design> & brand",
        "Buyer: Bella",
        "Seller: Sid",
        "Agreed: 450 USD · 7 days",
        "Lead: in dispute",
        "Reason: “The buyer <stopped> answering & won't approve”",
    ):
        assert shown in dispute.text
    assert dispute.button_texts() == ADMIN_BUTTONS
    await admin.wait_for_message(predicate=lambda m: m.media_kind == "photo")

    # Nobody else may press the administrators' buttons, and nothing changes.
    stranger = sandbox.create_user("Eve")
    await started(stranger)
    await press_all(stranger, dispute)
    await press_all(buyer, dispute)
    await buyer.send("/disputes")
    unknown = await buyer.wait_for_message("I don't know the command /disputes")
    assert "/help lists them all" in unknown.text

    await admin.tap("Transcript", message_id=dispute.message_id)
    export = await admin.wait_for_message(predicate=lambda m: m.media_kind == "document")
    record = sandbox.world.files[export.media["file_id"]].data.decode("utf-8")
    assert "Sid (seller) opened a dispute: The buyer <stopped> answering" in record
    assert "by Ada" in record.splitlines()[3]  # the administrator who read it

    await admin.tap("Message seller", message_id=dispute.message_id)
    await admin.wait_for_message("Type your message to Sid")
    await admin.send("Please send the <final> files.")
    await admin.wait_for_message("Sent to Sid")
    support = await seller.wait_for_message("Leadline support")
    assert "Please send the <final> files." in support.text

    await admin.tap("Resolve", message_id=dispute.message_id)
    await admin.wait_for_message("How is dispute #1 resolved?")
    await admin.tap("Split")
    await admin.wait_for_message("How much of the agreed 450 USD")
    await admin.send("450")
    wrong = await admin.wait_for_message("between 0 and 450 USD")
    assert "How much of the agreed 450 USD" in wrong.text
    await admin.send("300")
    await admin.wait_for_message("Write the note")
    await admin.send("Most of the <work> was delivered.")
    await admin.wait_for_message("Dispute #1 resolved: split")

    for side in (buyer, seller):
        outcome = await side.wait_for_message("is resolved")
        assert "split: the seller is paid 300 USD" in outcome.text
        assert "Most of the <work> was delivered." in outcome.text
    await buyer.wait_for_message("Rate the work of Sid")  # the reviews are open
    record = await transcript(sandbox, buyer)
    for expected in (
        "Leadline support to the seller: Please send the <final> files.",
        "Leadline support resolved the dispute: split",
        "Most of the <work> was delivered.",
        "the seller is paid 300 USD",
    ):
        assert expected in record
    late = await admin.tap("Resolve", message_id=dispute.message_id)
    assert late.text == "This dispute has been resolved already."
    await admin.send("/disputes")
    await admin.wait_for_message("No disputes are waiting")


async def test_the_buyer_disputes_work_in_progress_and_support_cancels_it(
    sandbox: Sandbox, bot: RunningBot, admin: SimUser
) -> None:
    await started(admin)
    buyer, seller = await hired(sandbox)
    card = await lead_card_from_dashboard(buyer, "Leads in progress")
    await buyer.tap("Open dispute", message_id=card.message_id)
    await buyer.wait_for_message("What went wrong?")
    await buyer.send("Nothing was started after a week.")
    await buyer.wait_for_message("Add photos or documents")
    await buyer.tap("Open dispute now")
    await buyer.wait_for_message("Dispute opened")
    await seller.wait_for_message("Bella opened a dispute")
    await admin.wait_for_message("Dispute #1")

    # The contract is on hold: its buttons say so.
    seller_card = await lead_card_from_dashboard(seller, "Leads in progress")
    assert "⚖️ In dispute" in seller_card.text
    assert "📦 Delivered" not in seller_card.button_texts()
    answer = await seller.tap_data(seller_card.message_id, button_data(card, "Open dispute"))
    assert answer.text == "This lead is in dispute, so that can no longer be done."
    await seller.send("/disputes")
    await seller.wait_for_message("I don't know the command /disputes")

    await admin.send("/disputes")
    listing = await admin.wait_for_message("Open disputes")
    await admin.tap("#1 Logo <design> & brand", message_id=listing.message_id)
    dispute = await admin.wait_for_message("Dispute #1")
    assert "Reason: “Nothing was started after a week.”" in dispute.text
    await admin.tap("Message buyer", message_id=dispute.message_id)
    await admin.wait_for_message("Type your message to Bella")
    await admin.send("We are looking into it.")
    await admin.wait_for_message("Sent to Bella")
    await buyer.wait_for_message("We are looking into it.")
    await admin.tap("Resolve", message_id=dispute.message_id)
    await admin.wait_for_message("How is dispute #1 resolved?")
    await admin.tap("Cancelled")
    await admin.wait_for_message("Write the note")
    await admin.send("n" * 2001)
    again = await admin.wait_for_message("Please keep the note to 2000 characters")
    assert "Write the note" in again.text
    await admin.send("No work was delivered.")
    await admin.wait_for_message("resolved: cancelled")
    for side in (buyer, seller):
        outcome = await side.wait_for_message("is resolved")
        assert "cancelled: no payment" in outcome.text
        assert "No work was delivered." in outcome.text
