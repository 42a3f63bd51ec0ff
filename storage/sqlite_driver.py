"""SQLAlchemy's aiosqlite adapter with at most one trip to aiosqlite's thread per statement,
and none for the quick ones that cannot wait for a lock.

aiosqlite runs each sqlite3 call in a thread of its own; SQLAlchemy's adapter makes four
calls per statement (open a cursor, execute, fetch, close), each a hand-off through a queue
and a wake-up of the event loop, and rolls back on every return to the pool, a fifth, even
with no transaction open. On the update path those hand-offs cost more than SQLite itself
(docs/PERFORMANCE.md, "Where an update's time goes"). Here a statement is one function run
in the thread, and a rollback with nothing to roll back stays on the loop's side. The
engine takes it as its DBAPI module (``create_async_engine(..., module=...)``); everything
else is SQLAlchemy's own adapter.

Even one trip costs about ten times what SQLite takes for a lookup by key (a queue, a
thread's wake-up, the event loop's wake-up: ~0.2 ms against ~5 µs), and a turn makes four or
five. So a statement whose SQL ran in under ``QUICK`` last time (``Placement``) runs on the
event loop's own thread when it cannot wait for another connection's lock: a read (in WAL
mode readers never wait), a write or commit of a transaction that already holds SQLite's
write lock, or a transaction's first write while no one else holds that lock (tried with no
wait allowed; if the lock is taken, the statement goes to the thread and waits there, up to
the busy timeout, while the loop goes on). Anything slow (a search over many leads, a
fan-out's batch) stays in the thread.
"""

from __future__ import annotations

import sqlite3
from collections import deque
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from enum import Enum
from time import perf_counter
from typing import Any, TypeVar, cast

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)

R = TypeVar("R")
Outcome = tuple[Any, list[Any], int | None, int, bool, float]

# Under this, a statement is quick enough to run on the event loop's thread: a lookup by key
# takes microseconds; a search or a batch that takes longer would hold up every other update.
QUICK = 0.002
# A statement found slow runs in the thread this many times before it is tried on the loop
# again, doubling each time it is still slow (in the thread it may only have waited for the
# GIL, so only a run on the loop, or a quick one anywhere, tells).
FIRST_PAUSE, LONGEST_PAUSE = 16, 1024
# Statements remembered at most: the SQL of an IN (…) list differs by its length, so the set
# is finite but not small; past this the memory starts again.
REMEMBERED = 10_000
COMMIT = "COMMIT"


class Kind(Enum):
    READ = "read"
    WRITE = "write"
    OTHER = "other"  # PRAGMA, SAVEPOINT, DDL: rare, and some take locks


def kind_of(operation: str) -> Kind:
    head = operation.lstrip()[:7].upper()
    if head.startswith("SELECT"):
        return Kind.READ
    if head.startswith(("INSERT", "UPDATE", "DELETE", "REPLACE")):
        return Kind.WRITE
    return Kind.OTHER


@dataclass
class _Pace:
    slow_runs: int = 0  # consecutive runs found slow
    pause: int = 0  # runs left in the thread before the next try on the loop


class Placement:
    """Where each statement runs, from how long the same SQL took before."""

    def __init__(self) -> None:
        self._paces: dict[str, _Pace] = {}

    def quick(self, operation: str) -> bool:
        """True when the SQL ran quickly before (never seen: not yet) and is not paused."""
        pace = self._paces.get(operation)
        return pace is not None and not pace.pause

    def took(self, operation: str, seconds: float, on_loop: bool) -> None:
        """Notes one run of the SQL, and where it ran."""
        pace = self._paces.get(operation)
        if pace is None:
            if len(self._paces) >= REMEMBERED:
                self._paces.clear()
            pace = self._paces[operation] = _Pace()
            on_loop = True  # a first run tells, wherever it ran
        if seconds < QUICK:
            pace.slow_runs = pace.pause = 0
        elif on_loop:
            pace.slow_runs += 1
            pace.pause = min(FIRST_PAUSE << (pace.slow_runs - 1), LONGEST_PAUSE)
        elif pace.pause:
            pace.pause -= 1


