"""Moving up from SQLite: copy every row into an empty PostgreSQL database (`leadline db copy`)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from sqlalchemy import Column, Table, func, inspect, select, text, update
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.db import create_engine
from storage.migrate import upgrade
from storage.models import Base
from storage.search import reindex

BATCH = 1000


class CopyError(Exception):
    """Why the copy cannot be made, in one sentence."""


async def copy_database(source_url: str, target_url: str) -> dict[str, int]:
    """Copies every table of the source into an empty target brought to the same migration,
    then moves the target's id sequences past the copied ids; returns rows per table."""
    if await _holds_tables(target_url):
        raise CopyError(
            "The target database already holds Leadline tables; give it an empty database."
        )
    # Both at the newest schema (the copy is column for column).
    await asyncio.to_thread(upgrade, source_url)
    await asyncio.to_thread(upgrade, target_url)
    source, target = create_engine(source_url), create_engine(target_url)
    tables = Base.metadata.sorted_tables
    copied: dict[str, int] = {}
    try:
        async with source.connect() as reader, target.begin() as writer:
            for table in reversed(tables):
                # What migrations seeded (skills, categories) is replaced by the source's.
                await writer.execute(table.delete())
            for table in tables:
                later = _cyclic_columns(table)
                copied[table.name] = await _copy_rows(reader, writer, table, later)
            for table in tables:
                for column in _cyclic_columns(table):
                    await _copy_column(reader, writer, table, column)
            if writer.dialect.name == "postgresql":
                for table in tables:
                    await _move_sequence(writer, table)
            # The index is the engine's own (FTS5 or a tsvector): built anew from the leads.
            await reindex(writer)
    finally:
        await source.dispose()
        await target.dispose()
    return copied


async def _holds_tables(url: str) -> bool:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            names: set[str] = set(await connection.run_sync(lambda c: inspect(c).get_table_names()))
    finally:
        await engine.dispose()
    return bool(names & set(Base.metadata.tables))


def _cyclic_columns(table: Table) -> list[Column[object]]:
    """Foreign keys created after their tables (``use_alter``): filled in once all rows exist."""
    return [
        key.parent
        for key in table.foreign_keys
        if key.use_alter or (key.constraint is not None and key.constraint.use_alter)
    ]


async def _copy_rows(
    reader: AsyncConnection, writer: AsyncConnection, table: Table, later: list[Column[object]]
) -> int:
    names = {column.name for column in later}
    count = 0
    result = await reader.stream(select(table))
    async for rows in result.partitions(BATCH):
        batch = [
            {key: (None if key in names else value) for key, value in row._mapping.items()}
            for row in rows
        ]
        await writer.execute(table.insert(), batch)
        count += len(batch)
    return count


async def _copy_column(
    reader: AsyncConnection, writer: AsyncConnection, table: Table, column: Column[object]
) -> None:
    [key] = list(table.primary_key.columns)
    rows = await reader.execute(select(key, column).where(column.is_not(None)))
    for identity, value in rows:
        await writer.execute(update(table).where(key == identity).values({column.name: value}))


async def _move_sequence(writer: AsyncConnection, table: Table) -> None:
    keys = list(table.primary_key.columns)
    if len(keys) != 1 or not _is_serial(keys[0]):
        return
    column = keys[0]
    highest = await writer.scalar(select(func.max(column)))
    await writer.execute(
        text("SELECT setval(pg_get_serial_sequence(:table, :column), :value, :called)"),
        {
            "table": table.name,
            "column": column.name,
            "value": highest or 1,
            "called": highest is not None,
        },
    )


def _is_serial(column: Column[object]) -> bool:
    python_type: Callable[[], object] | None
    try:
        python_type = column.type.python_type
    except NotImplementedError:
        python_type = None
    return python_type is int and column.autoincrement in (True, "auto")
