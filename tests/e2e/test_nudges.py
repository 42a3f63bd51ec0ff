"""Scheduled nudges through the real bot, with second-long intervals: each kind comes once,
never after its reason has gone, and one that fell due while the bot was stopped comes
once after the start.

Deadlines are days away: those tests move a contract's due date (and its lead's status) in
the database directly, so that a day passes in seconds."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import update

from bot.runner import RunningBot, start_bot
from bot.settings import NudgeSettings, Settings
from domain.nudges import NudgeKind
from handlers.nudges.buttons import NudgeMute, Switch
from sandbox import Sandbox, SimUser
from storage.db import create_engine, session_factory
from storage.models import ContractRow, LeadRow
from tests.e2e.journeys import confirm_email_from_inbox, sign_up
from tests.e2e.test_contracts import hired, thread_card
from tests.e2e.test_leads import post_lead
from tests.e2e.test_negotiation import offer

pytestmark = pytest.mark.on_both_engines  # listed in the README

# Kinds a test does not look at are a year away, so they never get in its way.
FAR = "365d"
NO_BIDS, WAITING_OFFER = "Still no bids", "An offer is waiting for your answer"
NEAR, PASSED, UNCONFIRMED = "Deadline in", "The deadline has passed", "not confirmed yet"
DELIVERY_WAITING, REVIEW_PENDING = "A delivery is waiting for your approval", "How did it go?"


def nudging(settings: Settings, **durations: str) -> Settings:
    """The test's settings, sweeping every second, with the given reminder durations."""
    values = {name: FAR for name in NudgeSettings.model_fields if name != "sweep_interval"}
    values.update(sweep_interval="1s", **durations)
    return settings.model_copy(update={"nudges": NudgeSettings.model_validate(values)})


@asynccontextmanager
async def running(sandbox: Sandbox, settings: Settings) -> AsyncIterator[RunningBot]:
    bot = await start_bot(settings)
    try:
        yield bot
    finally:
        await bot.stop()
    assert sandbox.api_errors == []
    assert sandbox.unanswered_callback_queries() == []


def count(user: SimUser, words: str) -> int:
    return sum(words in message.content for message in user.bot_messages)


async def publish(buyer: SimUser, title: str, skills: str) -> None:
    await post_lead(buyer, title, skills)
    await buyer.send("500")
    await buyer.wait_for_message("Attach a brief")
    await buyer.tap("Skip")
    await buyer.wait_for_message("Preview")
    await buyer.tap("Publish")
    await buyer.wait_for_message("Published")


async def change_database(settings: Settings, *statements: Any) -> None:
    engine = create_engine(settings.database.url)
    try:
        async with session_factory(engine)() as session, session.begin():
            for statement in statements:
                await session.execute(statement)
    finally:
        await engine.dispose()


def due_in(delay: timedelta) -> Any:
    return update(ContractRow).values(due_at=datetime.now(UTC) + delay)


async def test_an_offer_waiting_for_an_answer_is_nudged_once_and_an_answered_one_never(
    sandbox: Sandbox, settings: Settings
) -> None:
    async with running(sandbox, nudging(settings, offer_reminder_after="6s")):
        buyer, sid, sam = (sandbox.create_user(n) for n in ("Bella", "Sid", "Sam"))
        await sign_up(sandbox, buyer, role="Buyer", email="bella@example.org")
        for seller in (sid, sam):
            email = f"{seller.first_name}@example.org"
            await sign_up(sandbox, seller, role="Seller", email=email, skills="Django")
        await publish(buyer, "Shop rebuild", "django")
        for seller in (sid, sam):
            alert = await seller.wait_for_message("New lead for your skills")
            await seller.tap("Connect", message_id=alert.message_id)
            await offer(seller, "450", "7")
        await buyer.wait_for_message("From: Sid")
        sam_bid = await buyer.wait_for_message("From: Sam")
        await buyer.tap("Decline", message_id=sam_bid.message_id)  # answered in time

        nudge = await buyer.wait_for_message(WAITING_OFFER, timeout=20)
        assert "Sid's offer on Shop rebuild has waited" in nudge.content
        assert "/settings" in nudge.content
        await asyncio.sleep(4)  # four more sweeps
        assert count(buyer, WAITING_OFFER) == 1 and count(sam, WAITING_OFFER) == 0
        assert count(sid, WAITING_OFFER) == 0
        await buyer.tap("See the offer", message_id=nudge.message_id)
        card = await buyer.wait_for_message("Latest offer by Sid")
        await buyer.tap("Accept", message_id=card.message_id)
        await sid.wait_for_message("accepted your offer")