PLACEMENT = Placement()


def _run(connection: aiosqlite.Connection, operation: Any, parameters: Any, many: bool) -> Outcome:
    """The whole statement, rows included, whether a transaction is open after it, and how
    long it took (in aiosqlite's thread, or on the loop's for a quick one)."""
    started = perf_counter()
    conn: sqlite3.Connection = connection._conn
    cursor = conn.cursor()
    try:
        if many:
            cursor.executemany(operation, parameters)
        elif parameters is None:
            cursor.execute(operation)
        else:
            cursor.execute(operation, parameters)
        description = cursor.description
        rows = cursor.fetchall() if description else []
        took = perf_counter() - started
        return description, rows, cursor.lastrowid, cursor.rowcount, conn.in_transaction, took
    finally:
        cursor.close()


def _in_thread(
    connection: aiosqlite.Connection, function: Callable[..., R], *args: Any
) -> Coroutine[Any, Any, R]:
    """``function(connection, *args)`` in aiosqlite's thread."""
    call: Coroutine[Any, Any, R] = connection._execute(function, connection, *args)  # type: ignore[no-untyped-call]
    return call


def _first_write(
    connection: aiosqlite.Connection, operation: Any, parameters: Any, busy_timeout_ms: int
) -> Outcome | None:
    """A transaction's first write on the loop's thread, allowed no wait for the write lock:
    None when another connection holds it (the statement changed nothing)."""
    conn: sqlite3.Connection = connection._conn
    conn.execute("PRAGMA busy_timeout = 0")
    try:
        return _run(connection, operation, parameters, False)
    except sqlite3.OperationalError as error:
        if error.sqlite_errorcode & 0xFF == sqlite3.SQLITE_BUSY:
            return None
        raise
    finally:
        conn.execute(f"PRAGMA busy_timeout = {busy_timeout_ms}")


def _ended(connection: aiosqlite.Connection, rollback: bool) -> float:
    """Commits or rolls back; returns how long it took."""
    started = perf_counter()
    conn: sqlite3.Connection = connection._conn
    if rollback:
        conn.rollback()
    else:
        conn.commit()
    return perf_counter() - started


class OneTripCursor(AsyncAdapt_aiosqlite_cursor):
    __slots__ = ()

    def _trip(self, operation: Any, parameters: Any, many: bool) -> None:
        adapter = self._adapt_connection
        assert isinstance(adapter, OneTripConnection)
        try:
            description, rows, lastrowid, rowcount, _, _ = self.await_(
                adapter.run(operation, parameters, many)
            )
        except Exception as error:
            adapter._handle_exception(error)
        if description:
            self.description = description
            self.lastrowid = self.rowcount = -1
            self._rows = deque(rows)
        else:
            self.description = None
            self.lastrowid = lastrowid if lastrowid is not None else -1
            self.rowcount = rowcount

    def execute(self, operation: Any, parameters: Any = None) -> Any:
        self._trip(operation, parameters, many=False)

    def executemany(self, operation: Any, seq_of_parameters: Any) -> Any:
        self._trip(operation, seq_of_parameters, many=True)


