"""The admin console's repository: counts, finding users, suspensions, flagged messages and
decisions on verification documents."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from domain.credentials import DocumentKind, ProfileDocument
from domain.lifecycle import LeadStatus
from domain.model import SignupStage
from domain.moderation import ConsoleCounts, Flagged, Suspension, UserQuery
from storage.models import (
    ContactMessageRow,
    ContractRow,
    DisputeRow,
    LeadRow,
    MessageRow,
    OutboxRow,
    ProfileDocumentRow,
    ProfileRow,
    SuspensionRow,
    ThreadRow,
    UserRoleRow,
    UserRow,
    VerificationDecisionRow,
)
from storage.repositories import dialect_insert
from storage.threads import _message


async def _count_users(session: AsyncSession, where: ColumnElement[bool]) -> int:
    return int(await session.scalar(select(func.count()).select_from(UserRow).where(where)) or 0)


class SqlAdminRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def counts(self, since: datetime) -> ConsoleCounts:
        session = self._session
        # People who finished signing up and still have an account; those who only pressed
        # Start (an admin may never sign up) and those who deleted their account are apart.
        present = UserRow.deleted_at.is_(None)
        done = present & (UserRow.signup_stage == SignupStage.DONE.value)
        people = select(UserRow.id).where(done)
        users = await _count_users(session, done)
        unfinished = await _count_users(session, present & ~done)
        deleted = await _count_users(session, UserRow.deleted_at.is_not(None))
        suspended = await _count_users(session, done & (UserRow.status == "suspended"))
        by_role = (
            select(UserRoleRow.role, func.count())
            .where(UserRoleRow.user_id.in_(people))
            .group_by(UserRoleRow.role)
        )
        roles = {role: count for role, count in (await session.execute(by_role)).tuples()}
        leads = {
            LeadStatus(status): count
            for status, count in (
                await session.execute(select(LeadRow.status, func.count()).group_by(LeadRow.status))
            ).tuples()
        }
        contracts = await session.scalar(select(func.count()).select_from(ContractRow))
        messages = await session.scalar(
            select(func.count()).select_from(MessageRow).where(MessageRow.created_at >= since)
        )
        disputes = await session.scalar(
            select(func.count()).select_from(DisputeRow).where(DisputeRow.status == "open")
        )
        # A user waits when their latest Contact Us message is theirs, not an answer.
        latest = (
            select(ContactMessageRow.user_id, func.max(ContactMessageRow.id).label("id"))
            .group_by(ContactMessageRow.user_id)
            .subquery()
        )
        waiting = await session.scalar(
            select(func.count())
            .select_from(latest)
            .join(ContactMessageRow, ContactMessageRow.id == latest.c.id)
            .where(ContactMessageRow.direction == "in")
        )
        by_status = select(OutboxRow.status, func.count()).group_by(OutboxRow.status)
        outbox = {status: count for status, count in (await session.execute(by_status)).tuples()}
        return ConsoleCounts(
            users=users,
            unfinished=unfinished,
            deleted=deleted,
            buyers=roles.get("buyer", 0),
            sellers=roles.get("seller", 0),
            suspended=suspended,
            leads=leads,
            contracts=int(contracts or 0),
            messages_today=int(messages or 0),
            outbox_backlog=outbox.get("pending", 0) + outbox.get("sending", 0),
            outbox_failed=outbox.get("failed", 0),
            open_disputes=int(disputes or 0),
            contact_waiting=int(waiting or 0),
        )

    async def find_user(self, query: UserQuery) -> int | None:
        found = select(UserRow.id)
        if query.telegram_id is not None:
            found = found.where(UserRow.telegram_id == query.telegram_id)
        elif query.username is not None:
            found = found.where(func.lower(UserRow.username) == query.username.lower())
        elif query.email is not None:
            found = found.where(func.lower(UserRow.email) == query.email.lower())
        else:
            return None
        user_id: int | None = await self._session.scalar(found.order_by(UserRow.id).limit(1))
        return user_id

    async def record_suspension(
        self, user_id: int, reason: str, admin_id: int, now: datetime
    ) -> None:
        self._session.add(
            SuspensionRow(
                user_id=user_id, reason=reason, suspended_by_id=admin_id, suspended_at=now
            )
        )
        await self._session.flush()

    async def record_lift(self, user_id: int, admin_id: int, now: datetime) -> None:
        await self._session.execute(
            update(SuspensionRow)
            .where(SuspensionRow.user_id == user_id, SuspensionRow.lifted_at.is_(None))
            .values(lifted_by_id=admin_id, lifted_at=now)
        )

    async def latest_suspension(self, user_id: int) -> Suspension | None:
        admin, profile = aliased(UserRow), aliased(ProfileRow)
        row = (
            await self._session.execute(
                select(
                    SuspensionRow.reason,
                    SuspensionRow.suspended_at,
                    func.coalesce(profile.display_name, admin.first_name),
                    SuspensionRow.lifted_at,
                )
                .outerjoin(admin, admin.id == SuspensionRow.suspended_by_id)
                .outerjoin(profile, profile.user_id == admin.id)
                .where(SuspensionRow.user_id == user_id)
                .order_by(SuspensionRow.id.desc())
                .limit(1)
            )
        ).first()
        if row is None:
            return None
        reason, at, by, lifted = row
        return Suspension(reason, at, by, lifted)

    async def flagged(self, limit: int) -> list[Flagged]:
        rows = await self._session.execute(
            select(
                MessageRow,
                func.coalesce(ProfileRow.display_name, UserRow.first_name),
                LeadRow.title,
            )
            .join(UserRow, UserRow.id == MessageRow.sender_id)
            .outerjoin(ProfileRow, ProfileRow.user_id == UserRow.id)
            .join(ThreadRow, ThreadRow.id == MessageRow.thread_id)
            .join(LeadRow, LeadRow.id == ThreadRow.lead_id)
            .where(MessageRow.flagged.is_(True))
            .order_by(MessageRow.id.desc())
            .limit(limit)
        )
        return [Flagged(_message(row), name, title) for row, name, title in rows.tuples()]

    async def document(self, document_id: int) -> tuple[int, ProfileDocument] | None:
        row = await self._session.get(ProfileDocumentRow, document_id)
        if row is None:
            return None
        document = ProfileDocument(
            DocumentKind(row.kind), row.title, row.file_id, row.file_name, row.id
        )
        return row.user_id, document

    async def decide_verification(
        self,
        user_id: int,
        document_id: int,
        admin_id: int,
        verified: bool,
        reason: str | None,
        now: datetime,
    ) -> bool:
        insert = dialect_insert(self._session)
        result = await self._session.execute(
            insert(VerificationDecisionRow)
            .values(
                user_id=user_id,
                document_id=document_id,
                admin_id=admin_id,
                verified=verified,
                reason=reason,
                decided_at=now,
            )
            .on_conflict_do_nothing(index_elements=["document_id"])
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]
