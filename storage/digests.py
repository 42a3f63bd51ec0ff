"""The digest repository: which sellers' held-back leads are due, gathered once each."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import and_, case, func, or_, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.digests import Digest, DigestLead
from domain.lifecycle import LeadStatus
from domain.model import DigestInterval
from domain.money import Money
from storage.leads import LISTED
from storage.models import LeadAlertRow, LeadRow, UserRow

_HELD = LeadAlertRow.held_at.is_not(None)
_PAIRS_PER_STATEMENT = 5000


class SqlDigestRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def take_due(self, now: datetime, limit: int) -> list[Digest]:
        # Due: a held lead waited the seller's interval. Since a digest takes all held
        # leads, the next one waits a full interval again: at most one per period.
        # Each seller's oldest held lead, from the small index of held rows alone (joining
        # the users first would read every user).
        oldest = (
            select(LeadAlertRow.seller_id, func.min(LeadAlertRow.held_at).label("held_at"))
            .where(_HELD)
            .group_by(LeadAlertRow.seller_id)
            .subquery()
        )
        waited = or_(
            *(
                and_(UserRow.digest == interval.value, oldest.c.held_at <= now - period)
                for interval in DigestInterval
                if (period := interval.period) is not None
            )
        )
        due = (
            (
                await self._session.execute(
                    select(oldest.c.seller_id, UserRow.telegram_id)
                    .join(UserRow, UserRow.id == oldest.c.seller_id)
                    .where(UserRow.alertable.is_(True), waited)
                    .order_by(oldest.c.held_at, oldest.c.seller_id)
                    .limit(limit)
                )
            )
            .tuples()
            .all()
        )
        if not due:
            return []
        # Still worth a look: open, its buyer not suspended, not opened by the seller yet.
        current = and_(
            LeadRow.status == LeadStatus.OPEN.value, LISTED, LeadAlertRow.opened_at.is_(None)
        )
        rows = await self._session.execute(
            select(
                LeadAlertRow.seller_id,
                LeadAlertRow.lead_id,
                case((current, True), else_=False),
                LeadRow.title,
                LeadRow.budget_minor,
                LeadRow.currency,
            )
            .join(LeadRow, LeadRow.id == LeadAlertRow.lead_id)
            .where(_HELD, LeadAlertRow.seller_id.in_([seller for seller, _ in due]))
            .order_by(
                LeadAlertRow.seller_id,
                LeadAlertRow.rank.desc(),
                LeadRow.published_at.desc(),
                LeadRow.id.desc(),
            )
        )
        taken: list[tuple[int, int]] = []
        leads: dict[int, list[DigestLead]] = defaultdict(list)
        for seller_id, lead_id, worth, title, minor, currency in rows.tuples():
            taken.append((seller_id, lead_id))
            if worth:
                budget = Money(minor, currency) if minor is not None else None
                leads[seller_id].append(DigestLead(lead_id, title or "", budget))
        # Exactly the pairs read (a lead held meanwhile waits for the next digest), in
        # chunks that stay within SQLite's limit on parameters.
        for start in range(0, len(taken), _PAIRS_PER_STATEMENT):
            pairs = taken[start : start + _PAIRS_PER_STATEMENT]
            await self._session.execute(
                update(LeadAlertRow)
                .where(tuple_(LeadAlertRow.seller_id, LeadAlertRow.lead_id).in_(pairs))
                .values(held_at=None, digested_at=now)
            )
        return [
            Digest(seller, telegram_id, tuple(leads[seller]))
            for seller, telegram_id in due
            if leads[seller]
        ]
