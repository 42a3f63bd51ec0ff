"""The poller's side of the inbox: store updates before confirming them, replay the unhandled."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import TextualSelect, bindparam, select, text, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from storage.models import InboxRow


@dataclass(frozen=True)
class Received:
    key: str
    update_id: int
    payload: dict[str, Any]


_STORE_NEW: dict[int, TextualSelect] = {}


def _store_new(count: int) -> TextualSelect:
    """INSERT … ON CONFLICT DO NOTHING RETURNING key for ``count`` rows, built once per
    count. Written out because SQLAlchemy never caches its dialects' INSERT … ON CONFLICT
    (their constructs have no cache key): built per call, it was compiled per batch, a
    measurable part of every update (docs/PERFORMANCE.md). SQLite and PostgreSQL share it."""
    statement = _STORE_NEW.get(count)
    if statement is None:
        table = InboxRow.__table__
        rows = ", ".join(
            f"(:key_{i}, :update_id_{i}, :payload_{i}, :received_at_{i})" for i in range(count)
        )
        binds = []
        for i in range(count):
            binds += [
                bindparam(f"payload_{i}", type_=table.c.payload.type),
                bindparam(f"received_at_{i}", type_=table.c.received_at.type),
            ]
        statement = _STORE_NEW[count] = (
            text(
                'INSERT INTO inbox ("key", update_id, payload, received_at) '
                f'VALUES {rows} ON CONFLICT DO NOTHING RETURNING "key"'
            )
            .bindparams(*binds)
            .columns(table.c.key)
        )
    return statement


class InboxStore:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions
        engine = sessions.kw["bind"]
        assert isinstance(engine, AsyncEngine)
        self._engine = engine

    async def receive(self, updates: Sequence[Received], now: datetime) -> set[str]:
        """Stores the updates not stored before, in one transaction; returns their keys."""
        if not updates:
            return set()
        values: dict[str, Any] = {}
        for i, received in enumerate(updates):
            values[f"key_{i}"] = received.key
            values[f"update_id_{i}"] = received.update_id
            values[f"payload_{i}"] = received.payload
            values[f"received_at_{i}"] = now
        # A Core transaction, no ORM session: the poller pays it for every batch.
        async with self._engine.begin() as connection:
            # One statement: the keys stored before are skipped, the rest come back.
            stored = await connection.scalars(_store_new(len(updates)), values)
            return set(stored)

    async def unhandled(self) -> list[Received]:
        """Updates stored but never handled (the process stopped first), oldest first."""
        async with self._sessions() as session:
            rows = await session.scalars(
                select(InboxRow)
                .where(InboxRow.handled_at.is_(None), InboxRow.payload.is_not(None))
                .order_by(InboxRow.received_at, InboxRow.update_id)
            )
            return [Received(row.key, row.update_id, dict(row.payload or {})) for row in rows]

    async def mark_handled(self, key: str, now: datetime) -> None:
        """Closes an update no handler claimed (nothing to do for it, or its handler failed)."""
        async with self._sessions() as session, session.begin():
            await session.execute(
                update(InboxRow)
                .where(InboxRow.key == key, InboxRow.handled_at.is_(None))
                .values(handled_at=now)
            )
