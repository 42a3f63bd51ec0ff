"""The dispatcher's side of the outbox: claim due messages, then record how delivery went."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, case, func, literal, null, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import aliased

from domain.digests import CAP_WINDOW
from domain.model import DigestInterval, OutboxKind
from storage.models import (
    LeadAlertRow,
    LeadRow,
    MessageRow,
    OutboxRow,
    UserRoleRow,
    UserRow,
    UtcDateTime,
)
from storage.repositories import dialect_insert

# A claimed row whose dispatcher died is claimed again after this lease.
CLAIM_LEASE = timedelta(seconds=60)
# "sending" rows are open too: their lease expiry is their next attempt.
_OPEN = ("pending", "sending")
# Due rows a claim considers for each one it may take (see ``claim``).
CANDIDATES_PER_CLAIM = 4
# Outbox messages nobody is waiting for at that moment, sent in Telegram's bulk lane
# (bot/lanes.py), known by their dedupe keys: a lead's alerts, an announcement's copies,
# a buyer's invitations, the digests and the nudges. Everything else the outbox sends (a
# relayed message, a new bid, an accepted offer, a dispute…) answers what a person just did
# and goes in the reply lane.
BULK_KEYS = ("alert:", "announcement:", "digest:", "invite:", "nudge:")


def _bulk_last() -> ColumnElement[int]:
    """0 for what answers a person, 1 for bulk (and the rows that expand into bulk), so that
    a relayed message is not claimed behind thousands of a lead's alerts."""
    bulk = or_(
        OutboxRow.kind.in_((OutboxKind.ALERT_FANOUT.value, OutboxKind.ANNOUNCEMENT.value)),
        *(OutboxRow.dedupe_key.startswith(prefix, autoescape=True) for prefix in BULK_KEYS),
    )
    return case((bulk, 1), else_=0)


@dataclass(frozen=True)
class Delivery:
    id: int
    kind: OutboxKind
    recipient: str
    payload: dict[str, Any]
    attempts: int
    relay_message_id: int | None = None
    user_id: int | None = None
    dedupe_key: str | None = None

    @property
    def bulk(self) -> bool:
        """Whether it goes in the bulk lane (BULK_KEYS)."""
        return self.dedupe_key is not None and self.dedupe_key.startswith(BULK_KEYS)


def _delivery(row: OutboxRow) -> Delivery:
    return Delivery(
        row.id,
        OutboxKind(row.kind),
        row.recipient,
        dict(row.payload),
        row.attempts,
        row.relay_message_id,
        row.user_id,
        row.dedupe_key,
    )


def _when(condition: ColumnElement[bool], now: datetime) -> ColumnElement[datetime | None]:
    return case((condition, literal(now, UtcDateTime())), else_=null())


