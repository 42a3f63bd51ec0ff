"""Honest conflicts: only a lost race becomes "someone else changed this"; any other refusal
by the database is a bug, logged with the constraint's name. On both engines."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domain.errors import Conflict
from domain.model import EmailToken, Role, User
from domain.skills import parse_skill_list
from storage.integrity import CONFLICT, violated_constraint
from storage.uow import SqlUnitOfWork
from tests.storage.test_leads_storage import person

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


async def test_an_account_opened_twice_at_once_is_a_lost_race(uow: SqlUnitOfWork) -> None:
    # The second of two inserts of the same Telegram user, as when two updates race.
    await person(uow, 7, {Role.BUYER})
    with pytest.raises(Conflict) as raised:
        async with uow:
            await uow.users.add(User(telegram_id=7, first_name="again", created_at=NOW))
            await uow.commit()
    assert raised.value.sentence == CONFLICT
    cause = raised.value.__cause__
    assert isinstance(cause, IntegrityError)
    assert violated_constraint(cause) == "uq_users_telegram_id"


async def test_any_other_integrity_error_is_a_bug_logged_with_its_constraint(
    uow: SqlUnitOfWork, caplog: pytest.LogCaptureFixture
) -> None:
    user = await person(uow, 8, {Role.BUYER})
    assert user.id is not None
    token = EmailToken(user.id, "a@example.org", "same-hash", NOW, NOW + timedelta(days=1))
    caplog.set_level(logging.ERROR)
    with pytest.raises(IntegrityError) as raised:
        async with uow:
            await uow.email_tokens.add(token)
            await uow.email_tokens.add(token)  # a token hash is never reused: a bug
            await uow.commit()
    assert not isinstance(raised.value, Conflict)
    assert violated_constraint(raised.value) == "uq_email_tokens_token_hash"
    [record] = [r for r in caplog.records if r.name == "storage.integrity"]
    assert record.levelno == logging.ERROR
    assert "uq_email_tokens_token_hash" in record.getMessage()
    assert "a bug, not a race" in record.getMessage()


async def test_new_skills_are_added_and_shared(uow: SqlUnitOfWork) -> None:
    """Skills nobody typed before get ids from the database (after the seeded ones)."""
    first = await person(uow, 9, {Role.SELLER}, "Photoshop, Illustrator")
    second = await person(uow, 10, {Role.SELLER}, "photoshop, Figma Pro")
    assert first.profile.skills == ["Photoshop", "Illustrator"]
    assert second.profile.skills == ["Photoshop", "Figma Pro"]


@pytest.mark.parametrize("engine_kind", ["postgresql"])  # SQLite has one writer at a time
async def test_the_same_new_skill_typed_by_two_sellers_at_once(
    uow: SqlUnitOfWork, sessions: async_sessionmaker[AsyncSession]
) -> None:
    async def type_skills() -> list[str]:
        async with SqlUnitOfWork(sessions) as mine:
            names = await mine.skills.resolve(parse_skill_list("Blender, Houdini"))
            await asyncio.sleep(0.05)  # both transactions are open at once
            await mine.commit()
        return names

    assert await asyncio.gather(type_skills(), type_skills()) == [["Blender", "Houdini"]] * 2


@pytest.mark.parametrize(
    ("message", "name"),
    [
        ("UNIQUE constraint failed: contracts.lead_id", "uq_contracts_lead_id"),
        ("UNIQUE constraint failed: threads.lead_id, threads.seller_id", "uq_threads_lead_id"),
        (
            "UNIQUE constraint failed: lead_invitations.lead_id, lead_invitations.seller_id",
            "pk_lead_invitations",
        ),
        ("NOT NULL constraint failed: leads.currency", "not null leads.currency"),
        ("FOREIGN KEY constraint failed", "foreign key"),
    ],
)
def test_sqlite_messages_name_the_constraint(message: str, name: str) -> None:
    """SQLite names columns, not constraints: they are mapped to the models' names."""
    error = IntegrityError("INSERT …", {}, Exception(message))
    assert violated_constraint(error) == name
