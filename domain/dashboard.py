"""The dashboard: what a user has going on, as counts and paginated lists."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from domain.leads import Lead
from domain.lifecycle import LeadStatus
from domain.model import User
from domain.negotiation import Offer
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


@dataclass(frozen=True)
class ListLeads:
    kind: LeadList
    offset: int


@dataclass(frozen=True)
class LeadListing:
    """A page of a dashboard list, with what each lead's line mentions: on a requested
    lead the latest offer of the seller's conversation, on a lead in progress its due date."""

    page: Page[Lead]
    offers: dict[int, Offer] = field(default_factory=dict)
    due: dict[int, datetime] = field(default_factory=dict)


async def dashboard(uow: UnitOfWork, user: User, _: object, now: datetime) -> Dashboard:
    """The counts of the user's leads, the leads they were asked about, and their stars."""
    user.ensure_signed_up()
    counts = await uow.leads.status_counts(user.key) if user.is_buyer else {}
    requested = (await uow.leads.requested_for(user.key, 0, 1)).total if user.is_seller else 0
    # Stars are awarded when leads are closed; until then every skill has none.
    stars = {skill: 0 for skill in user.profile.skills} if user.is_seller else {}
    return Dashboard(user, counts, requested, stars)


async def lead_list(uow: UnitOfWork, user: User, command: ListLeads, now: datetime) -> LeadListing:
    """One page of a dashboard list."""
    if command.kind is LeadList.REQUESTED:
        return await _requested(uow, user, command.offset)
    if command.kind is LeadList.IN_PROGRESS:
        return await _in_progress(uow, user, command.offset)
    page = await uow.leads.of_buyer(user.key, _STATUSES[command.kind], command.offset, PAGE_SIZE)
    return LeadListing(page)


async def _requested(uow: UnitOfWork, seller: User, offset: int) -> LeadListing:
    """Leads the seller bid on or was invited to, with the latest offer of each."""
    page = await uow.leads.requested_for(seller.key, offset, PAGE_SIZE)
    threads = await uow.threads.threads_of_seller(
        seller.key, [lead.id for lead in page.items if lead.id is not None]
    )
    latest = await uow.threads.latest_offers([t.id for t in threads.values() if t.id])
    offers = {
        lead_id: offer
        for lead_id, thread in threads.items()
        if (offer := latest.get(thread.id or 0)) is not None
    }
    return LeadListing(page, offers=offers)


async def _in_progress(uow: UnitOfWork, user: User, offset: int) -> LeadListing:
    """Contracts on either side: the buyer's hires and the seller's jobs."""
    contracts = await uow.threads.contracts_of(user.key)
    leads = await uow.leads.get_many({contract.lead_id for contract in contracts})
    running = [
        (lead, contract.due_at)
        for contract in contracts
        if (lead := leads.get(contract.lead_id)) is not None
        and lead.status in _STATUSES[LeadList.IN_PROGRESS]
    ]
    chosen = running[offset : offset + PAGE_SIZE]
    page = Page([lead for lead, _ in chosen], len(running), offset, PAGE_SIZE)
    return LeadListing(page, due={lead.id or 0: due for lead, due in chosen})
