"""Flood limits (429 + retry_after, PTB's AIORateLimiter) and the SMTP sink."""

from __future__ import annotations

import asyncio
import smtplib
import time
from email.message import EmailMessage

import aiohttp
import pytest
from sandbox_testkit import builder
from telegram import Bot
from telegram.error import NetworkError, RetryAfter
from telegram.ext import AIORateLimiter

from sandbox import Sandbox


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_flood_limits_answer_429_with_retry_after(sb: Sandbox, bot: Bot) -> None:
    alice = sb.create_user("Alice")
    await alice.send("/start")
    sb.set_flood_limits(True)
    for i in range(3):  # the burst allowance
        await bot.send_message(alice.id, f"burst {i}")
    with pytest.raises(RetryAfter):
        await bot.send_message(alice.id, "one too many")
    error = sb.api_errors[-1]
    assert (error.error_code, error.description) == (429, "Too Many Requests: retry after 1")
    async with aiohttp.ClientSession() as http:
        url = f"{sb.base_url}{sb.bot_token}/sendMessage"
        async with http.post(url, json={"chat_id": alice.id, "text": "x"}) as response:
            body = await response.json()
    assert response.status == 429 and body["parameters"] == {"retry_after": 1}
    sb.set_flood_limits(False)
    await bot.send_message(alice.id, "unlimited again")


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_aio_rate_limiter_copes_with_429(sb: Sandbox) -> None:
    alice = sb.create_user("Alice")
    await alice.send("/start")
    sb.set_flood_limits(True, per_chat_rate=2.0, per_chat_burst=2.0)
    app = builder(sb).rate_limiter(AIORateLimiter(max_retries=5)).build()
    async with app:
        started = time.monotonic()
        await asyncio.gather(*(app.bot.send_message(alice.id, f"n{i}") for i in range(5)))
        elapsed = time.monotonic() - started
    assert sb.sent_count(alice.id) == 5
    assert sorted(m.text or "" for m in alice.bot_messages) == [f"n{i}" for i in range(5)]
    assert any(e.error_code == 429 for e in sb.api_errors)
    assert elapsed < 20


def _send_mail(host: str, port: int) -> None:
    message = EmailMessage()
    message["From"] = "Leadline <no-reply@example.org>"
    message["To"] = "alice@example.org"
    message["Subject"] = "Confirm your email"
    link = "https://t.me/leadline_bot?start=confirm_abc123"
    message.set_content(f"Hi!\nOpen {link} to confirm.\n")
    message.add_alternative(f'<p>Hi! <a href="{link}">Confirm</a> &amp; enjoy</p>', subtype="html")
    with smtplib.SMTP(host, port, timeout=10) as client:
        client.send_message(message)


async def test_smtp_sink_catches_mail_and_links_act_as_deep_links(sb: Sandbox, bot: Bot) -> None:
    alice = sb.create_user("Alice")
    await alice.send("my email is Alice@Example.org")
    # smtplib blocks, and the sink runs on this very event loop.
    await asyncio.to_thread(_send_mail, sb.smtp_host, sb.smtp_port)
    mail = await sb.wait_for_email(to="alice@example.org")
    assert mail.subject == "Confirm your email"
    assert mail.sender == "no-reply@example.org"
    assert "Open https://t.me/leadline_bot?start=confirm_abc123 to confirm." in mail.text
    assert mail.html is not None and "&amp; enjoy" in mail.html
    assert mail.links == ["https://t.me/leadline_bot?start=confirm_abc123"]
    assert alice.emails == [mail] and sb.emails == [mail]
    await alice.open_link(mail.links[0])
    updates = await bot.get_updates()
    assert updates[-1].message and updates[-1].message.text == "/start confirm_abc123"


async def test_an_outage_answers_5xx_for_a_while_and_changes_nothing(sb: Sandbox, bot: Bot) -> None:
    alice = sb.create_user("Alice")
    await alice.send("/start")
    sb.fail_requests(502, seconds=0.5)
    assert sb.outage_active
    with pytest.raises(NetworkError, match="Bad Gateway"):
        await bot.send_message(alice.id, "lost in the outage")
    async with aiohttp.ClientSession() as http:
        url = f"{sb.base_url}{sb.bot_token}/answerCallbackQuery"
        async with http.post(url, json={"callback_query_id": "1"}) as response:
            body = await response.json()
    assert response.status == 502
    assert body == {"ok": False, "error_code": 502, "description": "Bad Gateway"}
    updates = await bot.get_updates()  # polling still works unless asked otherwise
    assert updates and updates[-1].message is not None
    assert [(f.method, f.status) for f in sb.failed_requests] == [
        ("sendMessage", 502),
        ("answerCallbackQuery", 502),
    ]
    await asyncio.sleep(0.6)
    assert not sb.outage_active
    await bot.send_message(alice.id, "after the outage")
    assert [m.text for m in alice.bot_messages] == ["after the outage"]
    assert sb.api_errors == []  # an outage is not a mistake of the bot


async def test_an_outage_can_pick_methods_take_polling_down_and_end_early(
    sb: Sandbox, bot: Bot
) -> None:
    alice = sb.create_user("Alice")
    await alice.send("/start")
    sb.fail_requests(503, seconds=None, methods=["answerCallbackQuery"])
    await bot.send_message(alice.id, "sending works")
    with pytest.raises(NetworkError, match="Service Unavailable"):
        await bot.answer_callback_query("1")
    sb.fail_requests(500, seconds=None, get_updates=True)
    with pytest.raises(NetworkError, match="Internal Server Error"):
        await bot.get_updates()
    sb.end_outage()
    await bot.get_updates()
    with pytest.raises(ValueError):
        sb.fail_requests(429)
    assert [f.status for f in sb.failed_requests] == [503, 500]
