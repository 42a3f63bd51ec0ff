"""A PostgreSQL server for the whole session, started only if a test asks for one."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from pytest_postgresql import factories

from tests.postgres import MISSING, PG_CTL, SERVER_OPTIONS, TestDatabases, postgresql_installed

# Property tests check what holds, never how fast: on a shared machine (or two test workers
# on two cores) an example may take longer than Hypothesis' default 200 ms for no reason
# of ours.
hypothesis_settings.register_profile(
    "leadline", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("leadline")

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
