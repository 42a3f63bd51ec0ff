"""Turns domain events into outbox rows, in the transaction that recorded them.

Each feature declares what its events say and to whom (a ``Notices`` mapping from event
type to a function returning outbox messages); ``handlers.setup`` gathers them into the
application's one ``Notifier``, which the update path calls just before it commits.

A feature may also react to another's event with more work in the same transaction (a
``Reactions`` mapping to domain functions taking the unit of work): completing a lead opens
its reviews. The events a reaction records are told like any other.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
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
    # Telegram ids of the administrators (settings), for what they are to be told.
    admin_ids: frozenset[int] = frozenset()

    def to_admins(self, payload: Payload, key: str | None = None) -> list[OutboxMessage]:
        """The same message for every administrator; ``key`` is made unique per admin."""
        return [
            OutboxMessage(
                kind=OutboxKind.TELEGRAM,
                recipient=str(admin),
                payload=payload,
                created_at=self.now,
                dedupe_key=f"{key}:{admin}" if key else None,
            )
            for admin in sorted(self.admin_ids)
        ]

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
Reaction = Callable[[UnitOfWork, Any, datetime], Awaitable[None]]
Reactions = Mapping[type[Event], Reaction]


def _has_chat(message: OutboxMessage) -> bool:
    """False for a message to a deleted account, whose Telegram id was given up (a negative
    number, which no Telegram user has: domain/account_cases.py)."""
    return message.kind is not OutboxKind.TELEGRAM or not message.recipient.startswith("-")


class Notifier:
    def __init__(
        self,
        *notices: Notices,
        reactions: Iterable[Reactions] = (),
        admin_ids: frozenset[int] = frozenset(),
    ) -> None:
        self.admin_ids = admin_ids
        self._notices: dict[type[Event], list[Notice]] = {}
        for mapping in notices:
            for kind, notice in mapping.items():
                self._notices.setdefault(kind, []).append(notice)
        self._reactions: dict[type[Event], list[Reaction]] = {}
        for reacting in reactions:
            for kind, reaction in reacting.items():
                self._reactions.setdefault(kind, []).append(reaction)

    def knows(self, kind: type[Event]) -> bool:
        return kind in self._notices or kind in self._reactions

    async def publish(
        self, uow: UnitOfWork, events: Iterable[Event], now: datetime, bot_username: str
    ) -> int:
        """Runs the reactions to the events, then queues what each event (theirs too) says;
        returns how many outbox rows were written."""
        telling = Telling(now, bot_username, self.admin_ids)
        pending = list(events)
        messages: list[OutboxMessage] = []
        while pending:
            event = pending.pop(0)
            for reaction in self._reactions.get(type(event), ()):
                await reaction(uow, event, now)
                pending += uow.collect_events()
            for notice in self._notices.get(type(event), ()):
                messages += [m for m in notice(event, telling) if _has_chat(m)]
        if messages:
            # One statement however many people hear of it.
            await uow.outbox.add_many(messages)
        return len(messages)
