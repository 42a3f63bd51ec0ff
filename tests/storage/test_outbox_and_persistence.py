"""The outbox store and the PTB persistence, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domain.model import OutboxKind, OutboxMessage
from storage.models import OutboxRow
from storage.outbox import CLAIM_LEASE, OutboxStore
from storage.persistence import SqlPersistence
from storage.uow import SqlUnitOfWork

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def message(recipient: str, key: str | None = None) -> OutboxMessage:
    return OutboxMessage(
        kind=OutboxKind.TELEGRAM,
        recipient=recipient,
        payload={"method": "sendMessage", "text": f"hi {recipient}"},
        created_at=NOW,
        dedupe_key=key,
    )


async def enqueue(uow: SqlUnitOfWork, *messages: OutboxMessage) -> None:
    async with uow:
        for item in messages:
            await uow.outbox.add(item)
        await uow.commit()


async def test_dedupe_key_makes_a_repeated_enqueue_a_no_op(
    uow: SqlUnitOfWork, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await enqueue(uow, message("1", "alert:1"), message("1", "alert:1"), message("2"))
    await enqueue(uow, message("1", "alert:1"))
    claimed = await OutboxStore(sessions).claim(NOW)
    assert sorted(d.recipient for d in claimed) == ["1", "2"]


async def test_claimed_messages_are_not_claimed_again_until_the_lease_ends(
    uow: SqlUnitOfWork, sessions: async_sessionmaker[AsyncSession]
) -> None:
    store = OutboxStore(sessions)
    await enqueue(uow, message("1"), message("2"))
    first = await store.claim(NOW)
    assert [d.attempts for d in first] == [1, 1]
    assert await store.claim(NOW + timedelta(seconds=5)) == []
    await store.mark_sent(first[0].id, NOW)
    # The second one's dispatcher "crashed": after the lease it is delivered again.
    again = await store.claim(NOW + CLAIM_LEASE + timedelta(seconds=1))
    assert [(d.id, d.attempts) for d in again] == [(first[1].id, 2)]
    assert await store.counts() == {"sent": 1, "sending": 1}


@pytest.mark.parametrize("engine_kind", ["postgresql"])  # SQLite has one writer, no row locks
async def test_a_claim_skips_rows_another_claim_holds_instead_of_waiting(
    uow: SqlUnitOfWork, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await enqueue(uow, *(message(str(n)) for n in range(5)))
    async with sessions() as other, other.begin():
        held = await other.scalars(
            select(OutboxRow.id).order_by(OutboxRow.id).limit(2).with_for_update()
        )
        held_ids = set(held)
        claimed = await asyncio.wait_for(OutboxStore(sessions).claim(NOW), timeout=5)
    assert sorted(d.recipient for d in claimed) == ["2", "3", "4"]
    assert not held_ids & {d.id for d in claimed}


async def test_what_a_killed_dispatcher_was_sending_goes_out_at_once_and_in_its_place(
    uow: SqlUnitOfWork, sessions: async_sessionmaker[AsyncSession]
) -> None:
    store = OutboxStore(sessions)
    await enqueue(uow, message("7"), message("7"))
    claimed = await store.claim(NOW)  # then the process is killed
    later = NOW + timedelta(seconds=3)
    async with uow:  # written after the claim, to the same chat
        await uow.outbox.add(replace(message("7"), created_at=later))
        await uow.commit()
    assert await store.take_back() == 2
    # Due now, not after the lease, and before what was written to that chat after them.
    again = await store.claim(later + timedelta(seconds=1))
    assert [d.id for d in again[:2]] == [d.id for d in claimed] and len(again) == 3
    assert [d.attempts for d in again] == [2, 2, 1]


async def test_retry_later_waits_until_its_time(
    uow: SqlUnitOfWork, sessions: async_sessionmaker[AsyncSession]
) -> None:
    store = OutboxStore(sessions)
    await enqueue(uow, message("1"))
    [delivery] = await store.claim(NOW)
    await store.retry_later(delivery.id, NOW + timedelta(seconds=30), "flood")
    assert await store.claim(NOW + timedelta(seconds=29)) == []
    assert [d.id for d in await store.claim(NOW + timedelta(seconds=30))] == [delivery.id]
    await store.give_up(delivery.id, "unreachable", "blocked")
    assert await store.next_due() is None


async def test_persistence_loads_what_the_turns_wrote(
    uow: SqlUnitOfWork, sessions: async_sessionmaker[AsyncSession]
) -> None:
    async def step(name: str, key: tuple[int, int], state: str | None) -> None:
        async with uow:
            await uow.save_conversation(name, key, state)
            await uow.commit()

    await step("signup", (10, 10), "email")
    await step("signup", (11, 11), "role")
    await step("signup", (11, 11), None)
    await step("signup", (10, 10), "confirm_email")
    async with uow:
        await uow.save_user_data(10, {"editing": "headline"})
        await uow.commit()
    reopened = SqlPersistence(sessions)
    assert await reopened.get_conversations("signup") == {(10, 10): "confirm_email"}
    assert await reopened.get_conversations("profile") == {}
    assert await reopened.get_user_data() == {10: {"editing": "headline"}}
    await reopened.drop_user_data(10)
    assert await reopened.get_user_data() == {}


async def test_ptbs_late_background_write_never_puts_an_older_position_back(
    uow: SqlUnitOfWork, sessions: async_sessionmaker[AsyncSession]
) -> None:
    """PTB's loop took the position after step N, then its write waited for the lock while
    step N+1's turn committed: landing now, it must not undo step N+1."""
    persistence = SqlPersistence(sessions)
    async with uow:  # step N+1
        await uow.save_conversation("newlead", (10, 10), "preview")
        await uow.save_user_data(10, {"flow": "newlead", "step": 2})
        await uow.commit()
    await persistence.update_conversation("newlead", (10, 10), "attach")  # step N, late
    await persistence.update_user_data(10, {"flow": "newlead", "step": 1})
    await persistence.flush()
    reopened = SqlPersistence(sessions)
    assert await reopened.get_conversations("newlead") == {(10, 10): "preview"}
    assert await reopened.get_user_data() == {10: {"flow": "newlead", "step": 2}}


