"""After hiring: the seller delivers, the buyer asks for changes, the seller delivers again,
the buyer approves and confirms paying per the agreed terms, and the lead is completed; a
missed due date lets the buyer cancel; a new due date is proposed, declined, accepted; a
cancellation is proposed, refused, then agreed. All of it is in the transcript."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from bot.runner import RunningBot
from domain.negotiation import Contract
from sandbox import Message, Sandbox, SimUser
from tests.e2e.journeys import sign_up
from tests.e2e.test_leads import post_lead
from tests.e2e.test_negotiation import offer
from tests.e2e.test_reviews import tap_star

pytestmark = pytest.mark.on_both_engines  # listed in the README

TITLE = "Logo <design> & brand"


async def hired(sandbox: Sandbox) -> tuple[SimUser, SimUser]:
    """Bella posts a lead; Sid bids 450 USD over 7 days; Bella hires him."""
    buyer, seller = sandbox.create_user("Bella"), sandbox.create_user("Sid")
    await sign_up(sandbox, buyer, role="Buyer", email="bella@example.org")
    await sign_up(sandbox, seller, role="Seller", email="sid@example.org", skills="Django")
    await post_lead(buyer, TITLE, "django")
    await buyer.send("1,000")
    await buyer.wait_for_message("Attach a brief")
    await buyer.tap("Skip")
    await buyer.wait_for_message("Preview")
    await buyer.tap("Publish")
    await buyer.wait_for_message("1 matching seller will hear of it")
    alert = await seller.wait_for_message("New lead for your skills")
    await seller.tap("Connect", message_id=alert.message_id)
    await offer(seller, "450", "7")
    bid = await buyer.wait_for_message("New bid")
    await buyer.tap("Accept", message_id=bid.message_id)
    await buyer.wait_for_message("Hired!")
    await seller.wait_for_message("accepted your offer")
    return buyer, seller


async def lead_card_from_dashboard(user: SimUser, list_name: str) -> Message:
    """/dashboard → a list → the lead: its card with the contract and its actions."""
    await user.send("/dashboard")
    board = await user.wait_for_message("Dashboard")
    await user.tap(list_name, message_id=board.message_id)
    listing = await user.wait_for_message(list_name)
    await user.tap("Logo", message_id=listing.message_id)
    return await user.wait_for_message("Contract")


async def thread_card(user: SimUser) -> Message:
    await user.send("/messages")
    listing = await user.wait_for_message("Your conversations")
    await user.tap("Logo", message_id=listing.message_id)
    return await user.wait_for_message("Hired")


async def transcript(sandbox: Sandbox, user: SimUser) -> str:
    card = await thread_card(user)
    await user.tap("Transcript", message_id=card.message_id)
    export = await user.wait_for_message(predicate=lambda m: m.media_kind == "document")
    return str(sandbox.world.files[export.media["file_id"]].data.decode("utf-8"))


async def the_contract(bot: RunningBot) -> Contract:
    async with bot.app.bot_data["services"].uow() as uow:
        [contract] = await uow.threads.contracts_of(1)
        return contract


async def move_due_date(bot: RunningBot, due_at: datetime) -> None:
    """Time passes: the contract's due date is moved (as if days had gone by)."""
    async with bot.app.bot_data["services"].uow() as uow:
        [contract] = await uow.threads.contracts_of(1)
        await uow.contracts.save(replace(contract, due_at=due_at))
        await uow.commit()


