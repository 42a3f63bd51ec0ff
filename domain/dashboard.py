"""The dashboard: what a user has going on, as counts and paginated lists."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from domain.leads import Lead
from domain.lifecycle import LeadStatus
from domain.model import User
from domain.onboarding import load_user
from domain.ports import Page, UnitOfWork

PAGE_SIZE = 5


class LeadList(StrEnum):
    MINE = "mine"
    IN_PROGRESS = "progress"
    REQUESTED = "requested"
    COMPLETED = "completed"


_STATUSES = {
    LeadList.MINE: [LeadStatus.DRAFT, LeadStatus.OPEN, LeadStatus.WITHDRAWN],
    LeadList.IN_PROGRESS: [LeadStatus.IN_PROGRESS, LeadStatus.DELIVERED, LeadStatus.DISPUTED],
    LeadList.COMPLETED: [LeadStatus.COMPLETED, LeadStatus.CANCELLED],
}


@dataclass(frozen=True)
class Dashboard:
    user: User
    counts: dict[LeadStatus, int]
    requested: int
    stars: dict[str, int] = field(default_factory=dict)


async def dashboard(uow: UnitOfWork, telegram_id: int) -> Dashboard:
    async with uow:
        user = await load_user(uow, telegram_id)
        assert user.id is not None
        counts = await uow.leads.status_counts(user.id) if user.is_buyer else {}
        requested = (await uow.leads.requested_for(user.id, 0, 1)).total if user.is_seller else 0
        # Stars are awarded when leads are closed; until then every skill has none.
        stars = {skill: 0 for skill in user.profile.skills} if user.is_seller else {}
        return Dashboard(user, counts, requested, stars)


async def lead_list(uow: UnitOfWork, telegram_id: int, kind: LeadList, offset: int) -> Page[Lead]:
    async with uow:
        user = await load_user(uow, telegram_id)
        assert user.id is not None
        if kind is LeadList.REQUESTED:
            return await uow.leads.requested_for(user.id, offset, PAGE_SIZE)
        return await uow.leads.of_buyer(user.id, _STATUSES[kind], offset, PAGE_SIZE)
