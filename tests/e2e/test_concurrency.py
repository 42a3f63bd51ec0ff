"""Different people's updates are handled at the same time, one person's in the order they
sent them; a person sending many at once never holds up the others; SQLite takes many
people writing at once without a "database is locked".

Through the real bot and the sandbox. Probes added around the bot's own handlers (a group
before its first and one after its last) note when each update's handling starts and ends,
and can hold an update at its start until the test lets it go."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field

import pytest
from telegram import Update
from telegram.ext import ContextTypes, TypeHandler

from bot.ordering import OrderedUpdateProcessor, line_of
from bot.runner import RunningBot, start_bot
from bot.settings import Settings
from sandbox import Sandbox, SimUser
from tests.e2e.journeys import sign_up

FIRST, LAST = -100, 100  # the bot's own handlers are in groups -1 to 1
WAIT = 15.0


@dataclass
class Probe:
    """Notes ("start"/"end", user id, message id) per update; ``hold`` maps a (user id,
    message id) to what its update awaits at its start."""

    events: list[tuple[str, int, int]] = field(default_factory=list)
    hold: dict[tuple[int, int], Callable[[], Awaitable[None]]] = field(default_factory=dict)
    changed: asyncio.Event = field(default_factory=asyncio.Event)

    async def start(self, update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        who, message = self._ids(update)
        self._note("start", who, message)
        held = self.hold.get((who, message))
        if held is not None:
            await held()

    async def end(self, update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        self._note("end", *self._ids(update))

    def _note(self, what: str, who: int, message: int) -> None:
        self.events.append((what, who, message))
        self.changed.set()

    @staticmethod
    def _ids(update: Update) -> tuple[int, int]:
        user, message = update.effective_user, update.effective_message
        return (user.id if user else 0, message.message_id if message else 0)

    def of(self, user: SimUser) -> list[tuple[str, int]]:
        return [(what, message) for what, who, message in self.events if who == user.id]

    async def until(self, check: Callable[[], bool]) -> None:
        async with asyncio.timeout(WAIT):
            while not check():
                self.changed.clear()
                await self.changed.wait()


def probe(bot: RunningBot) -> Probe:
    watching = Probe()
    bot.app.add_handler(TypeHandler(Update, watching.start), group=FIRST)
    bot.app.add_handler(TypeHandler(Update, watching.end), group=LAST)
    return watching


def one_after_another(events: list[tuple[str, int]], sent: list[int]) -> None:
    """The user's updates started in the order sent, each after the one before ended."""
    assert events == [(what, message) for message in sent for what in ("start", "end")]


async def test_each_persons_updates_are_handled_in_order_while_others_interleave(
    sandbox: Sandbox, bot: RunningBot
) -> None:
    assert isinstance(bot.app.update_processor, OrderedUpdateProcessor)
    watching = probe(bot)
    ana, ben = sandbox.create_user("Ana"), sandbox.create_user("Ben")
    sent: dict[int, list[int]] = {ana.id: [], ben.id: []}
    for _ in range(20):
        for user in (ana, ben):
            sent[user.id].append((await user.send("/help")).message_id)
    await watching.until(lambda: sum(what == "end" for what, *_ in watching.events) == 40)
    one_after_another(watching.of(ana), sent[ana.id])
    one_after_another(watching.of(ben), sent[ben.id])
    for user in (ana, ben):
        replies = await user.wait_for_messages(20)
        assert all("/profile" in (reply.text or "") for reply in replies)


async def test_two_peoples_slow_updates_overlap(sandbox: Sandbox, bot: RunningBot) -> None:
    """Ana's update waits at its start until Ben's has started: one at a time, it never
    could."""
    watching = probe(bot)
    ana, ben = sandbox.create_user("Ana"), sandbox.create_user("Ben")
    ben_started = asyncio.Event()

    async def ana_waits_for_ben() -> None:
        async with asyncio.timeout(WAIT):
            await ben_started.wait()

    async def ben_arrives() -> None:
        ben_started.set()

    first = await ana.send("/help")
    watching.hold[ana.id, first.message_id] = ana_waits_for_ben
    await watching.until(lambda: ("start", first.message_id) in watching.of(ana))
    second = await ben.send("/help")
    watching.hold[ben.id, second.message_id] = ben_arrives
    await watching.until(lambda: len(watching.of(ana)) == len(watching.of(ben)) == 2)
    assert watching.of(ana) == [("start", first.message_id), ("end", first.message_id)]
    assert ben_started.is_set()
    await ana.wait_for_message("/profile")
    await ben.wait_for_message("/profile")


@pytest.fixture
async def two_at_a_time(sandbox: Sandbox, settings: Settings) -> AsyncIterator[RunningBot]:
    """The bot handling at most two updates at once."""
    telegram = settings.telegram.model_copy(update={"concurrent_updates": 2})
    running = await start_bot(settings.model_copy(update={"telegram": telegram}))
    try:
        yield running
    finally:
        await running.stop()
    assert sandbox.api_errors == []


async def test_a_flooding_person_does_not_hold_up_the_others(
    sandbox: Sandbox, two_at_a_time: RunningBot
) -> None:
    """Flo's first update is held while thirty more of hers queue behind it, far more than
    the two handled at once; Gus is answered meanwhile, then Flo's in the order sent."""
    bot = two_at_a_time
    processor = bot.app.update_processor
    assert isinstance(processor, OrderedUpdateProcessor) and processor.concurrent == 2
    watching = probe(bot)
    flo, gus = sandbox.create_user("Flo"), sandbox.create_user("Gus")
    let_go = asyncio.Event()

    async def held() -> None:
        async with asyncio.timeout(WAIT * 2):
            await let_go.wait()

    first = await flo.send("/help")
    watching.hold[flo.id, first.message_id] = held
    sent = [first.message_id] + [(await flo.send("/help")).message_id for _ in range(30)]
    await watching.until(lambda: ("start", first.message_id) in watching.of(flo))
    await gus.send("/help")
    await gus.wait_for_message("/profile")
    assert watching.of(flo) == [("start", first.message_id)]
    let_go.set()
    await watching.until(lambda: len(watching.of(flo)) == 2 * len(sent))
    one_after_another(watching.of(flo), sent)
    assert len(await flo.wait_for_messages(31)) == 31
    await watching.until(lambda: processor.lines == 0)


def test_updates_wait_in_their_senders_line() -> None:
    def message(user: int | None, chat: int | None) -> Update:
        data: dict[str, object] = {"message_id": 1, "date": 0, "text": "hi"}
        data["chat"] = {"id": chat, "type": "private"} if chat is not None else None
        if user is not None:
            data["from"] = {"id": user, "is_bot": False, "first_name": "U"}
        return Update.de_json({"update_id": 1, "message": data}, None)

    assert line_of(message(7, 70)) == 7
    assert line_of(message(None, 70)) == 70
    assert line_of(Update(update_id=2)) == "shared"
    assert line_of(object()) == "shared"


async def test_many_people_signing_up_at_once_never_lock_the_database(
    sandbox: Sandbox, bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    """Twenty people walk the whole signup at the same time (every step writes, the outbox
    sends their emails, the nudges sweep runs), on SQLite."""
    caplog.set_level(logging.WARNING)
    people = [sandbox.create_user(f"Person{n}") for n in range(20)]
    await asyncio.gather(
        *(
            sign_up(sandbox, person, role="Seller", email=f"p{n}@example.org", skills="Python")
            for n, person in enumerate(people)
        )
    )
    for person in people:
        await person.send("/profile")
    for person in people:
        await person.wait_for_message("Python")
    assert "locked" not in caplog.text
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
