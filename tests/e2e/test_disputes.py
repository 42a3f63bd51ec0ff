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

# What anyone else hears, as from the admin console's buttons: nothing says they are admin's.
NOT_ACTIVE = "That button is no longer active."
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
        assert answer.text == NOT_ACTIVE, label


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
    # Invisible text is no reason, and a right-to-left override is refused.
    await seller.send("\u200b\u200d\ufeff")
    again = await seller.wait_for_message("Please say in a few words what went wrong.")
    assert "What went wrong?" in again.text
    await seller.send("Buyer silent \u202eexe.txt")
    again = await seller.wait_for_message("control characters")
    assert "What went wrong?" in again.text
    await seller.send("The buyer <stopped> answering & won't approve")
    await seller.wait_for_message("Add photos or documents")
    await seller.send_photo(b"\x89PNG proof", caption="screenshot of <staging>")
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
    evidence = await admin.wait_for_message(predicate=lambda m: m.media_kind == "photo")
    assert "File 1 of 1 of dispute #1" in evidence.content
    assert "screenshot of <staging>" in evidence.content  # the caption goes with it

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
    assert "📎 photo: screenshot of <staging>" in record
    assert "by Ada" in record.splitlines()[3]  # the administrator who read it

    await admin.tap("Message seller", message_id=dispute.message_id)
    await admin.wait_for_message("Type your message to Sid")
    # An invisible message is empty: asked again, and the admin (whose own signup is
    # unfinished) stays in the question: the next text is the message, not a signup answer.
    await admin.send("\u200b")
    again = await admin.wait_for_message("The message cannot be empty")
    assert "Type your message to Sid" in again.text
    await admin.send("Please send the <final> files.")
    await admin.wait_for_message("Sent to Sid")
    support = await seller.wait_for_message("Leadline support")
    assert "Please send the <final> files." in support.text

    # The seller answers with Reply, through Contact Us.
    await seller.tap("Reply", message_id=support.message_id)
    await seller.wait_for_message("Write your message to the Leadline team")
    await seller.send("Sent them yesterday.")
    await seller.wait_for_message("Sent to the Leadline team")
    answer = await admin.wait_for_message("Sent them yesterday.")
    assert "Sid" in answer.text

    await admin.tap("Resolve", message_id=dispute.message_id)
    await admin.wait_for_message("How is dispute #1 resolved?")
    await admin.tap("Split")
    await admin.wait_for_message("How much of the agreed 450 USD")
    for wrong_amount in ("450", "0", "300.555"):
        await admin.send(wrong_amount)
        wrong = await admin.wait_for_message("more than 0 and less than 450 USD")
        assert "at most 2 decimal places" in wrong.text
        assert "How much of the agreed 450 USD" in wrong.text
    await admin.send("300")
    await admin.wait_for_message("Write the note")
    await admin.send("\u200b\u200c")
    again = await admin.wait_for_message("The note cannot be empty")
    assert "Write the note" in again.text
    await admin.send("Most of the <work> was delivered.")
    paid = (
        "the seller is paid 300 USD of the agreed 450 USD; with the service fee of 30 USD "
        "the buyer pays 330 USD in all"
    )
    # The pressed card shows the dispute resolved, with Transcript alone.
    resolved_card = await admin.wait_for_message(
        predicate=lambda m: m.message_id == dispute.message_id and "Resolved" in m.text
    )
    assert paid in resolved_card.text
    assert "Lead: in dispute" not in resolved_card.text
    assert resolved_card.button_texts() == ["📄 Transcript"]
    done = await admin.wait_for_message("Dispute #1 resolved: split")
    assert paid in done.text

    for side in (buyer, seller):
        outcome = await side.wait_for_message("is resolved")
        assert f"split: {paid}" in outcome.text
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
    # The lead card and the thread card say how the contract ended.
    for side in (buyer, seller):
        ended = await lead_card_from_dashboard(side, "Completed")
        assert "Completed by dispute resolution" in ended.text
        assert paid in ended.text
        assert f"By dispute resolution {paid}" in ended.text
        thread = await thread_card(side)
        assert "Completed by dispute resolution" in thread.text
        assert paid in thread.text
    late = await admin.tap_data(dispute.message_id, button_data(dispute, "Resolve"))
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
    first_card = await admin.wait_for_message("Dispute #1")

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
    again = await admin.wait_for_message("The note can be at most 2000 characters")
    assert "Write the note" in again.text
    await admin.send("No work was delivered.")
    await admin.wait_for_message("resolved: cancelled")
    for side in (buyer, seller):
        outcome = await side.wait_for_message("is resolved")
        assert "cancelled: no payment and no service fee" in outcome.text
        assert "No work was delivered." in outcome.text
    ended = await thread_card(seller)
    assert "Cancelled by dispute resolution" in ended.text
    # Another card of the dispute (as another administrator's would be) pressed once it is
    # resolved: it says so and shows the card resolved.
    late = await admin.tap("Resolve", message_id=first_card.message_id)
    assert late.text == "This dispute has been resolved already."
    refreshed = await admin.wait_for_message(
        predicate=lambda m: m.message_id == first_card.message_id and "Resolved" in m.text
    )
    assert refreshed.button_texts() == ["📄 Transcript"]
