"""The rate limiter's two lanes on a clock the test moves: replies first, bulk with what is
left, a 429 slowing only its own lane, and each chat's messages in the order they were made."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable

import pytest
from telegram.error import RetryAfter

from bot.lanes import BULK_ARGS, REPLY_RESERVE, LaneRateLimiter, LoopClock

BURST = 5  # bot/lanes.py BUDGET_BURST at 30 messages a second
# What bulk sends at once from a full bucket: it leaves the reserve to answers.
BULK_BURST = BURST - REPLY_RESERVE


class FakeClock:
    """Time stands still until the test moves it to the earliest time anyone waits for."""

    def __init__(self) -> None:
        self.t = 0.0
        self.deadlines: list[float] = []
        self._moved = asyncio.Event()

    def now(self) -> float:
        return self.t

    async def wait(self, wake: asyncio.Event, seconds: float) -> None:
        deadline = self.t + seconds
        self.deadlines.append(deadline)
        try:
            while self.t < deadline and not wake.is_set():
                moved = self._moved
                waits = [asyncio.ensure_future(wake.wait()), asyncio.ensure_future(moved.wait())]
                try:
                    await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
                finally:
                    for waiting in waits:
                        waiting.cancel()
        finally:
            self.deadlines.remove(deadline)

    async def step(self) -> None:
        if self.deadlines:
            self.t = max(self.t, min(self.deadlines))
            # Everyone waiting wakes and looks at the time; the next wait gets a new event.
            moved, self._moved = self._moved, asyncio.Event()
            moved.set()
        await settle()


async def settle() -> None:
    for _ in range(50):
        await asyncio.sleep(0)


class Chats:
    """Sends through a limiter, noting what reached "Telegram" and when."""

    def __init__(self, limiter: LaneRateLimiter, clock: FakeClock | None = None) -> None:
        self.limiter, self.clock = limiter, clock
        self.sent: list[str] = []
        self.at: dict[str, float] = {}
        self.refuse: dict[str, float] = {}  # label → retry_after, refused once
        self.tasks: list[asyncio.Task[object]] = []

    async def _call(self, label: str, pause: float = 0.0) -> bool:
        if label in self.refuse:
            raise RetryAfter(int(self.refuse.pop(label)))
        if pause:
            await asyncio.sleep(pause)
        self.sent.append(label)
        self.at[label] = self.clock.t if self.clock else 0.0
        return True

    def send(self, chat: int, label: str, *, bulk: bool = False, pause: float = 0.0) -> None:
        request = self.limiter.process_request(
            self._call,
            (label, pause),
            {},
            "sendMessage",
            {"chat_id": chat, "text": label},
            BULK_ARGS if bulk else None,
        )
        self.tasks.append(asyncio.create_task(request))

    async def until(self, done: Callable[[], bool], clock: FakeClock) -> None:
        for _ in range(5000):
            await settle()  # what was just sent reaches the limiter before time moves
            if done():
                return
            await clock.step()
        raise AssertionError("the limiter never got there")


async def started(limiter: LaneRateLimiter) -> LaneRateLimiter:
    await limiter.initialize()
    return limiter


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


async def test_a_reply_behind_500_bulk_sends_goes_next(clock: FakeClock) -> None:
    chats = Chats(await started(LaneRateLimiter(30, 0.5, clock=clock)), clock)
    for i in range(500):
        chats.send(1000 + i, f"bulk {i}", bulk=True)
    await settle()
    assert chats.sent == [f"bulk {i}" for i in range(BULK_BURST)]  # the burst but the reserve
    chats.send(1, "help answer")
    await chats.until(lambda: "help answer" in chats.sent, clock)
    assert chats.sent.index("help answer") == BULK_BURST  # the very next message
    await chats.until(lambda: len(chats.sent) == 501, clock)
    await asyncio.gather(*chats.tasks)
    await chats.limiter.shutdown()


async def test_bulk_keeps_its_share_while_replies_wait(clock: FakeClock) -> None:
    chats = Chats(await started(LaneRateLimiter(30, 0.5, clock=clock)), clock)
    for i in range(100):
        chats.send(1000 + i, "bulk", bulk=True)
    await settle()
    for i in range(20):
        chats.send(i, "reply")
    await chats.until(lambda: chats.sent.count("reply") == 20, clock)
    # The reserve goes to the first replies at once; then half the budget each while
    # replies wait, a reply first.
    assert chats.sent[BULK_BURST:BURST] == ["reply"] * REPLY_RESERVE
    after = chats.sent[BURST:]
    assert after[:6] == ["reply", "bulk"] * 3
    assert after.count("bulk") in (16, 17)  # one for each of the 17 replies that waited
    await chats.until(lambda: len(chats.sent) == 120, clock)
    await chats.limiter.shutdown()


async def test_a_full_reply_share_holds_bulk_back_while_replies_wait(clock: FakeClock) -> None:
    chats = Chats(await started(LaneRateLimiter(30, 1.0, clock=clock)), clock)
    for i in range(50):
        chats.send(1000 + i, "bulk", bulk=True)
    await settle()
    for i in range(20):
        chats.send(i, "reply")
    await chats.until(lambda: chats.sent.count("reply") == 20, clock)
    assert chats.sent[BULK_BURST:] == ["reply"] * 20
    await chats.until(lambda: len(chats.sent) == 70, clock)
    await chats.limiter.shutdown()


async def test_a_429_drawn_by_bulk_pauses_bulk_only(clock: FakeClock) -> None:
    chats = Chats(await started(LaneRateLimiter(30, 0.5, clock=clock)), clock)
    chats.refuse["bulk 7"] = 10
    chats.send(7, "bulk 7", bulk=True)
    await settle()
    refused = chats.tasks.pop()
    assert refused.done() and isinstance(refused.exception(), RetryAfter)  # the dispatcher's
    chats.send(8, "bulk 8", bulk=True)
    chats.send(1, "reply")
    await chats.until(lambda: len(chats.sent) == 2, clock)
    assert chats.sent == ["reply", "bulk 8"]
    assert chats.at["reply"] == 0 and chats.at["bulk 8"] == 10  # as long as Telegram asked
    await chats.limiter.shutdown()


async def test_a_429_drawn_by_a_reply_pauses_its_chat_only_and_is_tried_again(
    clock: FakeClock,
) -> None:
    chats = Chats(await started(LaneRateLimiter(30, 0.5, clock=clock)), clock)
    chats.refuse["reply"] = 3
    chats.send(1, "reply")
    await settle()
    chats.send(8, "bulk 8", bulk=True)
    chats.send(2, "another person's reply")
    chats.send(1, "same chat, next")
    await chats.until(lambda: len(chats.sent) == 4, clock)
    assert chats.sent == ["another person's reply", "bulk 8", "reply", "same chat, next"]
    assert chats.at["another person's reply"] == 0 and chats.at["bulk 8"] < 0.1
    assert chats.at["reply"] == chats.at["same chat, next"] == 3  # that chat waited, in order
    await asyncio.gather(*chats.tasks)  # the reply got through on its second try
    await chats.limiter.shutdown()


async def test_answers_to_one_chat_keep_its_pace_and_edits_are_not_counted(
    clock: FakeClock,
) -> None:
    chats = Chats(await started(LaneRateLimiter(30, 0.5, clock=clock)), clock)
    for n in range(4):
        chats.send(1, f"answer {n}")
    chats.send(2, "someone else")
    edit = chats.limiter.process_request(
        chats._call, ("edit", 0.0), {}, "editMessageText", {"chat_id": 1, "text": "x"}, None
    )
    chats.tasks.append(asyncio.create_task(edit))
    await chats.until(lambda: len(chats.sent) == 6, clock)
    # A burst of two, then one a second (Telegram's pace for a chat); the edit, made after
    # them, waits its turn in the chat but takes none of its pace.
    assert [chats.at[f"answer {n}"] for n in range(4)] == [0, 0, 1, 2]
    assert chats.at["someone else"] == 0 and chats.at["edit"] == 2
    await chats.limiter.shutdown()


async def test_a_reply_finds_a_token_at_once_while_bulk_is_going_out(clock: FakeClock) -> None:
    chats = Chats(await started(LaneRateLimiter(30, 0.5, clock=clock)), clock)
    for i in range(200):
        chats.send(1000 + i, f"bulk {i}", bulk=True)
    await chats.until(lambda: len(chats.sent) >= 60, clock)  # two seconds of fan-out
    now = clock.t
    chats.send(1, "answer")
    chats.send(2, "second answer")
    await settle()
    assert chats.at["answer"] == chats.at["second answer"] == now  # no wait for a token
    await chats.until(lambda: len(chats.sent) == 202, clock)
    # Bulk still had the rest of the budget: 30 a second in all.
    assert clock.t == pytest.approx(202 / 30 - BURST / 30, abs=0.2)
    await chats.limiter.shutdown()


async def test_a_reply_lifts_an_earlier_bulk_message_to_its_chat(clock: FakeClock) -> None:
    chats = Chats(await started(LaneRateLimiter(30, 0.5, clock=clock)), clock)
    for i in range(100):
        chats.send(1000 + i, "bulk", bulk=True)
    chats.send(5, "alert to 5", bulk=True)
    await settle()
    chats.send(5, "answer to 5")
    await chats.until(lambda: "answer to 5" in chats.sent, clock)
    first, answer = chats.sent.index("alert to 5"), chats.sent.index("answer to 5")
    assert first < answer <= BURST + 3  # in order, and neither waited for the bulk queue
    await chats.until(lambda: len(chats.sent) == 102, clock)
    await chats.limiter.shutdown()


async def test_each_chat_keeps_its_order_under_concurrency() -> None:
    limiter = await started(
        LaneRateLimiter(1000, 0.5, clock=LoopClock(), chat_rate=1000, chat_burst=1000)
    )
    chats = Chats(limiter)
    rng = random.Random(12)
    made: dict[int, list[str]] = {chat: [] for chat in (1, 2, 3)}
    for n in range(60):
        chat = rng.choice((1, 2, 3))
        label = f"{chat}:{n}"
        made[chat].append(label)
        chats.send(chat, label, bulk=rng.random() < 0.5, pause=rng.random() / 500)
        if rng.random() < 0.3:
            await asyncio.sleep(0)
    await asyncio.gather(*chats.tasks)
    for chat, labels in made.items():
        assert [s for s in chats.sent if s.startswith(f"{chat}:")] == labels
    await limiter.shutdown()


async def test_a_reply_with_nothing_waiting_goes_without_a_turn_of_the_loop(
    clock: FakeClock,
) -> None:
    limiter = await started(LaneRateLimiter(30, 0.5, clock=clock))
    sent: list[str] = []

    async def call(label: str) -> bool:
        sent.append(label)
        return True

    others: list[str] = []
    # Would run at the first turn of the event loop: the reply goes before it.
    asyncio.get_running_loop().call_soon(others.append, "poller")
    data = {"chat_id": 1, "text": "help answer"}
    await limiter.process_request(call, ("help answer",), {}, "sendMessage", data, None)
    assert sent == ["help answer"] and others == []
    # With the tokens spent, the next reply waits for the clock like any other.
    for i in range(BURST - 1):
        await limiter.process_request(call, (f"reply {i}",), {}, "editMessageText", data, None)
    waiting = asyncio.ensure_future(
        limiter.process_request(call, ("late",), {}, "editMessageText", data, None)
    )
    await settle()
    assert "late" not in sent
    await clock.step()
    await waiting
    assert sent[-1] == "late"
    await limiter.shutdown()


async def test_calls_naming_no_chat_go_straight_through(clock: FakeClock) -> None:
    limiter = await started(LaneRateLimiter(30, 0.5, clock=clock))

    async def answer() -> bool:
        return True

    callback: Callable[..., Awaitable[bool]] = answer
    for _ in range(100):  # far beyond the budget, and no clock moved
        assert await limiter.process_request(callback, (), {}, "answerCallbackQuery", {}, None)
    await limiter.shutdown()


async def test_paid_broadcasts_have_a_budget_of_their_own(clock: FakeClock) -> None:
    limiter = await started(LaneRateLimiter(30, 0.5, paid_broadcast=True, clock=clock))
    chats = Chats(limiter, clock)
    for i in range(100):
        chats.send(1000 + i, "bulk", bulk=True)
    for i in range(BURST):
        chats.send(i, "reply")
    await settle()
    assert chats.sent.count("reply") == BURST  # the free budget is untouched by bulk
    await chats.until(lambda: len(chats.sent) == 100 + BURST, clock)
    assert clock.t < 0.2  # 1,000 a second, not 30
    await limiter.shutdown()
