"""Webhook delivery as Telegram does it: POSTed in order per chat with the secret header,
retried unchanged until a 2xx, and getUpdates refused while a webhook is set."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiohttp import web
from telegram import Bot
from telegram.error import BadRequest, Conflict

from sandbox import Sandbox


@dataclass
class Receiver:
    """A stand-in webhook endpoint that records what it got and answers ``statuses``."""

    port: int
    # Answers to give to a message with this text before 200, in order.
    failures: dict[str, list[int]] = field(default_factory=dict)
    received: list[tuple[dict[str, Any], str | None]] = field(default_factory=list)
    arrived: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    async def handle(self, request: web.Request) -> web.Response:
        update = json.loads(await request.read())
        self.received.append((update, request.headers.get("X-Telegram-Bot-Api-Secret-Token")))
        self.arrived.set()
        planned = self.failures.get(update.get("message", {}).get("text"), [])
        return web.Response(status=planned.pop(0) if planned else 200)

    async def until(self, count: int) -> None:
        async with asyncio.timeout(10):
            while len(self.received) < count:
                self.arrived.clear()
                await self.arrived.wait()

    def texts(self) -> list[str]:
        return [u["message"]["text"] for u, _ in self.received if "message" in u]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def serve(receiver: Receiver) -> web.AppRunner:
    app = web.Application()
    app.router.add_post("/hook", receiver.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", receiver.port).start()
    return runner


async def until_delivered(sb: Sandbox) -> None:
    async with asyncio.timeout(10):
        while sb.pending_updates:
            await asyncio.sleep(0.01)


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    hook = Receiver(free_port())
    runner = await serve(hook)
    try:
        yield hook
    finally:
        await runner.cleanup()


async def test_updates_are_posted_in_order_with_the_secret(
    sb: Sandbox, bot: Bot, receiver: Receiver
) -> None:
    alice, bob = sb.create_user("Alice"), sb.create_user("Bob")
    await alice.send("queued before the webhook")
    assert await bot.set_webhook(
        receiver.url, secret_token="s3cret_-X", allowed_updates=["message"]
    )
    assert await sb.wait_for_webhook() == receiver.url
    for n in range(5):
        await alice.send(f"alice {n}")
        await bob.send(f"bob {n}")
    await receiver.until(11)
    await until_delivered(sb)
    texts = receiver.texts()
    assert texts[0] == "queued before the webhook"
    assert [t for t in texts if t.startswith("alice")] == [f"alice {n}" for n in range(5)]
    assert [t for t in texts if t.startswith("bob")] == [f"bob {n}" for n in range(5)]
    assert {secret for _, secret in receiver.received} == {"s3cret_-X"}
    ids = [u["update_id"] for u, _ in receiver.received]
    assert len(set(ids)) == 11
    info = await bot.get_webhook_info()
    assert info.url == receiver.url and info.pending_update_count == 0
    assert info.allowed_updates == ("message",) and info.last_error_message is None
    with pytest.raises(Conflict, match="can't use getUpdates method while webhook is active"):
        await bot.get_updates()


async def test_a_failed_delivery_is_retried_unchanged_and_holds_back_its_chat_only(
    sb: Sandbox, bot: Bot, receiver: Receiver
) -> None:
    sb.set_webhook_retry(first=0.05, longest=0.2)
    alice, bob = sb.create_user("Alice"), sb.create_user("Bob")
    await bot.set_webhook(receiver.url)
    receiver.failures = {"first": [500, 403]}
    await alice.send("first")
    await receiver.until(1)
    await alice.send("second")
    await bob.send("independent")
    await receiver.until(5)
    await until_delivered(sb)
    texts = receiver.texts()
    # "first" failed twice and went again each time; "second" waited for it.
    assert texts.count("first") == 3
    assert texts.index("second") > max(i for i, t in enumerate(texts) if t == "first")
    firsts = [u for u, _ in receiver.received if u["message"]["text"] == "first"]
    assert firsts[0] == firsts[1] == firsts[2]  # same update_id, same content
    assert receiver.received[0][1] is None  # no secret given, no header sent
    info = await bot.get_webhook_info()
    assert info.pending_update_count == 0
    assert info.last_error_message == "Wrong response from the webhook: 403 Forbidden"
    assert info.last_error_date is not None
    first_id = firsts[0]["update_id"]
    tries = [d.status for d in sb.webhook_deliveries if d.update_id == first_id]
    assert tries == [500, 403, 200]


async def test_an_unreachable_webhook_keeps_updates_until_it_answers(sb: Sandbox, bot: Bot) -> None:
    sb.set_webhook_retry(first=0.05, longest=0.2)
    hook = Receiver(free_port())
    await bot.set_webhook(hook.url)
    alice = sb.create_user("Alice")
    await alice.send("while down")
    async with asyncio.timeout(10):
        while not sb.webhook_deliveries:
            await asyncio.sleep(0.01)
    info = await bot.get_webhook_info()
    assert info.pending_update_count == 1 and info.last_error_message == "Connection refused"
    runner = await serve(hook)
    try:
        await hook.until(1)
        assert hook.texts() == ["while down"]
    finally:
        await runner.cleanup()


async def test_a_lost_answer_means_the_update_comes_again(
    sb: Sandbox, bot: Bot, receiver: Receiver
) -> None:
    sb.set_webhook_retry(first=0.05, longest=0.2)
    await bot.set_webhook(receiver.url, secret_token="abc")
    sb.lose_webhook_answers(1)
    alice = sb.create_user("Alice")
    await alice.send("once")
    await receiver.until(2)
    await until_delivered(sb)
    assert receiver.received[0] == receiver.received[1]
    assert [d.error for d in sb.webhook_deliveries] == ["Connection reset by peer", None]


async def test_delete_webhook_returns_to_get_updates_and_drop_pending_drops(
    sb: Sandbox, bot: Bot
) -> None:
    alice = sb.create_user("Alice")
    # Nothing listens on this port: the update stays pending while the webhook is set.
    await bot.set_webhook(f"http://127.0.0.1:{free_port()}/hook")
    await alice.send("kept")
    await bot.delete_webhook()
    assert (await bot.get_webhook_info()).url == ""
    updates = await bot.get_updates()
    assert [u.message.text for u in updates if u.message] == ["kept"]
    await bot.set_webhook("https://example.org/hook", drop_pending_updates=True)
    assert (await bot.get_webhook_info()).pending_update_count == 0
    with pytest.raises(BadRequest, match=r"(?i)secret token contains unallowed characters"):
        await bot.set_webhook("https://example.org/hook", secret_token="no:colons")
    with pytest.raises(BadRequest, match=r"(?i)an https url must be provided"):
        await bot.set_webhook("http://example.org/hook")


async def test_a_waiting_get_updates_ends_when_a_webhook_is_set(sb: Sandbox, bot: Bot) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=10))
    await sb.wait_for_poller()
    async with Bot(sb.bot_token, base_url=sb.base_url) as other:
        await other.set_webhook("https://example.org/hook")
    with pytest.raises(Conflict, match="while webhook is active"):
        await poll
