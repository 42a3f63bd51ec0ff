"""The repeating job that turns what fell due in the database into nudges in the outbox."""

from __future__ import annotations

import logging
from typing import cast

from domain import nudge_cases
from domain.nudges import NudgeTimings
from handlers.core.context import LeadlineContext

log = logging.getLogger(__name__)


async def sweep_nudges(context: LeadlineContext) -> None:
    """Every ``nudges.sweep_interval``: claims each nudge due since the last sweep, once,
    and queues its message, in one transaction."""
    assert context.job is not None
    timings = cast(NudgeTimings, context.job.data)
    services = context.services
    now = services.clock()
    uow = context.uow()
    try:
        async with uow:
            nudges = await nudge_cases.sweep(uow, nudge_cases.Sweep(timings), now)
            await services.notifier.publish(uow, uow.collect_events(), now, context.bot.username)
            await uow.commit()
    except Exception:
        # Nothing was claimed: the next sweep looks at the same window again.
        log.exception("The nudge sweep failed; the next one tries again")
        return
    if nudges:
        log.info("Queued %d nudge(s)", len(nudges))
        services.kick_outbox()
