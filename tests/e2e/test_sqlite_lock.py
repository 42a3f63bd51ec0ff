"""Another process holding SQLite's write lock for a while (a backup, an operator's shell)
delays the answers; it loses none."""

from __future__ import annotations

import asyncio
import sqlite3
import time

from sqlalchemy import make_url

from bot.runner import RunningBot
from sandbox import Sandbox


async def test_a_write_lock_held_elsewhere_for_seven_seconds_is_waited_out(
    sandbox: Sandbox, bot: RunningBot, database_url: str
) -> None:
    lou = sandbox.create_user("Lou")
    await lou.send("/help")
    await lou.wait_for_message("/profile")
    other = sqlite3.connect(str(make_url(database_url).database), isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # SQLite's write lock, held by another connection
        asked = time.monotonic()
        await lou.send("/help")
        await asyncio.sleep(7)  # beyond the five seconds writes used to wait
        assert all("/profile" not in m.content for m in lou.bot_messages[1:])  # still waiting
        other.execute("ROLLBACK")
    finally:
        other.close()
    await lou.wait_for_message("/profile", timeout=10)
    assert time.monotonic() - asked >= 7
    await lou.send("/help")  # and the bot goes on as before
    await lou.wait_for_message("/profile")
