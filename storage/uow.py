"""The SQLAlchemy unit of work: one session, one transaction, rolled back unless committed."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

from sqlalchemy import delete
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, AsyncSessionTransaction, async_sessionmaker

from domain.errors import Conflict
from domain.events import Event
from domain.limits import Limits
from domain.ports import (
    AdminRepository,
    AuditRepository,
    CategoryRepository,
    ContactRepository,
    ContractRepository,
    DigestRepository,
    DisputeRepository,
    EmailTokenRepository,
    LeadRepository,
    NudgeRepository,
    OutboxRepository,
    ReviewRepository,
    SellerRepository,
    SkillRepository,
    ThreadRepository,
    UpdateLog,
    UsageRepository,
    UserRepository,
)
from storage.admin import SqlAdminRepository
from storage.audit import SqlAuditRepository
from storage.contact import SqlContactRepository
from storage.contracts import SqlContractRepository
from storage.digests import SqlDigestRepository
from storage.disputes import SqlDisputeRepository
from storage.integrity import CONFLICT, lost_race, report_bug
from storage.leads import SqlLeadRepository
from storage.models import ConversationRow, PersistenceRow
from storage.nudges import SqlNudgeRepository
from storage.repositories import (
    SqlCategoryRepository,
    SqlEmailTokenRepository,
    SqlOutboxRepository,
    SqlSkillRepository,
    SqlUpdateLog,
    SqlUserRepository,
    dialect_insert,
)
from storage.reviews import SqlReviewRepository
from storage.sellers import SqlSellerRepository
from storage.threads import SqlThreadRepository
from storage.usage import SqlUsageRepository


def _raise_conflict_for(exc: BaseException | None) -> None:
    """A lost race becomes the conflict sentence; any other integrity error is logged as the
    bug it is and left to surface as one."""
    if exc is None:
        return
    if lost_race(exc):
        # Two users changed the same thing at once and this one lost: a sentence, not a
        # crash. (The database refused the second writer, or a key the second insert.)
        raise Conflict(CONFLICT) from exc
    if isinstance(exc, IntegrityError):
        report_bug(exc)


class SqlUnitOfWork:
    # Made when first used in a transaction (``__getattr__``).
    users: UserRepository
    skills: SkillRepository
    categories: CategoryRepository
    email_tokens: EmailTokenRepository
    outbox: OutboxRepository
    updates: UpdateLog
    leads: LeadRepository
    sellers: SellerRepository
    threads: ThreadRepository
    reviews: ReviewRepository
    contracts: ContractRepository
    nudges: NudgeRepository
    digests: DigestRepository
    contact: ContactRepository
    usage: UsageRepository
    disputes: DisputeRepository
    audit: AuditRepository
    admin: AdminRepository

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], limits: Limits | None = None
    ) -> None:
        self._sessions = sessions
        # No limits unless bot/ passes the configured ones.
        self.limits = limits or Limits()
        self._session: AsyncSession | None = None
        self._events: list[Event] = []

    async def __aenter__(self) -> Self:
        self._session = self._sessions()
        self._events = []
        # The repositories of the last transaction go; this one's are made when first used
        # (``__getattr__``): most updates use two or three of them.
        for name in _REPOSITORIES.keys() & self.__dict__.keys():
            del self.__dict__[name]
        return self

    if not TYPE_CHECKING:  # mypy keeps checking attribute names against the annotations

        def __getattr__(self, name: str) -> Any:
            make, session = _REPOSITORIES.get(name), self.__dict__.get("_session")
            if make is None or session is None:
                raise AttributeError(name)
            repository = (
                SqlContactRepository(session, self.users) if name == "contact" else make(session)
            )
            setattr(self, name, repository)
            return repository

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._session is not None
        try:
            await self._session.rollback()
        finally:
            await self._session.close()
            self._session = None
        _raise_conflict_for(exc)

    async def commit(self) -> None:
        assert self._session is not None
        try:
            await self._session.commit()
        except DBAPIError as error:
            _raise_conflict_for(error)
            raise

    async def rollback(self) -> None:
        assert self._session is not None
        await self._session.rollback()
        self._events.clear()

    def record(self, event: Event) -> None:
        self._events.append(event)

    def collect_events(self) -> list[Event]:
        events, self._events = self._events, []
        return events

    async def save_conversation(
        self, name: str, key: Sequence[int | str], state: object | None
    ) -> None:
        """Writes a conversation's position in this transaction (None: the flow ended)."""
        session = self._active()
        encoded = json.dumps(list(key))
        if state is None:
            await session.execute(
                delete(ConversationRow).where(
                    ConversationRow.name == name, ConversationRow.key == encoded
                )
            )
            return
        insert = dialect_insert(session)
        statement = insert(ConversationRow).values(name=name, key=encoded, state={"state": state})
        await session.execute(
            statement.on_conflict_do_update(
                index_elements=["name", "key"], set_={"state": statement.excluded.state}
            )
        )

    async def save_user_data(self, user_id: int, data: dict[str, Any]) -> None:
        """Writes a user's flow data in this transaction."""
        session = self._active()
        insert = dialect_insert(session)
        statement = insert(PersistenceRow).values(kind="user_data", key=str(user_id), data=data)
        await session.execute(
            statement.on_conflict_do_update(
                index_elements=["kind", "key"], set_={"data": statement.excluded.data}
            )
        )

    def queued_outbox(self) -> bool:
        """True once this unit of work queued an outbox message (kept or not)."""
        outbox = self.__dict__.get("outbox")  # none made: nothing queued
        return isinstance(outbox, SqlOutboxRepository) and outbox.queued

    def joined(self) -> SqlUnitOfWork:
        """This unit of work seen by a use case called inside it: its own block is a
        savepoint, and its commit waits for the outer one."""
        return _Savepoint(self)

    def _active(self) -> AsyncSession:
        assert self._session is not None, "the unit of work is not open"
        return self._session


