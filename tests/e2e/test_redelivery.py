"""Telegram re-delivers updates after a crash; a processed update is never handled twice."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest
from telegram import Update

from bot.runner import RunningBot, start_bot
from bot.settings import Settings
from domain import accounts
from handlers.core.turn import expect, update_key
from sandbox import Sandbox, SimUser
from tests.e2e.conftest import BOT_USERNAME, TOKEN

pytestmark = pytest.mark.on_both_engines  # listed in the README


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


async def test_a_fresh_bot_api_counting_from_one_again_is_not_mistaken_for_repeats(
    settings: Settings, tmp_path: Path
) -> None:
    """Two sandbox sessions (update ids start at 1 each time) on one database."""
    for session in range(2):
        sb = Sandbox(bot_token=TOKEN, bot_username=BOT_USERNAME, default_timeout=15)
        await sb.start()
        bot = await start_bot(
            settings.model_copy(
                update={"telegram": settings.telegram.model_copy(update={"base_url": sb.base_url})}
            )
        )
        try:
            user = sb.create_user(f"Visitor{session}")
            await user.send("/start")
            await user.wait_for_message("Do you accept these terms?")
        finally:
            await bot.stop()
            await sb.stop()


async def test_the_telegram_name_is_kept_current_on_every_update(
    sandbox: Sandbox, bot: RunningBot, settings: Settings
) -> None:
    """Someone renames their Telegram account; the next message they send updates it."""
    ned = sandbox.create_user("Ned")
    await ned.send("/menu")
    await ned.wait_for_message("send /start to sign up")
    raw = {
        "update_id": 987_655,
        "message": {
            "message_id": 78,
            "date": int(time.time()),
            "chat": {"id": ned.id, "type": "private", "first_name": "Edward"},
            "from": {"id": ned.id, "is_bot": False, "first_name": "Edward", "username": "ed"},
            "text": "/help",
            "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
        },
    }
    await bot.app.process_update(Update.de_json(raw, bot.app.bot))
    user = await accounts.get_user(bot.app.bot_data["services"].uow(), ned.id)
    assert user is not None and (user.first_name, user.username) == ("Edward", "ed")


async def test_a_button_is_answered_only_once_telegram_is_told_of_its_tap(
    sandbox: Sandbox, bot: RunningBot
) -> None:
    """The poller confirms a batch once it is in the database, which may be just after a
    tap's turn committed: answered before that, a crash in between would bring the tap back
    from Telegram, and its button would be answered twice."""
    users = [sandbox.create_user(f"Tapper {number}") for number in range(16)]
    for user in users[:8]:  # one after another: each handled at once
        await user.send("/start")
        await user.wait_for_message("Do you accept these terms?")
        await user.tap("Accept")
        await user.wait_for_message("How will you use Leadline")

    async def tap_with_others(user: SimUser) -> None:
        await user.send("/start")
        await user.wait_for_message("Do you accept these terms?")
        await user.tap("Accept")

    # All at once: some wait behind others and are stored by the poller instead.
    await asyncio.gather(*(tap_with_others(user) for user in users[8:]))
    taps = sandbox.callback_queries
    assert len(taps) == 16 and all(tap.answered for tap in taps)
    assert [tap for tap in taps if tap.answered_unconfirmed] == []


async def test_a_repeat_that_answers_its_button_is_remembered(
    sandbox: Sandbox, bot: RunningBot
) -> None:
    """A tap whose turn committed but died before answering is answered by its repeat;
    a third copy of the same tap (the replay, then Telegram again) is not answered again."""
    user = sandbox.create_user("Rita")
    await user.send("/start")
    prompt = await user.wait_for_message("Do you accept these terms?")
    world = sandbox.world
    query = world.new_callback(user.id, prompt.message_id, "nothing-known")
    raw = {
        # Its own id: the process remembers the buttons it answered, tests before this one's
        # (with the same content in a fresh sandbox) included.
        "update_id": 800_000 + time.time_ns() % 100_000,
        "callback_query": {
            "id": query.id,
            "from": world.chats[user.id].user,
            "message": world.message_to_api(prompt),
            "chat_instance": "1",
            "data": "nothing-known",
        },
    }
    key = update_key(Update.de_json(raw, bot.app.bot), raw)
    services = bot.app.bot_data["services"]
    async with services.uow() as uow:  # the turn that committed, then died
        assert await uow.updates.mark_handled(key, services.clock())
        await uow.commit()
    for _ in range(2):
        again = Update.de_json(raw, bot.app.bot)
        expect(again, key)
        await bot.app.process_update(again)
    assert query.answered
    assert sandbox.api_errors == []


async def test_a_tap_sent_again_after_its_answer_is_not_answered_twice(
    sandbox: Sandbox, bot: RunningBot
) -> None:
    """A restart's replay may handle and answer a tap that Telegram then sends again (it was
    never confirmed): the repeat is skipped, and its button not answered a second time."""
    user = sandbox.create_user("Tess")
    await user.send("/start")
    await user.wait_for_message("Do you accept these terms?")
    tap = await user.tap("Accept")
    await user.wait_for_message("How will you use Leadline")
    history = sandbox.world.updates.history.values()
    [raw] = [u for u in history if u.get("callback_query", {}).get("id") == tap.callback_query_id]
    again = Update.de_json(raw, bot.app.bot)
    expect(again, update_key(again, raw))
    await bot.app.process_update(again)
    assert sandbox.api_errors == []
    asked = [m for m in user.bot_messages if "How will you use Leadline" in (m.text or "")]
    assert len(asked) == 1