class OneTripConnection(AsyncAdapt_aiosqlite_connection):
    __slots__ = ("_busy_timeout", "in_transaction", "writing")

    def __init__(self, dbapi: Any, connection: Any) -> None:
        super().__init__(dbapi, connection)
        # Unknown until the first statement says: the first rollback goes to SQLite.
        self.in_transaction = True
        # Whether the open transaction has written, so holds SQLite's write lock.
        self.writing = False
        self._busy_timeout: int | None = None

    @property
    def busy_timeout(self) -> int:
        """The connection's busy timeout in ms, as configured (read once)."""
        if self._busy_timeout is None:
            sqlite: sqlite3.Connection = self._connection._conn
            self._busy_timeout = int(sqlite.execute("PRAGMA busy_timeout").fetchone()[0])
        return self._busy_timeout

    async def run(self, operation: str, parameters: Any, many: bool = False) -> Outcome:
        """One statement where ``PLACEMENT`` puts it; SQLAlchemy's cursor and the update
        path's hot statements (storage/hot.py) both come here."""
        connection = cast(aiosqlite.Connection, self._connection)
        kind = kind_of(operation)
        quick = not many and kind is not Kind.OTHER and PLACEMENT.quick(operation)
        outcome: Outcome | None = None
        try:
            if quick and (kind is Kind.READ or self.writing):
                # A read never waits for a lock in WAL mode, nor does a write once the
                # transaction holds the write lock.
                outcome = _run(connection, operation, parameters, False)
            elif quick:
                # A first write may have to wait for another process's writer: tried on
                # the loop without waiting, then in the thread if the lock is taken.
                outcome = _first_write(connection, operation, parameters, self.busy_timeout)
            on_loop = outcome is not None
            if outcome is None:
                outcome = await _in_thread(connection, _run, operation, parameters, many)
        except Exception:
            # A statement that failed may have left a transaction open, and what it holds
            # is unknown: the next write goes to the thread.
            self.in_transaction, self.writing = True, False
            raise
        in_transaction, took = outcome[4], outcome[5]
        if not many:  # a batch's time says nothing about one statement's
            PLACEMENT.took(operation, took, on_loop)
        self.in_transaction = in_transaction
        self.writing = in_transaction and (self.writing or kind is Kind.WRITE)
        return outcome

    def cursor(self, server_side: bool = False) -> AsyncAdapt_aiosqlite_cursor:
        if server_side:
            # SQLAlchemy's own cursor: unknown from here on
            self.in_transaction, self.writing = True, False
            return super().cursor(server_side=True)
        return OneTripCursor(self)

    def _end(self, rollback: bool) -> None:
        connection = cast(aiosqlite.Connection, self._connection)
        # Neither waits for a lock: a rollback never does, a commit holds the lock already.
        # (A commit that checkpoints the WAL takes longer: then the next goes to the thread.)
        on_loop = rollback or (self.writing and PLACEMENT.quick(COMMIT))
        try:
            took: float = (
                _ended(connection, rollback)
                if on_loop
                else self.await_(_in_thread(connection, _ended, rollback))
            )
        except Exception as error:
            self.in_transaction, self.writing = True, False
            self._handle_exception(error)
        if not rollback:
            PLACEMENT.took(COMMIT, took, on_loop)
        self.in_transaction = self.writing = False

    def commit(self) -> None:
        # With no transaction open there is nothing to commit (sqlite3 would do nothing).
        if self.in_transaction:
            self._end(rollback=False)

    def rollback(self) -> None:
        # The pool rolls back every connection it gets back; after a commit, or a session
        # that only read, SQLite has nothing to roll back.
        if self.in_transaction:
            self._end(rollback=True)


class OneTripDbapi(AsyncAdapt_aiosqlite_dbapi):
    """The DBAPI module for ``create_async_engine(..., module=...)``."""

    def connect(self, *arg: Any, **kw: Any) -> AsyncAdapt_aiosqlite_connection:
        # Quick statements run on the event loop's thread, the rest in aiosqlite's, one at
        # a time either way (the adapter awaits each before the next).
        kw.setdefault("check_same_thread", False)
        adapted = super().connect(*arg, **kw)
        if type(adapted) is not AsyncAdapt_aiosqlite_connection:
            return adapted  # the sync fallback: left as SQLAlchemy builds it
        return OneTripConnection(self, adapted._connection)


def dbapi() -> OneTripDbapi:
    return OneTripDbapi(aiosqlite, sqlite3)
