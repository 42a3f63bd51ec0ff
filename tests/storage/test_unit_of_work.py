"""The unit of work makes a repository when a transaction first uses it, on that
transaction's session, and only then."""

from __future__ import annotations

import pytest

from storage.repositories import SqlUserRepository
from storage.uow import SqlUnitOfWork


@pytest.mark.parametrize("engine_kind", ["sqlite"])
async def test_each_transaction_gets_repositories_of_its_own(uow: SqlUnitOfWork) -> None:
    async with uow:
        first = uow.users
        assert isinstance(first, SqlUserRepository)
        assert uow.users is first  # made once per transaction
        assert "leads" not in vars(uow)  # never used, never made
        session = uow._active()
        assert first._session is session
    async with uow:
        second = uow.users
        assert second is not first and second._session is uow._active()
        assert uow.contact._users is second  # built on the same transaction's users
    with pytest.raises(AttributeError):
        uow.no_such_repository  # noqa: B018  (a typo is an error, not a repository)


@pytest.mark.parametrize("engine_kind", ["sqlite"])
async def test_nothing_is_queued_when_the_outbox_was_never_used(uow: SqlUnitOfWork) -> None:
    async with uow:
        await uow.users.get_by_telegram_id(1)
    assert not uow.queued_outbox()