async def test_deliver_change_deliver_approve_and_confirm_payment(
    sandbox: Sandbox, bot: RunningBot
) -> None:
    buyer, seller = await hired(sandbox)
    # The card from publishing still has Withdraw: it says why not at once, no question asked.
    published = next(m for m in buyer.bot_messages if "Share:" in (m.text or ""))
    refusal = await buyer.tap("Withdraw", message_id=published.message_id)
    assert "cannot be withdrawn now" in (refusal.text or "")
    assert not [m for m in buyer.bot_messages if "Withdraw this lead?" in (m.text or "")]

    card = await lead_card_from_dashboard(seller, "Leads in progress")
    assert "In progress" in card.text and "450 USD · 7 days" in card.text
    assert "📦 Delivered" in card.button_texts() and "✅ Approve" not in card.button_texts()
    await seller.tap("Delivered", message_id=card.message_id)
    await seller.wait_for_message("Delivering")
    await seller.send("Here is the <logo> & the brand book")
    await seller.wait_for_message("Passed on")
    await seller.send_document(b"%PDF-1.4 logo", filename="logo.pdf")
    await seller.wait_for_message("Passed on")
    await seller.tap("Send delivery")
    await seller.wait_for_message("Delivered.")

    await buyer.wait_for_message("Here is the <logo> & the brand book")
    await buyer.wait_for_message(predicate=lambda m: m.media_kind == "document")
    delivery = await buyer.wait_for_message("delivered")
    assert delivery.text.startswith("📦 Sid delivered “Logo <design> & brand”")
    assert delivery.button_texts()[:2] == ["✅ Approve", "🔁 Request changes"]
    await buyer.tap("Request changes", message_id=delivery.message_id)
    await buyer.wait_for_message("What should Sid change?")
    await buyer.send("x" * 1001)
    again = await buyer.wait_for_message("at most 1000 characters")
    assert "What should Sid change?" in again.text  # one sentence, then the same question
    await buyer.send("Bigger <logo> & brighter colours")
    await buyer.wait_for_message("Sent to Sid; the lead is in progress again.")
    answer = await buyer.tap("Approve", message_id=delivery.message_id)  # the old card
    assert answer.text == "Nothing has been delivered yet."

    changes = await seller.wait_for_message("asked for changes")
    assert "Bigger <logo> & brighter colours" in changes.text
    await seller.tap("Delivered", message_id=changes.message_id)
    await seller.wait_for_message("Delivering")
    await seller.tap("Send delivery")
    await seller.wait_for_message("Delivered.")

    delivery = await buyer.wait_for_message("delivered")
    await buyer.tap("Approve", message_id=delivery.message_id)
    bill = await buyer.wait_for_message("Approved.")
    for line in ("Agreed amount: 450 USD", "Service fee (10%): 45 USD", "Total: 495 USD"):
        assert line in bill.text
    assert "Bank transfer" in " ".join(bill.button_texts())
    await seller.wait_for_message("approved your delivery")
    await buyer.send_photo(b"a receipt")
    again = await buyer.wait_for_message("Please answer with a text message")
    assert "Agreed amount: 450 USD" in again.text and "Bank transfer" in " ".join(
        again.button_texts()
    )
    await buyer.send("Wise, ref 8812")
    confirm = await buyer.wait_for_message("Please confirm")
    assert "you paid 495 USD to Sid by Wise, ref 8812" in confirm.text
    await buyer.tap("Change method", message_id=confirm.message_id)
    bill = await buyer.wait_for_message("Approved.")
    await buyer.tap("Bank transfer", message_id=bill.message_id)
    confirm = await buyer.wait_for_message("Please confirm")
    assert "by bank transfer, per the agreed terms" in confirm.text
    await buyer.send("x" * 201)
    again = await buyer.wait_for_message("200 characters")
    assert "Please confirm" in again.text  # one sentence, then the same question
    await buyer.send("transfer 8812")
    confirm = await buyer.wait_for_message("Please confirm")
    assert "by bank transfer (transfer 8812)" in confirm.text
    somewhere = seller.last_bot_message
    assert somewhere is not None
    forged = confirm.inline_buttons[0][0]["callback_data"]
    answer = await seller.tap_data(somewhere.message_id, forged)
    assert answer.text == "Only the buyer pays for the work."  # forged: his to be paid, not to pay
    await buyer.tap("Yes, I paid", message_id=confirm.message_id)
    done = await buyer.wait_for_message("Completed!")
    assert "495 USD by bank transfer (transfer 8812)" in done.text

    paid = await seller.wait_for_message("confirmed paying")
    assert "450 USD" in paid.text and "The lead is completed." in paid.text
    card = await lead_card_from_dashboard(buyer, "Completed leads")
    for shown in (
        "Completed",
        "Delivered by Sid",
        "Changes requested: “Bigger <logo> & brighter colours”",
        "Delivery approved",
        "Paid 495 USD by bank transfer (transfer 8812)",
    ):
        assert shown in card.text
    assert "Approve" not in " ".join(card.button_texts())
    record = await transcript(sandbox, seller)
    for expected in (
        "Sid (seller) delivered the work",
        "Bella (buyer) asked for changes: Bigger <logo> & brighter colours",
        "Bella (buyer) approved the delivery",
        "Bella (buyer) paid 495 USD (450 USD agreed + 45 USD service fee) by bank transfer",
        "The lead was completed",
        "Here is the <logo> & the brand book",
        "logo.pdf",
    ):
        assert expected in record

    # Closed through the real flow: stars in the lead's skill, then they show where
    # buyers choose sellers.
    # (The card came with the completion, before the checks above.)
    stars = next(m for m in buyer.bot_messages if "Rate the work of Sid" in m.content)
    stars = await tap_star(buyer, stars, 1, 4)
    await buyer.tap("Submit", message_id=stars.message_id)
    await buyer.wait_for_message("Add a comment for Sid?")
    await buyer.tap("Skip")
    awarded = await seller.wait_for_message("Bella gave you stars")
    assert "Django ★★★★☆" in awarded.text
    await buyer.send("/providers django")
    found = await buyer.wait_for_message("Sellers for")
    assert "• Sid — Django 4.0★ (1) · 1 completed lead" in found.text


