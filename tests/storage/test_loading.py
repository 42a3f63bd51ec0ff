"""Loading is explicit and batched: a user costs two statements, a list of them too."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from domain.model import Role
from storage.uow import SqlUnitOfWork
from tests.statements import counted, watch
from tests.storage.test_leads_storage import person


async def _seller(uow: SqlUnitOfWork, telegram_id: int) -> None:
    await person(uow, telegram_id, {Role.SELLER}, "python, django, sql", ("Legal",))


async def test_a_user_loads_in_two_statements_and_many_users_too(
    uow: SqlUnitOfWork, engine: AsyncEngine
) -> None:
    for telegram_id in range(100, 110):
        await _seller(uow, telegram_id)
    watch(engine)
    async with uow:
        with counted() as one:
            user = await uow.users.get_by_telegram_id(100)
        assert user is not None and user.id is not None
        with counted() as many:
            users = await uow.users.get_many(range(1, 11))
    assert len(one) == 2
    assert len(many) == 2
    assert user.roles == {Role.SELLER}
    assert user.profile.skills == ["Python", "Django", "SQL"]
    assert user.profile.categories == ["Legal"]
    assert sorted(users) == list(range(1, 11))
    assert all(u.profile.skills == ["Python", "Django", "SQL"] for u in users.values())


async def test_get_many_of_nothing_asks_nothing(uow: SqlUnitOfWork, engine: AsyncEngine) -> None:
    watch(engine)
    async with uow:
        with counted() as statements:
            assert await uow.users.get_many([]) == {}
            assert await uow.leads.get_many([]) == {}
    assert statements == []
