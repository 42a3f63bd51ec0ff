"""A throwaway PostgreSQL server for the benchmark, started the way the tests start theirs.

pytest-postgresql's `PostgreSQLExecutor` runs initdb and `pg_ctl start` in a temporary
directory; `tests/pg/pg_ctl_as_postgres` is given as its pg_ctl, because PostgreSQL refuses
to run as root and these machines run as root (the script then runs the real pg_ctl as the
`postgres` user and hands it the data directory). The script is shared as a file, not as
Python: `bench` imports nothing from `tests`.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from glob import glob
from pathlib import Path

import port_for
from mirakuru.exceptions import ProcessFinishedWithError, TimeoutExpired
from pytest_postgresql.executors import PostgreSQLExecutor

PG_CTL = Path(__file__).resolve().parent.parent / "tests" / "pg" / "pg_ctl_as_postgres"
# PostgreSQL's own defaults, durability included (fsync, synchronous_commit and
# full_page_writes on; shared_buffers 128 MB, work_mem 4 MB): what a fresh install runs.
SERVER_OPTIONS = ""
USER = "postgres"
MISSING = (
    "PostgreSQL is not installed (`make bench` installs Debian's postgresql package); "
    "run with --engine sqlite, or give --postgresql-url"
)


def postgresql_installed() -> bool:
    """Whether a PostgreSQL server can be started here (Debian's layout, or pg_ctl on PATH)."""
    return bool(glob("/usr/lib/postgresql/*/bin/pg_ctl")) or shutil.which("pg_ctl") is not None


@contextmanager
def throwaway_server(directory: Path) -> Iterator[PostgreSQLExecutor]:
    """A PostgreSQL server with its data in `directory`, listening on 127.0.0.1 with trust
    authentication for `postgres`; stopped and its data removed on leaving, whatever happens
    (an error, Ctrl-C)."""
    if not postgresql_installed():
        raise SystemExit(MISSING)
    # The server's own folder: the data directory, its log and its socket. pg_ctl_as_postgres
    # hands it to `postgres` and lets that user pass through the folders above it.
    home = directory / "postgresql"
    home.mkdir()
    server = None
    try:
        for attempt in range(3):
            port = port_for.select_random()
            server = PostgreSQLExecutor(
                executable=str(PG_CTL),
                host="127.0.0.1",
                port=port,
                datadir=str(home / f"data-{port}"),
                unixsocketdir=str(home),
                logfile=str(home / f"postgresql.{port}.log"),
                startparams="-w",
                dbname="postgres",
                user=USER,
                postgres_options=SERVER_OPTIONS,
            )
            try:
                server.start()
                break
            except (ProcessFinishedWithError, TimeoutExpired):
                # Another process took the port between choosing it and binding it.
                _stop(server)
                if attempt == 2:
                    log = Path(server.logfile)
                    if log.exists():
                        sys.stderr.write(log.read_text(errors="replace"))
                    raise
        assert server is not None
        yield server
    finally:
        if server is not None:
            _stop(server)


def _stop(server: PostgreSQLExecutor) -> None:
    try:
        if server.running():
            server.stop()
    except Exception as error:  # the caller's own exception matters more than this one
        print(f"Could not stop the PostgreSQL server in {server.datadir}: {error}", file=sys.stderr)
    server.clean_directory()


def server_url(server: PostgreSQLExecutor, database: str) -> str:
    return f"postgresql+asyncpg://{server.user}@{server.host}:{server.port}/{database}"
