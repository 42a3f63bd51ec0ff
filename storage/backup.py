"""Online backups of the embedded SQLite database (``leadline db backup FILE``)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url


class BackupError(Exception):
    """Why a backup cannot be made, in one sentence."""


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite database URL; None for any other database."""
    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite") or not parsed.database:
        return None
    if parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def backup(url: str, target: Path) -> int:
    """Copies the database to ``target`` with SQLite's online backup, which gives a
    consistent copy while the bot keeps reading and writing; returns its size in bytes."""
    source_file = sqlite_file(url)
    if source_file is None:
        raise BackupError(
            "db backup is for the embedded SQLite database; back PostgreSQL up with pg_dump."
        )
    if not source_file.exists():
        raise BackupError(f"There is no database at {source_file}.")
    if target.exists():
        raise BackupError(f"{target} already exists; choose a new file name.")
    source = sqlite3.connect(f"file:{source_file}?mode=ro", uri=True)
    try:
        copy = sqlite3.connect(target)
        try:
            # Pages are copied in steps, so writers are held up for moments, not the whole copy.
            source.backup(copy, pages=256)
        finally:
            copy.close()
    finally:
        source.close()
    return target.stat().st_size
