"""Repositories and the unit of work on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from domain import accounts, profiles
from domain.errors import InvalidInput
from domain.events import ConfirmationEmailRequested, Event
from domain.model import AccountType, Role, SignupStage, User
from domain.onboarding import TextAnswer
from storage.db import SQLITE_BUSY_TIMEOUT_MS
from storage.uow import SqlUnitOfWork
from tests.acting import act

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


async def opened(uow: SqlUnitOfWork, who: accounts.TelegramIdentity, payload: str = "") -> User:
    """/start, as the update path runs it for someone it may not know yet."""
    async with uow:
        known = await uow.users.get_by_telegram_id(who.telegram_id)
        arrival = await accounts.start(uow, known, accounts.Start(who, payload), NOW)
        await uow.commit()
        return arrival.user


async def to_email(uow: SqlUnitOfWork, tid: int, role: Role, kind: AccountType) -> None:
    await opened(uow, accounts.TelegramIdentity(tid, "Zoë", "zoe"))
    await act(uow, tid, accounts.accept_terms, accounts.AcceptTerms(), NOW)
    await act(uow, tid, accounts.choose_role, accounts.ChooseRole(role), NOW)
    await act(uow, tid, accounts.choose_account_type, accounts.ChooseAccountType(kind), NOW)


@pytest.mark.parametrize("engine_kind", ["sqlite"])  # SQLite's settings: nothing to ask PG
async def test_sqlite_runs_with_wal_foreign_keys_and_busy_timeout(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        assert (await connection.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
        assert (await connection.execute(text("PRAGMA foreign_keys"))).scalar() == 1
        assert (
            await connection.execute(text("PRAGMA busy_timeout"))
        ).scalar() == SQLITE_BUSY_TIMEOUT_MS


async def test_a_full_signup_round_trips_through_the_database(uow: SqlUnitOfWork) -> None:
    await to_email(uow, 42, Role.SELLER, AccountType.ORGANIZATION)
    await act(uow, 42, accounts.set_organization_name, TextAnswer("<Acme & Co>"), NOW)
    events: list[Event] = []
    await act(uow, 42, accounts.submit_email, TextAnswer("zoe@example.org"), NOW, events)
    [email] = events
    assert isinstance(email, ConfirmationEmailRequested) and email.email == "zoe@example.org"
    confirm = accounts.ConfirmEmail(email.token)
    await act(uow, 42, accounts.confirm_email, confirm, NOW + timedelta(minutes=5))
    for use_case, answer in (
        (profiles.set_display_name, "Zoë <3"),
        (profiles.set_headline, "Django & <b>Python</b>"),
        (profiles.set_skills, "python, JS, Bubble Tea"),
    ):
        await act(uow, 42, use_case, TextAnswer(answer), NOW)
    names = await profiles.category_names(uow)
    for name in ("Software Development", "Legal"):
        await act(
            uow, 42, profiles.toggle_category, profiles.ToggleCategory(names.index(name)), NOW
        )
    await act(uow, 42, profiles.finish_categories, profiles.FinishCategories(), NOW)
    await act(uow, 42, profiles.set_location, TextAnswer("Kraków"), NOW)

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
        await opened(uow, accounts.TelegramIdentity(tid, "U"))
        async with uow:
            user = await uow.users.get_by_telegram_id(tid)
            assert user is not None
            user.signup_stage = SignupStage.DONE
            await uow.users.save(user)
            await uow.commit()
        await act(uow, tid, profiles.set_skills, TextAnswer(typed), NOW)
    async with uow:
        one, two = await uow.users.get_by_telegram_id(1), await uow.users.get_by_telegram_id(2)
    assert one is not None and two is not None
    assert one.profile.skills == ["Python", "Rare Skill"]
    assert two.profile.skills == ["Python", "Rare Skill"]


async def test_leaving_without_commit_rolls_back(uow: SqlUnitOfWork) -> None:
    await opened(uow, accounts.TelegramIdentity(5, "Al"))
    async with uow:
        user = await uow.users.get_by_telegram_id(5)
        assert user is not None
        user.first_name = "Changed"
        await uow.users.save(user)
    assert (await accounts.get_user(uow, 5)).first_name == "Al"  # type: ignore[union-attr]


async def test_invalid_input_writes_nothing(uow: SqlUnitOfWork) -> None:
    await to_email(uow, 6, Role.BUYER, AccountType.INDIVIDUAL)
    with pytest.raises(InvalidInput):
        await act(uow, 6, accounts.submit_email, TextAnswer("nope"), NOW)
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
