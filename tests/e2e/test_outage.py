"""Telegram's front answers 502 for ten seconds: nothing a user asked for is lost."""

from __future__ import annotations

import asyncio
import time

import pytest

from bot.runner import RunningBot
from sandbox import Sandbox
from tests.e2e.journeys import sign_up

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
