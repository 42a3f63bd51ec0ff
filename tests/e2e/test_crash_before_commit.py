"""A crash after a use case's first write and before its commit, for the actions that
matter (confirm an email, publish a lead, send an offer, accept it, relay a message): the
update is handled again after the restart, and the action happens exactly once.

How the crash is modelled: the unit of work's commit raises ``Crash``, a BaseException.
The turn handles ``DomainError`` and ``Exception`` (it marks those updates handled, so a
bug cannot loop); a BaseException passes through it untouched, like a process dying: the
transaction, with the use case's writes and the inbox mark, is rolled back (a dead
process's uncommitted transaction is lost the same way), the update's task dies with it,
and nothing after the commit runs (no reply, no button answer). The dead bot is then
stopped without letting PTB flush its in-memory user data (a killed process writes
nothing), and a new bot is started on the same database: it finds the update in the inbox,
unhandled, and handles it. Then Telegram delivers the same update once more (it does that
when its confirmation was lost), which must change nothing.

SIGKILL at that exact point cannot be timed from outside the process;
tests/e2e/test_durability.py kills the real process at moments a test can observe."""

from __future__ import annotations

import asyncio
import contextlib
import json
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from telegram import Update

from bot.runner import RunningBot, start_bot
from bot.settings import Settings
from handlers.core.turn import expect, update_key
from sandbox import Sandbox, SimUser
from storage.uow import SqlUnitOfWork
from tests.e2e.journeys import sign_up
from tests.e2e.test_leads import post_lead

SID_CONFIRMED = "email = 'sid@example.org' AND used_at IS NOT NULL"


class Crash(BaseException):
    """The process dies here."""


def noop(*args: object, **kwargs: object) -> Awaitable[None]:
    return asyncio.sleep(0)


