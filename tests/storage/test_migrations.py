"""Alembic stairway: every revision upgrades, downgrades and upgrades again."""

from __future__ import annotations

import asyncio

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from storage.db import create_engine
from storage.migrate import downgrade, revisions, upgrade
from storage.models import Base
from storage.search import made_by_hand


def stairway(url: str) -> None:
    steps = revisions(url)
    assert steps, "no migrations found"
    previous = "base"
    for revision in steps:
        upgrade(url, revision)
        downgrade(url, previous)
        upgrade(url, revision)
        previous = revision


async def tables(url: str) -> set[str]:
    engine = create_engine(url)
    async with engine.connect() as connection:
        names = await connection.run_sync(lambda sync: set(inspect(sync).get_table_names()))
    await engine.dispose()
    return names


async def test_stairway_and_head_matches_the_models(db_url: str) -> None:
    await asyncio.to_thread(stairway, db_url)
    assert await tables(db_url) >= set(Base.metadata.tables)
    await asyncio.to_thread(downgrade, db_url, "base")
    assert await tables(db_url) <= {"alembic_version"}


async def test_migrations_and_models_agree(db_url: str) -> None:
    """Autogenerate would write nothing: every model change has its migration."""
    await asyncio.to_thread(upgrade, db_url)
    engine = create_engine(db_url)

    def differences(connection: Connection) -> list[object]:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_object": _include_object}
        )
        return list(compare_metadata(context, Base.metadata))

    async with engine.connect() as connection:
        diff = await connection.run_sync(differences)
    await engine.dispose()
    assert diff == []


def _include_object(
    item: object, name: str | None, kind: str, reflected: bool, compare_to: object
) -> bool:
    return not made_by_hand(name, kind)
