"""Webhook mode through the inbox: an update is stored before Telegram is answered 200.

Telegram sends an update again until its request is answered with a 2xx. PTB's own
webhook server answers 200 as soon as the update is queued, so a crash after the answer
loses it; this one answers only once the update is in the inbox, and at start hands the
handlers whatever was stored but never handled before it tells Telegram where to send.
A request without the webhook's secret token is refused with 403 and stores nothing.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any, cast
from urllib.parse import urlsplit

from aiohttp import web
from telegram import Bot, Update

from bot.poller import queue_unhandled
from handlers.core.turn import expect, update_key
from storage.inbox import InboxStore, Received

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# Telegram's updates are small; anything near this is not one.
MAX_BODY_BYTES = 1024 * 1024


def listening_path(webhook_url: str) -> str:
    """The bot listens at the path of its public address (``/`` when it has none)."""
    return urlsplit(webhook_url).path or "/"


class WebhookReceiver:
    def __init__(
        self,
        bot: Bot,
        inbox: InboxStore,
        queue: asyncio.Queue[object],
        clock: Callable[[], datetime],
        *,
        url: str,
        secret: str,
        listen: str,
        port: int,
    ) -> None:
        if not secret:
            raise ValueError("a webhook without a secret token can be forged")
        self._bot, self._inbox, self._queue, self._clock = bot, inbox, queue, clock
        self._url, self._secret = url, secret
        self._listen, self._port = listen, port
        self._runner: web.AppRunner | None = None

    async def start(self) -> int:
        """Queues the updates left unhandled by the last run, starts listening, then sets
        the webhook; returns how many were left."""
        left = await queue_unhandled(self._inbox, self._bot, self._queue)
        app = web.Application(client_max_size=MAX_BODY_BYTES)
        app.router.add_post(listening_path(self._url), self._receive)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, self._listen, self._port).start()
        await self._bot.set_webhook(
            url=self._url,
            secret_token=self._secret,
            allowed_updates=Update.ALL_TYPES,
        )
        log.info("Receiving updates by webhook on %s:%d", self._listen, self._port)
        return left

    async def stop(self) -> None:
        """Stops listening. The webhook stays set: Telegram keeps what arrives meanwhile and
        sends it once the bot answers again."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _receive(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self._secret.encode()):
            log.warning("Refused a webhook request without the right secret token")
            return web.Response(status=403)
        try:
            data = json.loads(await request.read())
            update = Update.de_json(data, self._bot) if isinstance(data, dict) else None
        except (ValueError, TypeError, KeyError):
            update = None
        if update is None:
            return web.Response(status=400)
        # Telegram's JSON is what the inbox stores and digests, as the poller's.
        payload = cast(dict[str, Any], data)
        key = update_key(update, payload)
        # An error here answers 500, and Telegram sends the update again later.
        fresh = await self._inbox.receive([Received(key, update.update_id, payload)], self._clock())
        if key in fresh:
            expect(update, key)
            await self._queue.put(update)
        return web.Response()
