"""Every storage test runs on both engines: SQLite (a file) and PostgreSQL (a database of
its own on the session's throwaway server)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from storage.db import create_engine, session_factory
from storage.migrate import upgrade
from storage.uow import SqlUnitOfWork


@pytest.fixture(params=["sqlite", "postgresql"])
def engine_kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def db_url(engine_kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """An empty database."""
    if engine_kind == "postgresql":
        return str(request.getfixturevalue("postgresql_url"))
    return f"sqlite+aiosqlite:///{tmp_path / 'leadline.db'}"


@pytest.fixture
def migrated_db_url(engine_kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """A database at the head migration."""
    if engine_kind == "postgresql":
        return str(request.getfixturevalue("migrated_postgresql_url"))
    url = f"sqlite+aiosqlite:///{tmp_path / 'leadline.db'}"
    upgrade(url)
    return url


@pytest.fixture
async def engine(migrated_db_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(migrated_db_url)
    yield engine
    await engine.dispose()


@pytest.fixture
def sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return session_factory(engine)


@pytest.fixture
def uow(sessions: async_sessionmaker[AsyncSession]) -> SqlUnitOfWork:
    return SqlUnitOfWork(sessions)
