"""What the abuse limits count, read from the rows each use leaves behind: published leads,
the seller's offers, relayed messages (not their edits), Contact Us messages."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.contact import Direction
from domain.limits import Usage
from storage.models import ContactMessageRow, LeadRow, MessageRow, OfferRow, ThreadRow


class SqlUsageRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def recent(
        self, usage: Usage, user_id: int, since: datetime, until: datetime, limit: int
    ) -> list[datetime]:
        """One statement, through an index on (user, time) for each kind."""
        statement = _times(usage, user_id, since, until).limit(limit)
        return list(await self._session.scalars(statement))


def _times(usage: Usage, user_id: int, since: datetime, until: datetime) -> Select[Any]:
    at: Any
    if usage is Usage.LEAD_PUBLISHED:
        at = LeadRow.published_at
        query = select(at).where(LeadRow.buyer_id == user_id)
    elif usage is Usage.BID:
        # Offers the user made as the seller of the thread: a buyer's counters are not bids.
        at = OfferRow.created_at
        query = (
            select(at)
            .join(ThreadRow, ThreadRow.id == OfferRow.thread_id)
            .where(OfferRow.author_id == user_id, ThreadRow.seller_id == user_id)
        )
    elif usage is Usage.MESSAGE_RELAYED:
        at = MessageRow.created_at
        query = select(at).where(MessageRow.sender_id == user_id, MessageRow.original_id.is_(None))
    else:
        at = ContactMessageRow.at
        query = select(at).where(
            ContactMessageRow.user_id == user_id,
            ContactMessageRow.direction == Direction.FROM_USER.value,
        )
    return query.where(at > since, at <= until).order_by(at.desc())
