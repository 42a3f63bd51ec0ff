"""Webhook delivery: updates POSTed to the bot's URL the way Telegram does it.

While a webhook is set, each pending update is POSTed as JSON to its URL with the
``X-Telegram-Bot-Api-Secret-Token`` header (when a secret was given). The updates of one
chat go one at a time and in order; different chats go side by side, up to
``max_connections``. A 2xx answer confirms an update; any other status, a connection error
or a timeout leaves it pending, and it is sent again, unchanged (same ``update_id``, same
content), after a backoff that doubles per failure of that chat.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass
from typing import Any

import aiohttp

from sandbox.updates import UpdateQueue

JSON = dict[str, Any]
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


@dataclass(frozen=True)
class Delivery:
    """One POST of an update to the webhook, and how it ended."""

    update_id: int
    url: str
    status: int | None  # None: no HTTP answer (connection refused, timeout, dropped)
    error: str | None  # Telegram's wording for getWebhookInfo.last_error_message
    at: float

    @property
    def ok(self) -> bool:
        return self.error is None


def lane(update: JSON) -> object:
    """The chat an update belongs to (its sender for updates without a chat)."""
    for key, value in update.items():
        if key == "update_id" or not isinstance(value, dict):
            continue
        for holder in (value, value.get("message")):
            if isinstance(holder, dict) and isinstance(holder.get("chat"), dict):
                return holder["chat"].get("id")
        sender = value.get("from") or value.get("user")
        if isinstance(sender, dict):
            return sender.get("id")
    return None


class WebhookSender:
    """Delivers the update queue to the webhook while one is set."""

    def __init__(self, queue: UpdateQueue) -> None:
        self.queue = queue
        self.retry_initial = 0.1  # seconds before the first retry; doubles per failure
        self.retry_max = 2.0
        self.request_timeout = 10.0
        self.deliveries: list[Delivery] = []
        self.last_error_date: int | None = None
        self.last_error_message: str | None = None
        self.lost_answers = 0
        self._in_flight: set[int] = set()
        self._failures: dict[object, int] = {}
        self._retry_at: dict[object, float] = {}
        self._task: asyncio.Task[None] | None = None
        self._session: aiohttp.ClientSession | None = None

    @property
    def hook(self) -> JSON | None:
        return self.queue.webhook

    def set(self, url: str, secret: str | None, max_connections: int) -> None:
        hook = {"url": url, "secret_token": secret, "max_connections": max_connections}
        self._failures.clear()
        self._retry_at.clear()  # a new address is tried at once
        self.queue.set_webhook(hook)
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name="sandbox-webhook")

    def delete(self) -> None:
        self.queue.set_webhook(None)
        self.last_error_date = self.last_error_message = None

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self._session is not None:
            await self._session.close()
            self._session = None

    def info(self) -> JSON:
        hook = self.hook or {}
        info: JSON = {
            "url": hook.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self.queue.pending),
        }
        if hook:
            info["max_connections"] = hook["max_connections"]
            info["allowed_updates"] = sorted(self.queue.allowed)
        if self.last_error_date is not None:
            info["last_error_date"] = self.last_error_date
            info["last_error_message"] = self.last_error_message
        return info

    def _ready(self, now: float) -> list[JSON]:
        """The oldest pending update of each chat whose turn it is."""
        hook = self.hook
        if hook is None:
            return []
        seen: set[object] = set()
        ready: list[JSON] = []
        room = int(hook["max_connections"]) - len(self._in_flight)
        for update in self.queue.pending:
            key = lane(update)
            if key in seen:
                continue
            seen.add(key)
            if update["update_id"] in self._in_flight or self._retry_at.get(key, 0.0) > now:
                continue
            if len(ready) < room:
                ready.append(update)
        return ready

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        tasks: set[asyncio.Task[None]] = set()
        try:
            while self.hook is not None:
                for update in self._ready(loop.time()):
                    self._in_flight.add(update["update_id"])
                    task = asyncio.create_task(self._deliver(update))
                    tasks.add(task)
                    task.add_done_callback(tasks.discard)
                waits = [at - loop.time() for at in self._retry_at.values() if at > loop.time()]
                await self.queue.wait_changed(min([*waits, 1.0]))
        finally:
            for task in list(tasks):
                task.cancel()

    async def _deliver(self, update: JSON) -> None:
        hook = self.hook
        key = lane(update)
        try:
            if hook is None:
                return
            status, error = await self._post(hook, update)
            if error is None and self.lost_answers:
                # The bot answered, but the answer never reached Telegram.
                self.lost_answers -= 1
                error = "Connection reset by peer"
            self.deliveries.append(
                Delivery(update["update_id"], hook["url"], status, error, time.time())
            )
            if error is None:
                self._failures.pop(key, None)
                self._retry_at.pop(key, None)
                self.queue.remove(update["update_id"])
            else:
                failures = self._failures.get(key, 0) + 1
                self._failures[key] = failures
                delay = min(self.retry_initial * 2 ** (failures - 1), self.retry_max)
                self._retry_at[key] = asyncio.get_running_loop().time() + delay
                self.last_error_date, self.last_error_message = int(time.time()), error
        finally:
            self._in_flight.discard(update["update_id"])
            self.queue.changed()

    async def _post(self, hook: JSON, update: JSON) -> tuple[int | None, str | None]:
        if self._session is None:
            self._session = aiohttp.ClientSession()
        headers = {SECRET_HEADER: hook["secret_token"]} if hook.get("secret_token") else {}
        timeout = aiohttp.ClientTimeout(total=self.request_timeout)
        try:
            async with self._session.post(
                hook["url"], json=update, headers=headers, timeout=timeout
            ) as response:
                await response.read()
                if 200 <= response.status < 300:
                    return response.status, None
                reason = response.reason or ""
                return (
                    response.status,
                    f"Wrong response from the webhook: {response.status} {reason}".strip(),
                )
        except aiohttp.ClientConnectorError:
            return None, "Connection refused"
        except TimeoutError:
            return None, "Read timeout expired"
        except aiohttp.ClientError as error:
            return None, str(error) or error.__class__.__name__
