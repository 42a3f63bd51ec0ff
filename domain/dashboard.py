"""The dashboard: what a user has going on, as counts and paginated lists."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from domain.leads import Lead
from domain.lifecycle import LeadStatus
from domain.model import User
from domain.negotiation import Contract, Offer
from domain.ports import Page, UnitOfWork
from domain.reviews import Reputation, Review, StarTally

PAGE_SIZE = 5


class LeadList(StrEnum):
    MINE = "mine"
    IN_PROGRESS = "progress"
    REQUESTED = "requested"
    COMPLETED = "completed"


# My leads: every lead of the buyer, in this order of status (the summary counts the same).
MY_LEADS_ORDER = (
    LeadStatus.DRAFT,
    LeadStatus.OPEN,
    LeadStatus.IN_PROGRESS,
    LeadStatus.DELIVERED,
    LeadStatus.DISPUTED,
    LeadStatus.COMPLETED,
    LeadStatus.CANCELLED,
    LeadStatus.WITHDRAWN,
)
_STATUSES = {
    LeadList.MINE: list(MY_LEADS_ORDER),
    LeadList.IN_PROGRESS: [LeadStatus.IN_PROGRESS, LeadStatus.DELIVERED, LeadStatus.DISPUTED],
    LeadList.COMPLETED: [LeadStatus.COMPLETED, LeadStatus.CANCELLED],
}


@dataclass(frozen=True)
class Dashboard:
    user: User
    counts: dict[LeadStatus, int]
    requested: int
    # The seller's hired work under way (in progress, delivered or disputed).
    working: int
    # A seller's stars per skill and completed leads; what sellers rated a buyer.
    reputation: Reputation | None = None
    buyer_rating: StarTally | None = None


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
    # Completed leads: the other side, the viewer's review of them and theirs of the viewer
    # (once given), and the leads whose review the viewer can still give or change.
    others: dict[int, User] = field(default_factory=dict)
    given: dict[int, Review] = field(default_factory=dict)
    received: dict[int, Review] = field(default_factory=dict)
    reviewable: set[int] = field(default_factory=set)


async def dashboard(uow: UnitOfWork, user: User, _: object, now: datetime) -> Dashboard:
    """The counts of the user's leads, the leads they were asked about, their stars as a
    seller and their rating as a buyer."""
    user.ensure_signed_up()
    counts = await uow.leads.status_counts(user.key) if user.is_buyer else {}
    requested = working = 0
    reputation = None
    if user.is_seller:
        # Two statements: every seller's /dashboard runs them (docs/PERFORMANCE.md).
        seller = await uow.leads.seller_counts(user.key, _STATUSES[LeadList.IN_PROGRESS])
        requested, working = seller.requested, seller.working
        reputation = Reputation(await uow.reviews.stars_of(user.key), seller.completed)
    rating = None
    if user.is_buyer:
        rating = (await uow.reviews.buyer_ratings([user.key])).get(user.key, StarTally())
    return Dashboard(user, counts, requested, working, reputation, rating)


async def lead_list(uow: UnitOfWork, user: User, command: ListLeads, now: datetime) -> LeadListing:
    """One page of a dashboard list."""
    if command.kind is LeadList.REQUESTED:
        return await _requested(uow, user, command.offset)
    if command.kind is LeadList.IN_PROGRESS:
        return await _in_progress(uow, user, command.offset)
    if command.kind is LeadList.COMPLETED:
        return await _completed(uow, user, command.offset, now)
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


async def _contracted(uow: UnitOfWork, user: User, kind: LeadList) -> list[tuple[Lead, Contract]]:
    """The leads of the user's contracts, on either side, in one of ``kind``'s statuses."""
    contracts = await uow.threads.contracts_of(user.key)
    leads = await uow.leads.get_many({contract.lead_id for contract in contracts})
    return [
        (lead, contract)
        for contract in contracts
        if (lead := leads.get(contract.lead_id)) is not None and lead.status in _STATUSES[kind]
    ]


async def _in_progress(uow: UnitOfWork, user: User, offset: int) -> LeadListing:
    """Contracts on either side: the buyer's hires and the seller's jobs."""
    running = [
        (lead, contract.due_at)
        for lead, contract in await _contracted(uow, user, LeadList.IN_PROGRESS)
    ]
    chosen = running[offset : offset + PAGE_SIZE]
    page = Page([lead for lead, _ in chosen], len(running), offset, PAGE_SIZE)
    return LeadListing(page, due={lead.id or 0: due for lead, due in chosen})


async def _completed(uow: UnitOfWork, user: User, offset: int, now: datetime) -> LeadListing:
    """Completed and cancelled contracts on either side, the latest hire first, with the
    reviews each way."""
    closed = sorted(
        await _contracted(uow, user, LeadList.COMPLETED),
        key=lambda found: -(found[1].id or 0),
    )
    chosen = closed[offset : offset + PAGE_SIZE]
    page = Page([lead for lead, _ in chosen], len(closed), offset, PAGE_SIZE)
    other_ids = {
        lead.key: contract.seller_id if contract.buyer_id == user.id else contract.buyer_id
        for lead, contract in chosen
    }
    others = await uow.users.get_many(set(other_ids.values()))
    reviews = await uow.reviews.of_leads(list(other_ids))
    given = {r.lead_id: r for r in reviews if r.author_id == user.id}
    received = {r.lead_id: r for r in reviews if r.subject_id == user.id and r.submitted}
    completed = {lead.key for lead, _ in chosen if lead.status is LeadStatus.COMPLETED}
    reviewable = {
        lead_id
        for lead_id in completed
        if (mine := given.get(lead_id)) is None or mine.editable(now)
    }
    return LeadListing(
        page,
        others={lead_id: others[uid] for lead_id, uid in other_ids.items() if uid in others},
        given={lead_id: review for lead_id, review in given.items() if review.submitted},
        received=received,
        reviewable=reviewable,
    )
