"""What the domain needs from the outside world, as Protocols that storage implements."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from types import TracebackType
from typing import Protocol, Self

from domain.model import EmailToken, OutboxMessage, User
from domain.skills import SkillName


class UserRepository(Protocol):
    async def get(self, user_id: int) -> User | None: ...

    async def get_by_telegram_id(self, telegram_id: int) -> User | None: ...

    async def add(self, user: User) -> User: ...

    async def save(self, user: User) -> None: ...

    async def mark_unreachable(self, telegram_id: int) -> None: ...


class SkillRepository(Protocol):
    async def resolve(self, names: Sequence[SkillName]) -> list[str]:
        """Returns the canonical display names, creating skills not seen before."""
        ...


class CategoryRepository(Protocol):
    async def names(self) -> list[str]: ...


class EmailTokenRepository(Protocol):
    async def add(self, token: EmailToken) -> None: ...

    async def get_by_hash(self, token_hash: str) -> EmailToken | None: ...

    async def save(self, token: EmailToken) -> None: ...

    async def latest_for_user(self, user_id: int) -> EmailToken | None: ...

    async def revoke_open_tokens(self, user_id: int, now: datetime) -> None: ...


class OutboxRepository(Protocol):
    async def add(self, message: OutboxMessage) -> None: ...


class UpdateLog(Protocol):
    async def first_time(self, update_id: int, now: datetime) -> bool:
        """Records the update id; False when it was recorded before (a re-delivery)."""
        ...


class UnitOfWork(Protocol):
    """One transaction; leaving it without ``commit()`` rolls everything back."""

    users: UserRepository
    skills: SkillRepository
    categories: CategoryRepository
    email_tokens: EmailTokenRepository
    outbox: OutboxRepository
    updates: UpdateLog

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...
