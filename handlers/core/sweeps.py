"""One sweep of a repeating job: a use case that finds what fell due in the database and
queues its messages, in one transaction with them."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sized
from datetime import datetime

from domain.ports import UnitOfWork
from handlers.core.context import LeadlineContext

log = logging.getLogger(__name__)

Gather = Callable[[UnitOfWork, datetime], Awaitable[Sized]]


async def sweep(context: LeadlineContext, what: str, gather: Gather) -> None:
    """Runs ``gather`` and writes its events to the outbox in the same transaction; a
    failure takes nothing, so the next sweep finds the same work due."""
    services = context.services
    now = services.clock()
    uow = context.uow()
    try:
        async with uow:
            found = await gather(uow, now)
            await services.notifier.publish(uow, uow.collect_events(), now, context.bot.username)
            await uow.commit()
    except Exception:
        log.exception("The %s sweep failed; the next one tries again", what)
        return
    if found:
        log.info("Queued %d %s(s)", len(found), what)
        services.kick_outbox()