async def test_an_open_lead_without_bids_is_nudged_once_with_find_providers(
    sandbox: Sandbox, settings: Settings
) -> None:
    async with running(sandbox, nudging(settings, stale_lead_after="8s")):
        buyer, seller = sandbox.create_user("Bo"), sandbox.create_user("Sy")
        await sign_up(sandbox, buyer, role="Buyer", email="bo@example.org")
        await sign_up(sandbox, seller, role="Seller", email="sy@example.org", skills="Go")
        await publish(buyer, "Quiet lead", "go")
        await publish(buyer, "Busy shop lead", "go")
        await seller.wait_for_message("Quiet lead")
        alert = await seller.wait_for_message("Busy shop lead")
        await seller.tap("Connect", message_id=alert.message_id)
        await offer(seller, "300", "3")  # the busy lead gets a bid in time

        nudge = await buyer.wait_for_message(NO_BIDS, timeout=25)
        assert "Quiet lead" in nudge.content and "Busy shop lead" not in nudge.content
        await asyncio.sleep(4)
        assert count(buyer, NO_BIDS) == 1
        await buyer.tap("Find providers", message_id=nudge.message_id)
        found = await buyer.wait_for_message("Matching sellers")
        assert "Sy" in found.content


async def test_an_unconfirmed_email_is_reminded_once_with_a_resend_button(
    sandbox: Sandbox, settings: Settings
) -> None:
    async with running(sandbox, nudging(settings, email_reminder_after="5s")):
        ann, ben = sandbox.create_user("Ann"), sandbox.create_user("Ben")
        for user, address in ((ann, "ann@example.org"), (ben, "ben@example.org")):
            await user.send("/start")
            await user.wait_for_message("Do you accept these terms?")
            await user.tap("Accept")
            await user.wait_for_message("How will you use Leadline")
            await user.tap("Buyer")
            await user.wait_for_message("individual or as an organization")
            await user.tap("Individual")
            await user.wait_for_message("email address?")
            await user.send(address)
            await user.wait_for_message("I sent a confirmation link")
        await confirm_email_from_inbox(sandbox, ben, "ben@example.org")  # in time

        reminder = await ann.wait_for_message(UNCONFIRMED, timeout=20)
        assert "ann@example.org" in reminder.content
        await ann.tap("Resend", message_id=reminder.message_id)
        await ann.wait_for_message("I sent a new confirmation link")
        for _ in range(100):  # the email goes out through the outbox
            mails = [m for m in sandbox.emails if "ann@example.org" in m.recipients]
            if len(mails) == 2:
                break
            await asyncio.sleep(0.1)
        else:
            raise AssertionError("the new link was not mailed")
        await asyncio.sleep(7)  # past the reminder time of the new link: same address, no more
        assert count(ann, UNCONFIRMED) == 1 and count(ben, UNCONFIRMED) == 0
        [link] = [link for link in mails[-1].links if sandbox.is_deep_link(link)]
        await ann.open_link(link)
        await ann.wait_for_message("is confirmed")


async def test_deadline_near_then_passed_and_not_while_delivered(
    sandbox: Sandbox, settings: Settings
) -> None:
    nudges = nudging(settings, deadline_warning_before="1d")
    async with running(sandbox, nudges):
        buyer, seller = sandbox.create_user("Bea"), sandbox.create_user("Sol")
        await sign_up(sandbox, buyer, role="Buyer", email="bea@example.org")
        await sign_up(sandbox, seller, role="Seller", email="sol@example.org", skills="Go")
        await publish(buyer, "Go service", "go")
        alert = await seller.wait_for_message("New lead for your skills")
        await seller.tap("Connect", message_id=alert.message_id)
        await offer(seller, "700", "2")
        bid = await buyer.wait_for_message("From: Sol")
        await buyer.tap("Accept", message_id=bid.message_id)
        await seller.wait_for_message("accepted your offer")

        # The due date comes within a day: both sides are warned, once.
        await change_database(nudges, due_in(timedelta(days=1, seconds=3)))
        for user, other in ((seller, "for Bea"), (buyer, "by Sol")):
            warning = await user.wait_for_message(NEAR, timeout=20)
            assert "Deadline in 24 hours" in warning.content and other in warning.content
        # Delivered (as the contracts part will record it) when the date passes: no nudge.
        await change_database(
            nudges,
            update(LeadRow).values(status="delivered"),
            due_in(timedelta(seconds=2)),
        )
        await asyncio.sleep(5)
        assert count(buyer, PASSED) == 0
        # Changes requested and the date moved: it passes again, and the buyer is asked.
        await change_database(
            nudges,
            update(LeadRow).values(status="in_progress"),
            due_in(timedelta(seconds=3)),
        )
        passed = await buyer.wait_for_message(PASSED, timeout=20)
        assert passed.button_texts() == ["✖️ Cancel lead", "📅 Extend", "💬 Conversation"]
        await asyncio.sleep(3)
        assert count(buyer, PASSED) == 1 and count(seller, PASSED) == 0
        assert count(buyer, NEAR) == 1 and count(seller, NEAR) == 1
        await buyer.tap("Conversation", message_id=passed.message_id)
        await buyer.wait_for_message("Hired: 700 USD")


