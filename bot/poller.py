"""Long polling through the inbox: an update is stored before Telegram is told it arrived.

Telegram forgets an update once a later ``getUpdates`` call passes its id as the offset.
PTB's own poller confirms a batch before its updates are handled, so a crash loses them;
this one stores each batch in the inbox first, and at start hands the handlers whatever
was stored but never handled, oldest first, before it asks Telegram for anything new.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import datetime

from telegram import Bot, Update
from telegram.error import Conflict, Forbidden, InvalidToken, NetworkError, RetryAfter, TimedOut

from handlers.core.outgoing import LeadlineBot
from handlers.core.turn import expect, update_key
from storage.inbox import InboxStore, Received

log = logging.getLogger(__name__)

LONG_POLL_SECONDS = 10
MAX_BACKOFF_SECONDS = 30.0


class InboxPoller:
    def __init__(
        self,
        bot: LeadlineBot,
        inbox: InboxStore,
        queue: asyncio.Queue[object],
        clock: Callable[[], datetime],
        poll_interval: float = 0.0,
    ) -> None:
        self._bot, self._inbox, self._queue, self._clock = bot, inbox, queue, clock
        self._poll_interval = poll_interval
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> int:
        """Queues the updates left unhandled by the last run, then starts polling; returns
        how many were left."""
        left = await queue_unhandled(self._inbox, self._bot, self._queue)
        self._task = asyncio.create_task(self._poll(), name="inbox-poller")
        return left

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _poll(self) -> None:
        # No offset at first: Telegram resends what was not confirmed, and the inbox knows
        # which of those it has already.
        offset: int | None = None
        failures = 0
        webhook_set = False
        while True:
            try:
                if webhook_set:
                    await self._bot.delete_webhook()
                    webhook_set = False
                payloads = await self._bot.get_raw_updates(
                    offset, LONG_POLL_SECONDS, list(Update.ALL_TYPES)
                )
                failures = 0
            except RetryAfter as error:
                await asyncio.sleep(_seconds(error.retry_after))
                continue
            except (InvalidToken, Forbidden):
                log.critical("The Bot API refuses this bot's token; polling stops")
                raise
            except Conflict as error:
                if "webhook" not in str(error).lower():
                    raise
                # Webhook mode ran before: Telegram keeps the updates for whoever asks next.
                log.warning("A webhook is set for this bot; deleting it to poll instead")
                webhook_set = True
                continue
            except (TimedOut, NetworkError) as error:
                failures += 1
                if failures == 1:
                    log.warning("Polling failed (%s); retrying with backoff", error)
                await asyncio.sleep(min(2.0**failures, MAX_BACKOFF_SECONDS))
                continue
            if payloads:
                # Telegram's JSON is what the inbox stores and digests; PTB parses it once.
                updates = [Update.de_json(payload, self._bot) for payload in payloads]
                received = [
                    Received(update_key(update, payload), update.update_id, payload)
                    for update, payload in zip(updates, payloads, strict=True)
                ]
                fresh = await self._inbox.receive(received, self._clock())
                # Stored: the next call's offset may now confirm them to Telegram.
                offset = updates[-1].update_id + 1
                for update, stored in zip(updates, received, strict=True):
                    if stored.key in fresh:
                        expect(update, stored.key)
                        await self._queue.put(update)
            if self._poll_interval:
                await asyncio.sleep(self._poll_interval)


async def queue_unhandled(inbox: InboxStore, bot: Bot, queue: asyncio.Queue[object]) -> int:
    """Hands the handlers the updates stored but never handled, oldest first."""
    left = await inbox.unhandled()
    for received in left:
        update = Update.de_json(received.payload, bot)
        expect(update, received.key)
        await queue.put(update)
    if left:
        log.info("Handling %d update(s) received before the restart", len(left))
    return len(left)


def _seconds(wait: object) -> float:
    total = getattr(wait, "total_seconds", None)
    return float(total()) if callable(total) else float(wait)  # type: ignore[arg-type]
