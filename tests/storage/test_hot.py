"""The update path's hot statements (storage/hot.py): the same rows as SQLAlchemy's Core
gives, values turned into Python alike, errors raised alike; on SQLite without Core's
execution, yet reported to whoever listens to the engine's statements."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.model import Role
from storage import repositories
from storage.hot import HotStatement
from storage.integrity import lost_race
from storage.repositories import core
from storage.uow import SqlUnitOfWork
from tests.storage.test_leads_storage import person

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


async def test_hot_statements_give_the_rows_core_gives(uow: SqlUnitOfWork) -> None:
    seller = await person(uow, 501, {Role.SELLER, Role.BUYER}, "python, sql", ("Legal",))
    assert seller.id is not None
    cases: list[tuple[HotStatement, dict[str, Any]]] = [
        (repositories._ONE_USER_BY_TELEGRAM_ID, {"telegram_id": 501}),
        (repositories._ONE_USER_BY_ID, {"user_id": seller.id}),
        (repositories._ONE_USERS_NAMES, {"user_id": seller.id}),
        (repositories._ONE_USER_BY_TELEGRAM_ID, {"telegram_id": 999}),  # no one
    ]
    async with uow:
        connection = await core(uow._active())
        for hot, parameters in cases:
            rows = await hot.rows(connection, parameters)
            expected = (await connection.execute(hot._statement, parameters)).all()
            assert [tuple(row) for row in rows] == [tuple(row) for row in expected]
        [user] = await repositories._ONE_USER_BY_TELEGRAM_ID.rows(connection, {"telegram_id": 501})
        # Typed as the models say: an aware datetime, a boolean, by column name.
        assert user.created_at == seller.created_at and user.created_at.tzinfo is not None
        assert user.reachable is True and user.telegram_id == 501
        names = await repositories._ONE_USERS_NAMES.rows(connection, {"user_id": seller.id})
        roles = sorted(row[3] for row in names if row[1] == 0)  # roles have no order
        assert roles == ["buyer", "seller"]
        assert [(row[1], row[3]) for row in names if row[1]] == [
            (1, "Python"),
            (1, "SQL"),
            (2, "Legal"),
        ]


async def test_marking_an_update_handled_twice_finds_it_handled(uow: SqlUnitOfWork) -> None:
    async with uow:
        assert await uow.updates.mark_handled("7:abc", NOW)
        assert not await uow.updates.mark_handled("7:abc", NOW)
        await uow.commit()
    async with uow:
        assert not await uow.updates.mark_handled("7:abc", NOW)


@pytest.mark.parametrize("engine_kind", ["sqlite"])
async def test_on_sqlite_they_skip_core_yet_the_engine_hears_of_them(
    uow: SqlUnitOfWork, engine: AsyncEngine
) -> None:
    await person(uow, 502, {Role.SELLER}, "python")
    through_core: list[str] = []
    at_cursor: list[str] = []

    def executed(*args: Any) -> None:
        through_core.append(str(args[1]))

    def cursor(*args: Any) -> None:
        at_cursor.append(str(args[2]))

    event.listen(engine.sync_engine, "before_execute", executed)
    event.listen(engine.sync_engine, "before_cursor_execute", cursor)
    async with uow:
        await uow.updates.mark_handled("8:abc", NOW)
        user = await uow.users.get_by_telegram_id(502)
    assert user is not None and user.profile.skills == ["Python"]
    assert through_core == []
    assert [sql.split()[0] for sql in at_cursor] == ["INSERT", "SELECT", "SELECT"]


@pytest.mark.parametrize("engine_kind", ["sqlite"])
async def test_a_write_lock_held_elsewhere_reads_as_a_lost_race(
    uow: SqlUnitOfWork, migrated_db_url: str
) -> None:
    other = sqlite3.connect(migrated_db_url.split("///", 1)[1], isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # holds SQLite's write lock
        async with uow:
            # Not five seconds: the driver reads the connection's busy timeout when it
            # first needs it.
            await uow._active().execute(text("PRAGMA busy_timeout = 50"))
            with pytest.raises(OperationalError) as raised:
                await uow.updates.mark_handled("9:abc", NOW)
        assert lost_race(raised.value)
        other.execute("ROLLBACK")
        async with uow:  # the lock gone, the same statement goes through
            assert await uow.updates.mark_handled("9:abc", NOW)
            await uow.commit()
    finally:
        other.close()
