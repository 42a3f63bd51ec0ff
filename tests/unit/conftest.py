"""Unit tests read settings from the files they write, never from the environment."""

from __future__ import annotations

import os

import pytest


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("LEADLINE_"):
            monkeypatch.delenv(name)
