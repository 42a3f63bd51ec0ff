"""Long polling through the inbox: an update is in the database before Telegram is told it
arrived.

Telegram forgets an update once a later ``getUpdates`` call passes its id as the offset.
PTB's own poller confirms a batch before its updates are handled, so a crash loses them.
This one hands a batch to the handlers at once and waits a moment: an update whose turn has
committed is recorded as handled by that same transaction; the inbox stores the others (for
a restart to replay) before the next call confirms the batch. At start it hands the
handlers whatever was stored but never handled, oldest first, before it asks Telegram for
anything new.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from telegram import Bot, Update
from telegram.error import Conflict, Forbidden, InvalidToken, NetworkError, RetryAfter, TimedOut

from handlers.core.outgoing import LeadlineBot
from handlers.core.turn import confirmed, expect, hand_over, update_key
from storage.inbox import InboxStore, Received

log = logging.getLogger(__name__)

LONG_POLL_SECONDS = 10
# How long a batch's updates have to be recorded by their own turns before the inbox stores
# the rest: about what a turn takes when nothing waits ahead of it. Meanwhile no new updates
# are fetched, so it is short.
SETTLE_SECONDS = 0.01
# A clean stop waits this long for the call that confirms the last batch.
STOP_PATIENCE = 5.0
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
        self._handing_over: asyncio.Future[None] | None = None
        # Keys handed over and in the database, for the next call's offset to confirm.
        self._unconfirmed: list[str] = []
        self._stopping = False

    async def start(self) -> int:
        """Queues the updates left unhandled by the last run, then starts polling; returns
        how many were left."""
        left = await queue_unhandled(self._inbox, self._bot, self._queue)
        self._task = asyncio.create_task(self._poll(), name="inbox-poller")
        return left

    async def stop(self) -> None:
        """Stops polling. A batch being handed over is first put in the database and then
        confirmed to Telegram by one last call that waits for nothing (cut short, it would
        be fetched again, and its buttons answered twice)."""
        if self._task is not None:
            self._stopping = True
            if self._handing_over is not None or self._unconfirmed:
                if self._handing_over is not None:
                    await asyncio.shield(self._handing_over)
                with contextlib.suppress(TimeoutError, asyncio.CancelledError):
                    await asyncio.wait_for(asyncio.shield(self._task), STOP_PATIENCE)
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        # Whatever happened to the last call, no turn waits any longer.
        _confirm(self._unconfirmed)
        self._unconfirmed = []

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
                if self._unconfirmed:
                    # This call's offset confirms the batch handed over last: its turns may
                    # answer their buttons once the request is out (the loop runs this
                    # callback only after the call has written it and waits).
                    asyncio.get_running_loop().call_soon(_confirm, self._unconfirmed)
                    self._unconfirmed = []
                payloads = await self._bot.get_raw_updates(
                    offset, 0 if self._stopping else LONG_POLL_SECONDS, list(Update.ALL_TYPES)
                )
                failures = 0
                if self._stopping:
                    return  # what this call brought stays unconfirmed: Telegram keeps it
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
                self._handing_over = asyncio.ensure_future(self._hand_over(payloads))
                try:
                    await asyncio.shield(self._handing_over)
                finally:
                    self._handing_over = None
                # In the database: the next call's offset may now confirm them to Telegram.
                offset = int(payloads[-1]["update_id"]) + 1
            if self._poll_interval:
                await asyncio.sleep(self._poll_interval)

    async def _hand_over(self, payloads: list[dict[str, Any]]) -> None:
        """Queues a batch for the handlers and returns once each update is in the database:
        recorded by its own turn, if that committed within ``SETTLE_SECONDS`` (one
        transaction for the update), else stored by the inbox for a restart to replay."""
        # Telegram's JSON is what the inbox stores and digests; PTB parses it once.
        updates = [Update.de_json(payload, self._bot) for payload in payloads]
        received = [
            Received(update_key(update, payload), update.update_id, payload)
            for update, payload in zip(updates, payloads, strict=True)
        ]
        handovers = []
        for update, stored in zip(updates, received, strict=True):
            # A repeat (Telegram sending again what it was not told of) is recognised by
            # its turn, which finds it handled before.
            expect(update, stored.key)
            handovers.append(hand_over(stored.key))
            await self._queue.put(update)
        try:
            await asyncio.wait([h.recorded for h in handovers], timeout=SETTLE_SECONDS)
            waiting = [
                stored
                for stored, handover in zip(received, handovers, strict=True)
                if not handover.recorded.done()
            ]
            await self._inbox.receive(waiting, self._clock())
        finally:
            # Confirmed by the next call.
            self._unconfirmed.extend(stored.key for stored in received)


def _confirm(keys: list[str]) -> None:
    for key in keys:
        confirmed(key)


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
