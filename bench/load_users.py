"""The people of the load bench as the sandbox sees them: they write, and time the answers.

Latency is taken at the client: from the moment the sandbox has accepted the person's
message (``actions.send_text`` returned: it is stored and queued for the bot's getUpdates)
to the moment the bot's answer is stored in the chat (the sandbox's Bot API handler calls
``World.bot_message_listeners``). Answers in a chat are matched to questions in order: the
bot answers each question with one message, and a chat's answers keep their order.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter, defaultdict, deque
from dataclasses import dataclass, field

from sandbox import actions
from sandbox.models import Message
from sandbox.world import ChatState, World

ANSWER_TIMEOUT = 60.0


@dataclass
class Asked:
    """One question: when it was accepted, and when its answer arrived (None: not yet)."""

    sent_at: float
    answered_at: float | None = None
    done: asyncio.Future[None] | None = None

    @property
    def latency(self) -> float:
        assert self.answered_at is not None
        return self.answered_at - self.sent_at


@dataclass
class Watch:
    """Listens to every message the bot stores: answers to questions asked through
    ``ask``/``post``, and everything else (alerts) counted per chat with its time."""

    world: World
    _waiting: dict[int, deque[Asked]] = field(default_factory=lambda: defaultdict(deque))
    unasked: Counter[int] = field(default_factory=Counter)
    # (chat, when) of each message nobody asked for, in arrival order.
    unasked_log: list[tuple[int, float]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.world.bot_message_listeners.append(self._on_bot_message)

    def close(self) -> None:
        self.world.bot_message_listeners.remove(self._on_bot_message)

    def _on_bot_message(self, message: Message) -> None:
        now = time.perf_counter()
        waiting = self._waiting.get(message.chat_id)
        if waiting:
            asked = waiting.popleft()
            asked.answered_at = now
            if asked.done is not None and not asked.done.done():
                asked.done.set_result(None)
        else:
            self.unasked[message.chat_id] += 1
            self.unasked_log.append((message.chat_id, now))

    def post(self, chat: ChatState, text: str) -> Asked:
        """Writes ``text`` as the person; returns the question, answered later."""
        asked = Asked(0.0)
        self._waiting[int(chat.user["id"])].append(asked)
        asked.sent_at = time.perf_counter()
        actions.send_text(self.world, chat, text)
        return asked

    async def ask(self, chat: ChatState, text: str) -> Asked:
        """Writes ``text`` and waits for the answer."""
        asked = Asked(0.0, done=asyncio.get_running_loop().create_future())
        self._waiting[int(chat.user["id"])].append(asked)
        asked.sent_at = time.perf_counter()
        actions.send_text(self.world, chat, text)
        assert asked.done is not None
        await asyncio.wait_for(asked.done, ANSWER_TIMEOUT)
        return asked


async def closed_loop(watch: Watch, chat: ChatState, text: str, until: float) -> list[Asked]:
    """Asks again as soon as each answer arrives, until ``until`` (perf_counter)."""
    answered = []
    while time.perf_counter() < until:
        answered.append(await watch.ask(chat, text))
    return answered


async def paced(
    watch: Watch, chat: ChatState, text: str, every: float, start: float, stop: asyncio.Event
) -> list[Asked]:
    """Writes every ``every`` seconds from ``start`` (perf_counter) until ``stop`` is set,
    whether or not the answers came (an open loop, as a person keeps writing)."""
    posted = []
    due = start
    while not stop.is_set():
        delay = due - time.perf_counter()
        if delay > 0:
            try:
                await asyncio.wait_for(stop.wait(), delay)
                break
            except TimeoutError:
                pass
        posted.append(watch.post(chat, text))
        due += every
    return posted


@dataclass(frozen=True)
class Throughput:
    """Answers counted in the window, its length, their latencies, and every answer of the
    run (the warm-up's too: what the bot's CPU time is shared by)."""

    answers: int
    seconds: float
    latencies: list[float]
    everything: int

    @property
    def per_second(self) -> float:
        return self.answers / self.seconds


async def closed_loop_throughput(
    watch: Watch, chats: list[ChatState], text: str, warmup: float, seconds: float
) -> Throughput:
    """Answers a second with every chat asking in a closed loop; answers in the first
    ``warmup`` seconds are not counted."""
    started = time.perf_counter()
    counted_from = started + warmup
    until = counted_from + seconds
    runs = await asyncio.gather(*(closed_loop(watch, chat, text, until) for chat in chats))
    # Counted: answers that arrived inside the window (the last questions' answers may
    # arrive after it; they are left out, as are those of the warm-up).
    inside = [
        a
        for run in runs
        for a in run
        if a.answered_at is not None and counted_from <= a.answered_at <= until
    ]
    everything = sum(1 for run in runs for a in run if a.answered_at is not None)
    return Throughput(len(inside), seconds, [a.latency for a in inside], everything)
