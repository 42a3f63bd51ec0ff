"""The poller's side of the inbox: store updates before confirming them, replay the unhandled."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import InboxRow
from storage.repositories import dialect_insert


@dataclass(frozen=True)
class Received:
    key: str
    update_id: int
    payload: dict[str, Any]


_STORE_NEW: dict[str, Any] = {}


def _store_new(session: AsyncSession) -> Any:
    """INSERT … ON CONFLICT DO NOTHING RETURNING key, built once per dialect: a statement
    built per call is compiled again each time (docs/PERFORMANCE.md)."""
    dialect = session.get_bind().dialect.name
    statement = _STORE_NEW.get(dialect)
    if statement is None:
        table = InboxRow.__table__
        statement = dialect_insert(session)(table).on_conflict_do_nothing()
        statement = _STORE_NEW[dialect] = statement.returning(table.c.key)
    return statement


class InboxStore:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def receive(self, updates: Sequence[Received], now: datetime) -> set[str]:
        """Stores the updates not stored before, in one transaction; returns their keys."""
        if not updates:
            return set()
        rows = [
            {
                "key": received.key,
                "update_id": received.update_id,
                "payload": received.payload,
                "received_at": now,
            }
            for received in updates
        ]
        async with self._sessions() as session, session.begin():
            # One statement: the keys stored before are skipped, the rest come back.
            stored = await session.scalars(_store_new(session), rows)
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
