"""Throwaway PostgreSQL databases on the session's test server (pytest-postgresql).

One server per test session; every test gets a database of its own: empty, or cloned from
a template migrated to head once per session (a clone takes milliseconds, migrating from
scratch takes seconds).
"""

from __future__ import annotations

import itertools
import os
import shutil
from glob import glob
from pathlib import Path

import psycopg
from pytest_postgresql.executors import PostgreSQLExecutor

from storage.migrate import upgrade

# Given to pytest-postgresql as its pg_ctl: runs the real one as `postgres` under root.
PG_CTL = Path(__file__).parent / "pg" / "pg_ctl_as_postgres"
# A throwaway server needs no durability: no fsync, no waiting for the WAL.
SERVER_OPTIONS = "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
TEMPLATE = "leadline_head"
MISSING = "PostgreSQL is not installed (`make test` installs Debian's postgresql package)"


def postgresql_installed() -> bool:
    """Whether a PostgreSQL server can be started here (Debian's layout, or pg_ctl on PATH)."""
    return bool(glob("/usr/lib/postgresql/*/bin/pg_ctl")) or shutil.which("pg_ctl") is not None


class TestDatabases:
    """Creates and drops the databases of one session's server."""

    __test__ = False  # not a test class, whatever its name

    def __init__(self, server: PostgreSQLExecutor) -> None:
        self._server = server
        self._names = (f"t{os.getpid()}_{n}" for n in itertools.count(1))
        self._template_ready = False

    def url(self, name: str) -> str:
        server = self._server
        return f"postgresql+asyncpg://{server.user}@{server.host}:{server.port}/{name}"

    def _execute(self, statement: str) -> None:
        server = self._server
        with psycopg.connect(
            host=server.host, port=server.port, user=server.user, dbname="postgres", autocommit=True
        ) as connection:
            connection.execute(statement)  # type: ignore[arg-type]

    def create(self, *, migrated: bool = False) -> str:
        """A new database, empty or at the head migration; returns its URL."""
        name = next(self._names)
        if migrated and not self._template_ready:
            self._execute(f"CREATE DATABASE {TEMPLATE}")
            upgrade(self.url(TEMPLATE))
            self._template_ready = True
        template = TEMPLATE if migrated else "template0"
        self._execute(f"CREATE DATABASE {name} TEMPLATE {template}")
        return self.url(name)

    def drop(self, url: str) -> None:
        name = url.rpartition("/")[2]
        self._execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
