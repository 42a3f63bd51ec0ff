"""The repeating job that turns what fell due in the database into nudges in the outbox."""

from __future__ import annotations

from typing import cast

from domain import nudge_cases
from domain.nudges import NudgeTimings
from handlers.core.context import LeadlineContext
from handlers.core.sweeps import sweep


async def sweep_nudges(context: LeadlineContext) -> None:
    """Every ``nudges.sweep_interval``: claims each nudge due since the last sweep, once,
    and queues its message, in one transaction."""
    assert context.job is not None
    timings = cast(NudgeTimings, context.job.data)
    command = nudge_cases.Sweep(timings)
    await sweep(context, "nudge", lambda uow, now: nudge_cases.sweep(uow, command, now))
