"""The pieces of the load bench (bench/load.py) work; nothing here is timed."""

from __future__ import annotations

from datetime import UTC, datetime

from bench import echo_bot
from bench.load import ECHO_TOKEN, ECHO_USERNAME, people, seed
from bench.load_seed import (
    DASHBOARD_LEADS,
    DASHBOARD_THREADS,
    FANOUT_SKILL,
    publish_lead,
)
from bench.load_users import Watch, closed_loop_throughput
from bot.runner import RunningBot
from bot.settings import Settings
from sandbox import Sandbox
from storage.db import create_engine
from tests.e2e.conftest import BOT_USERNAME


async def test_the_echo_bot_answers_help_in_the_sandbox() -> None:
    async with Sandbox(bot_token=ECHO_TOKEN, bot_username=ECHO_USERNAME, smtp_port=None) as sb:
        app = echo_bot.build(ECHO_TOKEN, sb.base_url)
        async with app:
            assert app.updater is not None
            await app.updater.start_polling()
            await app.start()
            try:
                [chat] = people(sb, 1, "Echo")
                watch = Watch(sb.world)
                run = await closed_loop_throughput(watch, [chat], "/help", 0, 0.2)
                assert run.everything >= 1
                answers = sb.user(int(chat.user["id"])).bot_messages
                assert len(answers) >= run.everything
                assert {m.text for m in answers} == {echo_bot.HELP}
            finally:
                await app.updater.stop()
                await app.stop()
        assert sb.api_errors == []


async def test_seeded_people_are_signed_up_and_the_copies_get_the_alert(
    sandbox: Sandbox, bot: RunningBot, settings: Settings
) -> None:
    now = datetime.now(UTC)
    members = people(sandbox, 2, "Member")
    sellers = people(sandbox, 5, "Seller")
    # The bench's own seeding, as `python -m bench.load` runs it.
    buyer = await seed(settings.database.url, sandbox, members, sellers)
    engine = create_engine(settings.database.url)
    try:
        watch = Watch(sandbox.world)
        for member in members:
            asked = await watch.ask(member, "/dashboard")
            assert asked.answered_at is not None
            board = sandbox.user(int(member.user["id"])).last_bot_message
            assert board is not None
            assert f"Requested leads: {DASHBOARD_LEADS}" in board.content, board.content
        # Each has a conversation with an open offer on DASHBOARD_THREADS of the leads.
        async with bot.app.bot_data["services"].uow() as uow:
            for member in members:
                found = await uow.users.get_by_telegram_id(int(member.user["id"]))
                assert found is not None
                threads = await uow.threads.threads_of_seller(found.key, list(range(1, 100)))
                assert len(threads) == DASHBOARD_THREADS

        _, alerted = await publish_lead(
            engine, buyer, "Python script for our sales report", FANOUT_SKILL, now, BOT_USERNAME
        )
        assert alerted == len(sellers)
        bot.app.bot_data["services"].kick_outbox()
        for seller in sellers:
            user = sandbox.user(int(seller.user["id"]))
            await user.wait_for_message("New lead for your skills", timeout=30)
        # Only the sellers sharing the lead's skill were alerted.
        assert all(watch.unasked[int(c.user["id"])] == 0 for c in members)
    finally:
        await engine.dispose()
