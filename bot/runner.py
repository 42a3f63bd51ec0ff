"""Starts and stops a bot inside an event loop that is already running (sandbox and tests)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from telegram import Update

from bot.app import build_application
from bot.settings import Settings
from handlers.context import LeadlineApp
from storage.migrate import upgrade


@dataclass
class RunningBot:
    app: LeadlineApp

    async def stop(self) -> None:
        """Stops cleanly: polling ends, persistence is flushed, the database closed."""
        if self.app.updater is not None and self.app.updater.running:
            await self.app.updater.stop()
        if self.app.running:
            await self.app.stop()
        await self.app.shutdown()


async def start_bot(settings: Settings) -> RunningBot:
    """Migrates the database, then starts polling in the current event loop."""
    await asyncio.to_thread(upgrade, settings.database.url)
    app = build_application(settings)
    await app.initialize()
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(allowed_updates=Update.ALL_TYPES, poll_interval=0.0)
    return RunningBot(app)
