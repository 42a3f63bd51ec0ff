"""Fixtures: a started Sandbox and a PTB Bot pointed at it."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

# The project is not installed into the venv and pytest's config sets no pythonpath, so
# make the repository root importable for `import sandbox`.
_ROOT = str(Path(__file__).resolve().parents[2])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from sandbox_testkit import TOKEN  # noqa: E402
from telegram import Bot  # noqa: E402

from sandbox import Sandbox  # noqa: E402


@pytest.fixture
async def sb() -> AsyncIterator[Sandbox]:
    sandbox = Sandbox(bot_token=TOKEN, bot_username="leadline_bot", default_timeout=15)
    await sandbox.start()
    try:
        yield sandbox
    finally:
        await sandbox.stop()


@pytest.fixture
async def bot(sb: Sandbox) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=sb.base_url, base_file_url=sb.base_file_url) as client:
        yield client
