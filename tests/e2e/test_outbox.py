"""The outbox dispatcher: paced by Telegram's limits, retried, and unreachable chats marked."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import cast

import pytest
from sqlalchemy import select
from telegram import Bot

from bot.dispatcher import MAX_ATTEMPTS, OutboxDispatcher
from bot.mailer import Mailer
from bot.runner import RunningBot
from bot.settings import EmailSettings, Settings
from domain.model import OutboxKind, OutboxMessage, User
from sandbox import Sandbox
from storage.db import create_engine, session_factory
from storage.migrate import upgrade
from storage.models import OutboxRow, UserRow
from storage.outbox import OutboxStore
from storage.uow import SqlUnitOfWork

pytestmark = pytest.mark.on_both_engines  # listed in the README


def telegram_message(chat_id: int, text: str, key: str | None = None) -> OutboxMessage:
    return OutboxMessage(
        kind=OutboxKind.TELEGRAM,
        recipient=str(chat_id),
        payload={"method": "sendMessage", "text": text, "parse_mode": "HTML"},
        created_at=datetime.now(UTC),
        dedupe_key=key,
    )


async def enqueue(bot: RunningBot, *messages: OutboxMessage) -> None:
    services = bot.app.bot_data["services"]
    async with services.uow() as uow:
        for message in messages:
            await uow.outbox.add(message)
        await uow.commit()
    services.kick_outbox()


async def outbox_statuses(settings: Settings) -> dict[str, str]:
    engine = create_engine(settings.database.url)
    async with session_factory(engine)() as session:
        rows = await session.execute(select(OutboxRow.recipient, OutboxRow.status))
        result = {recipient: status for recipient, status in rows.tuples()}
    await engine.dispose()
    return result


async def wait_until(check: Callable[[], Awaitable[bool]]) -> None:
    async with asyncio.timeout(20):
        while not await check():
            await asyncio.sleep(0.1)


async def test_blocked_and_never_started_users_are_marked_not_retried(
    sandbox: Sandbox, bot: RunningBot, settings: Settings
) -> None:
    ivy, joe, kim = (sandbox.create_user(name) for name in ("Ivy", "Joe", "Kim"))
    for user in (ivy, kim):
        await user.send("/menu")  # the bot now knows them
        await user.wait_for_message("send /start to sign up")
    ivy.block_bot()
    await enqueue(
        bot,
        telegram_message(ivy.id, "to a blocked user"),
        telegram_message(joe.id, "to a stranger"),
        telegram_message(kim.id, "<b>to a friend</b> &amp; more"),
    )
    await kim.wait_for_message("to a friend & more")

    async def settled() -> bool:
        statuses = await outbox_statuses(settings)
        return statuses == {
            str(ivy.id): "unreachable",
            str(joe.id): "unreachable",
            str(kim.id): "sent",
        }

    await wait_until(settled)
    engine = create_engine(settings.database.url)
    async with session_factory(engine)() as session:
        result = await session.execute(select(UserRow.telegram_id, UserRow.reachable))
        reachable = {telegram_id: flag for telegram_id, flag in result.tuples()}
    await engine.dispose()
    assert reachable[ivy.id] is False and reachable[kim.id] is True
    sandbox.clear_api_errors()  # the two 403 answers were the point of the test


async def test_flood_limits_delay_but_never_lose_or_repeat(
    sandbox: Sandbox, bot: RunningBot, settings: Settings
) -> None:
    users = [sandbox.create_user(f"User{i}") for i in range(40)]
    for user in users:
        await user.send("/help")
    for user in users:
        await user.wait_for_message("/profile")
    sandbox.set_flood_limits(True, per_chat_rate=1.0, per_chat_burst=2.0, global_rate=30.0)
    first = users[0]
    burst = [telegram_message(first.id, f"in order {i}", key=f"t:{i}") for i in range(6)]
    fan_out = [telegram_message(u.id, "alert", key=f"alert:{u.id}") for u in users[1:]]
    await enqueue(bot, *burst, *fan_out)
    await enqueue(bot, *fan_out)  # enqueued twice: dedupe keys keep it once

    received = [await first.wait_for_message(f"in order {i}", timeout=30) for i in range(6)]
    assert [m.text for m in received] == [f"in order {i}" for i in range(6)]
    for user in users[1:]:
        await user.wait_for_message("alert", timeout=30)
    await asyncio.sleep(1.5)
    assert all(sandbox.sent_count(u.id) == 2 for u in users[1:])  # /help answer + one alert
    assert sandbox.sent_count(first.id) == 1 + 6
    sandbox.clear_api_errors()  # 429 answers are expected; losing or repeating is not


async def test_email_is_retried_until_the_smtp_server_answers(
    sandbox: Sandbox, settings: Settings
) -> None:
    await asyncio.to_thread(upgrade, settings.database.url)
    engine = create_engine(settings.database.url)
    sessions = session_factory(engine)
    with socket.socket() as probe:  # a port where nothing listens
        probe.bind(("127.0.0.1", 0))
        dead_port = probe.getsockname()[1]
    now = datetime.now(UTC)
    clock = [now]
    store = OutboxStore(sessions)
    async with SqlUnitOfWork(sessions) as uow:
        await uow.outbox.add(
            OutboxMessage(
                kind=OutboxKind.EMAIL,
                recipient="late@example.org",
                payload={"subject": "Hello", "text": "body", "html": "<p>body</p>"},
                created_at=now,
            )
        )
        await uow.commit()
    no_bot = cast(Bot, None)  # only email here
    dead_server = EmailSettings(smtp_host="127.0.0.1", smtp_port=dead_port)
    down = OutboxDispatcher(store, no_bot, Mailer(dead_server), lambda: clock[0])
    assert await down.deliver_due() == 1
    assert await store.counts() == {"pending": 1}
    assert await down.deliver_due() == 0  # backing off, not hammering the server

    sink = EmailSettings(smtp_host=sandbox.smtp_host, smtp_port=sandbox.smtp_port)
    up = OutboxDispatcher(store, no_bot, Mailer(sink), lambda: clock[0])
    clock[0] = now + timedelta(seconds=3)
    assert await up.deliver_due() == 1
    email = await sandbox.wait_for_email("late@example.org")
    assert email.subject == "Hello" and "body" in email.text
    assert await store.counts() == {"sent": 1}
    await engine.dispose()


async def test_an_email_that_never_goes_out_is_reported_to_its_user(
    sandbox: Sandbox, settings: Settings
) -> None:
    await asyncio.to_thread(upgrade, settings.database.url)
    engine = create_engine(settings.database.url)
    sessions = session_factory(engine)
    now = datetime.now(UTC)
    async with SqlUnitOfWork(sessions) as uow:
        user = await uow.users.add(User(telegram_id=777, first_name="Ann", created_at=now))
        await uow.outbox.add(
            OutboxMessage(
                kind=OutboxKind.EMAIL,
                recipient="lost@example.org",
                payload={"subject": "Hi", "text": "body", "html": ""},
                created_at=now,
                user_id=user.id,
            )
        )
        await uow.commit()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        dead_port = probe.getsockname()[1]
    clock = [now]
    store = OutboxStore(sessions)
    dispatcher = OutboxDispatcher(
        store,
        cast(Bot, None),
        Mailer(EmailSettings(smtp_host="127.0.0.1", smtp_port=dead_port)),
        lambda: clock[0],
    )
    for _ in range(MAX_ATTEMPTS):
        assert await dispatcher.deliver_due() == 1
        clock[0] += timedelta(minutes=11)
    [notice] = await store.claim(clock[0])
    assert notice.kind is OutboxKind.TELEGRAM and notice.recipient == "777"
    assert "could not deliver the email to <b>lost@example.org</b>" in str(notice.payload["text"])
    assert (await store.counts())["failed"] == 1
    await engine.dispose()


class HeldMailer(Mailer):
    """A mail server that takes a message only when the test lets it."""

    def __init__(self) -> None:
        super().__init__(EmailSettings(smtp_host="127.0.0.1", smtp_port=1))
        self.sending, self.release = asyncio.Event(), asyncio.Event()
        self.sent: list[str] = []

    async def send(self, to: str, subject: str, text: str, html: str = "") -> None:
        self.sending.set()
        await self.release.wait()
        self.sent.append(to)


async def test_a_clean_stop_lets_the_message_being_sent_be_marked_sent(
    settings: Settings,
) -> None:
    """Stopped between the send and its mark, the message would go again after the restart
    (the next start takes back what was being sent): a clean stop finishes it first."""
    await asyncio.to_thread(upgrade, settings.database.url)
    engine = create_engine(settings.database.url)
    sessions = session_factory(engine)
    async with SqlUnitOfWork(sessions) as uow:
        await uow.outbox.add(
            OutboxMessage(
                kind=OutboxKind.EMAIL,
                recipient="once@example.org",
                payload={"subject": "Hi", "text": "body", "html": ""},
                created_at=datetime.now(UTC),
            )
        )
        await uow.commit()
    mailer = HeldMailer()
    store = OutboxStore(sessions)
    dispatcher = OutboxDispatcher(store, cast(Bot, None), mailer, lambda: datetime.now(UTC))
    await dispatcher.start()
    await asyncio.wait_for(mailer.sending.wait(), 10)
    stopping = asyncio.create_task(dispatcher.stop())
    await asyncio.sleep(0.2)
    mailer.release.set()  # the server takes it while the process is stopping
    await asyncio.wait_for(stopping, 15)
    assert mailer.sent == ["once@example.org"]
    assert await store.counts() == {"sent": 1}
    await dispatcher.start()  # the next run has nothing to take back or send again
    await asyncio.sleep(0.3)
    await dispatcher.stop()
    assert mailer.sent == ["once@example.org"]
    await engine.dispose()