class Lives:
    """One bot at a time on one database; ``crash`` kills the running one mid-commit."""

    def __init__(self, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
        self.settings = settings
        self.running: RunningBot | None = None
        self.crashes = 0
        self.redelivered_queries: set[str] = set()
        self._armed = False
        self._crashed = asyncio.Event()
        commit = SqlUnitOfWork.commit

        async def commit_or_die(uow: SqlUnitOfWork) -> None:
            if self._armed:
                self._armed = False
                self._crashed.set()
                raise Crash
            await commit(uow)

        monkeypatch.setattr(SqlUnitOfWork, "commit", commit_or_die)

    def database(self) -> sqlite3.Connection:
        return sqlite3.connect(self.settings.database.url.removeprefix("sqlite+aiosqlite:///"))

    def count(self, table: str, where: str = "1 = 1") -> int:
        with self.database() as connection:
            return int(
                connection.execute(f"SELECT count(*) FROM {table} WHERE {where}").fetchone()[0]
            )

    async def start(self) -> None:
        self.running = await start_bot(self.settings)

    async def stop(self) -> None:
        if self.running is not None:
            running, self.running = self.running, None
            await running.stop()

    async def crash(
        self, act: Callable[[], Awaitable[Any]], undone: Callable[[], bool]
    ) -> dict[str, Any]:
        """Does ``act``; the turn it starts dies at its commit; checks that what it did is
        ``undone`` in the database; a new bot takes over. Returns the update that died."""
        self._armed = True
        await act()
        await asyncio.wait_for(self._crashed.wait(), 10)
        self._crashed.clear()
        # Let the dying update's task finish unwinding (it rolls the transaction back) first;
        # updates are handled concurrently, each in a task of its own.
        handling = [
            t for t in asyncio.all_tasks() if t.get_name().endswith(":process_concurrent_update")
        ]
        for task in handling:
            with contextlib.suppress(Crash):
                await task
        self.crashes += 1
        assert self.running is not None
        persistence = self.running.app.persistence
        assert persistence is not None
        for write in ("update_user_data", "update_conversation", "drop_user_data"):
            setattr(persistence, write, noop)
        await self.stop()
        with self.database() as connection:
            rows = connection.execute(
                "SELECT payload FROM inbox WHERE handled_at IS NULL ORDER BY update_id"
            ).fetchall()
        assert len(rows) == 1, "exactly the update that died is left unhandled"
        assert undone(), "the dead turn's writes were not rolled back"
        await self.start()
        return dict(json.loads(rows[0][0]))

    async def redeliver(self, payload: dict[str, Any]) -> None:
        """Telegram sends the same update again, keyed as the inbox keys Telegram's JSON."""
        assert self.running is not None
        if "callback_query" in payload:
            self.redelivered_queries.add(str(payload["callback_query"]["id"]))
        app = self.running.app
        update = Update.de_json(payload, app.bot)
        expect(update, update_key(update, payload))
        await app.process_update(update)


@pytest.fixture
async def lives(
    sandbox: Sandbox, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Lives]:
    bot = Lives(settings, monkeypatch)
    await bot.start()
    try:
        yield bot
    finally:
        await bot.stop()
    # A button delivered again is answered again, in case its first answer never went out;
    # Telegram refuses the second answer of one that did, and the bot shrugs that off.
    refused = [
        e
        for e in sandbox.api_errors
        if e.method == "answerCallbackQuery"
        and "query ID is invalid" in e.description
        and e.params["callback_query_id"] in bot.redelivered_queries
    ]
    assert [e for e in sandbox.api_errors if e not in refused] == []
    assert sandbox.unanswered_callback_queries() == []


def texts_with(user: SimUser, words: str) -> list[str]:
    return [m.text or "" for m in user.bot_messages if words in (m.text or "")]


async def test_each_action_happens_once_when_its_turn_dies_before_the_commit(
    sandbox: Sandbox, lives: Lives
) -> None:
    buyer, seller = sandbox.create_user("Bella"), sandbox.create_user("Sid")
    await sign_up(sandbox, buyer, role="Buyer", email="bella@example.org")

    # Confirming an email address (a deep link: /start <one-time token>).
    await seller.send("/start")
    await seller.wait_for_message("Do you accept these terms?")
    await seller.tap("Accept")
    await seller.wait_for_message("How will you use Leadline")
    await seller.tap("Seller")
    await seller.wait_for_message("individual or as an organization")
    await seller.tap("Individual")
    await seller.wait_for_message("email address?")
    await seller.send("sid@example.org")
    await seller.wait_for_message("I sent a confirmation link")
    email = await sandbox.wait_for_email("sid@example.org")
    [link] = [link for link in email.links if sandbox.is_deep_link(link)]
    died = await lives.crash(
        lambda: seller.open_link(link),
        lambda: lives.count("email_tokens", SID_CONFIRMED) == 0,
    )
    await seller.wait_for_message("is confirmed")
    await lives.redeliver(died)
    await seller.wait_for_message("What name should others see?")
    await seller.tap("Use “Sid”")
    await seller.wait_for_message("headline")
    await seller.tap("Skip")
    await seller.wait_for_message("skills")
    await seller.send("Django")
    await seller.wait_for_message("categories")
    await seller.tap("Done")
    await seller.wait_for_message("Where are you based?")
    await seller.tap("Skip")
    await seller.wait_for_message("You're all set")
    assert len(texts_with(seller, "is confirmed")) == 1
    assert lives.count("email_tokens", SID_CONFIRMED) == 1

    # Publishing a lead.
    await post_lead(buyer, "Crash lead", "django")
    await buyer.send("1000")
    await buyer.wait_for_message("Attach a brief")
    await buyer.tap("Skip")
    await buyer.wait_for_message("Preview")
    died = await lives.crash(
        lambda: buyer.tap("Publish", wait_answer=False),
        lambda: lives.count("leads", "status = 'draft'") == 1,
    )
    await buyer.wait_for_message("✅ Published")
    await lives.redeliver(died)
    alert = await seller.wait_for_message("New lead for your skills")
    assert lives.count("leads", "status = 'open'") == 1
    assert lives.count("lead_alerts") == 1

    # Sending an offer.
    await seller.tap("Connect", message_id=alert.message_id)
    await seller.wait_for_message("How much do you propose")
    await seller.send("450")
    await seller.wait_for_message("In how many days")
    await seller.send("7")
    await seller.wait_for_message("Add a note")
    await seller.tap("Skip")
    await seller.wait_for_message("Send this offer?")
    died = await lives.crash(
        lambda: seller.tap("Send offer", wait_answer=False), lambda: lives.count("offers") == 0
    )
    sent = await seller.wait_for_message("Your offer was sent")
    await lives.redeliver(died)
    bid = await buyer.wait_for_message("New bid")
    assert lives.count("offers") == 1 and lives.count("threads") == 1

    # Accepting it.
    died = await lives.crash(
        lambda: buyer.tap("Accept", message_id=bid.message_id, wait_answer=False),
        lambda: lives.count("contracts") == 0,
    )
    await seller.wait_for_message("accepted your offer")
    await lives.redeliver(died)
    assert lives.count("contracts") == 1
    assert lives.count("leads", "status = 'in_progress'") == 1

    # Relaying a message.
    await seller.tap("Message", message_id=sent.message_id)
    await seller.wait_for_message("You are writing to Bella")
    died = await lives.crash(
        lambda: seller.send("Starting tomorrow <b>&</b>"), lambda: lives.count("messages") == 0
    )
    await buyer.wait_for_message("Starting tomorrow <b>&</b>")
    await lives.redeliver(died)
    await seller.send("/done")  # handled after the re-delivery: nothing is left in flight
    await seller.wait_for_message("You left the conversation")
    await asyncio.sleep(0.5)

    assert lives.crashes == 5
    assert lives.count("messages") == 1
    assert len(texts_with(buyer, "Starting tomorrow")) == 1
    assert len(texts_with(buyer, "✅ Published")) == 1
    assert len(texts_with(buyer, "New bid")) == 1
    assert len(texts_with(seller, "New lead for your skills")) == 1
    assert len(texts_with(seller, "Your offer was sent")) == 1
    assert len(texts_with(seller, "accepted your offer")) == 1
    assert lives.count("inbox", "handled_at IS NULL") == 0
