"""Telegram's front answers 502 for ten seconds: nothing a user asked for is lost."""

from __future__ import annotations

import asyncio
import time

import pytest

from bot.runner import RunningBot
from sandbox import Sandbox
from tests.e2e.journeys import sign_up
from tests.e2e.test_contracts import hired

OUTAGE = 10.0


@pytest.mark.parametrize("first", ["message", "tap"])
async def test_replies_and_button_answers_wait_out_a_ten_second_outage(
    sandbox: Sandbox, bot: RunningBot, first: str
) -> None:
    """Updates are handled one at a time, so the first one's reply (or button answer) is the
    one that waits the outage out; the rest follow at once, in order."""
    bella = sandbox.create_user("Bella")
    await sign_up(sandbox, bella, role="Buyer", email="bella@example.org")
    await bella.send("/dashboard")
    board = await bella.wait_for_message("Dashboard")

    sandbox.fail_requests(502, seconds=OUTAGE)
    started = time.monotonic()
    labels = ["My leads", "Leads in progress", "Completed leads"]
    taps = []
    if first == "tap":
        taps.append(await bella.tap(labels.pop(0), message_id=board.message_id, wait_answer=False))
    for _ in range(5):
        await bella.send("/dashboard")
    for label in labels:
        taps.append(await bella.tap(label, message_id=board.message_id, wait_answer=False))
    head = await bella.wait_for_message(timeout=OUTAGE + 30)
    replies = [head] + [await bella.wait_for_message(timeout=15) for _ in range(7)]
    elapsed = time.monotonic() - started
    # Every reply, in the order of what the user did, and nothing twice.
    expected = ["📊 Dashboard"] * 5 + ["Leads in progress", "Completed leads"]
    expected.insert(0 if first == "tap" else 5, "My leads")
    assert [m.text.split(":")[0].split(" — ")[0] for m in replies] == expected
    answered = {q.id for q in sandbox.callback_queries if q.answered}
    assert {tap.callback_query_id for tap in taps} <= answered
    assert sandbox.unanswered_callback_queries() == []
    # Nothing got through during the outage, everything soon after it.
    assert OUTAGE <= elapsed < OUTAGE + 8, elapsed
    await asyncio.sleep(1.0)
    assert bella.last_bot_message == replies[-1]
    waited = "answerCallbackQuery" if first == "tap" else "sendMessage"
    assert {f.method for f in sandbox.failed_requests} == {waited}
    assert sandbox.api_errors == []


@pytest.mark.on_both_engines
async def test_a_conversation_keeps_its_order_through_a_short_outage(
    sandbox: Sandbox, bot: RunningBot
) -> None:
    """Three relayed messages fail and wait for their retry; one written after the outage
    must not overtake them."""
    buyer, seller = await hired(sandbox)
    accepted = next(m for m in seller.bot_messages if "accepted your offer" in m.content)
    await seller.tap("Message", message_id=accepted.message_id)
    await seller.wait_for_message("You are writing to Bella")
    sandbox.fail_requests(502, seconds=3, methods=["sendMessage"])
    for part in range(3):
        await seller.send(f"part {part}")
    await asyncio.sleep(4.5)  # over; the three wait for their retry (2 s, then 4 s more)
    await seller.send("part 3")

    def parts() -> list[str]:
        return [m.content for m in buyer.bot_messages if "part " in m.content]

    async with asyncio.timeout(30):
        while len(parts()) < 4:
            await asyncio.sleep(0.1)
    assert [text.rsplit("part ", 1)[1] for text in parts()] == ["0", "1", "2", "3"]
    await asyncio.sleep(1)
    assert len(parts()) == 4  # each once
