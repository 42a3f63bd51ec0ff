"""Concurrency with order: different people's updates are handled at the same time, one
person's updates one after another, in the order they arrived.

PTB's processor takes its semaphore before it calls ``do_process_update``, so waiting there
for the sender's earlier update would let one person who sends fifty messages at once fill
every slot while everybody else waits. Here PTB's bound is set far above anything queued,
and the real bound (``telegram.concurrent_updates``) is a semaphore of our own, taken only
once the update's turn in its sender's line has come: a flooding sender holds one slot.

PTB starts one task per update in the order the update queue gives them, and each task
reaches its line's lock without yielding first; the lock queues its waiters first come,
first served. So a line hands its updates to the handlers in arrival order.

PTB warns that ConversationHandler relies on updates handled one by one: it reads a
conversation's state when it checks an update and writes it after the step. That holds here
for each conversation: its key is (chat, user), so all its updates are one sender's, in one
line. So does everything else a turn keeps per person (flow data, the flow filters).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from dataclasses import dataclass, field
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

# PTB's own bound: each queued update waits in its line (a task and a lock waiter, both
# small), so this only has to stay above the number of updates queued at once.
QUEUED_AT_MOST = 100_000
# Updates that name neither a user nor a chat (a poll's new results, say) share one line.
SHARED = "shared"


def line_of(update: object) -> int | str:
    """Whose line an update waits in: its sender's, else its chat's, else the shared one."""
    if isinstance(update, Update):
        if update.effective_user is not None:
            return update.effective_user.id
        if update.effective_chat is not None:
            return update.effective_chat.id
    return SHARED


@dataclass
class _Line:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    # Updates in this line, waiting or being handled: the line is dropped at zero, so
    # memory follows the people active right now, not everyone ever seen.
    updates: int = 0


class OrderedUpdateProcessor(BaseUpdateProcessor):
    """Handles up to ``concurrent`` updates at once, each sender's in order."""

    def __init__(self, concurrent: int) -> None:
        super().__init__(QUEUED_AT_MOST)
        if concurrent < 1:
            raise ValueError("at least one update must be handled at a time")
        self.concurrent = concurrent
        self._slots = asyncio.Semaphore(concurrent)
        self._lines: dict[int | str, _Line] = {}

    @property
    def lines(self) -> int:
        """How many senders have updates waiting or being handled."""
        return len(self._lines)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = line_of(update)
        line = self._lines.get(key)
        if line is None:
            line = self._lines[key] = _Line()
        line.updates += 1
        try:
            async with line.lock, self._slots:
                await coroutine
        finally:
            line.updates -= 1
            if line.updates == 0:
                del self._lines[key]

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to free: PTB waits for the updates in flight before it shuts down."""
