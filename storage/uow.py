"""The SQLAlchemy unit of work: one session, one transaction, rolled back unless committed."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domain.errors import Conflict
from domain.ports import (
    CategoryRepository,
    EmailTokenRepository,
    LeadRepository,
    OutboxRepository,
    SellerRepository,
    SkillRepository,
    ThreadRepository,
    UpdateLog,
    UserRepository,
)
from storage.leads import SqlLeadRepository
from storage.repositories import (
    SqlCategoryRepository,
    SqlEmailTokenRepository,
    SqlOutboxRepository,
    SqlSkillRepository,
    SqlUpdateLog,
    SqlUserRepository,
)
from storage.sellers import SqlSellerRepository
from storage.threads import SqlThreadRepository


def _lost_race(error: IntegrityError | OperationalError) -> bool:
    if isinstance(error, IntegrityError):
        return True
    text = str(error.orig).lower()
    return "locked" in text or "busy" in text or "could not serialize" in text


class SqlUnitOfWork:
    users: UserRepository
    skills: SkillRepository
    categories: CategoryRepository
    email_tokens: EmailTokenRepository
    outbox: OutboxRepository
    updates: UpdateLog
    leads: LeadRepository
    sellers: SellerRepository
    threads: ThreadRepository

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions
        self._session: AsyncSession | None = None

    async def __aenter__(self) -> Self:
        session = self._sessions()
        self._session = session
        self.users = SqlUserRepository(session)
        self.skills = SqlSkillRepository(session)
        self.categories = SqlCategoryRepository(session)
        self.email_tokens = SqlEmailTokenRepository(session)
        self.outbox = SqlOutboxRepository(session)
        self.updates = SqlUpdateLog(session)
        self.leads = SqlLeadRepository(session)
        self.sellers = SqlSellerRepository(session)
        self.threads = SqlThreadRepository(session)
        return self

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
        if isinstance(exc, IntegrityError | OperationalError) and _lost_race(exc):
            # Two users changed the same thing at once and this one lost: a sentence, not a
            # crash. (SQLite refuses a stale writer; unique keys refuse a second insert.)
            raise Conflict(
                "Someone else changed this at the same moment; please try again."
            ) from exc

    async def commit(self) -> None:
        assert self._session is not None
        await self._session.commit()

    async def rollback(self) -> None:
        assert self._session is not None
        await self._session.rollback()