async def test_answers_to_people_are_claimed_before_older_bulk_messages(
    uow: SqlUnitOfWork, sessions: async_sessionmaker[AsyncSession]
) -> None:
    alerts = [message(str(100 + i), f"alert:7:{i}") for i in range(60)]
    bulk = [message("200", "announcement:3:1"), message("201", "invite:7:1")]
    bulk += [message("202", "nudge:9")]
    await enqueue(uow, *alerts, *bulk)
    later = NOW + timedelta(seconds=5)
    relayed = replace(message("300"), created_at=later)
    bid = replace(message("301", "bid:7:2"), created_at=later)
    await enqueue(uow, relayed, bid)
    store = OutboxStore(sessions)
    first = await store.claim(later, limit=10)
    assert [d.recipient for d in first[:2]] == ["300", "301"]
    assert [d.bulk for d in first] == [False, False] + [True] * 8
    # A claim takes at most so many bulk messages; the rest stay due for the next one.
    await enqueue(uow, replace(message("302", "bid:7:3"), created_at=later))
    capped = await store.claim(later, limit=50, bulk_limit=5)
    assert [d.recipient for d in capped[:1]] == ["302"] and len(capped) == 6
    assert all(d.bulk for d in capped[1:])
    rest = await store.claim(later, limit=100)
    assert {d.recipient for d in rest} >= {"200", "201", "202"} and all(d.bulk for d in rest)
    assert len(first) + len(capped) + len(rest) == 60 + 3 + 3  # each claimed once


async def test_a_newer_message_never_overtakes_an_older_one_waiting_for_its_retry(
    uow: SqlUnitOfWork, sessions: async_sessionmaker[AsyncSession]
) -> None:
    """Telegram failed the first message to a chat; the second, written while the first
    waits for its retry, waits behind it (another chat's goes at once)."""
    store = OutboxStore(sessions)
    await enqueue(uow, message("7"))
    [first] = await store.claim(NOW)
    retry_at = NOW + timedelta(seconds=8)
    await store.retry_later(first.id, retry_at, "Bad Gateway")
    later = NOW + timedelta(seconds=2)
    await enqueue(
        uow, replace(message("7"), created_at=later), replace(message("8"), created_at=later)
    )
    assert [d.recipient for d in await store.claim(later)] == ["8"]
    # At its time the older one goes; the newer one right after it is sent (the next claim).
    assert [d.id for d in await store.claim(retry_at)] == [first.id]
    await store.mark_sent(first.id, retry_at)
    [second] = await store.claim(retry_at)
    assert second.recipient == "7" and second.id > first.id
    # While one is being sent (claimed, its lease running), a newer one waits for it too.
    await enqueue(uow, replace(message("7"), created_at=retry_at))
    assert await store.claim(retry_at + timedelta(seconds=1)) == []
    await store.mark_sent(second.id, retry_at)
    assert len(await store.claim(retry_at + timedelta(seconds=1))) == 1