async def test_a_missed_due_date_lets_the_buyer_cancel(sandbox: Sandbox, bot: RunningBot) -> None:
    buyer, seller = await hired(sandbox)
    card = await lead_card_from_dashboard(buyer, "Leads in progress")
    assert "Cancel lead" not in " ".join(card.button_texts())
    contract = await the_contract(bot)
    forged = await buyer.tap_data(card.message_id, f"v1:ct:cancel:{contract.key}")
    assert forged.text is not None and "The due date has not passed yet" in forged.text

    await move_due_date(bot, datetime.now(UTC) - timedelta(hours=1))
    card = await lead_card_from_dashboard(buyer, "Leads in progress")
    assert "Overdue" in card.text
    await buyer.tap("Cancel lead", message_id=card.message_id)
    question = await buyer.wait_for_message("nothing was delivered")
    await buyer.tap("Keep the contract", message_id=question.message_id)
    await buyer.wait_for_message("Nothing was changed.")
    await buyer.tap("Cancel lead", message_id=card.message_id)
    question = await buyer.wait_for_message("nothing was delivered")
    await buyer.tap("Yes, cancel the lead", message_id=question.message_id)
    await buyer.wait_for_message("is cancelled. Sid was told that no payment is due.")

    told = await seller.wait_for_message("cancelled")
    assert "passed without a delivery" in told.text and "No payment is due." in told.text
    card = await thread_card(seller)
    assert "Cancelled" in card.text and "Delivered" not in " ".join(card.button_texts())
    answer = await seller.tap_data(card.message_id, f"v1:ct:deliver:{contract.key}")
    assert answer.text == "This lead is cancelled, so that can no longer be done."
    assert "cancelled the lead: the due date passed without a delivery" in await transcript(
        sandbox, buyer
    )