class OutboxStore:
    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], *, daily_cap: int | None = None
    ) -> None:
        self._sessions = sessions
        # alerts.daily_cap: alerts pushed to one seller a day, the rest held for their
        # digest (None: no cap).
        self._daily_cap = daily_cap

    async def claim(
        self, now: datetime, limit: int = 50, bulk_limit: int | None = None
    ) -> list[Delivery]:
        """Marks up to ``limit`` due messages as sending and returns them: answers to people
        before bulk (BULK_KEYS), oldest first within each, and no more than ``bulk_limit``
        bulk ones (the rest stay due for the next claim)."""
        async with self._sessions() as session, session.begin():
            bulk_last = _bulk_last()
            # A chat's message is not claimed while an older one to that chat waits longer
            # (for its retry, or being sent): a newer message never overtakes it. The older
            # ones due as soon come first in the claim's order, so the chat reads them in order.
            earlier = aliased(OutboxRow)
            waits_behind = (
                select(earlier.id)
                .where(
                    earlier.recipient == OutboxRow.recipient,
                    earlier.kind == OutboxRow.kind,
                    earlier.status.in_(_OPEN),
                    earlier.id < OutboxRow.id,
                    earlier.next_attempt_at > OutboxRow.next_attempt_at,
                )
                .exists()
            )
            order = (bulk_last, OutboxRow.next_attempt_at, OutboxRow.id)
            # The check runs on the first few due rows only, not on every due row: during a
            # fan-out thousands are due, and the claim holds SQLite's one connection that
            # the turns wait for.
            candidates = (
                select(OutboxRow.id)
                .where(OutboxRow.status.in_(_OPEN), OutboxRow.next_attempt_at <= now)
                .order_by(*order)
                .limit(limit * CANDIDATES_PER_CLAIM)
            )
            query = (
                select(OutboxRow, bulk_last)
                .where(OutboxRow.id.in_(candidates), ~waits_behind)
                .order_by(*order)
                .limit(limit)
            )
            if session.get_bind().dialect.name == "postgresql":
                query = query.with_for_update(of=OutboxRow, skip_locked=True)
            found = (await session.execute(query)).tuples().all()
            answers = [row for row, bulk in found if not bulk]
            bulk = [row for row, is_bulk in found if is_bulk]
            rows = answers + (bulk if bulk_limit is None else bulk[:bulk_limit])
            for row in rows:
                row.status = "sending"
                row.attempts += 1
                row.next_attempt_at = now + CLAIM_LEASE
            return [_delivery(row) for row in rows]

    async def take_back(self) -> int:
        """At start: what a stopped process had claimed is due now, not when its lease ends,
        and in its place in line: due since it was created, so that it goes out before the
        messages to the same chat that were written after it. (One process dispatches at a
        time.)"""
        async with self._sessions() as session, session.begin():
            result = await session.execute(
                update(OutboxRow)
                .where(OutboxRow.status == "sending")
                .values(status="pending", next_attempt_at=OutboxRow.created_at)
            )
            return int(result.rowcount)  # type: ignore[attr-defined]

    async def expand_alerts(self, fanout: Delivery, now: datetime, limit: int) -> int:
        """Turns up to ``limit`` recorded alerts of a lead into Telegram messages, best
        match first, skipping sellers who cannot be alerted now and holding the lead for the
        digest of those who reached the daily cap; returns how many it took."""
        lead_id = int(str(fanout.payload["lead_id"]))
        message = fanout.payload["message"]
        async with self._sessions() as session, session.begin():
            found = (
                await session.execute(
                    select(LeadRow.status, UserRow.status)
                    .join(UserRow, UserRow.id == LeadRow.buyer_id)
                    .where(LeadRow.id == lead_id)
                )
            ).first()
            if found is None or tuple(found) != ("open", "active"):
                # Withdrawn or filled before all alerts went out, or its buyer suspended
                # meanwhile: the rest are not sent.
                await session.execute(
                    update(LeadAlertRow)
                    .where(LeadAlertRow.lead_id == lead_id, LeadAlertRow.queued_at.is_(None))
                    .values(queued_at=now)
                )
                return 0
            rows = await session.execute(
                select(
                    LeadAlertRow.seller_id, UserRow.telegram_id, UserRow.alertable, UserRow.digest
                )
                .join(UserRow, UserRow.id == LeadAlertRow.seller_id)
                .where(LeadAlertRow.lead_id == lead_id, LeadAlertRow.queued_at.is_(None))
                .order_by(LeadAlertRow.rank.desc(), LeadAlertRow.seller_id)
                .limit(limit)
            )
            considered = rows.tuples().all()
            if not considered:
                return 0
            alertable = [
                (seller, telegram, digest) for seller, telegram, ok, digest in considered if ok
            ]
            capped = await self._capped(session, [seller for seller, _, _ in alertable], now)
            batch = [
                (seller, telegram) for seller, telegram, _ in alertable if seller not in capped
            ]
            # Beyond the cap a lead waits for the seller's digest, unless they want none.
            held = [
                seller
                for seller, _, digest in alertable
                if seller in capped and digest != DigestInterval.OFF.value
            ]
            insert = dialect_insert(session)
            if batch:
                await session.execute(
                    insert(OutboxRow)
                    .values(
                        [
                            {
                                "kind": OutboxKind.TELEGRAM.value,
                                "recipient": str(telegram_id),
                                "user_id": seller_id,
                                "payload": message,
                                "dedupe_key": f"alert:{lead_id}:{seller_id}",
                                "status": "pending",
                                "attempts": 0,
                                "next_attempt_at": now,
                                "created_at": now,
                            }
                            for seller_id, telegram_id in batch
                        ]
                    )
                    .on_conflict_do_nothing()
                )
            pushed = [seller for seller, _ in batch]
            await session.execute(
                update(LeadAlertRow)
                .where(
                    LeadAlertRow.lead_id == lead_id,
                    LeadAlertRow.seller_id.in_([seller for seller, _, _, _ in considered]),
                )
                .values(
                    queued_at=now,
                    pushed_at=_when(LeadAlertRow.seller_id.in_(pushed), now),
                    held_at=_when(LeadAlertRow.seller_id.in_(held), now),
                )
            )
            return len(considered)

    async def _capped(
        self, session: AsyncSession, seller_ids: list[int], now: datetime
    ) -> set[int]:
        """Those of the sellers who were pushed ``daily_cap`` alerts in the last day."""
        if self._daily_cap is None or not seller_ids:
            return set()
        found = await session.scalars(
            select(LeadAlertRow.seller_id)
            .where(
                LeadAlertRow.seller_id.in_(seller_ids),
                LeadAlertRow.pushed_at > now - CAP_WINDOW,
            )
            .group_by(LeadAlertRow.seller_id)
            .having(func.count() >= self._daily_cap)
        )
        return set(found)

    async def expand_announcement(self, fanout: Delivery, now: datetime, limit: int) -> int:
        """Queues the announcement for up to ``limit`` more users (signed up, active,
        reachable, of the role if it names one), in id order after the last batch; returns
        how many it took. Each is queued once however often a batch is repeated."""
        role = fanout.payload.get("role")
        after = int(str(fanout.payload.get("after", 0)))
        async with self._sessions() as session, session.begin():
            audience = (
                select(UserRow.id, UserRow.telegram_id)
                .where(
                    UserRow.id > after,
                    UserRow.signup_stage == "done",
                    UserRow.status == "active",
                    UserRow.reachable.is_(True),
                )
                .order_by(UserRow.id)
                .limit(limit)
            )
            if role is not None:
                audience = audience.where(
                    UserRow.id.in_(select(UserRoleRow.user_id).where(UserRoleRow.role == role))
                )
            batch = (await session.execute(audience)).tuples().all()
            if not batch:
                return 0
            insert = dialect_insert(session)
            await session.execute(
                insert(OutboxRow)
                .values(
                    [
                        {
                            "kind": OutboxKind.TELEGRAM.value,
                            "recipient": str(telegram_id),
                            "user_id": user_id,
                            "payload": fanout.payload["message"],
                            "dedupe_key": f"announcement:{fanout.id}:{user_id}",
                            "status": "pending",
                            "attempts": 0,
                            "next_attempt_at": now,
                            "created_at": now,
                        }
                        for user_id, telegram_id in batch
                    ]
                )
                .on_conflict_do_nothing()
            )
            # Where the next batch starts, kept on the fan-out row itself.
            await session.execute(
                update(OutboxRow)
                .where(OutboxRow.id == fanout.id)
                .values(payload={**fanout.payload, "after": batch[-1][0]})
            )
            return len(batch)

    async def tell_user(self, user_id: int, payload: dict[str, Any], now: datetime) -> None:
        """Queues a message to a user (about a delivery that failed)."""
        async with self._sessions() as session, session.begin():
            telegram_id = await session.scalar(
                select(UserRow.telegram_id).where(UserRow.id == user_id)
            )
            if telegram_id is None:
                return
            session.add(
                OutboxRow(
                    kind=OutboxKind.TELEGRAM.value,
                    recipient=str(telegram_id),
                    user_id=user_id,
                    payload=payload,
                    status="pending",
                    attempts=0,
                    next_attempt_at=now,
                    created_at=now,
                )
            )

    async def record_relay(self, relayed_id: int, telegram_message_id: int) -> None:
        """Notes the Telegram id the recipient sees, so a reply to it finds its thread."""
        async with self._sessions() as session, session.begin():
            await session.execute(
                update(MessageRow)
                .where(MessageRow.id == relayed_id)
                .values(recipient_message_id=telegram_message_id)
            )

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
                update(UserRow)
                .where(UserRow.telegram_id == telegram_id)
                .values(reachable=False, alertable=False)
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
