"""A PostgreSQL server for the whole session, started only if a test asks for one."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytest_postgresql import factories

from tests.postgres import MISSING, PG_CTL, SERVER_OPTIONS, TestDatabases, postgresql_installed

postgresql_server = factories.postgresql_proc(
    executable=str(PG_CTL), postgres_options=SERVER_OPTIONS
)


@pytest.fixture(scope="session")
def postgresql_databases(request: pytest.FixtureRequest) -> Iterator[TestDatabases]:
    if not postgresql_installed():
        pytest.skip(MISSING)
    yield TestDatabases(request.getfixturevalue("postgresql_server"))


@pytest.fixture
def postgresql_url(postgresql_databases: TestDatabases) -> Iterator[str]:
    """An empty database of its own for this test."""
    url = postgresql_databases.create()
    yield url
    postgresql_databases.drop(url)


@pytest.fixture
def migrated_postgresql_url(postgresql_databases: TestDatabases) -> Iterator[str]:
    """A database of its own for this test, at the head migration."""
    url = postgresql_databases.create(migrated=True)
    yield url
    postgresql_databases.drop(url)
