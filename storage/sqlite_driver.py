"""SQLAlchemy's aiosqlite adapter with one trip to aiosqlite's thread per statement.

aiosqlite runs each sqlite3 call in a thread of its own; SQLAlchemy's adapter makes four
calls per statement (open a cursor, execute, fetch, close), each a hand-off through a queue
and a wake-up of the event loop, and rolls back on every return to the pool, a fifth, even
with no transaction open. On the update path those hand-offs cost more than SQLite itself
(docs/PERFORMANCE.md, "Where an update's time goes"). Here a statement is one function run
in the thread, and a rollback with nothing to roll back stays on the loop's side. The
engine takes it as its DBAPI module (``create_async_engine(..., module=...)``); everything
else is SQLAlchemy's own adapter.
"""

from __future__ import annotations

import sqlite3
from collections import deque
from typing import Any

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)

Outcome = tuple[Any, list[Any], int | None, int, bool]


def _run(connection: aiosqlite.Connection, operation: Any, parameters: Any, many: bool) -> Outcome:
    """In aiosqlite's thread: the whole statement, rows included, and whether a transaction
    is open after it."""
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
        return description, rows, cursor.lastrowid, cursor.rowcount, conn.in_transaction
    finally:
        cursor.close()


def _ended(connection: aiosqlite.Connection, rollback: bool) -> None:
    """In aiosqlite's thread: commits or rolls back."""
    conn: sqlite3.Connection = connection._conn
    if rollback:
        conn.rollback()
    else:
        conn.commit()


class OneTripCursor(AsyncAdapt_aiosqlite_cursor):
    __slots__ = ()

    def _trip(self, operation: Any, parameters: Any, many: bool) -> None:
        adapter = self._adapt_connection
        try:
            outcome: Outcome = self.await_(
                self._connection._execute(_run, self._connection, operation, parameters, many)
            )
        except Exception as error:
            # A statement that failed may have left a transaction open.
            assert isinstance(adapter, OneTripConnection)
            adapter.in_transaction = True
            adapter._handle_exception(error)
        description, rows, lastrowid, rowcount, in_transaction = outcome
        assert isinstance(adapter, OneTripConnection)
        adapter.in_transaction = in_transaction
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
    __slots__ = ("in_transaction",)

    def __init__(self, dbapi: Any, connection: Any) -> None:
        super().__init__(dbapi, connection)
        # Unknown until the first statement says: the first rollback goes to SQLite.
        self.in_transaction = True

    def cursor(self, server_side: bool = False) -> AsyncAdapt_aiosqlite_cursor:
        if server_side:
            self.in_transaction = True  # SQLAlchemy's own cursor: unknown from here on
            return super().cursor(server_side=True)
        return OneTripCursor(self)

    def _end(self, rollback: bool) -> None:
        try:
            self.await_(self._connection._execute(_ended, self._connection, rollback))
        except Exception as error:
            self.in_transaction = True
            self._handle_exception(error)
        self.in_transaction = False

    def commit(self) -> None:
        self._end(rollback=False)

    def rollback(self) -> None:
        # The pool rolls back every connection it gets back; after a commit, or a session
        # that only read, SQLite has nothing to roll back.
        if self.in_transaction:
            self._end(rollback=True)


class OneTripDbapi(AsyncAdapt_aiosqlite_dbapi):
    """The DBAPI module for ``create_async_engine(..., module=...)``."""

    def connect(self, *arg: Any, **kw: Any) -> AsyncAdapt_aiosqlite_connection:
        adapted = super().connect(*arg, **kw)
        if type(adapted) is not AsyncAdapt_aiosqlite_connection:
            return adapted  # the sync fallback: left as SQLAlchemy builds it
        return OneTripConnection(self, adapted._connection)


def dbapi() -> OneTripDbapi:
    return OneTripDbapi(aiosqlite, sqlite3)
