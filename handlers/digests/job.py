"""The repeating job that gathers the digests that fell due into the outbox."""

from __future__ import annotations

import logging

from domain import digest_cases
from handlers.core.context import LeadlineContext

log = logging.getLogger(__name__)


async def send_digests(context: LeadlineContext) -> None:
    """Every ``alerts.digest_sweep_interval``: takes each due digest, marks its leads
    digested and queues its message, in one transaction."""
    services = context.services
    now = services.clock()
    uow = context.uow()
    try:
        async with uow:
            digests = await digest_cases.gather_digests(uow, digest_cases.GatherDigests(), now)
            await services.notifier.publish(uow, uow.collect_events(), now, context.bot.username)
            await uow.commit()
    except Exception:
        # Nothing was taken: the next sweep finds the same digests due.
        log.exception("The digest sweep failed; the next one tries again")
        return
    if digests:
        log.info("Queued %d digest(s)", len(digests))
        services.kick_outbox()
