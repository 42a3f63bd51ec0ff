"""The repeating job that gathers the digests that fell due into the outbox."""

from __future__ import annotations

from domain import digest_cases
from handlers.core.context import LeadlineContext
from handlers.core.sweeps import sweep


async def send_digests(context: LeadlineContext) -> None:
    """Every ``alerts.digest_sweep_interval``: takes each due digest, marks its leads
    digested and queues its message, in one transaction."""
    command = digest_cases.GatherDigests()
    await sweep(context, "digest", lambda uow, now: digest_cases.gather_digests(uow, command, now))
