"""Fixtures: a started Sandbox, a PTB Bot pointed at it, and a way to run a PTB app."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable

import pytest
from telegram import Bot
from telegram.ext import Application, ApplicationBuilder

from sandbox import Sandbox

TOKEN = "123456:TEST-TOKEN"


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


def builder(sb: Sandbox) -> ApplicationBuilder:
    return ApplicationBuilder().token(TOKEN).base_url(sb.base_url).base_file_url(sb.base_file_url)


@contextlib.asynccontextmanager
async def running(app: Application) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    """Run a PTB application with long polling for the duration of the block."""
    await app.initialize()
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0, timeout=5)
    try:
        yield app
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()


AppFactory = Callable[[Sandbox], Application]  # type: ignore[type-arg]
