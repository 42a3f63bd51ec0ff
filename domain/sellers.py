"""Use cases of the public profile, finding providers and inviting (a seller's credentials:
domain/credential_cases.py)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from domain.credentials import Credentials
from domain.errors import NotAllowed, NotFound
from domain.lifecycle import LeadStatus
from domain.model import OutboxKind, OutboxMessage, User
from domain.onboarding import load_user
from domain.ports import Page, UnitOfWork

PAGE_SIZE = 5

RenderInvitation = Callable[[User, int, str, int], dict[str, object]]
"""Builds the outbox payload telling a seller about an invitation:
(buyer, lead id, lead title, thread id)."""


@dataclass(frozen=True)
class PublicProfile:
    """What anyone may see of a seller."""

    user: User
    credentials: Credentials
    stars: dict[str, int]
    completed: int


async def public_profile(uow: UnitOfWork, user_id: int) -> PublicProfile:
    """A seller's public card. Stars and completed leads come from closed contracts; until
    leads can be closed, every skill has none."""
    async with uow:
        user = await uow.users.get(user_id)
        if user is None or not user.is_seller or not user.signed_up:
            raise NotFound("That seller does not exist.")
        credentials = await uow.sellers.credentials(user_id)
        return PublicProfile(user, credentials, {s: 0 for s in user.profile.skills}, 0)


async def find_providers(
    uow: UnitOfWork, telegram_id: int, skills: Sequence[str], category: str | None, offset: int
) -> Page[User]:
    async with uow:
        viewer = await load_user(uow, telegram_id)
        assert viewer.id is not None
        page = await uow.sellers.find(skills, category, viewer.id, offset, PAGE_SIZE)
        found = await uow.users.get_many(page.items)
        users = [found[uid] for uid in page.items if uid in found]
        return Page(users, page.total, page.offset, page.size)


async def invite(
    uow: UnitOfWork,
    telegram_id: int,
    lead_id: int,
    seller_id: int,
    now: datetime,
    render: RenderInvitation,
) -> bool:
    """Invites a seller to one of the buyer's open leads and tells the seller (once)."""
    async with uow:
        buyer = await load_user(uow, telegram_id)
        lead = await uow.leads.get(lead_id)
        if lead is None or lead.buyer_id != buyer.id:
            raise NotFound("That lead does not exist or is not yours.")
        if lead.status is not LeadStatus.OPEN:
            raise NotAllowed("Only an open lead can have invitations.")
        seller = await uow.users.get(seller_id)
        if seller is None or not seller.is_seller or seller.id == buyer.id:
            raise NotFound("That seller does not exist.")
        if not await uow.sellers.invite(lead_id, seller_id, now):
            return False
        # An invitation opens the conversation, as a seller's Connect would.
        thread = await uow.threads.open(lead_id, lead.buyer_id, seller_id, now)
        await uow.outbox.add(
            OutboxMessage(
                kind=OutboxKind.TELEGRAM,
                recipient=str(seller.telegram_id),
                payload=render(buyer, lead_id, lead.title or "", thread.id or 0),
                created_at=now,
                dedupe_key=f"invite:{lead_id}:{seller_id}",
                user_id=seller_id,
            )
        )
        await uow.commit()
        return True
