"""Use cases of nudges: the sweep that claims what fell due, and muting kinds in /settings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.errors import NotAllowed
from domain.events import NudgeDue
from domain.model import User
from domain.nudges import (
    CLAIM_LIMIT,
    ESSENTIAL,
    Claim,
    Nudge,
    NudgeKind,
    NudgeTimings,
    window,
)
from domain.ports import UnitOfWork


@dataclass(frozen=True)
class Sweep:
    timings: NudgeTimings
    limit: int = CLAIM_LIMIT


async def sweep(uow: UnitOfWork, command: Sweep, now: datetime) -> list[Nudge]:
    """Claims every nudge that fell due since the last sweep and whose reason still holds,
    each exactly once, and records it to be sent (in the caller's transaction)."""
    swept = await uow.nudges.swept_until()
    claims: list[Claim] = []
    marks: dict[NudgeKind, datetime] = {}
    for kind in uow.nudges.kinds:
        due = window(kind, swept.get(kind), command.timings, now)
        claimed = await uow.nudges.claim(due, command.limit)
        claims += claimed
        # A full batch stops at its last anchor: the next sweep goes on from there.
        full = len(claimed) >= command.limit
        marks[kind] = max(c.anchor_at for c in claimed) if full else due.until
    await uow.nudges.mark_swept(marks)
    nudges = await uow.nudges.described([claim.id for claim in claims])
    for nudge in nudges:
        uow.record(NudgeDue(nudge))
    return nudges


@dataclass(frozen=True)
class MuteNudges:
    kind: NudgeKind
    muted: bool


async def muted_nudges(
    uow: UnitOfWork, user: User, command: object, now: datetime
) -> frozenset[NudgeKind]:
    """The kinds of nudges the user has muted."""
    user.ensure_signed_up()
    return await uow.nudges.muted(user.key)


async def mute_nudges(
    uow: UnitOfWork, user: User, command: MuteNudges, now: datetime
) -> frozenset[NudgeKind]:
    """Mutes or unmutes one kind of nudge; returns the kinds now muted."""
    user.ensure_signed_up()
    if command.kind in ESSENTIAL:
        raise NotAllowed("This reminder cannot be muted: someone is waiting on you.")
    await uow.nudges.set_muted(user.key, command.kind, command.muted)
    return await uow.nudges.muted(user.key)