async def test_a_new_due_date_is_declined_then_accepted(sandbox: Sandbox, bot: RunningBot) -> None:
    buyer, seller = await hired(sandbox)
    before = await the_contract(bot)
    card = await thread_card(buyer)
    await buyer.tap("Extend", message_id=card.message_id)
    question = await buyer.wait_for_message("Pick the new due date")
    await buyer.send_photo(b"a calendar")
    again = await buyer.wait_for_message("Please answer with a text message")
    assert "new due date to propose to Sid" in again.text
    assert any(label.startswith("+7 days") for label in again.button_texts())
    await buyer.send("soon")
    await buyer.wait_for_message("Please send a date like 2026-12-20")
    await buyer.tap("+7 days", message_id=question.message_id)
    await buyer.wait_for_message("Proposed to Sid")

    proposal = await seller.wait_for_message("proposes a new due date")
    await seller.tap("Decline", message_id=proposal.message_id)
    await seller.wait_for_message("You declined")
    declined = await buyer.wait_for_message("declined the new due date")
    assert f"stays due on {before.due_at:%d %b %Y}" in declined.text
    assert (await the_contract(bot)).due_at == before.due_at

    card = await thread_card(buyer)
    await buyer.tap("Extend", message_id=card.message_id)
    await buyer.wait_for_message("Pick the new due date")
    await buyer.send("+3")
    await buyer.wait_for_message("Proposed to Sid")
    proposal = await seller.wait_for_message("proposes a new due date")
    await seller.tap("Accept new date", message_id=proposal.message_id)
    await seller.wait_for_message("Accepted")
    moved = before.due_at + timedelta(days=3)
    accepted = await buyer.wait_for_message("accepted")
    assert f"now due on {moved:%d %b %Y}" in accepted.text
    assert (await the_contract(bot)).due_at == moved
    record = await transcript(sandbox, seller)
    assert "Bella (buyer) proposed a new due date" in record
    assert "Sid (seller) declined the new due date" in record
    assert "Sid (seller) accepted the new due date" in record


async def test_a_mutual_cancellation_is_refused_then_agreed(
    sandbox: Sandbox, bot: RunningBot
) -> None:
    buyer, seller = await hired(sandbox)
    card = await lead_card_from_dashboard(seller, "Leads in progress")
    await seller.tap("Propose cancellation", message_id=card.message_id)
    question = await seller.wait_for_message("mutual agreement?")
    await seller.tap("Yes, propose it", message_id=question.message_id)
    await seller.wait_for_message("Proposed. Bella will agree or refuse.")
    proposal = await buyer.wait_for_message("proposes cancelling")
    await buyer.tap("Keep the contract", message_id=proposal.message_id)
    await buyer.wait_for_message("The contract goes on.")
    await seller.wait_for_message("wants to keep")

    card = await thread_card(buyer)
    await buyer.tap("Propose cancellation", message_id=card.message_id)
    question = await buyer.wait_for_message("mutual agreement?")
    await buyer.tap("Yes, propose it", message_id=question.message_id)
    await buyer.wait_for_message("Proposed. Sid will agree or refuse.")
    proposal = await seller.wait_for_message("proposes cancelling")
    await seller.tap("Agree to cancel", message_id=proposal.message_id)
    await seller.wait_for_message("Agreed:")
    told = await buyer.wait_for_message("agreed to cancel")
    assert "no payment is due" in told.text
    card = await lead_card_from_dashboard(buyer, "Completed leads")
    assert "Cancelled" in card.text and "cancelled by mutual agreement" in card.text


async def test_the_answer_to_a_tap_comes_before_what_it_set_off(
    sandbox: Sandbox, bot: RunningBot
) -> None:
    """Paying completes the lead and queues the request for stars to the same buyer; the
    outbox holds it until the turn's own reply is out, even when Telegram is slow to take
    the button's answer (the outbox would otherwise wake in between)."""
    buyer, seller = await hired(sandbox)
    card = await thread_card(seller)
    await seller.tap("Delivered", message_id=card.message_id)
    await seller.wait_for_message("Delivering")
    await seller.tap("Send delivery")
    delivery = await buyer.wait_for_message("delivered")
    await buyer.tap("Approve", message_id=delivery.message_id)
    bill = await buyer.wait_for_message("Approved.")
    await buyer.tap("Bank transfer", message_id=bill.message_id)
    confirm = await buyer.wait_for_message("Please confirm")

    sandbox.fail_requests(502, seconds=1.5, methods=["answerCallbackQuery"])
    await buyer.tap("Yes, I paid", message_id=confirm.message_id, timeout=20)
    wanted = ("Completed!", "Rate the work of Sid")
    async with asyncio.timeout(20):
        while not all(any(w in m.content for m in buyer.bot_messages) for w in wanted):
            await asyncio.sleep(0.05)
    texts = [m.content for m in buyer.bot_messages]
    completed, stars = (next(i for i, t in enumerate(texts) if w in t) for w in wanted)
    assert completed < stars, texts[-2:]
    assert sandbox.failed_requests  # the answer really was held up
