"""Active/standby on PostgreSQL: one process at a time serves a bot token.

Telegram lets one consumer poll a token, and two dispatchers would race over the outbox. So,
on PostgreSQL, ``leadline run`` first takes a session-level advisory lock keyed by the bot's
token. A second process with the same configuration waits as a standby; when the active one
dies (SIGKILL included) its database session ends, PostgreSQL releases the lock, and the
standby takes over within about a second of noticing. The lock's connection is checked while
the process serves: if it is lost, the process stops rather than risk two active ones.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
from collections.abc import Callable

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

log = logging.getLogger(__name__)

RETRY_SECONDS = 1.0
CHECK_SECONDS = 2.0


def lock_key(token: str) -> int:
    """A signed 64-bit advisory lock key for one bot token (the token itself never leaves)."""
    digest = hashlib.sha256(f"leadline:{token}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class Leadership:
    def __init__(self, engine: AsyncEngine, key: int) -> None:
        self._engine, self._key = engine, key
        self._connection: AsyncConnection | None = None
        self._watch: asyncio.Task[None] | None = None

    @property
    def applies(self) -> bool:
        """Only PostgreSQL has the lock; an embedded SQLite file serves one process anyway."""
        return self._engine.dialect.name == "postgresql"

    async def acquire(self) -> None:
        """Returns once this process is the active one; waits as a standby until then."""
        if not self.applies:
            return
        waiting = False
        while True:
            connection = await self._engine.connect()
            taken = await connection.scalar(
                text("SELECT pg_try_advisory_lock(:key)"), {"key": self._key}
            )
            await connection.commit()
            if taken:
                self._connection = connection
                if waiting:
                    log.warning("The active process is gone; this one takes over")
                return
            await connection.close()
            if not waiting:
                log.warning("Another process serves this bot; waiting as its standby")
                waiting = True
            await asyncio.sleep(RETRY_SECONDS)

    def watch(self, lost: Callable[[], None]) -> None:
        """Calls ``lost`` if the lock's connection fails while this process is active."""
        if self._connection is not None:
            self._watch = asyncio.create_task(self._check(lost), name="leadership-watch")

    async def _check(self, lost: Callable[[], None]) -> None:
        assert self._connection is not None
        while True:
            await asyncio.sleep(CHECK_SECONDS)
            try:
                await self._connection.scalar(text("SELECT 1"))
                await self._connection.commit()
            except Exception:
                log.critical("Lost the database lock that makes this process the active one")
                lost()
                return

    async def release(self) -> None:
        if self._watch is not None:
            self._watch.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watch
            self._watch = None
        if self._connection is not None:
            with contextlib.suppress(Exception):
                await self._connection.close()
            self._connection = None
