"""The audit log: entries added one by one or with a lead's moves, read newest first."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.audit import LATEST, AuditEntry, Subject, Who
from storage.models import AuditRow


def _row(entry: AuditEntry) -> AuditRow:
    return AuditRow(
        at=entry.at,
        actor_id=entry.who.user_id,
        actor_telegram_id=entry.who.telegram_id,
        action=entry.action,
        subject_kind=entry.subject.value,
        subject_id=entry.subject_id,
        detail=entry.detail,
    )


def _entry(row: AuditRow) -> AuditEntry:
    return AuditEntry(
        id=row.id,
        at=row.at,
        action=row.action,
        subject=Subject(row.subject_kind),
        subject_id=row.subject_id,
        who=Who(row.actor_id, row.actor_telegram_id),
        detail=row.detail,
    )


def write(session: AsyncSession, entries: Iterable[AuditEntry]) -> None:
    """Adds entries to the session (flushed with whatever writes them)."""
    session.add_all(_row(entry) for entry in entries)


@dataclass
class SqlAuditRepository:
    _session: AsyncSession

    async def add(self, entry: AuditEntry) -> None:
        write(self._session, [entry])
        await self._session.flush()

    async def latest_for_lead(self, lead_id: int, limit: int = LATEST) -> list[AuditEntry]:
        return await self._latest(
            (AuditRow.subject_kind == Subject.LEAD.value) & (AuditRow.subject_id == lead_id), limit
        )

    async def latest_for_user(self, user_id: int, limit: int = LATEST) -> list[AuditEntry]:
        about = (AuditRow.subject_kind == Subject.USER.value) & (AuditRow.subject_id == user_id)
        return await self._latest(or_(AuditRow.actor_id == user_id, about), limit)

    async def _latest(self, where: ColumnElement[bool], limit: int) -> list[AuditEntry]:
        rows = await self._session.scalars(
            select(AuditRow).where(where).order_by(AuditRow.id.desc()).limit(limit)
        )
        return [_entry(row) for row in rows]
