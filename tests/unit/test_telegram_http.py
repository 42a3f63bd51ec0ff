"""The Bot API client over aiohttp (bot/telegram_http.py) against a real local HTTP server:
PTB's wire format, its timeouts and its errors."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from telegram import Bot
from telegram.error import NetworkError, TimedOut

from bot.telegram_http import AiohttpRequest

Seen = list[tuple[str, dict[str, object]]]
ME = {"id": 1, "is_bot": True, "first_name": "Bot", "username": "a_bot"}
SENT = {"message_id": 5, "date": 0, "chat": {"id": 7, "type": "private"}, "text": "ok"}


@pytest.fixture
async def server() -> AsyncIterator[tuple[str, Seen]]:
    seen: Seen = []

    async def method(request: web.Request) -> web.Response:
        if request.match_info["name"] == "slow":
            await asyncio.sleep(2)
        fields: dict[str, object] = {"User-Agent": request.headers["User-Agent"]}
        if request.content_type == "multipart/form-data":
            async for part in await request.multipart():
                body = await part.read()  # type: ignore[union-attr]
                fields[str(part.name)] = (part.filename, bytes(body))  # type: ignore[union-attr]
        else:
            fields.update(await request.post())
        seen.append((request.content_type, fields))
        result = ME if request.match_info["name"].endswith("getMe") else SENT
        return web.json_response({"ok": True, "result": result})

    app = web.Application()
    app.router.add_post("/bot{token}/{name}", method)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    yield f"http://127.0.0.1:{port}/bot", seen
    await runner.cleanup()


def bot(url: str) -> Bot:
    return Bot("1:T", base_url=url, request=AiohttpRequest(), get_updates_request=AiohttpRequest(1))


async def test_parameters_go_form_encoded_as_ptb_sends_them(server: tuple[str, Seen]) -> None:
    url, seen = server
    async with bot(url) as through_aiohttp:
        sent = await through_aiohttp.send_message(7, "a & <b>")
    assert sent.message_id == 5
    kind, fields = seen[-1]
    assert kind == "application/x-www-form-urlencoded"
    assert fields["chat_id"] == "7" and fields["text"] == "a & <b>"
    assert str(fields["User-Agent"]).startswith("python-telegram-bot")


async def test_a_file_goes_up_as_multipart_with_its_name(server: tuple[str, Seen]) -> None:
    url, seen = server
    async with bot(url) as through_aiohttp:
        await through_aiohttp.send_document(7, b"%PDF-1.4 brief", filename="brief.pdf")
    kind, fields = seen[-1]
    assert kind == "multipart/form-data"
    assert fields["chat_id"] == (None, b"7")
    attached = [value for value in fields.values() if isinstance(value, tuple) and value[0]]
    assert attached == [("brief.pdf", b"%PDF-1.4 brief")]


async def test_a_slow_answer_is_timed_out_and_a_closed_port_a_network_error(
    server: tuple[str, Seen],
) -> None:
    url, _ = server
    async with AiohttpRequest() as request:
        with pytest.raises(TimedOut):
            await request.do_request(f"{url}1:T/slow", "POST", None, read_timeout=0.2)
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            closed = probe.getsockname()[1]
        with pytest.raises(NetworkError):
            await request.do_request(f"http://127.0.0.1:{closed}/getMe", "POST", None)
