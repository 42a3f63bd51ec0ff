"""`leadline db copy --to`: a SQLite marketplace moves into an empty PostgreSQL database whole,
and the new database goes on giving ids after the copied ones."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import func, select

from domain import relay
from domain.events import Event
from domain.lead_cases import FindLeads, find_leads
from domain.model import Role
from handlers.chat import notices
from handlers.core.notify import Notifier
from storage.copy import CopyError, copy_database
from storage.db import create_engine, session_factory
from storage.migrate import upgrade
from storage.models import Base, OutboxRow
from storage.uow import SqlUnitOfWork
from tests.acting import act
from tests.storage.test_chat_storage import seller_thread, text
from tests.storage.test_deals_storage import NOW
from tests.storage.test_leads_storage import person


async def counts(url: str) -> dict[str, int]:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return {
                table.name: int(await connection.scalar(select(func.count()).select_from(table)))
                for table in Base.metadata.sorted_tables
            }
    finally:
        await engine.dispose()


async def test_a_sqlite_marketplace_moves_into_postgresql_whole(
    tmp_path: Path, postgresql_url: str
) -> None:
    source = f"sqlite+aiosqlite:///{tmp_path / 'leadline.db'}"
    await asyncio.to_thread(upgrade, source)
    engine = create_engine(source)
    uow = SqlUnitOfWork(session_factory(engine))
    thread_id = await seller_thread(uow)  # buyer, two sellers, a published lead, two bids
    events: list[Event] = []
    message = relay.SendMessage(thread_id, text("Hello <3", 10))
    await act(uow, 2, relay.send, message, NOW, events)
    async with uow:
        # The relayed message's outbox row points back at the message (a cyclic key).
        await Notifier(notices.NOTICES).publish(uow, events, NOW, "leadline_bot")
        await uow.commit()
    await engine.dispose()
    before = await counts(source)
    assert before["messages"] == 1 and before["offers"] == 2 and before["leads"] == 1

    copied = await copy_database(source, postgresql_url)
    assert copied == before
    assert await counts(postgresql_url) == before

    target = create_engine(postgresql_url)
    try:
        async with target.connect() as connection:
            relayed = await connection.scalar(
                select(func.count()).where(OutboxRow.relay_message_id.is_not(None))
            )
        assert relayed == 1
        # Ids go on after the copied ones.
        newcomer = await person(SqlUnitOfWork(session_factory(target)), 99, {Role.BUYER})
        assert newcomer.id is not None and newcomer.id > before["users"]
        sent = await act(
            SqlUnitOfWork(session_factory(target)),
            1,
            relay.send,
            relay.SendMessage(thread_id, text("Still here", 11)),
            NOW,
        )
        assert sent.message.id == 2
        # The search index is PostgreSQL's own, built from the copied leads.
        command = FindLeads(["shop"], 0)
        page = await act(SqlUnitOfWork(session_factory(target)), 2, find_leads, command, NOW)
        assert [lead.title for lead in page.items] == ["Online shop"]
    finally:
        await target.dispose()

    with pytest.raises(CopyError, match="already holds Leadline tables"):
        await copy_database(source, postgresql_url)
