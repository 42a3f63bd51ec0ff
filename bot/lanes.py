"""Telegram's flood limits kept in two lanes: answers to a person first, bulk after.

Every Bot API call that names a chat passes here (PTB hands each one to ``process_request``):

1. **The chat's turn.** Calls to one chat go out one at a time, in the order they were
   made; new messages at about one a second after a short burst (``chat_rate``,
   CHAT_BURST), as Telegram asks of bots writing to one chat, answers and bulk alike (edits
   are not paced: they are no new message). A reply behind an earlier bulk message to the
   same chat lifts that message into the reply lane, so it never waits for the bulk queue.
2. **The bot's budget.** ``max_messages_per_second`` for the whole bot, drawn by two lanes:
   the reply lane (everything the update path sends and the outbox's notices of what a
   person just did) and the bulk lane (calls made with ``rate_limit_args={"lane": "bulk"}``:
   alerts, announcements, invitations, nudges). While a reply waits, bulk may take at most
   ``1 - reply_share`` of the budget and a reply never queues behind bulk; while none waits,
   bulk takes the rest of it but never the last REPLY_RESERVE tokens, so an answer that
   comes in finds one at once instead of waiting for the next (bulk alone would keep the
   bucket empty). With ``paid_broadcast`` bulk has a budget of its own instead (Telegram's
   paid broadcasts, up to PAID_MESSAGES_PER_SECOND), leaving the free one to replies.
3. **429.** ``RetryAfter`` on an answer pauses only its chat (our own pacing keeps the
   bot-wide budget, so a 429 on an answer is that chat's pace: everybody else's answers go
   on), and the answer is tried once more after the wait, since the person is waiting and
   nothing else would retry it. On bulk it pauses the bulk lane, for the time Telegram
   asked; the outbox dispatcher reschedules that message (bot/dispatcher.py).

Calls naming no chat (answers to callback and inline queries, getMe, setMyCommands) are
not messages Telegram counts and go straight through.

Both the budget and each chat's pace are token buckets of our own rather than aiolimiter's:
it has no priorities, cannot say when its next token comes, and cannot run on a test's
clock.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
from collections import deque
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Literal, Protocol

from telegram.constants import FloodLimit
from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

log = logging.getLogger(__name__)

Lane = Literal["reply", "bulk"]
REPLY: Lane = "reply"
BULK: Lane = "bulk"
# What the dispatcher passes as ``rate_limit_args`` for a bulk send.
BULK_ARGS: dict[str, Any] = {"lane": BULK}

# Telegram: "avoid sending more than one message per second" to a chat, short bursts
# tolerated. A burst of two lets a turn that says two things say them at once, and leaves
# room for a late request to arrive early at Telegram. Answers are paced too: someone
# tapping through a flow faster than that would otherwise draw a 429 on every answer.
CHAT_RATE = 1.0
CHAT_BURST = 2
# Bot API methods that put a new message in the chat, which Telegram counts against it.
NEW_MESSAGE_METHODS = ("send", "copy", "forward")
# After a quiet spell the budget may be spent this many messages at once: small, so that
# requests bunching up on their way never make Telegram count more than its limit.
BUDGET_BURST = 5
# Tokens bulk leaves in the bucket for answers that have not come in yet: without them,
# during a fan-out every answer would wait for the next token (up to 1/30 s at 30 a second),
# and two or three arriving together for several.
REPLY_RESERVE = 3
PAID_MESSAGES_PER_SECOND = float(FloodLimit.PAID_MESSAGES_PER_SECOND)
# Tries after the first when a reply draws 429; bulk gets none (the dispatcher retries it).
REPLY_RETRIES = 1
# Chats whose pace is kept before idle ones are forgotten (as PTB's AIORateLimiter does).
CHATS_KEPT = 512

Result = bool | dict[str, Any] | list[dict[str, Any]]
Callback = Callable[..., Coroutine[Any, Any, Result]]


class Clock(Protocol):
    """Time for the budget; the tests bring one they move by hand."""

    def now(self) -> float: ...

    async def wait(self, wake: asyncio.Event, seconds: float) -> None:
        """Returns after ``seconds`` or as soon as ``wake`` is set."""


class LoopClock:
    def now(self) -> float:
        return asyncio.get_running_loop().time()

    async def wait(self, wake: asyncio.Event, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(wake.wait(), seconds)


@dataclass
class _Bucket:
    """``rate`` tokens a second, at most ``burst`` saved up."""

    rate: float
    burst: float
    tokens: float
    stamp: float

    def ready_at(self, now: float, keep: float = 0.0) -> float:
        """When one token can be taken with ``keep`` still left."""
        self._refill(now)
        need = 1 + keep
        return now if self.tokens >= need else now + (need - self.tokens) / self.rate

    def full(self, now: float) -> bool:
        self._refill(now)
        return self.tokens >= self.burst

    def take(self, now: float) -> None:
        self._refill(now)
        self.tokens -= 1

    def _refill(self, now: float) -> None:
        self.tokens = min(self.burst, self.tokens + max(0.0, now - self.stamp) * self.rate)
        self.stamp = max(self.stamp, now)


def _bucket(rate: float, now: float) -> _Bucket:
    burst = float(max(1, min(BUDGET_BURST, math.floor(rate))))
    return _Bucket(rate, burst, burst, now)


@dataclass(eq=False)
class Ticket:
    """One call waiting for its share of the budget."""

    lane: Lane
    granted: asyncio.Future[None] | None = None


class Budget:
    """The bot's messages per second, handed out to the two lanes in turn."""

    def __init__(self, rate: float, reply_share: float, paid_broadcast: bool, clock: Clock) -> None:
        self._clock = clock
        now = clock.now()
        self._free = _bucket(rate, now)
        self._reserve = float(min(REPLY_RESERVE, self._free.burst - 1))
        self._paid = _bucket(PAID_MESSAGES_PER_SECOND, now) if paid_broadcast else None
        # While replies wait, bulk takes one token per this many seconds at most.
        bulk_rate = (1 - reply_share) * rate
        self._bulk_spacing = 1 / bulk_rate if bulk_rate > 0 else math.inf
        self._bulk_next = -math.inf
        self._replies_waited = False
        self._queues: dict[Lane, deque[Ticket]] = {REPLY: deque(), BULK: deque()}
        self._paused_until: dict[Lane, float] = {REPLY: -math.inf, BULK: -math.inf}
        self._wake = asyncio.Event()
        self._pump: asyncio.Task[None] | None = None

    async def take(self, ticket: Ticket) -> None:
        """Waits until the ticket's lane may send one message."""
        if self._grant_at_once(ticket):
            return
        ticket.granted = asyncio.get_running_loop().create_future()
        self._queues[ticket.lane].append(ticket)
        self._wake.set()
        if self._pump is None:
            self._pump = asyncio.create_task(self._run(), name="telegram-budget")
        try:
            await ticket.granted
        finally:
            for queue in self._queues.values():
                with contextlib.suppress(ValueError):
                    queue.remove(ticket)

    def _grant_at_once(self, ticket: Ticket) -> bool:
        """A reply that finds nothing waiting and a token free takes it on the spot, as the
        pump would on its next turn: a person's answer never waits for a task switch."""
        if ticket.lane != REPLY or self._queues[REPLY] or self._queues[BULK]:
            return False
        now = self._clock.now()
        if self._paused_until[REPLY] > now or self._free.ready_at(now) > now:
            return False
        self._free.take(now)
        return True

    def promote(self, ticket: Ticket) -> None:
        """Moves a bulk call into the reply lane (a reply to its chat waits behind it)."""
        if ticket.lane == REPLY:
            return
        ticket.lane = REPLY
        if ticket in self._queues[BULK]:
            self._queues[BULK].remove(ticket)
            self._queues[REPLY].append(ticket)
            self._wake.set()

    def pause(self, lane: Lane, seconds: float) -> None:
        """Holds one lane back for as long as Telegram asked."""
        until = self._clock.now() + seconds
        self._paused_until[lane] = max(self._paused_until[lane], until)
        self._wake.set()

    async def stop(self) -> None:
        if self._pump is not None:
            self._pump.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._pump
            self._pump = None

    async def _run(self) -> None:
        """Grants one ticket at a time, each when its lane may have the next token."""
        try:
            while self._queues[REPLY] or self._queues[BULK]:
                now = self._clock.now()
                lane, at = self._next_turn(now)
                if at <= now:
                    self._grant(lane, now)
                    continue
                self._wake.clear()
                await self._clock.wait(self._wake, at - now)
        finally:
            self._pump = None

    def _next_turn(self, now: float) -> tuple[Lane, float]:
        """The lane whose ticket goes next, and when."""
        replies = bool(self._queues[REPLY])
        competing = replies and self._paused_until[REPLY] <= now
        if competing and not self._replies_waited:
            # Replies just started waiting: the next token is theirs, bulk's share follows.
            self._bulk_next = max(self._bulk_next, self._free.ready_at(now) + 1e-6)
        self._replies_waited = competing
        turns: list[tuple[float, int, Lane]] = []
        if replies:
            turns.append((max(self._paused_until[REPLY], self._free.ready_at(now)), 1, REPLY))
        if self._queues[BULK]:
            if self._paid is not None:
                at = max(self._paused_until[BULK], self._paid.ready_at(now))
            elif competing:
                at = max(self._paused_until[BULK], self._free.ready_at(now), self._bulk_next)
            else:
                keep = self._reserve
                at = max(self._paused_until[BULK], self._free.ready_at(now, keep))
            # On a tie bulk goes first: its pacing already keeps it to its share.
            turns.append((at, 0, BULK))
        at, _, lane = min(turns)
        return lane, at

    def _grant(self, lane: Lane, now: float) -> None:
        ticket = self._queues[lane].popleft()
        if lane == BULK:
            (self._paid or self._free).take(now)
            self._bulk_next = now + self._bulk_spacing
        else:
            self._free.take(now)
        if ticket.granted is not None and not ticket.granted.done():
            ticket.granted.set_result(None)


