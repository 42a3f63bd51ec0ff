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


@dataclass(frozen=True)
class LeadListing:
    """A page of a dashboard list, with a short note per lead (latest offer, due date)."""

    page: Page[Lead]
    notes: dict[int, str]


async def lead_list(uow: UnitOfWork, telegram_id: int, kind: LeadList, offset: int) -> LeadListing:
    async with uow:
        user = await load_user(uow, telegram_id)
        assert user.id is not None
        notes: dict[int, str] = {}
        if kind is LeadList.REQUESTED:
            page = await uow.leads.requested_for(user.id, offset, PAGE_SIZE)
            threads = await uow.threads.threads_of_seller(
                user.id, [lead.id for lead in page.items if lead.id is not None]
            )
            latest = await uow.threads.latest_offers([t.id for t in threads.values() if t.id])
            for lead_id, thread in threads.items():
                offer = latest.get(thread.id or 0)
                if offer is not None:
                    who = "your offer" if offer.author_id == user.id else "their offer"
                    notes[lead_id] = f"{who} {offer.amount.format()}, {offer.status.value}"
            return LeadListing(page, notes)
        if kind is LeadList.IN_PROGRESS:
            # Contracts on either side: the buyer's hires and the seller's jobs.
            contracts = await uow.threads.contracts_of(user.id)
            leads = await uow.leads.get_many({contract.lead_id for contract in contracts})
            running = [
                (lead, f"due {contract.due_at:%d %b %Y}")
                for contract in contracts
                if (lead := leads.get(contract.lead_id)) is not None
                and lead.status in _STATUSES[LeadList.IN_PROGRESS]
            ]
            chosen = running[offset : offset + PAGE_SIZE]
            notes = {lead.id or 0: note for lead, note in chosen}
            page = Page([lead for lead, _ in chosen], len(running), offset, PAGE_SIZE)
            return LeadListing(page, notes)
        page = await uow.leads.of_buyer(user.id, _STATUSES[kind], offset, PAGE_SIZE)
        return LeadListing(page, notes)
