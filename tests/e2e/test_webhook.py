"""Webhook mode end to end: the sandbox POSTs each update to the bot as Telegram does, the
bot stores it in the inbox before it answers 200, and handles it once, even when Telegram
sends it again or the process dies in between. A request without the secret is refused."""

from __future__ import annotations

import asyncio
import json
import signal
import socket
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from pydantic import SecretStr

from bot.runner import RunningBot, start_bot
from bot.settings import Settings
from sandbox import Sandbox, SimUser
from tests.e2e.journeys import sign_up
from tests.e2e.test_durability import buyer_and_seller, query
from tests.e2e.test_flows_and_forgery import bid, publish
from tests.e2e.test_restart import launch, write_config

SECRET = "e2e-webhook_SECRET-42"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
STARTUP = 60.0
HELP = "/help — this help"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def webhook_settings(settings: Settings) -> Settings:
    port = free_port()
    telegram = settings.telegram.model_copy(
        update={
            "mode": "webhook",
            "webhook_url": f"http://127.0.0.1:{port}/telegram",
            "webhook_listen": "127.0.0.1",
            "webhook_port": port,
            "webhook_secret": SecretStr(SECRET),
        }
    )
    return settings.model_copy(update={"telegram": telegram})


@pytest.fixture
async def webhook_bot(sandbox: Sandbox, webhook_settings: Settings) -> AsyncIterator[RunningBot]:
    running = await start_bot(webhook_settings)
    try:
        yield running
    finally:
        await running.stop()
    assert sandbox.api_errors == []
    assert sandbox.unanswered_callback_queries() == []


async def until_delivered(sandbox: Sandbox) -> None:
    """Until Telegram has no update left to send (each was answered 2xx)."""
    found = await sandbox.world.wait_for(lambda: True if not sandbox.pending_updates else None, 15)
    assert found, f"updates never delivered: {sandbox.webhook_info()}"


def raw_command(user: SimUser, update_id: int, command: str) -> dict[str, Any]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": 10_000 + update_id % 1000,
            "date": int(time.time()),
            "chat": {"id": user.id, "type": "private", "first_name": user.first_name},
            "from": {"id": user.id, "is_bot": False, "first_name": user.first_name},
            "text": command,
            "entities": [{"type": "bot_command", "offset": 0, "length": len(command)}],
        },
    }


async def post(settings: Settings, body: bytes, headers: dict[str, str]) -> int:
    async with (
        aiohttp.ClientSession() as session,
        session.post(settings.telegram.webhook_url, data=body, headers=headers) as response,
    ):
        return response.status


def count(user: SimUser, words: str) -> int:
    return len([m for m in user.bot_messages if words in (m.text or "")])


async def test_a_whole_deal_by_webhook(
    sandbox: Sandbox, webhook_bot: RunningBot, webhook_settings: Settings
) -> None:
    """Signup with the emailed link, a lead published, a bid, accepted: all by webhook."""
    assert await sandbox.wait_for_webhook() == webhook_settings.telegram.webhook_url
    buyer, seller = sandbox.create_user("Bella"), sandbox.create_user("Sid")
    await sign_up(sandbox, buyer, role="Buyer", email="bella@example.org")
    await sign_up(sandbox, seller, role="Seller", email="sid@example.org", skills="Django")
    await publish(buyer, "Webhook lead")
    await bid(seller, "Webhook lead")
    card = await buyer.wait_for_message("New bid on Webhook lead")
    await buyer.tap("Accept", message_id=card.message_id)
    await buyer.wait_for_message("Hired!")
    accepted = await seller.wait_for_message("accepted your offer")
    assert "450 USD" in accepted.text

    await until_delivered(sandbox)
    deliveries = sandbox.webhook_deliveries
    assert len(deliveries) > 30 and all(d.ok for d in deliveries)
    assert sandbox.webhook_info()["pending_update_count"] == 0
    # Every update passed the inbox (stored with its content) and was handled.
    rows = query(webhook_settings, "SELECT count(*), count(payload), count(handled_at) FROM inbox")
    assert rows == [(len(deliveries),) * 3]
    assert query(webhook_settings, "SELECT count(*) FROM contracts") == [(1,)]


async def test_a_request_without_the_right_secret_is_refused_and_changes_nothing(
    sandbox: Sandbox, webhook_bot: RunningBot, webhook_settings: Settings
) -> None:
    await sandbox.wait_for_webhook()
    ned = sandbox.create_user("Ned")
    await ned.send("/help")
    await ned.wait_for_message("/profile")
    await until_delivered(sandbox)
    before = (
        query(webhook_settings, "SELECT * FROM inbox"),
        query(webhook_settings, "SELECT * FROM users"),
    )

    forged = json.dumps(raw_command(ned, 900_001, "/start")).encode()
    json_type = {"Content-Type": "application/json"}
    for headers in ({}, {SECRET_HEADER: "wrong"}, {SECRET_HEADER: SECRET + "x"}):
        assert await post(webhook_settings, forged, {**json_type, **headers}) == 403
    right = {**json_type, SECRET_HEADER: SECRET}
    assert await post(webhook_settings, b"{not json", right) == 400
    assert await post(webhook_settings, b'{"no_update_id": 1}', right) == 400

    after = (
        query(webhook_settings, "SELECT * FROM inbox"),
        query(webhook_settings, "SELECT * FROM users"),
    )
    assert after == before
    await ned.send("/help")
    await ned.wait_for_message("/profile")
    assert count(ned, "Do you accept these terms?") == 0


