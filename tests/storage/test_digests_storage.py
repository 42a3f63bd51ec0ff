"""The daily alert cap and digests on SQLite and PostgreSQL: pushes counted from the
database, the rest held and gathered once per period, best first, closed leads left out."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domain import digest_cases, lead_cases, profiles
from domain.digests import Digest
from domain.events import Event
from domain.lead_cases import OwnLead
from domain.model import DigestInterval, OutboxKind, Role
from handlers.core.notify import Notifier
from handlers.digests import notices as digest_notices
from storage.models import LeadAlertRow, OutboxRow
from storage.outbox import OutboxStore
from storage.uow import SqlUnitOfWork
from tests.acting import act
from tests.storage.test_leads_storage import NOW, person, posted, publish

CAP = 2


async def alert_all(sessions: async_sessionmaker[AsyncSession], now: datetime) -> None:
    """Expands every waiting fan-out as the dispatcher does, with a store of its own each
    time, as if the bot restarted in between: the cap is counted from the database."""
    store = OutboxStore(sessions, daily_cap=CAP)
    for delivery in await store.claim(now, limit=500):
        if delivery.kind is OutboxKind.ALERT_FANOUT:
            while await store.expand_alerts(delivery, now, limit=500):
                pass
        await store.mark_sent(delivery.id, now)


async def published(
    uow: SqlUnitOfWork,
    sessions: async_sessionmaker[AsyncSession],
    title: str,
    skills: str,
    now: datetime,
) -> int:
    draft = await posted(uow, 1, title, skills, "Software Development")
    await publish(uow, 1, draft.key, now)
    await alert_all(sessions, now)
    return draft.key


async def alerts_of(sessions: async_sessionmaker[AsyncSession], seller_id: int) -> list[str]:
    """The keys of the alerts pushed to the seller, in the order queued."""
    async with sessions() as session:
        keys = await session.scalars(
            select(OutboxRow.dedupe_key)
            .where(OutboxRow.user_id == seller_id, OutboxRow.dedupe_key.startswith("alert:"))
            .order_by(OutboxRow.id)
        )
        return [str(key) for key in keys]


async def gather(uow: SqlUnitOfWork, now: datetime) -> list[Digest]:
    """The digest job: due digests taken and queued in one transaction."""
    async with uow:
        digests = await digest_cases.gather_digests(uow, digest_cases.GatherDigests(), now)
        events: list[Event] = uow.collect_events()
        await Notifier(digest_notices.NOTICES).publish(uow, events, now, "leadline_bot")
        await uow.commit()
    return digests


async def test_beyond_the_cap_leads_wait_for_one_digest_best_first_without_closed_ones(
    uow: SqlUnitOfWork, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await person(uow, 1, {Role.BUYER})
    sam = await person(uow, 2, {Role.SELLER}, "Django, Python")
    quiet = await person(uow, 3, {Role.SELLER}, "Django")
    await act(uow, 3, profiles.set_digest, profiles.SetDigest(DigestInterval.OFF), NOW)

    leads = []
    for n, skills in enumerate(["Django", "Django", "Django", "Django", "Django, Python"]):
        at = NOW + timedelta(minutes=n)
        leads.append(await published(uow, sessions, f"Shop number {n + 1} <b>", skills, at))
    first, second, third, fourth, fifth = leads

    # Two alerts each, in the order published; the rest never pushed one by one.
    assert await alerts_of(sessions, sam.key) == [
        f"alert:{first}:{sam.key}",
        f"alert:{second}:{sam.key}",
    ]
    assert await alerts_of(sessions, quiet.key) == [
        f"alert:{first}:{quiet.key}",
        f"alert:{second}:{quiet.key}",
    ]
    async with sessions() as session:
        held = await session.execute(
            select(LeadAlertRow.seller_id, func.count())
            .where(LeadAlertRow.held_at.is_not(None))
            .group_by(LeadAlertRow.seller_id)
        )
        # The seller who wants no digest has nothing held for one.
        assert held.tuples().all() == [(sam.key, 3)]

    # A daily digest is not due an hour later; Sam picks hourly.
    assert await gather(uow, NOW + timedelta(hours=1)) == []
    await act(uow, 2, profiles.set_digest, profiles.SetDigest(DigestInterval.HOURLY), NOW)
    # The buyer withdraws the fourth lead before the digest goes out.
    await act(uow, 1, lead_cases.withdraw, OwnLead(fourth), NOW + timedelta(minutes=30))

    later = NOW + timedelta(hours=1, minutes=10)
    [digest] = await gather(uow, later)
    assert digest.seller_id == sam.key and digest.telegram_id == 2
    # Best match first (two shared skills), then the newest.
    assert [lead.lead_id for lead in digest.leads] == [fifth, third]
    assert digest.leads[0].title == "Shop number 5 <b>"

    async with sessions() as session:
        [row] = await session.scalars(
            select(OutboxRow).where(OutboxRow.dedupe_key.startswith("digest:"))
        )
        assert row.user_id == sam.key and row.recipient == "2"
        text = str(row.payload["text"])
        assert text.startswith("📬 <b>2 new leads match your skills</b>")
        assert "Shop number 5 &lt;b&gt;" in text and "Shop number 4" not in text

    # Taken once: a new session (as after a restart) finds nothing more, an hour on too.
    assert await gather(SqlUnitOfWork(sessions), later) == []
    assert await gather(SqlUnitOfWork(sessions), later + timedelta(hours=3)) == []

    # A new lead the same day is held again; its digest waits a full interval.
    sixth = await published(uow, sessions, "Shop number six", "Django", later)
    assert len(await alerts_of(sessions, sam.key)) == 2
    assert await gather(uow, later + timedelta(minutes=30)) == []
    [digest] = await gather(uow, later + timedelta(hours=1))
    assert [lead.lead_id for lead in digest.leads] == [sixth]

    # A day after the first alerts, alerts are pushed one by one again.
    seventh = await published(
        uow, sessions, "Shop number seven", "Django", NOW + timedelta(hours=25)
    )
    assert (await alerts_of(sessions, sam.key))[-1] == f"alert:{seventh}:{sam.key}"


async def test_a_digest_whose_leads_all_closed_is_not_sent_and_opened_leads_are_left_out(
    uow: SqlUnitOfWork, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await person(uow, 1, {Role.BUYER})
    sam = await person(uow, 2, {Role.SELLER}, "Django")
    await act(uow, 2, profiles.set_digest, profiles.SetDigest(DigestInterval.HOURLY), NOW)
    leads = [
        await published(uow, sessions, f"Booking site {n}", "Django", NOW + timedelta(minutes=n))
        for n in range(4)
    ]
    withdrawn, opened = leads[2], leads[3]
    await act(uow, 1, lead_cases.withdraw, OwnLead(withdrawn), NOW + timedelta(minutes=5))
    async with uow:
        await uow.leads.mark_opened(opened, sam.key, NOW + timedelta(minutes=6))
        await uow.commit()

    assert await gather(uow, NOW + timedelta(hours=2)) == []
    async with sessions() as session:
        assert (
            await session.scalar(select(func.count()).where(LeadAlertRow.held_at.is_not(None))) == 0
        )
        digested = await session.scalar(
            select(func.count()).where(LeadAlertRow.digested_at.is_not(None))
        )
        assert digested == 2
        assert (
            await session.scalar(
                select(func.count()).where(OutboxRow.dedupe_key.startswith("digest:"))
            )
            == 0
        )
