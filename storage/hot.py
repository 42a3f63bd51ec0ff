"""The few statements every update runs, without SQLAlchemy's execution machinery on SQLite.

Marking the update handled and loading the acting user are three statements SQLite runs in
microseconds each; through SQLAlchemy's Core each also pays for its cache key, its
execution context and its result object, several times what SQLite takes, and that was
most of what an update costs the bot beyond what any PTB bot costs (docs/PERFORMANCE.md,
"Fifth round"). A ``HotStatement`` is compiled once per dialect with SQLAlchemy's own
compiler, bind processors and result processors, and on SQLite (``storage/sqlite_driver``)
handed to the driver directly, in the session's transaction and where the driver's
``Placement`` puts it. Elsewhere (PostgreSQL) it is an ordinary Core execution.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql.selectable import Select, TextualSelect

from storage.sqlite_driver import OneTripConnection

Processor = Callable[[Any], Any] | None
# Each returns rows (a write with RETURNING is a TextualSelect).
Statement = Select[Any] | TextualSelect


@dataclass(frozen=True)
class _Prepared:
    """A statement as the SQLite driver takes it: SQL, where each parameter comes from, and
    how each column's value is turned back into Python."""

    sql: str
    # Per position: the caller's parameter name and its bind processor, or a fixed value.
    binds: tuple[tuple[str | None, Processor, Any], ...]
    results: tuple[Processor, ...]
    row: type[tuple[Any, ...]]


class HotStatement:
    """One statement of the update path, prepared once per dialect."""

    def __init__(self, statement: Statement) -> None:
        self._statement = statement
        self._prepared: dict[str, _Prepared] = {}

    async def rows(
        self, connection: AsyncConnection, parameters: Mapping[str, Any]
    ) -> Sequence[Any]:
        """The statement's rows (attributes by column name) in ``connection``'s transaction."""
        sync = connection.sync_connection
        adapter = sync.connection.dbapi_connection if sync is not None else None
        if sync is None or not isinstance(adapter, OneTripConnection):
            return (await connection.execute(self._statement, parameters)).all()
        prepared = self._prepared.get("sqlite") or self._prepare(connection.dialect)
        values = [
            fixed if name is None else (process(parameters[name]) if process else parameters[name])
            for name, process, fixed in prepared.binds
        ]
        if sync._has_events or sync.engine._has_events:
            # Whoever listens to the engine's statements (SQL logging, the tests' counts)
            # hears of these too, with no cursor or execution context to look at.
            sync.dispatch.before_cursor_execute(sync, None, prepared.sql, values, None, False)
        try:
            description, rows, *_ = await adapter.run(prepared.sql, values)
        except Exception as error:
            # As SQLAlchemy would raise it: a lock or a constraint reads the same upstream.
            dbapi = adapter.dbapi
            if isinstance(error, dbapi.Error):
                raise DBAPIError.instance(prepared.sql, values, error, dbapi.Error) from error
            raise
        if description is None:
            return []
        make, results = prepared.row, prepared.results
        return [
            make(*(value if p is None else p(value) for p, value in zip(results, row, strict=True)))
            for row in rows
        ]

    def _prepare(self, dialect: Dialect) -> _Prepared:
        compiled = self._statement.compile(dialect=dialect)
        binds: list[tuple[str | None, Processor, Any]] = []
        for name in compiled.positiontup or ():
            bind = compiled.binds[name]
            process = cast(Processor, bind.type.dialect_impl(dialect).bind_processor(dialect))
            if not bind.required:
                # A literal of the statement itself (a constant in a UNION, say).
                value = bind.effective_value
                binds.append((None, None, process(value) if process else value))
            else:
                binds.append((name, process, None))
        columns = list(self._statement.selected_columns)
        results = tuple(
            cast(Processor, column.type.dialect_impl(dialect).result_processor(dialect, None))
            for column in columns
        )
        # Attributes by column name, as SQLAlchemy's rows have (a name that cannot be one, an
        # unnamed constant say, becomes _0, _1, …; the update path reads those by position).
        row = namedtuple("Row", [str(column.key) for column in columns], rename=True)  # type: ignore[misc]
        prepared = _Prepared(compiled.string, tuple(binds), results, row)
        self._prepared[dialect.name] = prepared
        return prepared