async def test_an_update_sent_again_is_handled_once(
    sandbox: Sandbox, webhook_bot: RunningBot, webhook_settings: Settings
) -> None:
    await sandbox.wait_for_webhook()
    ned = sandbox.create_user("Ned")
    # The bot stores /start and answers 200, but Telegram never hears it: it sends again.
    sandbox.lose_webhook_answers(1)
    await ned.send("/start")
    await ned.wait_for_message("Do you accept these terms?")
    await until_delivered(sandbox)
    [first, second] = sandbox.webhook_deliveries
    assert first.update_id == second.update_id
    assert (first.error, second.error) == ("Connection reset by peer", None)

    # The same update POSTed twice more (as a retrying Telegram would), and a new one.
    repeated = json.dumps(raw_command(ned, 900_002, "/help")).encode()
    headers = {"Content-Type": "application/json", SECRET_HEADER: SECRET}
    for _ in range(2):
        assert await post(webhook_settings, repeated, headers) == 200
    await ned.wait_for_message("/profile")
    await ned.send("/menu")
    await ned.wait_for_message("send /start to sign up")
    await asyncio.sleep(0.5)  # room for a repeat to show
    assert count(ned, "Do you accept these terms?") == 1
    assert count(ned, HELP) == 1
    assert query(webhook_settings, "SELECT count(*) FROM inbox WHERE update_id = 900002") == [(1,)]


def webhook_config(path: Path, sandbox: Sandbox, settings: Settings) -> Path:
    config = write_config(path, sandbox, settings.database.url)
    port = free_port()
    text = config.read_text(encoding="utf-8").replace(
        "[database]\n",
        'mode = "webhook"\n'
        f'webhook_url = "http://127.0.0.1:{port}/telegram"\n'
        'webhook_listen = "127.0.0.1"\n'
        f"webhook_port = {port}\n"
        f'webhook_secret = "{SECRET}"\n'
        "[database]\n",
    )
    config.write_text(text, encoding="utf-8")
    return config


async def test_a_tap_stored_but_not_handled_before_a_kill_is_handled_once_after_restart(
    sandbox: Sandbox, settings: Settings, tmp_path: Path
) -> None:
    buyer, seller = await buyer_and_seller(sandbox, settings)  # polling, in-process
    config = webhook_config(tmp_path / "config.toml", sandbox, settings)
    process = await launch(config)
    try:
        await sandbox.wait_for_webhook(STARTUP)
        tap = await buyer.tap("Publish", wait_answer=False)
        await until_delivered(sandbox)  # answered 200: stored, and Telegram forgets it
        process.send_signal(signal.SIGKILL)
        await process.wait()
        [(handled,)] = query(
            settings, "SELECT handled_at FROM inbox ORDER BY update_id DESC LIMIT 1"
        )
        assert handled is None
        assert query(settings, "SELECT status FROM leads") == [("draft",)]
        # While it is down, Telegram keeps what arrives and retries.
        await seller.send("/help")

        process = await launch(config)
        await buyer.wait_for_message(
            "✅ Published. 1 matching seller will hear of it.", timeout=STARTUP
        )
        await seller.wait_for_message("New lead for your skills")
        # The /help sent while it was down is answered too (in whatever order).
        assert await sandbox.world.wait_for(lambda: count(seller, HELP) or None, 15)
        await asyncio.sleep(1.0)  # room for a repeat to show
    finally:
        if process.returncode is None:
            process.terminate()
            _, stderr = await process.communicate()
            log = stderr.decode()
            assert "Traceback" not in log, log
            assert SECRET not in log
    [tapped] = [q for q in sandbox.callback_queries if q.id == tap.callback_query_id]
    assert tapped.answered
    assert count(buyer, "✅ Published") == 1
    assert count(seller, "New lead") == 1
    assert query(settings, "SELECT title, status FROM leads") == [("Kill-test lead", "open")]
    assert any(d.error == "Connection refused" for d in sandbox.webhook_deliveries)
    assert sandbox.api_errors == []
    assert sandbox.unanswered_callback_queries() == []


async def test_webhook_mode_without_a_secret_is_refused_at_start(
    sandbox: Sandbox, settings: Settings, tmp_path: Path
) -> None:
    config = webhook_config(tmp_path / "config.toml", sandbox, settings)
    text = config.read_text(encoding="utf-8").replace(f'webhook_secret = "{SECRET}"\n', "")
    config.write_text(text, encoding="utf-8")
    process = await launch(config)
    _, stderr = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 2
    assert stderr.decode().strip() == (
        "leadline: telegram.webhook_secret is required in webhook mode: "
        "without it anyone who finds the address can forge updates."
    )
    assert sandbox.webhook_info()["url"] == ""


async def test_polling_after_webhook_mode_takes_the_webhook_down(
    sandbox: Sandbox, webhook_settings: Settings, settings: Settings
) -> None:
    running = await start_bot(webhook_settings)
    await sandbox.wait_for_webhook()
    await running.stop()  # the webhook stays set, as after a crash
    ned = sandbox.create_user("Ned")
    await ned.send("/help")  # kept by Telegram for whoever takes it
    running = await start_bot(settings)
    try:
        await ned.wait_for_message(HELP)
    finally:
        await running.stop()
    assert sandbox.webhook_info()["url"] == ""
    [conflict] = sandbox.api_errors  # the first getUpdates, before deleteWebhook
    assert (conflict.method, conflict.error_code) == ("getUpdates", 409)
    assert count(ned, HELP) == 1
