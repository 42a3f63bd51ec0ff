"""A configuration file for the settings tests to load."""

from __future__ import annotations

from pathlib import Path

TOKEN = "123456:AAH-secret-token-value"
HEAD = f'[telegram]\ntoken = "{TOKEN}"\n'


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(body, encoding="utf-8")
    return path
