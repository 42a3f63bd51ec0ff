"""Counts the SQL statements an engine executes on behalf of one piece of work.

Statements are attributed through a context variable, so what other tasks run at the
same time (the outbox dispatcher, PTB's persistence writer) is never counted."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

_sink: ContextVar[list[str] | None] = ContextVar("statement_sink", default=None)


def _record(*args: Any) -> None:
    sink = _sink.get()
    if sink is not None:
        sink.append(str(args[2]))


def watch(engine: AsyncEngine) -> None:
    """Makes the engine report its statements to whoever counts (idempotent)."""
    if not event.contains(engine.sync_engine, "before_cursor_execute", _record):
        event.listen(engine.sync_engine, "before_cursor_execute", _record)


@contextmanager
def counted() -> Iterator[list[str]]:
    """Collects the statements this task (and tasks it starts) executes meanwhile."""
    statements: list[str] = []
    token = _sink.set(statements)
    try:
        yield statements
    finally:
        _sink.reset(token)
