"""Helpers shared by the sandbox tests (a module, since tests here are not a package)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

from telegram.ext import Application, ApplicationBuilder

from sandbox import Sandbox

TOKEN = "123456:TEST-TOKEN"
PtbApp = Application[Any, Any, Any, Any, Any, Any]


def builder(sb: Sandbox) -> ApplicationBuilder:  # type: ignore[type-arg]
    return ApplicationBuilder().token(TOKEN).base_url(sb.base_url).base_file_url(sb.base_file_url)


@contextlib.asynccontextmanager
async def running(app: PtbApp) -> AsyncIterator[PtbApp]:
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
