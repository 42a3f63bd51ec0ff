"""Repositories and the unit of work on a real SQLite file."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from domain import accounts, profiles
from domain.errors import InvalidInput
from domain.model import AccountType, EmailDraft, Role, SignupStage
from storage.outbox import OutboxStore
from storage.uow import SqlUnitOfWork

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def compose(address: str, payload: str) -> EmailDraft:
    return EmailDraft(address, "Confirm", f"start={payload}", "<p>html</p>")


async def test_sqlite_runs_with_wal_foreign_keys_and_busy_timeout(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        assert (await connection.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
        assert (await connection.execute(text("PRAGMA foreign_keys"))).scalar() == 1
        assert (await connection.execute(text("PRAGMA busy_timeout"))).scalar() == 5000


async def test_a_full_signup_round_trips_through_the_database(
    uow: SqlUnitOfWork, sessions: async_sessionmaker[AsyncSession]
) -> None:
    me = accounts.TelegramIdentity(42, "Zoë", "zoe")
    await accounts.open_account(uow, me, NOW)
    await accounts.accept_terms(uow, 42, NOW)
    await accounts.choose_role(uow, 42, Role.SELLER)
    await accounts.choose_account_type(uow, 42, AccountType.ORGANIZATION)
    await accounts.set_organization_name(uow, 42, "<Acme & Co>")
    await accounts.submit_email(uow, 42, "zoe@example.org", NOW, compose)
    [email] = await OutboxStore(sessions).claim(NOW)
    assert email.recipient == "zoe@example.org"
    payload = str(email.payload["text"]).split("start=")[1]
    await accounts.confirm_email(uow, 42, payload, NOW + timedelta(minutes=5))
    await profiles.set_display_name(uow, 42, "Zoë <3")
    await profiles.set_headline(uow, 42, "Django & <b>Python</b>")
    await profiles.set_skills(uow, 42, "python, JS, Bubble Tea")
    await profiles.toggle_category(uow, 42, "Software Development")
    await profiles.toggle_category(uow, 42, "Legal")
    await profiles.finish_categories(uow, 42)
    await profiles.set_location(uow, 42, "Kraków")

    user = await accounts.get_user(uow, 42)
    assert user is not None
    assert user.signup_stage is SignupStage.DONE
    assert user.roles == {Role.SELLER}
    assert user.organization_name == "<Acme & Co>"
    assert user.email_verified_at == NOW + timedelta(minutes=5)
    assert user.email_verified_at.tzinfo is not None
    assert user.profile.display_name == "Zoë <3"
    assert user.profile.skills == ["Python", "JavaScript", "Bubble Tea"]
    assert user.profile.categories == ["Software Development", "Legal"]
    assert user.profile.location == "Kraków"


async def test_skills_are_shared_across_users_by_canonical_key(uow: SqlUnitOfWork) -> None:
    for tid, typed in ((1, "python, Rare Skill"), (2, "PYTHON , rare   skill, py")):
        await accounts.open_account(uow, accounts.TelegramIdentity(tid, "U"), NOW)
        async with uow:
            user = await uow.users.get_by_telegram_id(tid)
            assert user is not None
            user.signup_stage = SignupStage.DONE
            await uow.users.save(user)
            await uow.commit()
        await profiles.set_skills(uow, tid, typed)
    async with uow:
        one, two = await uow.users.get_by_telegram_id(1), await uow.users.get_by_telegram_id(2)
    assert one is not None and two is not None
    assert one.profile.skills == ["Python", "Rare Skill"]
    assert two.profile.skills == ["Python", "Rare Skill"]


async def test_leaving_without_commit_rolls_back(uow: SqlUnitOfWork) -> None:
    await accounts.open_account(uow, accounts.TelegramIdentity(5, "Al"), NOW)
    async with uow:
        user = await uow.users.get_by_telegram_id(5)
        assert user is not None
        user.first_name = "Changed"
        await uow.users.save(user)
    assert (await accounts.get_user(uow, 5)).first_name == "Al"  # type: ignore[union-attr]


async def test_invalid_input_writes_nothing(uow: SqlUnitOfWork) -> None:
    await accounts.open_account(uow, accounts.TelegramIdentity(6, "Al"), NOW)
    await accounts.accept_terms(uow, 6, NOW)
    await accounts.choose_role(uow, 6, Role.BUYER)
    await accounts.choose_account_type(uow, 6, AccountType.INDIVIDUAL)
    with pytest.raises(InvalidInput):
        await accounts.submit_email(uow, 6, "nope", NOW, compose)
    user = await accounts.get_user(uow, 6)
    assert user is not None and user.email is None and user.signup_stage is SignupStage.EMAIL


async def test_update_ids_are_marked_handled_once(uow: SqlUnitOfWork) -> None:
    async def mark(key: str, when: datetime) -> bool:
        async with uow:
            first = await uow.updates.mark_handled(key, when)
            await uow.commit()
            return first

    assert await mark("99:aa", NOW)
    assert not await mark("99:aa", NOW)
    # A Bot API server that starts counting afresh reuses ids with other content.
    assert await mark("99:bb", NOW)
    assert await accounts.forget_old_updates(uow, NOW + timedelta(days=8)) == 2
    assert await mark("99:aa", NOW + timedelta(days=8))


async def test_the_configured_categories_are_offered_in_order(uow: SqlUnitOfWork) -> None:
    await profiles.sync_categories(uow, ["Legal", "Brand New", "Other"])
    assert await profiles.category_names(uow) == ["Legal", "Brand New", "Other"]
    await profiles.sync_categories(uow, ["Other", "Legal"])
    assert await profiles.category_names(uow) == ["Other", "Legal"]