@dataclass(eq=False)
class _Chat:
    lock: asyncio.Lock
    pace: _Bucket
    # Calls to this chat not yet sent, oldest first.
    waiting: list[Ticket] = field(default_factory=list)
    # Until when Telegram asked us not to write to this chat (a 429 on an answer).
    paused_until: float = -math.inf


class LaneRateLimiter(BaseRateLimiter[dict[str, Any]]):
    """PTB's rate limiter for Leadline: the two lanes described above."""

    def __init__(
        self,
        max_messages_per_second: float = float(FloodLimit.MESSAGES_PER_SECOND),
        reply_share: float = 0.5,
        *,
        paid_broadcast: bool = False,
        clock: Clock | None = None,
        chat_rate: float = CHAT_RATE,
        chat_burst: int = CHAT_BURST,
    ) -> None:
        self._settings = (max_messages_per_second, reply_share, paid_broadcast)
        self._clock = clock or LoopClock()
        self._budget: Budget | None = None
        self._chat_rate, self._chat_burst = chat_rate, chat_burst
        # Never set: a chat waiting for its pace or its pause is woken by the clock alone.
        self._never = asyncio.Event()
        self._chats: dict[int | str, _Chat] = {}

    async def initialize(self) -> None:
        """The budget starts on the running loop's clock."""
        self._ensure_budget()

    async def shutdown(self) -> None:
        if self._budget is not None:
            await self._budget.stop()

    def _ensure_budget(self) -> Budget:
        if self._budget is None:
            rate, share, paid = self._settings
            self._budget = Budget(rate, share, paid, self._clock)
        return self._budget

    async def process_request(
        self,
        callback: Callback,
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: dict[str, Any] | None,
    ) -> Result:
        """Sends one call when its chat's turn and its lane's share of the budget come."""
        chat_id = data.get("chat_id")
        if chat_id is None:
            return await callback(*args, **kwargs)
        lane: Lane = BULK if (rate_limit_args or {}).get("lane") == BULK else REPLY
        budget = self._ensure_budget()
        chat = self._chat(chat_id)
        ticket = Ticket(lane)
        if lane == REPLY:
            for earlier in chat.waiting:
                budget.promote(earlier)
        chat.waiting.append(ticket)
        retries = REPLY_RETRIES if lane == REPLY else 0
        paced = endpoint.startswith(NEW_MESSAGE_METHODS)
        try:
            async with chat.lock:
                for attempt in range(retries + 1):
                    await self._chat_turn(chat, paced)
                    await budget.take(ticket)
                    if paced:
                        chat.pace.take(self._clock.now())
                    try:
                        return await callback(*args, **kwargs)
                    except RetryAfter as error:
                        wait = error.retry_after
                        seconds = wait.total_seconds() if isinstance(wait, timedelta) else wait
                        chat.paused_until = self._clock.now() + float(seconds)
                        if ticket.lane == BULK:
                            budget.pause(BULK, float(seconds))
                        log.info(
                            "Telegram asked to wait %.0f s (%s, %s lane)",
                            seconds,
                            endpoint,
                            ticket.lane,
                        )
                        if attempt == retries:
                            raise
                raise AssertionError("unreachable")  # pragma: no cover
        finally:
            chat.waiting.remove(ticket)

    async def _chat_turn(self, chat: _Chat, paced: bool) -> None:
        """Waits out the chat's pause, and its pace when the call is a new message."""
        while True:
            now = self._clock.now()
            at = max(chat.paused_until, chat.pace.ready_at(now) if paced else now)
            if at <= now:
                return
            await self._clock.wait(self._never, at - now)

    def _chat(self, chat_id: int | str) -> _Chat:
        now = self._clock.now()
        if len(self._chats) > CHATS_KEPT:
            # Forget chats nobody is writing to whose pace has fully recovered.
            for key, idle in list(self._chats.items()):
                if not idle.waiting and idle.pace.full(now) and idle.paused_until <= now:
                    del self._chats[key]
        chat = self._chats.get(chat_id)
        if chat is None:
            burst = float(self._chat_burst)
            pace = _Bucket(self._chat_rate, burst, burst, now)
            chat = self._chats[chat_id] = _Chat(asyncio.Lock(), pace)
        return chat
