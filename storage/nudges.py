"""Nudges: each kind is one query of candidates whose reason holds; a claim inserts them.

A kind's query returns ``subject_id, recipient_id, anchor_at, lead_id, thread_id,
other_id`` for the
anchors of a window (``domain.nudges.Window``); ``claim`` adds what every kind shares (the
recipient active and reachable, the kind not muted, never claimed before) and inserts the
nudges in the same statement, so what is claimed is exactly what held when it was claimed.
Every query reads its anchors through an index on them, so a sweep costs what fell due
since the last one, not the size of the marketplace.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Float,
    Integer,
    Select,
    String,
    and_,
    case,
    delete,
    exists,
    extract,
    func,
    literal,
    null,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from domain.lifecycle import LeadStatus
from domain.model import SignupStage, UserStatus
from domain.negotiation import OfferStatus
from domain.nudges import MUTABLE, Claim, LeadRef, Nudge, NudgeKind, Person, Window
from storage.models import (
    ContractRow,
    EmailTokenRow,
    LeadRow,
    NudgeMuteRow,
    NudgeRow,
    NudgeSweepRow,
    OfferRow,
    ProfileRow,
    ReviewRow,
    ThreadRow,
    UserRow,
    UtcDateTime,
)
from storage.repositories import dialect_insert

Span = Callable[[Any, Any], ColumnElement[float]]
Candidates = Callable[[Window, Span], Select[Any]]


def _in(anchor: Any, window: Window) -> ColumnElement[bool]:
    """The anchor lies in the window: after ``since`` (if any), up to ``until``."""
    upper = anchor <= window.until
    return upper if window.since is None else and_(anchor > window.since, upper)


def _row(
    subject: Any,
    recipient: Any,
    anchor: Any,
    lead: Any = None,
    thread: Any = None,
    other: Any = None,
) -> list[Any]:
    """The columns every kind's query returns (None where a kind has no such thing)."""
    return [
        subject.label("subject_id"),
        recipient.label("recipient_id"),
        anchor.label("anchor_at"),
        (lead if lead is not None else null()).label("lead_id"),
        (thread if thread is not None else null()).label("thread_id"),
        (other if other is not None else null()).label("other_id"),
    ]


def deadline_near(window: Window, span: Span) -> Select[Any]:
    """Both sides of a contract in progress whose due date is within the warning time.
    A contract no longer than the warning time gets none: it was hired with its date."""
    c = ContractRow
    reason = [
        LeadRow.status == LeadStatus.IN_PROGRESS.value,
        _in(c.due_at, window),
        c.due_at > window.now,
        span(c.started_at, c.due_at) > -window.lag.total_seconds(),
    ]
    seller = select(*_row(c.id, c.seller_id, c.due_at, c.lead_id, c.thread_id, c.buyer_id))
    buyer = select(*_row(c.id, c.buyer_id, c.due_at, c.lead_id, c.thread_id, c.seller_id))
    return select(
        union_all(
            seller.join(LeadRow, LeadRow.id == c.lead_id).where(*reason),
            buyer.join(LeadRow, LeadRow.id == c.lead_id).where(*reason),
        ).subquery()
    )


def deadline_passed(window: Window, span: Span) -> Select[Any]:
    """The buyer of a contract whose due date passed while the lead is still in progress
    (not delivered, completed, cancelled or disputed)."""
    c = ContractRow
    return (
        select(*_row(c.id, c.buyer_id, c.due_at, c.lead_id, c.thread_id, c.seller_id))
        .join(LeadRow, LeadRow.id == c.lead_id)
        .where(LeadRow.status == LeadStatus.IN_PROGRESS.value, _in(c.due_at, window))
    )


def offer_unanswered(window: Window, span: Span) -> Select[Any]:
    """The side that must answer an open offer on an open lead (an open offer is always
    the latest of its thread: a counter supersedes it)."""
    o, t = OfferRow, ThreadRow
    answering = case((o.author_id == t.buyer_id, t.seller_id), else_=t.buyer_id)
    return (
        select(*_row(o.id, answering, o.created_at, t.lead_id, t.id, o.author_id))
        .join(t, t.id == o.thread_id)
        .join(LeadRow, LeadRow.id == t.lead_id)
        .where(
            o.status == OfferStatus.OPEN.value,
            _in(o.created_at, window),
            LeadRow.status == LeadStatus.OPEN.value,
        )
    )


def lead_without_bids(window: Window, span: Span) -> Select[Any]:
    """The buyer of a lead still open with no offer in any of its conversations."""
    lead = LeadRow
    bids = (
        select(OfferRow.id)
        .join(ThreadRow, ThreadRow.id == OfferRow.thread_id)
        .where(ThreadRow.lead_id == lead.id)
    )
    return select(*_row(lead.id, lead.buyer_id, lead.published_at, lead.id)).where(
        lead.status == LeadStatus.OPEN.value,
        _in(lead.published_at, window),
        ~exists(bids),
    )


