"""Threads, offers, contracts and relayed messages."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, case, delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from domain.chat import MessageKind, RelayedMessage
from domain.errors import Conflict
from domain.money import Money
from domain.negotiation import Contract, Offer, OfferDraft, OfferStatus, Thread
from domain.ports import Page, ThreadSummary
from storage.integrity import violated_constraint
from storage.models import (
    ContractRow,
    LeadRow,
    MessageRow,
    OfferDraftRow,
    OfferRow,
    ThreadRow,
    UserRow,
)
from storage.repositories import dialect_insert


def _thread(row: ThreadRow) -> Thread:
    return Thread(
        id=row.id,
        lead_id=row.lead_id,
        buyer_id=row.buyer_id,
        seller_id=row.seller_id,
        created_at=row.created_at,
        buyer_read_up_to=row.buyer_read_up_to,
        seller_read_up_to=row.seller_read_up_to,
        buyer_reminded=row.buyer_reminded,
        seller_reminded=row.seller_reminded,
    )


def _offer(row: OfferRow) -> Offer:
    return Offer(
        id=row.id,
        thread_id=row.thread_id,
        author_id=row.author_id,
        amount=Money(row.amount_minor, row.currency),
        days=row.days,
        note=row.note,
        status=OfferStatus(row.status),
        created_at=row.created_at,
        decided_at=row.decided_at,
    )


def contract_of(row: ContractRow) -> Contract:
    return Contract(
        id=row.id,
        lead_id=row.lead_id,
        thread_id=row.thread_id,
        offer_id=row.offer_id,
        buyer_id=row.buyer_id,
        seller_id=row.seller_id,
        amount=Money(row.amount_minor, row.currency),
        days=row.days,
        started_at=row.started_at,
        due_at=row.due_at,
        delivered_at=row.delivered_at,
        approved_at=row.approved_at,
        completed_at=row.completed_at,
        cancelled_at=row.cancelled_at,
        version=row.version,
    )


def _message(row: MessageRow) -> RelayedMessage:
    return RelayedMessage(
        id=row.id,
        thread_id=row.thread_id,
        sender_id=row.sender_id,
        recipient_id=row.recipient_id,
        kind=MessageKind(row.kind),
        text=row.text,
        file_id=row.file_id,
        file_name=row.file_name,
        file_size=row.file_size,
        flagged=row.flagged,
        sender_message_id=row.sender_message_id,
        recipient_message_id=row.recipient_message_id,
        original_id=row.original_id,
        version=row.version,
        created_at=row.created_at,
    )


@dataclass
class SqlThreadRepository:
    _session: AsyncSession

    async def open(self, lead_id: int, buyer_id: int, seller_id: int, now: datetime) -> Thread:
        """The thread of (lead, seller), created on first contact."""
        insert = dialect_insert(self._session)
        await self._session.execute(
            insert(ThreadRow)
            .values(
                lead_id=lead_id,
                buyer_id=buyer_id,
                seller_id=seller_id,
                created_at=now,
                buyer_read_up_to=0,
                seller_read_up_to=0,
                buyer_reminded=False,
                seller_reminded=False,
            )
            .on_conflict_do_nothing()
        )
        row = await self._session.scalar(
            select(ThreadRow).where(ThreadRow.lead_id == lead_id, ThreadRow.seller_id == seller_id)
        )
        assert row is not None
        return _thread(row)

    async def get(self, thread_id: int) -> Thread | None:
        row = await self._session.get(ThreadRow, thread_id)
        return _thread(row) if row else None

    async def save(self, thread: Thread) -> None:
        await self._session.execute(
            update(ThreadRow)
            .where(ThreadRow.id == thread.id)
            .values(
                buyer_read_up_to=thread.buyer_read_up_to,
                seller_read_up_to=thread.seller_read_up_to,
                buyer_reminded=thread.buyer_reminded,
                seller_reminded=thread.seller_reminded,
            )
        )

    async def open_thread(self, lead_id: int, seller_id: int) -> Thread | None:
        row = await self._session.scalar(
            select(ThreadRow).where(ThreadRow.lead_id == lead_id, ThreadRow.seller_id == seller_id)
        )
        return _thread(row) if row else None

    async def threads_of_seller(
        self, seller_id: int, lead_ids: Collection[int]
    ) -> dict[int, Thread]:
        """The seller's threads on these leads, by lead id."""
        if not lead_ids:
            return {}
        rows = await self._session.scalars(
            select(ThreadRow).where(
                ThreadRow.seller_id == seller_id, ThreadRow.lead_id.in_(set(lead_ids))
            )
        )
        return {row.lead_id: _thread(row) for row in rows}

    async def of_lead(self, lead_id: int) -> list[Thread]:
        rows = await self._session.scalars(select(ThreadRow).where(ThreadRow.lead_id == lead_id))
        return [_thread(row) for row in rows]

    async def of_user(self, user_id: int, offset: int, size: int) -> Page[ThreadSummary]:
        """The user's threads, most recent activity first, with unread counts."""
        last_message = (
            select(func.max(MessageRow.id))
            .where(MessageRow.thread_id == ThreadRow.id)
            .correlate(ThreadRow)
            .scalar_subquery()
        )
        is_buyer = ThreadRow.buyer_id == user_id
        read_up_to = case((is_buyer, ThreadRow.buyer_read_up_to), else_=ThreadRow.seller_read_up_to)
        unread = (
            select(func.count())
            .where(
                MessageRow.thread_id == ThreadRow.id,
                MessageRow.recipient_id == user_id,
                MessageRow.original_id.is_(None),  # an edit is not a new message
                MessageRow.id > read_up_to,
            )
            .correlate(ThreadRow)
            .scalar_subquery()
        )
        other = case((is_buyer, ThreadRow.seller_id), else_=ThreadRow.buyer_id)
        last = aliased(MessageRow)
        other_user = aliased(UserRow)
        # One statement for the page: the last message and the other side's name are joined.
        query = (
            select(ThreadRow, LeadRow.title, last, unread, other, other_user.first_name)
            .join(LeadRow, LeadRow.id == ThreadRow.lead_id)
            .join(other_user, other_user.id == other)
            .outerjoin(last, last.id == last_message)
            .where(or_(ThreadRow.buyer_id == user_id, ThreadRow.seller_id == user_id))
            .order_by(func.coalesce(last.id, 0).desc(), ThreadRow.id.desc())
        )
        total = await self._session.scalar(
            select(func.count())
            .select_from(ThreadRow)
            .where(or_(ThreadRow.buyer_id == user_id, ThreadRow.seller_id == user_id))
        )
        rows = (await self._session.execute(query.offset(offset).limit(size))).tuples().all()
        summaries = [
            ThreadSummary(
                thread=_thread(thread),
                lead_title=title or "",
                other_id=other_id,
                other_name=name or "",
                last_message=_message(message) if message else None,
                unread=int(unread_count or 0),
            )
            for thread, title, message, unread_count, other_id, name in rows
        ]
        return Page(summaries, int(total or 0), offset, size)

    async def unread(self, user_id: int) -> int:
        """How many messages to the user are not read yet, in all their threads."""
        is_buyer = ThreadRow.buyer_id == user_id
        read_up_to = case((is_buyer, ThreadRow.buyer_read_up_to), else_=ThreadRow.seller_read_up_to)
        count = await self._session.scalar(
            select(func.count())
            .select_from(MessageRow)
            .join(ThreadRow, ThreadRow.id == MessageRow.thread_id)
            .where(
                MessageRow.recipient_id == user_id,
                MessageRow.original_id.is_(None),  # an edit is not a new message
                MessageRow.id > read_up_to,
            )
        )
        return int(count or 0)

    async def add_offer(self, offer: Offer) -> Offer:
        row = OfferRow(
            thread_id=offer.thread_id,
            author_id=offer.author_id,
            amount_minor=offer.amount.minor,
            currency=offer.amount.currency,
            days=offer.days,
            note=offer.note,
            status=offer.status.value,
            created_at=offer.created_at,
        )
        self._session.add(row)
        await self._session.flush()
        return _offer(row)

    async def get_offer(self, offer_id: int) -> Offer | None:
        row = await self._session.get(OfferRow, offer_id)
        return _offer(row) if row else None

    async def latest_offer(self, thread_id: int) -> Offer | None:
        row = await self._session.scalar(
            select(OfferRow)
            .where(OfferRow.thread_id == thread_id)
            .order_by(OfferRow.id.desc())
            .limit(1)
        )
        return _offer(row) if row else None

    async def latest_offers(self, thread_ids: Collection[int]) -> dict[int, Offer]:
        """The latest offer of each of these threads that has one, by thread id."""
        if not thread_ids:
            return {}
        latest = (
            select(func.max(OfferRow.id))
            .where(OfferRow.thread_id.in_(set(thread_ids)))
            .group_by(OfferRow.thread_id)
        )
        rows = await self._session.scalars(select(OfferRow).where(OfferRow.id.in_(latest)))
        return {row.thread_id: _offer(row) for row in rows}

    async def offers(self, thread_id: int) -> list[Offer]:
        rows = await self._session.scalars(
            select(OfferRow).where(OfferRow.thread_id == thread_id).order_by(OfferRow.id)
        )
        return [_offer(row) for row in rows]

    async def decide(self, offer_id: int, status: OfferStatus, now: datetime) -> bool:
        """Moves an open offer to ``status``; False if it was no longer open (a race lost)."""
        result = await self._session.execute(
            update(OfferRow)
            .where(OfferRow.id == offer_id, OfferRow.status == OfferStatus.OPEN.value)
            .values(status=status.value, decided_at=now)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def supersede_open_offers(self, lead_id: int, now: datetime) -> int:
        """Marks every offer still open on the lead superseded; returns how many."""
        threads = select(ThreadRow.id).where(ThreadRow.lead_id == lead_id)
        result = await self._session.execute(
            update(OfferRow)
            .where(OfferRow.thread_id.in_(threads), OfferRow.status == OfferStatus.OPEN.value)
            .values(status=OfferStatus.SUPERSEDED.value, decided_at=now)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def add_contract(self, contract: Contract) -> Contract:
        row = ContractRow(
            lead_id=contract.lead_id,
            thread_id=contract.thread_id,
            offer_id=contract.offer_id,
            buyer_id=contract.buyer_id,
            seller_id=contract.seller_id,
            amount_minor=contract.amount.minor,
            currency=contract.amount.currency,
            days=contract.days,
            started_at=contract.started_at,
            due_at=contract.due_at,
        )
        try:
            async with self._session.begin_nested():
                self._session.add(row)
                await self._session.flush()
        except IntegrityError as error:
            if violated_constraint(error) != "uq_contracts_lead_id":
                raise
            raise Conflict("This lead has already been given to a seller.") from None
        return contract_of(row)

    async def contract_of_lead(self, lead_id: int) -> Contract | None:
        row = await self._session.scalar(select(ContractRow).where(ContractRow.lead_id == lead_id))
        return contract_of(row) if row else None

    async def contracts_of(self, user_id: int) -> list[Contract]:
        rows = await self._session.scalars(_CONTRACTS_OF, {"user_id": user_id})
        return [contract_of(row) for row in rows]

    async def add_message(self, message: RelayedMessage) -> RelayedMessage:
        row = MessageRow(
            thread_id=message.thread_id,
            sender_id=message.sender_id,
            recipient_id=message.recipient_id,
            kind=message.kind.value,
            text=message.text,
            file_id=message.file_id,
            file_name=message.file_name,
            file_size=message.file_size,
            flagged=message.flagged,
            sender_message_id=message.sender_message_id,
            original_id=message.original_id,
            version=message.version,
            created_at=message.created_at,
        )
        self._session.add(row)
        await self._session.flush()
        return _message(row)

    async def message_delivered_as(
        self, recipient_id: int, telegram_message_id: int
    ) -> RelayedMessage | None:
        """The relayed message the recipient sees as ``telegram_message_id`` (for replies)."""
        row = await self._session.scalar(
            select(MessageRow)
            .where(
                MessageRow.recipient_id == recipient_id,
                MessageRow.recipient_message_id == telegram_message_id,
            )
            .order_by(MessageRow.id.desc())
            .limit(1)
        )
        return _message(row) if row else None

    async def message_sent_as(
        self, sender_id: int, telegram_message_id: int
    ) -> RelayedMessage | None:
        """The latest version of what the sender sent as ``telegram_message_id`` (for edits)."""
        row = await self._session.scalar(
            select(MessageRow)
            .where(
                MessageRow.sender_id == sender_id,
                MessageRow.sender_message_id == telegram_message_id,
            )
            .order_by(MessageRow.version.desc())
            .limit(1)
        )
        return _message(row) if row else None

    async def messages(self, thread_id: int) -> list[RelayedMessage]:
        rows = await self._session.scalars(
            select(MessageRow).where(MessageRow.thread_id == thread_id).order_by(MessageRow.id)
        )
        return [_message(row) for row in rows]

    async def draft(self, user_id: int) -> OfferDraft | None:
        row = await self._session.get(OfferDraftRow, user_id)
        if row is None:
            return None
        amount = Money(row.amount_minor, row.currency) if row.amount_minor is not None else None
        return OfferDraft(row.thread_id, row.currency, amount, row.days, row.note)

    async def save_draft(self, user_id: int, draft: OfferDraft, now: datetime) -> None:
        await self.drop_draft(user_id)
        self._session.add(
            OfferDraftRow(
                user_id=user_id,
                thread_id=draft.thread_id,
                amount_minor=draft.amount.minor if draft.amount else None,
                currency=draft.currency,
                days=draft.days,
                note=draft.note,
                updated_at=now,
            )
        )
        await self._session.flush()

    async def drop_draft(self, user_id: int) -> None:
        await self._session.execute(delete(OfferDraftRow).where(OfferDraftRow.user_id == user_id))


# Every seller's dashboard runs it; built once (storage/repositories.py _USERS says why).
_CONTRACTS_OF = (
    select(ContractRow)
    .where(
        or_(
            ContractRow.buyer_id == bindparam("user_id"),
            ContractRow.seller_id == bindparam("user_id"),
        )
    )
    .order_by(ContractRow.due_at)
)
