"""Telegram re-delivers updates after a crash; a processed update is never handled twice."""

from __future__ import annotations

import time

from telegram import Update

from bot.runner import RunningBot
from sandbox import Sandbox


async def test_a_redelivered_update_is_skipped(sandbox: Sandbox, bot: RunningBot) -> None:
    ned = sandbox.create_user("Ned")
    await ned.send("/help")
    await ned.wait_for_message("/profile")
    raw = {
        "update_id": 987_654,
        "message": {
            "message_id": 77,
            "date": int(time.time()),
            "chat": {"id": ned.id, "type": "private", "first_name": "Ned"},
            "from": {"id": ned.id, "is_bot": False, "first_name": "Ned"},
            "text": "/start",
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        },
    }
    for _ in range(3):
        await bot.app.process_update(Update.de_json(raw, bot.app.bot))
    await ned.wait_for_message("Do you accept these terms?")
    await ned.send("/help")
    await ned.wait_for_message("/profile")
    welcomes = [m for m in ned.bot_messages if "Welcome to Leadline" in (m.text or "")]
    assert len(welcomes) == 1
