"""`leadline db backup`: a consistent online copy of the SQLite file, refusals in one sentence."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.cli import main
from storage.backup import BackupError, backup
from storage.migrate import upgrade


def database(tmp_path: Path) -> tuple[str, Path]:
    path = tmp_path / "leadline.db"
    url = f"sqlite+aiosqlite:///{path}"
    upgrade(url)
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("INSERT INTO categories (name, position) VALUES ('Committed', 1)")
    return url, path


def names(path: Path) -> list[str]:
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        query = "SELECT name FROM categories WHERE name LIKE '%ommitted' ORDER BY name"
        return [name for (name,) in db.execute(query)]


def test_a_backup_taken_while_a_write_is_open_holds_what_was_committed(tmp_path: Path) -> None:
    url, path = database(tmp_path)
    writer = sqlite3.connect(path)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO categories (name, position) VALUES ('Uncommitted', 2)")
    size = backup(url, tmp_path / "copy.db")
    writer.commit()
    writer.close()
    assert size > 0
    assert names(tmp_path / "copy.db") == ["Committed"]
    assert names(path) == ["Committed", "Uncommitted"]


def test_backup_refuses_in_one_sentence(tmp_path: Path) -> None:
    url, _ = database(tmp_path)
    (tmp_path / "taken.db").write_bytes(b"")
    with pytest.raises(BackupError, match="already exists"):
        backup(url, tmp_path / "taken.db")
    with pytest.raises(BackupError, match="pg_dump"):
        backup("postgresql+asyncpg://u@localhost/leadline", tmp_path / "pg.db")
    with pytest.raises(BackupError, match="no database"):
        backup(f"sqlite+aiosqlite:///{tmp_path / 'missing.db'}", tmp_path / "new.db")


def test_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url, _ = database(tmp_path)
    config = tmp_path / "config.toml"
    config.write_text(f'[telegram]\ntoken = "1:T"\n[database]\nurl = "{url}"\n', encoding="utf-8")
    target = tmp_path / "nightly.db"
    main(["db", "backup", str(target), "-c", str(config)])
    assert "Backed up the database to" in capsys.readouterr().out
    assert names(target) == ["Committed"]
    with pytest.raises(SystemExit) as stopped:
        main(["db", "backup", str(target), "-c", str(config)])
    assert stopped.value.code == 2
    assert (
        capsys.readouterr().err.strip()
        == f"leadline: {target} already exists; choose a new file name."
    )
