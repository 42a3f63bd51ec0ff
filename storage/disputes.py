"""Disputes of contracts, with their files; a resolution is written once."""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from domain.audit import Who
from domain.disputes import Dispute, DisputeStatus, Outcome
from domain.errors import Conflict
from domain.leads import Attachment, AttachmentKind
from domain.money import Money
from storage.models import DisputeFileRow, DisputeRow

_LOAD = [selectinload(DisputeRow.files)]


def _dispute(row: DisputeRow) -> Dispute:
    resolved_by = None
    if row.resolved_at is not None:
        resolved_by = Who(row.resolved_by, row.resolved_by_telegram_id)
    paid = None
    if row.paid_minor is not None and row.currency is not None:
        paid = Money(row.paid_minor, row.currency)
    return Dispute(
        id=row.id,
        contract_id=row.contract_id,
        lead_id=row.lead_id,
        opened_by=row.opened_by,
        opened_at=row.opened_at,
        reason=row.reason,
        files=tuple(Attachment(AttachmentKind(f.kind), f.file_id, f.file_name) for f in row.files),
        status=DisputeStatus(row.status),
        outcome=Outcome(row.outcome) if row.outcome else None,
        paid=paid,
        note=row.note,
        resolved_at=row.resolved_at,
        resolved_by=resolved_by,
    )


@dataclass
class SqlDisputeRepository:
    _session: AsyncSession

    async def add(self, dispute: Dispute) -> Dispute:
        row = DisputeRow(
            contract_id=dispute.contract_id,
            lead_id=dispute.lead_id,
            opened_by=dispute.opened_by,
            opened_at=dispute.opened_at,
            reason=dispute.reason,
            status=dispute.status.value,
            files=[
                DisputeFileRow(
                    position=i, kind=f.kind.value, file_id=f.file_id, file_name=f.file_name
                )
                for i, f in enumerate(dispute.files)
            ],
        )
        self._session.add(row)
        await self._session.flush()
        return replace(dispute, id=row.id)

    async def get(self, dispute_id: int) -> Dispute | None:
        row = await self._session.get(DisputeRow, dispute_id, options=_LOAD)
        return _dispute(row) if row else None

    async def of_contract(self, contract_id: int) -> Dispute | None:
        row = await self._session.scalar(
            select(DisputeRow).where(DisputeRow.contract_id == contract_id).options(*_LOAD)
        )
        return _dispute(row) if row else None

    async def resolve(self, dispute: Dispute) -> None:
        """Writes the resolution only while the dispute is open: of two at once, one wins."""
        who = dispute.resolved_by or Who()
        result = await self._session.execute(
            update(DisputeRow)
            .where(DisputeRow.id == dispute.key, DisputeRow.status == DisputeStatus.OPEN.value)
            .values(
                status=dispute.status.value,
                outcome=dispute.outcome.value if dispute.outcome else None,
                paid_minor=dispute.paid.minor if dispute.paid else None,
                currency=dispute.paid.currency if dispute.paid else None,
                note=dispute.note,
                resolved_at=dispute.resolved_at,
                resolved_by=who.user_id,
                resolved_by_telegram_id=who.telegram_id,
            )
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise Conflict("Someone resolved this dispute at the same moment.")

    async def open(self, limit: int) -> list[Dispute]:
        rows = await self._session.scalars(
            select(DisputeRow)
            .where(DisputeRow.status == DisputeStatus.OPEN.value)
            .order_by(DisputeRow.opened_at, DisputeRow.id)
            .limit(limit)
            .options(*_LOAD)
        )
        return [_dispute(row) for row in rows]
