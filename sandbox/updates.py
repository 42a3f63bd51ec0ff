"""The bot's update queue: getUpdates long polling with Telegram's confirmation rules."""

from __future__ import annotations

import asyncio
import contextlib
import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sandbox.errors import BotApiError

JSON = dict[str, Any]

# Telegram's default when allowed_updates was never given: everything but these three.
ALL_TYPES = {
    "message",
    "edited_message",
    "channel_post",
    "edited_channel_post",
    "business_connection",
    "business_message",
    "edited_business_message",
    "deleted_business_messages",
    "message_reaction",
    "message_reaction_count",
    "inline_query",
    "chosen_inline_result",
    "callback_query",
    "shipping_query",
    "pre_checkout_query",
    "purchased_paid_media",
    "poll",
    "poll_answer",
    "my_chat_member",
    "chat_member",
    "chat_join_request",
    "chat_boost",
    "removed_chat_boost",
}
DEFAULT_TYPES = ALL_TYPES - {"chat_member", "message_reaction", "message_reaction_count"}

CONFLICT_OTHER = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)
CONFLICT_WEBHOOK = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)


@dataclass
class _Poll:
    terminated: bool = False
    done: bool = False


class UpdateQueue:
    def __init__(self, on_change: Callable[[], None]) -> None:
        self.pending: list[JSON] = []
        self.history: dict[int, JSON] = {}  # every update ever queued, by update_id
        self._replays: set[int] = set()  # repeated updates not handed out again yet
        self.next_update_id = 1
        self.allowed = set(DEFAULT_TYPES)
        self.webhook: JSON | None = None
        self._event = asyncio.Event()
        self._poll: _Poll | None = None
        self._poll_started = asyncio.Event()
        self._on_change = on_change

    def _notify(self) -> None:
        event, self._event = self._event, asyncio.Event()
        event.set()
        self._on_change()

    def push(self, kind: str, payload: JSON) -> JSON | None:
        """Queue an update unless the bot's allowed_updates excludes its type."""
        if kind not in self.allowed:
            return None
        update_id = self.next_update_id
        self.next_update_id += 1
        update: JSON = {"update_id": update_id, kind: payload}
        self.pending.append(update)
        self.history[update_id] = copy.deepcopy(update)
        self._notify()
        return update

    def repeat(self, update_id: int, new_id: bool) -> JSON | None:
        """Queue an earlier update again, unchanged, as Telegram does when it did not get
        (or lost) the bot's confirmation; even one getUpdates has already confirmed is
        handed out once more. With ``new_id`` it is the same content under the next
        update_id instead."""
        original = self.history[update_id]
        kind = next(key for key in original if key != "update_id")
        if new_id or kind not in self.allowed:
            return self.push(kind, copy.deepcopy(original[kind]))
        again = copy.deepcopy(original)
        self._replays.add(update_id)
        self.pending = [u for u in self.pending if u["update_id"] != update_id] + [again]
        self.pending.sort(key=lambda u: int(u["update_id"]))
        self._notify()
        return again

    def confirm(self, offset: int | None) -> None:
        before = len(self.pending)
        self._confirm(offset)
        if len(self.pending) != before:
            self._on_change()  # someone may be waiting for the bot to take its updates

    def _confirm(self, offset: int | None) -> None:
        if offset is None:
            return
        if offset < 0:
            self.pending = self.pending[offset:]
        else:
            # A repeated update survives the confirmation that covered it the first time.
            again = self._replays
            self.pending = [
                u for u in self.pending if u["update_id"] >= offset or u["update_id"] in again
            ]

    def drop_pending(self) -> None:
        self.pending.clear()

    def remove(self, update_id: int) -> None:
        """Confirms one update (the webhook answered 2xx)."""
        self.pending = [u for u in self.pending if u["update_id"] != update_id]
        self._replays.discard(update_id)

    def changed(self) -> None:
        self._notify()

    def set_webhook(self, hook: JSON | None) -> None:
        """Sets (or with None deletes) the webhook; a waiting getUpdates gets the 409."""
        self.webhook = hook
        self._notify()

    def set_allowed(self, allowed: list[str] | None) -> None:
        # Like Telegram, the setting sticks until the next call that specifies it.
        if allowed is not None:
            self.allowed = {a for a in allowed if a in ALL_TYPES} or set(DEFAULT_TYPES)

    async def wait_changed(self, timeout: float) -> None:
        event = self._event
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(event.wait(), timeout)

    @property
    def polling(self) -> bool:
        """Whether a getUpdates request is waiting right now."""
        return self._poll is not None and not self._poll.done

    async def wait_for_poller(self, timeout: float) -> bool:
        """Wait until some getUpdates request is pending (the bot is up and listening)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not self.polling:
            remaining = deadline - loop.time()
            if remaining <= 0:
                return False
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._poll_started.wait(), remaining)
        return True

    async def get_updates(
        self, offset: int | None, limit: int, timeout: float, allowed: list[str] | None
    ) -> list[JSON]:
        if self.webhook is not None:
            raise BotApiError(409, CONFLICT_WEBHOOK)
        previous = self._poll
        if previous is not None and not previous.done:
            # Give an abandoned long poll (client already gone) a moment to be cancelled,
            # so a clean restart of the same bot is not reported as a conflict.
            await asyncio.sleep(0.1)
            if not previous.done:
                previous.terminated = True
                self._notify()
        poll = _Poll()
        self._poll = poll
        started, self._poll_started = self._poll_started, asyncio.Event()
        started.set()
        try:
            self.set_allowed(allowed)
            self.confirm(offset)
            loop = asyncio.get_running_loop()
            deadline = loop.time() + max(0.0, timeout)
            while True:
                if poll.terminated:
                    raise BotApiError(409, CONFLICT_OTHER)
                if self.webhook is not None:
                    raise BotApiError(409, CONFLICT_WEBHOOK)
                remaining = deadline - loop.time()
                if self.pending or remaining <= 0:
                    batch = self.pending[: max(1, min(limit, 100))]
                    self._replays.difference_update(u["update_id"] for u in batch)
                    return batch
                await self.wait_changed(remaining)
        finally:
            poll.done = True
            if self._poll is poll:
                self._poll = None
