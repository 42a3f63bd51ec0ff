"""Engine and session factory; SQLite gets WAL, foreign keys and a busy timeout, and the
running bot one connection to it (one writer at a time, waiting in line)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from storage import sqlite_driver

# How long a write waits for another process's write lock (a backup, an operator's shell):
# five seconds left a person's update unanswered until the next start. Below the pool's
# 30 s checkout timeout, so the transactions waiting behind it in the pool still get in.
SQLITE_BUSY_TIMEOUT_MS = 20_000


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def create_engine(url: str, *, one_writer: bool = False) -> AsyncEngine:
    """Builds the async engine for a database URL (sqlite+aiosqlite or postgresql+asyncpg).

    ``one_writer`` (the running bot's engine): SQLite gets a single pooled connection, so
    the process's transactions take turns in the pool's first-come, first-served line.
    SQLite lets one writer in at a time anyway, and every turn writes first thing; left to
    its busy timeout, concurrent writers poll for the lock with growing sleeps, get no fair
    order, and under load give up with "database is locked". PostgreSQL keeps its pool."""
    if url.startswith("sqlite"):
        in_memory = make_url(url).database in (None, "", ":memory:")  # one connection already
        pool: dict[str, Any] = {"pool_size": 1, "max_overflow": 0}
        pool = pool if one_writer and not in_memory else {}
        engine = create_async_engine(
            url,
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
            # One trip to aiosqlite's thread per statement (storage/sqlite_driver.py).
            module=sqlite_driver.dbapi(),
            **pool,
        )
        event.listen(engine.sync_engine, "connect", _configure_sqlite)
        return engine
    return create_async_engine(url, pool_pre_ping=True)


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)
