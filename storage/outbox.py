"""The dispatcher's side of the outbox: claim due messages, then record how delivery went."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domain.model import OutboxKind
from storage.models import OutboxRow, UserRow

# A claimed row whose dispatcher died is claimed again after this lease.
CLAIM_LEASE = timedelta(seconds=60)
# "sending" rows are open too: their lease expiry is their next attempt.
_OPEN = ("pending", "sending")


@dataclass(frozen=True)
class Delivery:
    id: int
    kind: OutboxKind
    recipient: str
    payload: dict[str, Any]
    attempts: int


def _delivery(row: OutboxRow) -> Delivery:
    return Delivery(row.id, OutboxKind(row.kind), row.recipient, dict(row.payload), row.attempts)


class OutboxStore:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def claim(self, now: datetime, limit: int = 50) -> list[Delivery]:
        """Marks up to ``limit`` due messages as sending and returns them, oldest first."""
        async with self._sessions() as session, session.begin():
            query = (
                select(OutboxRow)
                .where(OutboxRow.status.in_(_OPEN), OutboxRow.next_attempt_at <= now)
                .order_by(OutboxRow.next_attempt_at, OutboxRow.id)
                .limit(limit)
            )
            if session.get_bind().dialect.name == "postgresql":
                query = query.with_for_update(skip_locked=True)
            rows = list(await session.scalars(query))
            for row in rows:
                row.status = "sending"
                row.attempts += 1
                row.next_attempt_at = now + CLAIM_LEASE
            return [
                Delivery(
                    row.id, OutboxKind(row.kind), row.recipient, dict(row.payload), row.attempts
                )
                for row in rows
            ]

    async def mark_sent(self, message_id: int, now: datetime) -> None:
        await self._set(message_id, status="sent", sent_at=now, last_error=None)

    async def retry_later(self, message_id: int, at: datetime, error: str) -> None:
        await self._set(message_id, status="pending", next_attempt_at=at, last_error=error[:500])

    async def give_up(self, message_id: int, status: str, error: str) -> None:
        """Ends a message that cannot be delivered (``unreachable`` or ``failed``)."""
        await self._set(message_id, status=status, last_error=error[:500])

    async def mark_chat_unreachable(self, telegram_id: int) -> None:
        async with self._sessions() as session, session.begin():
            await session.execute(
                update(UserRow).where(UserRow.telegram_id == telegram_id).values(reachable=False)
            )

    async def next_due(self) -> datetime | None:
        async with self._sessions() as session:
            due: datetime | None = await session.scalar(
                select(func.min(OutboxRow.next_attempt_at)).where(OutboxRow.status.in_(_OPEN))
            )
            return due

    async def counts(self) -> dict[str, int]:
        async with self._sessions() as session:
            rows = await session.execute(
                select(OutboxRow.status, func.count()).group_by(OutboxRow.status)
            )
            return {status: count for status, count in rows.tuples()}

    async def _set(self, message_id: int, **values: Any) -> None:
        async with self._sessions() as session, session.begin():
            await session.execute(
                update(OutboxRow).where(OutboxRow.id == message_id).values(values)
            )
