"""Starts and stops a bot inside an event loop that is already running (sandbox and tests)."""

from __future__ import annotations

import asyncio
import signal
from dataclasses import dataclass

from bot.app import build_application
from bot.leader import Leadership, lock_key
from bot.settings import Settings
from handlers.core.context import LeadlineApp
from storage.db import create_engine
from storage.migrate import upgrade


@dataclass
class RunningBot:
    app: LeadlineApp

    async def stop(self) -> None:
        """Stops cleanly: no update is taken any more, persistence is flushed, the database
        closed."""
        app = self.app
        receiver = app.bot_data["runtime"].receiver
        if receiver is not None:
            await receiver.stop()
        if app.running:
            await app.stop()
            # run_polling() calls these hooks itself; running inside a loop, so do we.
            if app.post_stop is not None:
                await app.post_stop(app)
        await app.shutdown()
        if app.post_shutdown is not None:
            await app.post_shutdown(app)


async def start_bot(settings: Settings) -> RunningBot:
    """Migrates the database, then takes updates (by polling or webhook, through the inbox)
    in the current loop."""
    await asyncio.to_thread(upgrade, settings.database.url)
    app = build_application(settings)
    await app.initialize()
    if app.post_init is not None:
        await app.post_init(app)
    await app.start()
    return RunningBot(app)


async def until_stopped(stop: asyncio.Event | None = None) -> None:
    """Waits for SIGINT (Ctrl+C) or SIGTERM (or ``stop`` set by someone else)."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()


async def serve(settings: Settings) -> None:
    """Runs the bot (polling or webhook) until SIGINT or SIGTERM, then stops it cleanly; on
    PostgreSQL, first waits to be the active process (bot.leader)."""
    engine = create_engine(settings.database.url)
    leadership = Leadership(engine, lock_key(settings.telegram.token.get_secret_value()))
    try:
        await leadership.acquire()
        bot = await start_bot(settings)
        stop = asyncio.Event()
        leadership.watch(stop.set)
        try:
            await until_stopped(stop)
        finally:
            await bot.stop()
    finally:
        await leadership.release()
        await engine.dispose()
