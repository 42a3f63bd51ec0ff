"""The scheduled gathering of due digests (the interval a seller picks is in profiles)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.digests import DIGESTS_PER_SWEEP, Digest
from domain.events import DigestDue
from domain.ports import UnitOfWork


@dataclass(frozen=True)
class GatherDigests:
    limit: int = DIGESTS_PER_SWEEP


async def gather_digests(uow: UnitOfWork, command: GatherDigests, now: datetime) -> list[Digest]:
    """Takes every digest that is due (the seller's oldest held lead waited their interval)
    and records it to be sent; the leads it names are marked digested in the caller's
    transaction, so a digest goes out once, whatever restarts."""
    digests = await uow.digests.take_due(now, command.limit)
    for digest in digests:
        uow.record(DigestDue(digest))
    return digests
