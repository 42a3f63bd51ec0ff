"""Deals on a real SQLite file, including accepts that race each other."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domain import deals, lead_cases
from domain.deals import Deal
from domain.errors import DomainError, NotAllowed
from domain.leads import Lead
from domain.lifecycle import LeadStatus
from domain.model import Role
from domain.money import Money
from domain.negotiation import Contract, OfferStatus
from storage.models import ContractRow
from storage.uow import SqlUnitOfWork
from tests.storage.test_leads_storage import person, posted

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


class Notices:
    def bid(self, deal: Deal, counter: bool) -> dict[str, object]:
        return {"method": "sendMessage", "text": f"bid {deal.offer.amount.format()}"}

    def accepted(self, deal: Deal, contract: Contract) -> dict[str, object]:
        return {"method": "sendMessage", "text": "accepted"}

    def declined(self, deal: Deal) -> dict[str, object]:
        return {"method": "sendMessage", "text": "declined"}

    def withdrawn(self, deal: Deal) -> dict[str, object]:
        return {"method": "sendMessage", "text": "withdrawn"}

    def filled(self, lead: Lead) -> dict[str, object]:
        return {"method": "sendMessage", "text": "filled"}


NOTICES = Notices()


async def market(uow: SqlUnitOfWork) -> tuple[Lead, int, int]:
    """A buyer (telegram id 1) with an open lead, bids from sellers 2 and 3."""

    await person(uow, 1, {Role.BUYER})
    await person(uow, 2, {Role.SELLER}, "Django")
    await person(uow, 3, {Role.SELLER}, "Django")
    draft = await posted(uow, 1, "Shop", "Django", "Software Development")
    assert draft.id is not None
    await lead_cases.publish(uow, 1, draft.id, NOW, lambda lead: {"text": "alert"})
    offers = []
    for seller in (2, 3):
        thread = await deals.connect(uow, seller, draft.id, NOW)
        deal = await deals.make_offer(
            uow, seller, thread.id or 0, Money(50_000, "USD"), 7, None, NOW, NOTICES
        )
        offers.append(deal.offer.id or 0)
    lead = await lead_cases.view_lead(uow, 1, draft.id, NOW)
    return lead.lead, offers[0], offers[1]


async def contracts(sessions: async_sessionmaker[AsyncSession]) -> int:
    async with sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(ContractRow)) or 0)


async def test_counter_supersedes_and_accept_hires(uow: SqlUnitOfWork) -> None:
    lead, first, _ = await market(uow)
    thread = await deals.counter_target(uow, 1, first)
    counter = await deals.make_offer(
        uow, 1, thread.id or 0, Money(40_000, "USD"), 10, "faster?", NOW, NOTICES
    )
    with pytest.raises(NotAllowed, match="superseded"):
        await deals.accept(uow, 1, first, NOW, NOTICES)
    with pytest.raises(NotAllowed, match="your own offer"):
        await deals.accept(uow, 1, counter.offer.id or 0, NOW, NOTICES)
    _, contract = await deals.accept(uow, 2, counter.offer.id or 0, NOW, NOTICES)
    assert contract.amount == Money(40_000, "USD") and contract.days == 10
    assert (contract.due_at - contract.started_at).days == 10
    view = await lead_cases.view_lead(uow, 1, lead.id or 0, NOW)
    assert view.lead.status is LeadStatus.IN_PROGRESS
    with pytest.raises(NotAllowed):
        await deals.connect(uow, 3, lead.id or 0, NOW)


@pytest.mark.parametrize("attempt", range(5))
async def test_two_accepts_at_once_make_exactly_one_contract(
    uow: SqlUnitOfWork, sessions: async_sessionmaker[AsyncSession], attempt: int
) -> None:
    _, first, second = await market(uow)
    results = await asyncio.gather(
        deals.accept(SqlUnitOfWork(sessions), 1, first, NOW, NOTICES),
        deals.accept(SqlUnitOfWork(sessions), 1, second, NOW, NOTICES),
        return_exceptions=True,
    )
    won = [r for r in results if not isinstance(r, BaseException)]
    lost = [r for r in results if isinstance(r, BaseException)]
    assert len(won) == 1 and len(lost) == 1
    assert isinstance(lost[0], DomainError) and lost[0].sentence.endswith(".")
    assert await contracts(sessions) == 1


@pytest.mark.parametrize("attempt", range(5))
async def test_an_accept_racing_a_withdraw_has_one_outcome(
    uow: SqlUnitOfWork, sessions: async_sessionmaker[AsyncSession], attempt: int
) -> None:
    _, first, _ = await market(uow)
    results = await asyncio.gather(
        deals.accept(SqlUnitOfWork(sessions), 1, first, NOW, NOTICES),
        deals.withdraw(SqlUnitOfWork(sessions), 2, first, NOW, NOTICES),
        return_exceptions=True,
    )
    failures = [r for r in results if isinstance(r, BaseException)]
    assert len(failures) == 1 and isinstance(failures[0], DomainError)
    async with uow:
        offer = await uow.threads.get_offer(first)
    assert offer is not None
    hired = await contracts(sessions)
    assert (offer.status, hired) in {(OfferStatus.ACCEPTED, 1), (OfferStatus.WITHDRAWN, 0)}
