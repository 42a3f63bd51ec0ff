"""Deals on SQLite and PostgreSQL, including accepts that race each other."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domain import deals, lead_cases
from domain.deals import AnswerDraft, AnswerOffer, DraftField
from domain.errors import DomainError, NotAllowed
from domain.events import Event, Hired, LeadFilled
from domain.lead_cases import OwnLead
from domain.leads import Lead
from domain.lifecycle import LeadStatus
from domain.model import Role
from domain.money import Money
from domain.negotiation import Deal, OfferStatus
from storage.models import ContractRow
from storage.uow import SqlUnitOfWork
from tests.acting import act
from tests.storage.test_leads_storage import person, posted

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


async def market(uow: SqlUnitOfWork) -> tuple[Lead, int, int]:
    """A buyer (telegram id 1) with an open lead, bids from sellers 2 and 3."""

    await person(uow, 1, {Role.BUYER})
    await person(uow, 2, {Role.SELLER}, "Django")
    await person(uow, 3, {Role.SELLER}, "Django")
    draft = await posted(uow, 1, "Online shop", "Django", "Software Development")
    assert draft.id is not None
    await act(uow, 1, lead_cases.publish, OwnLead(draft.id), NOW)
    offers = []
    for seller in (2, 3):
        drafting = await act(uow, seller, deals.connect, deals.Connect(draft.id, "USD"), NOW)
        deal = await offer(
            uow, seller, deals.StartOffer(drafting.draft.thread_id, "USD"), "500", "7"
        )
        offers.append(deal.offer.id or 0)
    lead = await act(uow, 1, lead_cases.own_lead, OwnLead(draft.id), NOW)
    return lead, offers[0], offers[1]


async def offer(
    uow: SqlUnitOfWork,
    telegram_id: int,
    start: deals.StartOffer | deals.CounterOffer,
    amount: str,
    days: str,
    note: str | None = None,
) -> Deal:
    """Writes an offer through the form, answer by answer, then sends it."""
    if isinstance(start, deals.StartOffer):
        await act(uow, telegram_id, deals.start_offer, start, NOW)
    else:
        await act(uow, telegram_id, deals.start_counter, start, NOW)
    for field, text in ((DraftField.AMOUNT, amount), (DraftField.DAYS, days)):
        await act(uow, telegram_id, deals.answer_draft, AnswerDraft(field, text), NOW)
    await act(uow, telegram_id, deals.answer_draft, AnswerDraft(DraftField.NOTE, note), NOW)
    return await act(uow, telegram_id, deals.send_draft, deals.SendDraft(), NOW)


async def contracts(sessions: async_sessionmaker[AsyncSession]) -> int:
    async with sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(ContractRow)) or 0)


async def test_counter_supersedes_and_accept_hires(uow: SqlUnitOfWork) -> None:
    lead, first, _ = await market(uow)
    events: list[Event] = []
    counter = await offer(uow, 1, deals.CounterOffer(first, "USD"), "400", "10", "faster?")
    with pytest.raises(NotAllowed, match="A newer offer replaced this one"):
        await act(uow, 1, deals.accept, AnswerOffer(first), NOW)
    with pytest.raises(NotAllowed, match="your own offer"):
        await act(uow, 1, deals.accept, AnswerOffer(counter.offer.id or 0), NOW)
    hiring = await act(uow, 2, deals.accept, AnswerOffer(counter.offer.id or 0), NOW, events)
    contract = hiring.contract
    hired, filled = events
    assert isinstance(hired, Hired) and hired.deal.author.telegram_id == 1
    assert isinstance(filled, LeadFilled) and [s.telegram_id for s in filled.sellers] == [3]
    assert contract.amount == Money(40_000, "USD") and contract.days == 10
    assert (contract.due_at - contract.started_at).days == 10
    lead = await act(uow, 1, lead_cases.own_lead, OwnLead(lead.id or 0), NOW)
    assert lead.status is LeadStatus.IN_PROGRESS
    with pytest.raises(NotAllowed):
        await act(uow, 3, deals.connect, deals.Connect(lead.id or 0, "USD"), NOW)


@pytest.mark.parametrize("attempt", range(5))
async def test_two_accepts_at_once_make_exactly_one_contract(
    uow: SqlUnitOfWork, sessions: async_sessionmaker[AsyncSession], attempt: int
) -> None:
    _, first, second = await market(uow)
    results = await asyncio.gather(
        act(SqlUnitOfWork(sessions), 1, deals.accept, AnswerOffer(first), NOW),
        act(SqlUnitOfWork(sessions), 1, deals.accept, AnswerOffer(second), NOW),
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
        act(SqlUnitOfWork(sessions), 1, deals.accept, AnswerOffer(first), NOW),
        act(SqlUnitOfWork(sessions), 2, deals.withdraw, AnswerOffer(first), NOW),
        return_exceptions=True,
    )
    failures = [r for r in results if isinstance(r, BaseException)]
    assert len(failures) == 1 and isinstance(failures[0], DomainError)
    async with uow:
        answered = await uow.threads.get_offer(first)
    assert answered is not None
    hired = await contracts(sessions)
    assert (answered.status, hired) in {(OfferStatus.ACCEPTED, 1), (OfferStatus.WITHDRAWN, 0)}


async def test_a_suspended_user_is_refused_in_words_naming_what_they_tried(
    uow: SqlUnitOfWork,
) -> None:
    _, first, second = await market(uow)
    async with uow:
        sue = await uow.users.get_by_telegram_id(2)
        assert sue is not None
        sue.suspend("Fake leads")
        await uow.users.save(sue)
        await uow.commit()
    with pytest.raises(NotAllowed, match="so you cannot withdraw your offers"):
        await act(uow, 2, deals.withdraw, AnswerOffer(first), NOW)
    async with uow:
        bo = await uow.users.get_by_telegram_id(1)
        assert bo is not None
        bo.suspend("Spam")
        await uow.users.save(bo)
        await uow.commit()
    with pytest.raises(NotAllowed, match="so you cannot make offers"):
        await act(uow, 1, deals.start_counter, deals.CounterOffer(second, "USD"), NOW)
    with pytest.raises(NotAllowed, match="so you cannot answer offers"):
        await act(uow, 1, deals.decline, AnswerOffer(first), NOW)