def email_unconfirmed(window: Window, span: Span) -> Select[Any]:
    """Someone still signing up whose newest confirmation link is unused (a fresh one is a
    button away, even if it expired). Once per address: a link sent again to the same
    address is not reminded of again. (A signed-up user giving a new address in /profile
    keeps the confirmed one meanwhile, so gets no reminder.)"""
    token, newer, same = EmailTokenRow, aliased(EmailTokenRow), aliased(EmailTokenRow)
    reminded = (
        select(same.id)
        .join(
            NudgeRow,
            and_(
                NudgeRow.kind == NudgeKind.EMAIL_UNCONFIRMED.value,
                NudgeRow.subject_id == same.id,
            ),
        )
        .where(same.user_id == token.user_id, same.email == token.email)
    )
    return (
        select(*_row(token.id, token.user_id, token.created_at))
        .join(UserRow, UserRow.id == token.user_id)
        .where(
            token.used_at.is_(None),
            _in(token.created_at, window),
            ~exists().where(newer.user_id == token.user_id, newer.id > token.id),
            UserRow.signup_stage == SignupStage.CONFIRM_EMAIL.value,
            ~exists(reminded),
        )
    )


def delivery_waiting(window: Window, span: Span) -> Select[Any]:
    """The buyer of a delivery neither approved nor sent back. Anchored on the delivery's
    time, so a second delivery after a request for changes is a reason of its own."""
    c = ContractRow
    return (
        select(*_row(c.id, c.buyer_id, c.delivered_at, c.lead_id, c.thread_id, c.seller_id))
        .join(LeadRow, LeadRow.id == c.lead_id)
        .where(
            LeadRow.status == LeadStatus.DELIVERED.value,
            c.approved_at.is_(None),
            _in(c.delivered_at, window),
        )
    )


def review_pending(window: Window, span: Span) -> Select[Any]:
    """Each side of a completed lead whose review of the other is not submitted yet."""
    c = ContractRow

    def unreviewed(recipient: Any, other: Any) -> Select[Any]:
        given = select(ReviewRow.id).where(
            ReviewRow.lead_id == c.lead_id,
            ReviewRow.author_id == recipient,
            ReviewRow.submitted_at.is_not(None),
        )
        return (
            select(*_row(c.lead_id, recipient, c.completed_at, c.lead_id, c.thread_id, other))
            .join(LeadRow, LeadRow.id == c.lead_id)
            .where(
                LeadRow.status == LeadStatus.COMPLETED.value,
                _in(c.completed_at, window),
                ~exists(given),
            )
        )

    return select(
        union_all(
            unreviewed(c.buyer_id, c.seller_id), unreviewed(c.seller_id, c.buyer_id)
        ).subquery()
    )


# Adding a kind: one query here, one renderer in handlers/nudges/notices.py.
CANDIDATES: dict[NudgeKind, Candidates] = {
    NudgeKind.DEADLINE_NEAR: deadline_near,
    NudgeKind.DEADLINE_PASSED: deadline_passed,
    NudgeKind.DELIVERY_WAITING: delivery_waiting,
    NudgeKind.REVIEW_PENDING: review_pending,
    NudgeKind.OFFER_UNANSWERED: offer_unanswered,
    NudgeKind.LEAD_WITHOUT_BIDS: lead_without_bids,
    NudgeKind.EMAIL_UNCONFIRMED: email_unconfirmed,
}


def _person(user: Any, profile: Any) -> list[Any]:
    return [
        user.id,
        user.telegram_id,
        user.first_name,
        profile.display_name,
        profile.timezone,
        user.email,
    ]


def _described_person(values: Sequence[Any]) -> Person:
    """A person from ``_person``'s columns: the display name if chosen, like ``User.name``."""
    user_id, telegram_id, first_name, display_name, timezone, email = values
    return Person(user_id, telegram_id, display_name or first_name, timezone or "UTC", email)


def _sqlite_span(start: Any, end: Any) -> ColumnElement[float]:
    return (func.julianday(end) - func.julianday(start)) * 86400.0


def _postgresql_span(start: Any, end: Any) -> ColumnElement[float]:
    return type_coerce(extract("epoch", end - start), Float)


class SqlNudgeRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    @property
    def kinds(self) -> tuple[NudgeKind, ...]:
        return tuple(CANDIDATES)

    async def swept_until(self) -> dict[NudgeKind, datetime]:
        rows = await self._session.execute(select(NudgeSweepRow.kind, NudgeSweepRow.swept_until))
        known = {kind.value: kind for kind in NudgeKind}
        return {known[kind]: at for kind, at in rows.tuples() if kind in known}

    async def claim(self, window: Window, limit: int) -> list[Claim]:
        postgresql = self._session.get_bind().dialect.name == "postgresql"
        span = _postgresql_span if postgresql else _sqlite_span
        kind = window.kind
        candidate = CANDIDATES[kind](window, span).subquery("candidate")
        claimed_before = exists().where(
            NudgeRow.kind == kind.value,
            NudgeRow.subject_id == candidate.c.subject_id,
            NudgeRow.recipient_id == candidate.c.recipient_id,
            NudgeRow.anchor_at == candidate.c.anchor_at,
        )
        shared = [
            UserRow.status == UserStatus.ACTIVE.value,
            UserRow.reachable.is_(True),
            ~claimed_before,
        ]
        if kind in MUTABLE:
            shared.append(
                ~exists().where(
                    NudgeMuteRow.user_id == candidate.c.recipient_id,
                    NudgeMuteRow.kind == kind.value,
                )
            )
        chosen = (
            select(
                literal(kind.value, String(24)),
                candidate.c.subject_id,
                candidate.c.recipient_id,
                candidate.c.anchor_at,
                candidate.c.lead_id.cast(Integer),
                candidate.c.thread_id.cast(Integer),
                candidate.c.other_id.cast(Integer),
                literal(window.now, UtcDateTime()),
            )
            .join(UserRow, UserRow.id == candidate.c.recipient_id)
            .where(*shared)
            .order_by(candidate.c.anchor_at, candidate.c.subject_id, candidate.c.recipient_id)
            .limit(limit)
        )
        insert = dialect_insert(self._session)
        statement = (
            insert(NudgeRow)
            .from_select(
                [
                    NudgeRow.kind,
                    NudgeRow.subject_id,
                    NudgeRow.recipient_id,
                    NudgeRow.anchor_at,
                    NudgeRow.lead_id,
                    NudgeRow.thread_id,
                    NudgeRow.other_id,
                    NudgeRow.queued_at,
                ],
                chosen,
            )
            # Two sweeps at once (a standby taking over): the second claims nothing twice.
            .on_conflict_do_nothing()
            .returning(NudgeRow.id, NudgeRow.anchor_at)
        )
        rows = await self._session.execute(statement)
        return sorted(
            (Claim(id_, anchor) for id_, anchor in rows.tuples()),
            key=lambda claim: (claim.anchor_at, claim.id),
        )

    async def described(self, nudge_ids: Sequence[int]) -> list[Nudge]:
        if not nudge_ids:
            return []
        recipient, other = aliased(UserRow), aliased(UserRow)
        recipient_profile, other_profile = aliased(ProfileRow), aliased(ProfileRow)
        query = (
            select(
                NudgeRow.id,
                NudgeRow.kind,
                NudgeRow.subject_id,
                NudgeRow.anchor_at,
                NudgeRow.thread_id,
                *_person(recipient, recipient_profile),
                LeadRow.id,
                LeadRow.title,
                LeadRow.buyer_id,
                *_person(other, other_profile),
            )
            .join(recipient, recipient.id == NudgeRow.recipient_id)
            .outerjoin(recipient_profile, recipient_profile.user_id == recipient.id)
            .outerjoin(LeadRow, LeadRow.id == NudgeRow.lead_id)
            .outerjoin(other, other.id == NudgeRow.other_id)
            .outerjoin(other_profile, other_profile.user_id == other.id)
        )
        found: dict[int, Nudge] = {}
        for start in range(0, len(nudge_ids), 1000):
            batch = nudge_ids[start : start + 1000]
            rows = await self._session.execute(query.where(NudgeRow.id.in_(batch)))
            for row in rows.tuples():
                id_, kind, subject, anchor, thread = row[:5]
                lead_id, title, buyer = row[11:14]
                found[id_] = Nudge(
                    id=id_,
                    kind=NudgeKind(kind),
                    subject_id=subject,
                    recipient=_described_person(row[5:11]),
                    anchor_at=anchor,
                    lead=LeadRef(lead_id, title or "", buyer) if lead_id is not None else None,
                    thread_id=thread,
                    other=_described_person(row[14:20]) if row[14] is not None else None,
                )
        return [found[id_] for id_ in nudge_ids if id_ in found]

    async def mark_swept(self, marks: Mapping[NudgeKind, datetime]) -> None:
        if not marks:
            return
        insert = dialect_insert(self._session)
        statement = insert(NudgeSweepRow).values(
            [{"kind": kind.value, "swept_until": at} for kind, at in marks.items()]
        )
        await self._session.execute(
            statement.on_conflict_do_update(
                index_elements=["kind"], set_={"swept_until": statement.excluded.swept_until}
            )
        )

    async def muted(self, user_id: int) -> frozenset[NudgeKind]:
        kinds = await self._session.scalars(
            select(NudgeMuteRow.kind).where(NudgeMuteRow.user_id == user_id)
        )
        known = {kind.value: kind for kind in NudgeKind}
        return frozenset(known[kind] for kind in kinds if kind in known)

    async def set_muted(self, user_id: int, kind: NudgeKind, muted: bool) -> None:
        if muted:
            insert = dialect_insert(self._session)
            await self._session.execute(
                insert(NudgeMuteRow)
                .values(user_id=user_id, kind=kind.value)
                .on_conflict_do_nothing()
            )
            return
        await self._session.execute(
            delete(NudgeMuteRow).where(
                NudgeMuteRow.user_id == user_id, NudgeMuteRow.kind == kind.value
            )
        )
