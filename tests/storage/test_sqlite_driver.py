"""The one-trip SQLite adapter (storage/sqlite_driver.py) keeps SQLAlchemy's transactions:
what is not committed is rolled back when the connection goes back to the pool, a failed
statement included, and a commit stays."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from storage.db import create_engine
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
