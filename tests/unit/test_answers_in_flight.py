"""The outbox holds a chat's messages while a turn answers that chat (handlers.core.outgoing)."""

from __future__ import annotations

import asyncio

from handlers.core.outgoing import AnswersInFlight


async def test_the_outbox_waits_for_every_turn_answering_a_chat_and_no_longer() -> None:
    answering = AnswersInFlight()
    await asyncio.wait_for(answering.wait(7, 5.0), 1.0)  # nobody answering: at once
    with answering.answering(7):
        with answering.answering(7):  # two turns of one chat (a user and a chat line)
            waiter = asyncio.create_task(answering.wait(7, 5.0))
            other = asyncio.create_task(answering.wait(8, 5.0))
            await asyncio.sleep(0.01)
            assert other.done() and not waiter.done()
        await asyncio.sleep(0.01)
        assert not waiter.done()  # one turn is still answering
    await asyncio.wait_for(waiter, 1.0)
    with answering.answering(7):
        await asyncio.wait_for(answering.wait(7, 0.05), 1.0)  # stuck: patience runs out
