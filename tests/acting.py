"""Runs a use case as the update path would: one transaction, as a user, committed once."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import TypeVar

from domain.errors import NotFound
from domain.events import Event
from domain.model import User
from domain.ports import UnitOfWork

C = TypeVar("C")
R = TypeVar("R")


async def act(
    uow: UnitOfWork,
    telegram_id: int,
    use_case: Callable[[UnitOfWork, User, C, datetime], Awaitable[R]],
    command: C,
    now: datetime,
    events: list[Event] | None = None,
) -> R:
    """Calls ``use_case`` as the user with ``telegram_id``; ``events`` collects its events."""
    async with uow:
        user = await uow.users.get_by_telegram_id(telegram_id)
        if user is None:
            raise NotFound("Please send /start to sign up first.")
        result = await use_case(uow, user, command, now)
        if events is not None:
            events.extend(uow.collect_events())
        await uow.commit()
        return result
