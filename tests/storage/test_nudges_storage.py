"""Nudges on SQLite and PostgreSQL: each claimed once (a unique key per reason and object),
never when its reason has gone, caught up after a stop, never for the suspended or muted."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import pytest
from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domain import contract_cases, deals, lead_cases, nudge_cases, payment_cases, review_cases
from domain.billing import PaymentMethod
from domain.contract_cases import OpenContract, RequestChanges
from domain.deals import AnswerOffer
from domain.errors import NotAllowed
from domain.events import Event
from domain.lead_cases import OwnLead
from domain.lifecycle import LeadStatus
from domain.model import EmailToken, Role, SignupStage, User, UserStatus
from domain.nudges import Nudge, NudgeKind, NudgeTimings
from domain.payment_cases import Approve, ConfirmPayment
from domain.review_cases import Rate, SubmitReview
from handlers.core.notify import Notifier
from handlers.nudges import notices
from handlers.setup import notifier
from storage.models import ContractRow, LeadRow, NudgeRow, NudgeSweepRow, OutboxRow, UserRow
from storage.uow import SqlUnitOfWork
from tests.acting import act
from tests.storage.test_deals_storage import NOW, market, offer
from tests.storage.test_leads_storage import person, posted

TIMINGS = NudgeTimings()  # the defaults: 24h before a deadline, offers 48h, leads 7d …
DAY, HOUR, SECOND = timedelta(days=1), timedelta(hours=1), timedelta(seconds=1)


async def sweep(
    uow: SqlUnitOfWork, now: datetime, timings: NudgeTimings = TIMINGS, limit: int = 500
) -> list[Nudge]:
    """One sweep as the job runs it: claims, then the messages, in one transaction."""
    async with uow:
        nudges = await nudge_cases.sweep(uow, nudge_cases.Sweep(timings, limit), now)
        await Notifier(notices.NOTICES).publish(uow, uow.collect_events(), now, "bot")
        await uow.commit()
    return nudges


def seen(nudges: list[Nudge]) -> list[tuple[NudgeKind, int]]:
    """Each nudge as (kind, recipient's telegram id), in a stable order."""
    return sorted((n.kind, n.recipient.telegram_id) for n in nudges)


async def nudge_messages(sessions: async_sessionmaker[AsyncSession]) -> int:
    async with sessions() as session:
        query = select(func.count()).where(OutboxRow.dedupe_key.like("nudge:%"))
        return int(await session.scalar(query) or 0)


async def set_lead_status(
    sessions: async_sessionmaker[AsyncSession], lead_id: int, status: LeadStatus
) -> None:
    """What the contracts branch's Delivered / Cancel will do, done directly."""
    async with sessions() as session, session.begin():
        await session.execute(update(LeadRow).where(LeadRow.id == lead_id).values(status=status))


async def hired(uow: SqlUnitOfWork) -> tuple[int, int]:
    """Buyer 1 hires seller 2 on a lead for 7 days at NOW; returns (lead id, contract id)."""
    lead, first, _ = await market(uow)
    hiring = await act(uow, 1, deals.accept, AnswerOffer(first), NOW)
    return lead.key, hiring.contract.id or 0


async def test_an_unanswered_offer_is_nudged_once_to_the_side_that_must_answer(
    uow: SqlUnitOfWork, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await market(uow)  # sellers 2 and 3 bid on buyer 1's lead at NOW
    assert await sweep(uow, NOW + 47 * HOUR) == []
    due = await sweep(uow, NOW + 48 * HOUR + SECOND)
    assert seen(due) == [(NudgeKind.OFFER_UNANSWERED, 1)] * 2
    assert {n.other.telegram_id for n in due if n.other} == {2, 3}
    assert all(n.lead is not None and n.lead.title == "Online shop" for n in due)
    for later in (NOW + 49 * HOUR, NOW + 30 * DAY):
        assert await sweep(uow, later) == []
    assert await nudge_messages(sessions) == 2


async def test_a_counter_is_the_other_side_to_answer(uow: SqlUnitOfWork) -> None:
    _, first, _ = await market(uow)
    await sweep(uow, NOW)
    counter = await offer(uow, 1, deals.CounterOffer(first, "USD"), "400", "10")
    assert counter.offer.created_at == NOW
    due = await sweep(uow, NOW + 48 * HOUR + SECOND)
    # Seller 2 must answer the buyer's counter; the buyer still owes seller 3 an answer.
    assert seen(due) == [(NudgeKind.OFFER_UNANSWERED, 1), (NudgeKind.OFFER_UNANSWERED, 2)]


async def test_an_offer_answered_in_time_is_never_nudged(uow: SqlUnitOfWork) -> None:
    _, first, second = await market(uow)
    await act(uow, 1, deals.decline, AnswerOffer(first), NOW + HOUR)
    await act(uow, 3, deals.withdraw, AnswerOffer(second), NOW + 2 * HOUR)
    assert await sweep(uow, NOW + 60 * HOUR) == []


async def test_the_reason_is_checked_when_the_nudge_is_claimed(uow: SqlUnitOfWork) -> None:
    """Due while the bot was stopped, but answered before the first sweep after the start:
    not sent."""
    _, first, _ = await market(uow)
    await sweep(uow, NOW)
    await act(uow, 1, deals.accept, AnswerOffer(first), NOW + 50 * HOUR)
    due = await sweep(uow, NOW + 51 * HOUR)
    assert NudgeKind.OFFER_UNANSWERED not in {n.kind for n in due}


async def test_a_sweep_after_a_long_stop_catches_up_in_batches(uow: SqlUnitOfWork) -> None:
    await market(uow)
    await sweep(uow, NOW)
    # Stopped for a week; the first sweeps after the start claim one nudge each.
    first = await sweep(uow, NOW + 7 * DAY, limit=1)
    second = await sweep(uow, NOW + 7 * DAY + SECOND, limit=1)
    third = await sweep(uow, NOW + 7 * DAY + 2 * SECOND, limit=1)
    assert [len(first), len(second), len(third)] == [1, 1, 0]
    assert first[0].subject_id != second[0].subject_id


async def test_two_sweeps_at_once_claim_each_nudge_once(
    uow: SqlUnitOfWork, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await market(uow)
    later = NOW + 3 * DAY
    results = await asyncio.gather(
        sweep(SqlUnitOfWork(sessions), later), sweep(SqlUnitOfWork(sessions), later)
    )
    assert sorted(len(r) for r in results) in ([0, 2], [1, 1])
    assert await nudge_messages(sessions) == 2


async def test_the_unique_key_refuses_a_second_claim(
    uow: SqlUnitOfWork, sessions: async_sessionmaker[AsyncSession]
) -> None:
    """The key itself, whatever the sweep's bookkeeping says: forget every sweep's
    watermark, and the nudges already claimed are still not claimed again."""
    await market(uow)
    assert len(await sweep(uow, NOW + 3 * DAY)) == 2
    async with sessions() as session, session.begin():
        await session.execute(delete(NudgeSweepRow))
    assert await sweep(uow, NOW + 4 * DAY) == []
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(NudgeRow)) == 2


async def test_deadline_near_then_passed(
    uow: SqlUnitOfWork, sessions: async_sessionmaker[AsyncSession]
) -> None:
    _, contract_id = await hired(uow)  # due NOW + 7 days
    assert await sweep(uow, NOW + 5 * DAY) == []
    near = await sweep(uow, NOW + 6 * DAY + SECOND)
    assert seen(near) == [(NudgeKind.DEADLINE_NEAR, 1), (NudgeKind.DEADLINE_NEAR, 2)]
    assert {n.subject_id for n in near} == {contract_id}
    assert all(n.thread_id is not None for n in near)
    assert await sweep(uow, NOW + 6 * DAY + HOUR) == []
    passed = await sweep(uow, NOW + 7 * DAY + SECOND)
    assert seen(passed) == [(NudgeKind.DEADLINE_PASSED, 1)]
    assert passed[0].anchor_at == NOW + 7 * DAY and passed[0].other is not None
    assert await sweep(uow, NOW + 9 * DAY) == []
    assert await nudge_messages(sessions) == 3


async def test_a_moved_due_date_is_a_reason_of_its_own(
    uow: SqlUnitOfWork, sessions: async_sessionmaker[AsyncSession]
) -> None:
    _, contract_id = await hired(uow)
    assert len(await sweep(uow, NOW + 6 * DAY + SECOND)) == 2
    # Extended by five days (as the contracts branch's Extend will do).
    async with sessions() as session, session.begin():
        await session.execute(
            update(ContractRow)
            .where(ContractRow.id == contract_id)
            .values(due_at=NOW + 12 * DAY, days=12)
        )
    assert await sweep(uow, NOW + 7 * DAY + SECOND) == []  # the old date passes unnoticed
    near = await sweep(uow, NOW + 11 * DAY + SECOND)
    assert seen(near) == [(NudgeKind.DEADLINE_NEAR, 1), (NudgeKind.DEADLINE_NEAR, 2)]


async def test_no_deadline_nudge_once_the_lead_is_no_longer_in_progress(
    uow: SqlUnitOfWork, sessions: async_sessionmaker[AsyncSession]
) -> None:
    lead_id, _ = await hired(uow)
    await set_lead_status(sessions, lead_id, LeadStatus.DELIVERED)
    assert await sweep(uow, NOW + 6 * DAY + SECOND) == []
    assert await sweep(uow, NOW + 8 * DAY) == []
    assert await nudge_messages(sessions) == 0


async def test_a_contract_no_longer_than_the_warning_gets_no_warning(
    uow: SqlUnitOfWork,
) -> None:
    await hired(uow)  # 7 days
    week = NudgeTimings(deadline_warning_before=7 * DAY)
    assert await sweep(uow, NOW + HOUR, week) == []
    passed = await sweep(uow, NOW + 7 * DAY + SECOND, week)
    assert seen(passed) == [(NudgeKind.DEADLINE_PASSED, 1)]


async def test_an_open_lead_without_bids(
    uow: SqlUnitOfWork, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await person(uow, 1, {Role.BUYER})
    await person(uow, 2, {Role.SELLER}, "Go")
    leads = []
    for title in ("Quiet lead", "Lead bid on", "Withdrawn lead"):
        lead = await posted(uow, 1, title, "Go", "Software Development")
        await act(uow, 1, lead_cases.publish, OwnLead(lead.key), NOW)
        leads.append(lead)
    _, bid_on, withdrawn = leads
    drafting = await act(uow, 2, deals.connect, deals.Connect(bid_on.key, "USD"), NOW + DAY)
    await offer(uow, 2, deals.StartOffer(drafting.draft.thread_id, "USD"), "500", "7")
    await act(uow, 1, lead_cases.withdraw, OwnLead(withdrawn.key), NOW + 2 * DAY)
    leads_only = NudgeTimings(offer_reminder_after=300 * DAY)
    assert await sweep(uow, NOW + 6 * DAY, leads_only) == []
    due = await sweep(uow, NOW + 7 * DAY + SECOND, leads_only)
    assert seen(due) == [(NudgeKind.LEAD_WITHOUT_BIDS, 1)]
    assert due[0].lead is not None and due[0].lead.title == "Quiet lead"
    assert await sweep(uow, NOW + 8 * DAY, leads_only) == []


async def signing_up(uow: SqlUnitOfWork, telegram_id: int, email: str) -> User:
    """Someone at the confirm-email question, with a link sent at NOW."""
    async with uow:
        user = await uow.users.add(
            User(telegram_id=telegram_id, first_name=f"U{telegram_id}", created_at=NOW)
        )
        user.signup_stage, user.email = SignupStage.CONFIRM_EMAIL, email
        await uow.users.save(user)
        await send_link(uow, user, email, NOW)
        await uow.commit()
    return user


async def send_link(uow: SqlUnitOfWork, user: User, email: str, at: datetime) -> None:
    await uow.email_tokens.add(
        EmailToken(
            user_id=user.key,
            email=email,
            token_hash=f"{user.key}-{at.timestamp()}-{email}",
            created_at=at,
            expires_at=at + DAY,
        )
    )


async def test_an_unconfirmed_email_is_reminded_once_per_address(uow: SqlUnitOfWork) -> None:
    waiting = await signing_up(uow, 7, "wait@example.org")
    confirmed = await signing_up(uow, 8, "done@example.org")
    async with uow:
        user = await uow.users.get(confirmed.key)
        assert user is not None
        user.signup_stage, user.email_verified_at = SignupStage.DISPLAY_NAME, NOW + HOUR
        await uow.users.save(user)
        await uow.commit()
    assert await sweep(uow, NOW + 23 * HOUR) == []
    due = await sweep(uow, NOW + DAY + SECOND)
    assert seen(due) == [(NudgeKind.EMAIL_UNCONFIRMED, 7)]
    # A fresh link to the same address: no second reminder; a new address: one more.
    async with uow:
        await send_link(uow, waiting, "wait@example.org", NOW + 25 * HOUR)
        await uow.commit()
    assert await sweep(uow, NOW + 3 * DAY) == []
    async with uow:
        await send_link(uow, waiting, "other@example.org", NOW + 3 * DAY)
        await uow.commit()
    assert seen(await sweep(uow, NOW + 4 * DAY + SECOND)) == [(NudgeKind.EMAIL_UNCONFIRMED, 7)]


async def test_no_nudges_for_suspended_unreachable_or_muted_recipients(
    uow: SqlUnitOfWork, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await market(uow)
    for buyer in (4, 5):
        await person(uow, buyer, {Role.BUYER})
        lead = await posted(uow, buyer, "Lonely lead", "Go", "Software Development")
        await act(uow, buyer, lead_cases.publish, OwnLead(lead.key), NOW)
    muted = await act(
        uow,
        1,
        nudge_cases.mute_nudges,
        nudge_cases.MuteNudges(NudgeKind.OFFER_UNANSWERED, muted=True),
        NOW,
    )
    assert muted == {NudgeKind.OFFER_UNANSWERED}
    async with sessions() as session, session.begin():
        await session.execute(
            update(UserRow)
            .where(UserRow.telegram_id == 4)
            .values(status=UserStatus.SUSPENDED.value)
        )
        await session.execute(
            update(UserRow).where(UserRow.telegram_id == 5).values(reachable=False)
        )
    assert await sweep(uow, NOW + 8 * DAY) == []
    # Unmuting does not bring back what fell due meanwhile; new reasons are nudged again.
    await act(
        uow,
        1,
        nudge_cases.mute_nudges,
        nudge_cases.MuteNudges(NudgeKind.OFFER_UNANSWERED, muted=False),
        NOW + 8 * DAY,
    )
    assert await sweep(uow, NOW + 9 * DAY) == []


async def test_essential_nudges_cannot_be_muted(uow: SqlUnitOfWork) -> None:
    await person(uow, 1, {Role.BUYER})
    with pytest.raises(NotAllowed, match="cannot be muted"):
        await act(
            uow,
            1,
            nudge_cases.mute_nudges,
            nudge_cases.MuteNudges(NudgeKind.DEADLINE_PASSED, muted=True),
            NOW,
        )
    assert await act(uow, 1, nudge_cases.muted_nudges, None, NOW) == frozenset()


async def complete(uow: SqlUnitOfWork, contract_id: int, at: datetime) -> None:
    """Seller 2 delivers, buyer 1 approves and confirms the payment at ``at``; the
    completion's reactions open both reviews, as the update path does."""
    await act(uow, 2, contract_cases.deliver, OpenContract(contract_id), at)
    await act(uow, 1, payment_cases.approve, Approve(contract_id, 10), at)
    events: list[Event] = []
    paid = ConfirmPayment(contract_id, PaymentMethod.BANK_TRANSFER, None, 10)
    await act(uow, 1, payment_cases.confirm_payment, paid, at, events)
    async with uow:
        await notifier().publish(uow, events, at, "bot")
        await uow.commit()


def only(kind: NudgeKind, nudges: list[Nudge]) -> list[int]:
    """The recipients' telegram ids of the nudges of one kind."""
    return sorted(n.recipient.telegram_id for n in nudges if n.kind is kind)


async def test_a_delivery_awaiting_approval_is_nudged_once_per_delivery(
    uow: SqlUnitOfWork,
) -> None:
    _, contract = await hired(uow)
    waiting = NudgeKind.DELIVERY_WAITING
    await act(uow, 2, contract_cases.deliver, OpenContract(contract), NOW + DAY)
    assert only(waiting, await sweep(uow, NOW + DAY + 47 * HOUR)) == []
    assert only(waiting, await sweep(uow, NOW + 3 * DAY + SECOND)) == [1]
    assert only(waiting, await sweep(uow, NOW + 4 * DAY)) == []
    # Sent back, delivered again: a new delivery waits, a new reason.
    changes = RequestChanges(contract, "The logo needs a darker blue.")
    await act(uow, 1, contract_cases.request_changes, changes, NOW + 4 * DAY)
    assert only(waiting, await sweep(uow, NOW + 5 * DAY)) == []
    await act(uow, 2, contract_cases.deliver, OpenContract(contract), NOW + 5 * DAY)
    # Approved before its reminder fell due: the reason has gone.
    await act(uow, 1, payment_cases.approve, Approve(contract, 10), NOW + 6 * DAY)
    assert only(waiting, await sweep(uow, NOW + 30 * DAY)) == []


async def test_a_second_delivery_left_waiting_is_nudged_again(uow: SqlUnitOfWork) -> None:
    _, contract = await hired(uow)
    await act(uow, 2, contract_cases.deliver, OpenContract(contract), NOW + HOUR)
    changes = RequestChanges(contract, "Please add the tagline.")
    await act(uow, 1, contract_cases.request_changes, changes, NOW + 2 * HOUR)
    await act(uow, 2, contract_cases.deliver, OpenContract(contract), NOW + 3 * HOUR)
    due = await sweep(uow, NOW + 3 * HOUR + 48 * HOUR + SECOND)
    # The first delivery was sent back before its time; the second one waits.
    assert only(NudgeKind.DELIVERY_WAITING, due) == [1]
    [nudge] = [n for n in due if n.kind is NudgeKind.DELIVERY_WAITING]
    assert nudge.anchor_at == NOW + 3 * HOUR


async def test_each_side_is_reminded_of_its_review_until_it_is_given(
    uow: SqlUnitOfWork,
) -> None:
    lead, contract = await hired(uow)
    await complete(uow, contract, NOW + DAY)
    pending = NudgeKind.REVIEW_PENDING
    assert only(pending, await sweep(uow, NOW + DAY + 23 * HOUR)) == []
    # The buyer gives their stars in time; the seller does not.
    await act(uow, 1, review_cases.rate, Rate(lead, 0, 5), NOW + DAY + HOUR)
    await act(uow, 1, review_cases.submit, SubmitReview(lead), NOW + DAY + HOUR)
    assert only(pending, await sweep(uow, NOW + 2 * DAY + SECOND)) == [2]
    assert only(pending, await sweep(uow, NOW + 9 * DAY)) == []