class _Savepoint(SqlUnitOfWork):
    """A use case's block inside the update's transaction: rolled back alone on failure."""

    def __init__(self, outer: SqlUnitOfWork) -> None:
        self._outer = outer
        self._sessions = outer._sessions
        self.limits = outer.limits
        self._session = outer._session
        self._savepoint: AsyncSessionTransaction | None = None
        self._committed = False
        self._events_before = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self._outer, name)

    async def __aenter__(self) -> Self:
        session = self._outer._active()
        self._session = session
        self._committed = False
        self._events_before = len(self._outer._events)
        self._savepoint = await session.begin_nested()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        savepoint, self._savepoint = self._savepoint, None
        assert savepoint is not None
        if exc is not None or not self._committed:
            if savepoint.is_active:
                await savepoint.rollback()
            del self._outer._events[self._events_before :]
        else:
            await savepoint.commit()
        _raise_conflict_for(exc)

    async def commit(self) -> None:
        """Kept for the outer transaction: the update commits once, at its end."""
        self._committed = True

    async def rollback(self) -> None:
        if self._savepoint is not None and self._savepoint.is_active:
            await self._savepoint.rollback()
        del self._outer._events[self._events_before :]

    def record(self, event: Event) -> None:
        self._outer.record(event)

    def collect_events(self) -> list[Event]:
        return self._outer.collect_events()

    def queued_outbox(self) -> bool:
        return self._outer.queued_outbox()  # the repositories are the outer unit's


# The repositories of an open unit of work, by attribute, each made from the unit's session
# (the contact repository also from its users: ``__getattr__``).
_REPOSITORIES: dict[str, Callable[..., object]] = {
    "users": SqlUserRepository,
    "skills": SqlSkillRepository,
    "categories": SqlCategoryRepository,
    "email_tokens": SqlEmailTokenRepository,
    "outbox": SqlOutboxRepository,
    "updates": SqlUpdateLog,
    "leads": SqlLeadRepository,
    "sellers": SqlSellerRepository,
    "threads": SqlThreadRepository,
    "reviews": SqlReviewRepository,
    "contracts": SqlContractRepository,
    "nudges": SqlNudgeRepository,
    "digests": SqlDigestRepository,
    "contact": SqlContactRepository,
    "usage": SqlUsageRepository,
    "disputes": SqlDisputeRepository,
    "audit": SqlAuditRepository,
    "admin": SqlAdminRepository,
}
