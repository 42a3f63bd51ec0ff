"""The one-trip SQLite adapter (storage/sqlite_driver.py) keeps SQLAlchemy's transactions:
what is not committed is rolled back when the connection goes back to the pool, a failed
statement included, and a commit stays."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from storage import sqlite_driver
from storage.db import SQLITE_BUSY_TIMEOUT_MS, create_engine
from storage.sqlite_driver import OneTripConnection


async def test_uncommitted_work_is_rolled_back_on_return_and_commits_stay(
    tmp_path: Path,
) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'driver.db'}", one_writer=True)
    try:
        async with engine.begin() as connection:
            await connection.execute(text("CREATE TABLE t (k INTEGER PRIMARY KEY)"))
            await connection.execute(text("INSERT INTO t VALUES (1)"))
        async with engine.connect() as connection:  # written, never committed
            await connection.execute(text("INSERT INTO t VALUES (2)"))
        async with engine.connect() as connection:  # a statement that fails mid-transaction
            await connection.execute(text("INSERT INTO t VALUES (3)"))
            with pytest.raises(IntegrityError):
                await connection.execute(text("INSERT INTO t VALUES (1)"))
        async with engine.connect() as connection:  # fails first: SQLite's BEGIN stays open
            with pytest.raises(IntegrityError):
                await connection.execute(text("INSERT INTO t VALUES (1)"))
            raw = (await connection.get_raw_connection()).dbapi_connection
        assert isinstance(raw, OneTripConnection)
        sqlite = raw.driver_connection._conn  # what SQLite itself says, not the adapter
        assert not sqlite.in_transaction, "a failed statement's transaction was left open"
        async with engine.connect() as connection:  # only reads
            rows = (await connection.execute(text("SELECT k FROM t ORDER BY k"))).all()
        assert [row.k for row in rows] == [1]
        assert not raw.in_transaction and not sqlite.in_transaction
    finally:
        await engine.dispose()


async def _engine_with_probes(tmp_path: Path) -> AsyncEngine:
    """The bot's engine on a fresh file, its one connection able to say which thread runs a
    statement (``thread_of()``) and to take a while (``pause(ms)``)."""
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'placement.db'}", one_writer=True)
    async with engine.begin() as connection:
        await connection.execute(text("CREATE TABLE t (k INTEGER PRIMARY KEY, v INTEGER)"))
        raw = (await connection.get_raw_connection()).dbapi_connection
    assert isinstance(raw, OneTripConnection)
    sqlite = raw.driver_connection._conn
    sqlite.create_function("thread_of", 0, threading.get_ident)
    sqlite.create_function("pause", 1, lambda ms: time.sleep(ms / 1000) or 0)
    return engine


async def test_a_quick_read_runs_on_the_loop_once_seen_and_a_slow_one_in_the_thread(
    tmp_path: Path,
) -> None:
    engine = await _engine_with_probes(tmp_path)
    loop = threading.get_ident()
    where = text("SELECT thread_of() + pause(:ms) -- reads")
    try:
        async with engine.connect() as connection:

            async def run(ms: int = 0) -> bool:
                """Runs the read; True when it ran on the event loop's thread."""
                thread = (await connection.execute(where, {"ms": ms})).scalar_one()
                return bool(thread == loop)

            assert not await run()  # never seen: the thread
            assert await run()  # quick last time: the loop
            assert await run(5)  # … until it takes 5 ms there
            pause = sqlite_driver.FIRST_PAUSE
            # Slow: the next ones go to the thread (where a slow run may have waited for the
            # GIL, so tells nothing), then it is tried on the loop again; still slow, it
            # waits twice as long.
            assert [await run(5) for _ in range(pause)] == [False] * pause
            assert await run(5)
            assert [await run(5) for _ in range(2 * pause)] == [False] * 2 * pause
            assert await run()
            # A quick run in the thread ends a pause as well.
            assert await run(5)
            assert not await run()
            assert await run()
    finally:
        await engine.dispose()


async def test_a_quick_write_runs_on_the_loop_while_no_one_else_holds_the_write_lock(
    tmp_path: Path,
) -> None:
    engine = await _engine_with_probes(tmp_path)
    loop = threading.get_ident()
    write = text("INSERT INTO t (v) VALUES (thread_of())")
    try:
        for _ in range(2):
            async with engine.begin() as connection:
                await connection.execute(write)
                await connection.execute(write)
        async with engine.connect() as connection:
            threads = (await connection.execute(text("SELECT v FROM t ORDER BY k"))).scalars()
            on_loop = [thread == loop for thread in threads]
        # Never seen: the thread; then known quick, and the lock is free.
        assert on_loop == [False, True, True, True]
    finally:
        await engine.dispose()


async def test_waiting_for_another_writer_never_stops_the_event_loop(tmp_path: Path) -> None:
    engine = await _engine_with_probes(tmp_path)
    loop = threading.get_ident()
    write = text("INSERT INTO t (v) VALUES (thread_of()) -- waits")
    try:
        for _ in range(2):  # seen, and quick: with the lock free it runs on the loop
            async with engine.begin() as connection:
                await connection.execute(write)
        # Another process's writer holds the lock for a while.
        other = sqlite3.connect(tmp_path / "placement.db", isolation_level=None)
        other.execute("BEGIN IMMEDIATE")

        async def insert() -> None:
            async with engine.begin() as connection:
                await connection.execute(write)

        ticks = 0
        waiting = asyncio.create_task(insert())
        for _ in range(20):
            await asyncio.sleep(0.01)
            ticks += 1
        assert not waiting.done()
        other.execute("COMMIT")
        other.close()
        await asyncio.wait_for(waiting, 5)
        # The loop went on while the write waited (had it waited on the loop, no one would
        # have committed the other writer: "database is locked" after the busy timeout).
        assert ticks == 20
        async with engine.connect() as connection:
            threads = (await connection.execute(text("SELECT v FROM t ORDER BY k"))).scalars()
            assert [thread == loop for thread in threads] == [False, True, False]
            # The busy timeout is the configured one again.
            timeout = await connection.scalar(text("PRAGMA busy_timeout"))
            assert timeout == SQLITE_BUSY_TIMEOUT_MS
    finally:
        await engine.dispose()
