"""In-memory stand-ins for the domain's ports, for use-case tests without a database."""

from __future__ import annotations

import copy
from collections.abc import Collection, Sequence
from dataclasses import replace
from datetime import datetime
from types import TracebackType
from typing import Self

from domain.events import Event
from domain.limits import Limits
from domain.model import EmailToken, OutboxMessage, User
from domain.skills import SkillName
from domain.taxonomy import DEFAULT_CATEGORIES


class FakeStore:
    """The 'database' the fake unit of work commits into."""

    def __init__(self) -> None:
        self.users: dict[int, User] = {}
        self.skills: dict[str, str] = {}
        self.tokens: list[EmailToken] = []
        self.outbox: list[OutboxMessage] = []
        self.updates: dict[str, datetime] = {}
        self.categories = list(DEFAULT_CATEGORIES)


class FakeUsers:
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self._uow = uow

    async def get(self, user_id: int) -> User | None:
        return copy.deepcopy(self._uow.pending.users.get(user_id))

    async def get_many(self, user_ids: Collection[int]) -> dict[int, User]:
        users = self._uow.pending.users
        return {uid: copy.deepcopy(users[uid]) for uid in user_ids if uid in users}

    async def get_by_telegram_id(self, telegram_id: int) -> User | None:
        for user in self._uow.pending.users.values():
            if user.telegram_id == telegram_id:
                return copy.deepcopy(user)
        return None

    async def add(self, user: User) -> User:
        stored = replace(user, id=len(self._uow.pending.users) + 1)
        self._uow.pending.users[stored.id or 0] = stored
        return copy.deepcopy(stored)

    async def save(self, user: User) -> None:
        assert user.id is not None
        # Like the repository, save() leaves the thread the user is writing in alone.
        stored = self._uow.pending.users.get(user.id)
        writing_in = stored.writing_in if stored is not None else user.writing_in
        self._uow.pending.users[user.id] = replace(copy.deepcopy(user), writing_in=writing_in)

    async def set_writing_in(self, user_id: int, thread_id: int | None) -> None:
        stored = self._uow.pending.users.get(user_id)
        if stored is not None:
            stored.writing_in = thread_id


class FakeSkills:
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self._uow = uow

    async def resolve(self, names: Sequence[SkillName]) -> list[str]:
        result = []
        for name in names:
            display = self._uow.pending.skills.setdefault(name.key, name.display)
            if display not in result:
                result.append(display)
        return result


class FakeCategories:
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self._uow = uow

    async def names(self) -> list[str]:
        return list(self._uow.pending.categories)

    async def sync(self, names: Sequence[str]) -> None:
        self._uow.pending.categories = list(names)


class FakeTokens:
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self._uow = uow

    async def add(self, token: EmailToken) -> None:
        self._uow.pending.tokens.append(replace(token, id=len(self._uow.pending.tokens) + 1))

    async def get_by_hash(self, token_hash: str) -> EmailToken | None:
        found = [t for t in self._uow.pending.tokens if t.token_hash == token_hash]
        return copy.deepcopy(found[0]) if found else None

    async def latest_for_user(self, user_id: int) -> EmailToken | None:
        found = [t for t in self._uow.pending.tokens if t.user_id == user_id]
        return copy.deepcopy(found[-1]) if found else None

    async def count_since(self, user_id: int, since: datetime) -> int:
        return sum(
            1 for t in self._uow.pending.tokens if t.user_id == user_id and t.created_at >= since
        )

    async def save(self, token: EmailToken) -> None:
        tokens = self._uow.pending.tokens
        tokens[:] = [token if t.id == token.id else t for t in tokens]

    async def revoke_open_tokens(self, user_id: int, now: datetime) -> None:
        for token in self._uow.pending.tokens:
            if token.user_id == user_id and token.used_at is None and token.expires_at > now:
                token.expires_at = now

    async def forget(self, user_id: int) -> None:
        tokens = self._uow.pending.tokens
        tokens[:] = [t for t in tokens if t.user_id != user_id]


class FakeOutbox:
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self._uow = uow

    async def add(self, message: OutboxMessage) -> None:
        keys = {m.dedupe_key for m in self._uow.pending.outbox if m.dedupe_key}
        if message.dedupe_key is None or message.dedupe_key not in keys:
            self._uow.pending.outbox.append(message)

    async def add_many(self, messages: Sequence[OutboxMessage]) -> None:
        for message in messages:
            await self.add(message)


class FakeUpdates:
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self._uow = uow

    async def mark_handled(self, key: str, now: datetime) -> bool:
        if key in self._uow.pending.updates:
            return False
        self._uow.pending.updates[key] = now
        return True

    async def forget_before(self, when: datetime) -> int:
        old = [key for key, at in self._uow.pending.updates.items() if at < when]
        for key in old:
            del self._uow.pending.updates[key]
        return len(old)


class FakeUnitOfWork:
    """Works on a copy of the store; commit publishes the copy, leaving without it discards."""

    def __init__(self, store: FakeStore) -> None:
        self.store = store
        self.pending = store
        self.committed = False
        self.users = FakeUsers(self)
        self.skills = FakeSkills(self)
        self.categories = FakeCategories(self)
        self.email_tokens = FakeTokens(self)
        self.outbox = FakeOutbox(self)
        self.updates = FakeUpdates(self)
        self.limits = Limits()
        self.events: list[Event] = []

    async def __aenter__(self) -> Self:
        self.pending = copy.deepcopy(self.store)
        self.committed = False
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.pending = self.store

    async def commit(self) -> None:
        self.store.__dict__.update(copy.deepcopy(self.pending).__dict__)
        self.committed = True

    async def rollback(self) -> None:
        self.pending = copy.deepcopy(self.store)
        self.events.clear()

    def record(self, event: Event) -> None:
        self.events.append(event)

    def collect_events(self) -> list[Event]:
        events, self.events = self.events, []
        return events
