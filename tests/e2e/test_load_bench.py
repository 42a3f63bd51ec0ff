"""The pieces of the load bench (bench/load.py) work; nothing here is timed."""

from __future__ import annotations

from datetime import UTC, datetime

from bench import echo_bot
from bench.load import ECHO_TOKEN, ECHO_USERNAME, people
from bench.load_seed import (
    DASHBOARD_LEADS,
    DASHBOARD_THREADS,
    FANOUT_SKILL,
    MEMBER_SKILL,
    copies,
    dashboard_activity,
    publish_lead,
    signed_up,
)
from bench.load_users import Watch, closed_loop_throughput
from bot.runner import RunningBot
from bot.settings import Settings
from domain.model import Role
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
    terms = bot.app.bot_data["services"].terms.version
    now = datetime.now(UTC)
    [buyer_chat] = people(sandbox, 1, "Buyer")
    members = people(sandbox, 2, "Member")
    sellers = people(sandbox, 5, "Seller")
    engine = create_engine(settings.database.url)
    try:
        [buyer] = await signed_up(
            engine, [(int(buyer_chat.user["id"]), "Buyer")], Role.BUYER, None, terms, now
        )
        measured = await signed_up(
            engine,
            [(int(c.user["id"]), str(c.user["first_name"])) for c in members],
            Role.SELLER,
            MEMBER_SKILL,
            terms,
            now,
        )
        await dashboard_activity(engine, buyer, measured, now, BOT_USERNAME)
        first, *rest = sellers
        [model] = await signed_up(
            engine, [(int(first.user["id"]), "Seller 0")], Role.SELLER, FANOUT_SKILL, terms, now
        )
        made = await copies(engine, model, [int(c.user["id"]) for c in rest])
        assert len({p.user_id for p in made} | {model.user_id}) == len(sellers)

        watch = Watch(sandbox.world)
        for member in members:
            asked = await watch.ask(member, "/dashboard")
            assert asked.answered_at is not None
            board = sandbox.user(int(member.user["id"])).last_bot_message
            assert board is not None
            assert f"Requested leads: {DASHBOARD_LEADS}" in board.content, board.content
        # Each has a conversation with an open offer on DASHBOARD_THREADS of the leads.
        async with bot.app.bot_data["services"].uow() as uow:
            for person in measured:
                threads = await uow.threads.threads_of_seller(person.user_id, list(range(1, 100)))
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
