"""Starts and stops a bot inside an event loop that is already running (sandbox and tests)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from telegram import Update

from bot.app import build_application
from bot.settings import Settings
from handlers.core.context import LeadlineApp
from storage.migrate import upgrade


@dataclass
class RunningBot:
    app: LeadlineApp

    async def stop(self) -> None:
        """Stops cleanly: polling ends, persistence is flushed, the database closed."""
        app = self.app
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
            # run_polling() calls these hooks itself; running inside a loop, so do we.
            if app.post_stop is not None:
                await app.post_stop(app)
        await app.shutdown()
        if app.post_shutdown is not None:
            await app.post_shutdown(app)


async def start_bot(settings: Settings) -> RunningBot:
    """Migrates the database, then starts polling in the current event loop."""
    await asyncio.to_thread(upgrade, settings.database.url)
    app = build_application(settings)
    await app.initialize()
    if app.post_init is not None:
        await app.post_init(app)
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(allowed_updates=Update.ALL_TYPES, poll_interval=0.0)
    return RunningBot(app)
