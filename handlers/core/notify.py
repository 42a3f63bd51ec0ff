"""Turns domain events into outbox rows, in the transaction that recorded them.

Each feature declares what its events say and to whom (a ``Notices`` mapping from event
type to a function returning outbox messages); ``handlers.setup`` gathers them into the
application's one ``Notifier``, which the update path calls just before it commits.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from domain.events import Event
from domain.model import OutboxKind, OutboxMessage, User
from domain.ports import UnitOfWork
from handlers.core.outgoing import Payload


@dataclass(frozen=True)
class Telling:
    """What a notice needs besides its event."""

    now: datetime
    bot_username: str

    def to(self, user: User, payload: Payload, key: str | None = None) -> OutboxMessage:
        """A Telegram message for ``user``; ``key`` keeps it from being queued twice."""
        return OutboxMessage(
            kind=OutboxKind.TELEGRAM,
            recipient=str(user.telegram_id),
            payload=payload,
            created_at=self.now,
            dedupe_key=key,
            user_id=user.id,
        )


Notice = Callable[[Any, Telling], Iterable[OutboxMessage]]
Notices = Mapping[type[Event], Notice]


class Notifier:
    def __init__(self, *notices: Notices) -> None:
        self._notices: dict[type[Event], list[Notice]] = {}
        for mapping in notices:
            for kind, notice in mapping.items():
                self._notices.setdefault(kind, []).append(notice)

    def knows(self, kind: type[Event]) -> bool:
        return kind in self._notices

    async def publish(
        self, uow: UnitOfWork, events: Iterable[Event], now: datetime, bot_username: str
    ) -> int:
        """Queues what each event says; returns how many outbox rows were written."""
        telling = Telling(now, bot_username)
        messages = [
            message
            for event in events
            for notice in self._notices.get(type(event), ())
            for message in notice(event, telling)
        ]
        if messages:
            # One statement however many people hear of it.
            await uow.outbox.add_many(messages)
        return len(messages)