async def test_a_nudge_due_while_the_bot_was_stopped_comes_once_after_the_start(
    sandbox: Sandbox, settings: Settings
) -> None:
    nudges = nudging(settings, stale_lead_after="4s")
    buyer = sandbox.create_user("Rita")
    async with running(sandbox, nudges):
        await sign_up(sandbox, buyer, role="Buyer", email="rita@example.org")
        await publish(buyer, "Restart lead", "go")
    # Stopped before the nudge fell due; it falls due while the bot is away.
    await asyncio.sleep(5)
    assert count(buyer, NO_BIDS) == 0
    async with running(sandbox, nudges):
        await buyer.wait_for_message(NO_BIDS, timeout=20)
        await asyncio.sleep(2)
    async with running(sandbox, nudges):
        await asyncio.sleep(3)  # sweeps after a second start find it claimed
    assert count(buyer, NO_BIDS) == 1


async def test_a_kind_muted_in_settings_is_not_sent_and_essential_ones_stay(
    sandbox: Sandbox, settings: Settings
) -> None:
    async with running(sandbox, nudging(settings, stale_lead_after="3s")):
        buyer = sandbox.create_user("Mo")
        await sign_up(sandbox, buyer, role="Buyer", email="mo@example.org")
        await buyer.send("/settings")
        card = await buyer.wait_for_message("Reminders")
        assert "Open leads without bids: on" in card.content and "always come" in card.content
        assert not any("deadline" in label.lower() for label in card.button_texts())
        answer = await buyer.tap("Mute: leads without bids", message_id=card.message_id)
        assert answer.text == "Muted: open leads without bids."
        await buyer.wait_for_message("Open leads without bids: off")
        await publish(buyer, "Muted lead", "go")
        await asyncio.sleep(6)
        assert count(buyer, NO_BIDS) == 0
        # A forged switch for an essential kind is refused in one sentence.
        forged = NudgeMute(NudgeKind.DEADLINE_PASSED, Switch.OFF).encode()
        refused = await buyer.tap_data(card.message_id, forged)
        assert refused.text == "This reminder cannot be muted: someone is waiting on you."
        await buyer.tap("Remind: leads without bids", message_id=card.message_id)
        await buyer.wait_for_message("Open leads without bids: on")


async def test_a_waiting_delivery_and_a_pending_review_are_each_nudged_once(
    sandbox: Sandbox, settings: Settings
) -> None:
    nudges = nudging(settings, delivery_approval_after="3s", review_reminder_after="3s")
    async with running(sandbox, nudges):
        buyer, seller = await hired(sandbox)
        card = await thread_card(seller)
        await seller.tap("Delivered", message_id=card.message_id)
        await seller.wait_for_message("Delivering")
        await seller.tap("Send delivery")
        await seller.wait_for_message("Delivered.")
        delivery = await buyer.wait_for_message("delivered")

        waiting = await buyer.wait_for_message(DELIVERY_WAITING, timeout=20)
        assert "Sid delivered" in waiting.content
        await buyer.tap("Approve", message_id=delivery.message_id)
        bill = await buyer.wait_for_message("Approved.")
        await buyer.tap("Bank transfer", message_id=bill.message_id)
        confirm = await buyer.wait_for_message("Please confirm")
        await buyer.tap("Yes, I paid", message_id=confirm.message_id)
        await buyer.wait_for_message("Completed!")

        # The buyer gives the stars at once; the seller leaves the buyer unrated.
        stars = await buyer.wait_for_message("Rate the work of Sid")
        await buyer.tap_data(stars.message_id, stars.inline_buttons[1][4]["callback_data"])
        await buyer.wait_for_message(predicate=lambda m: "5⭐" in " ".join(m.button_texts()))
        await buyer.tap("Submit", message_id=stars.message_id)
        await buyer.wait_for_message("Add a comment for Sid?")
        reminder = await seller.wait_for_message(REVIEW_PENDING, timeout=20)
        assert "rate Bella as a buyer" in reminder.content
        await asyncio.sleep(4)
        assert count(buyer, DELIVERY_WAITING) == 1 and count(seller, DELIVERY_WAITING) == 0
        assert count(seller, REVIEW_PENDING) == 1 and count(buyer, REVIEW_PENDING) == 0
        await seller.tap("Rate now", message_id=reminder.message_id)
        await seller.wait_for_message("Rate Bella as a buyer")
