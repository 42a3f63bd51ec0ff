"""A lead matching 300 sellers reaches every one of them exactly once, under flood limits."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from bot.runner import RunningBot
from domain import lead_cases
from domain.model import Role, SignupStage, User
from domain.skills import parse_skill_list
from handlers.leads.views import alert_payload
from sandbox import Sandbox
from tests.e2e.journeys import sign_up

SELLERS = 300


async def test_three_hundred_sellers_get_one_alert_each(sandbox: Sandbox, bot: RunningBot) -> None:
    services = bot.app.bot_data["services"]
    now = datetime.now(UTC)
    sellers = [sandbox.create_user(f"Seller{i}") for i in range(SELLERS)]
    for seller in sellers:  # each has talked to the bot, so it may write to them
        await seller.send("/help")
    await asyncio.gather(*(s.wait_for_message("/profile", timeout=60) for s in sellers))
    async with services.uow() as uow:
        skills = await uow.skills.resolve(parse_skill_list("Python"))
        for seller in sellers:
            user = await uow.users.add(
                User(telegram_id=seller.id, first_name=seller.first_name, created_at=now)
            )
            user.roles, user.signup_stage = {Role.SELLER}, SignupStage.DONE
            user.email, user.email_verified_at = f"s{seller.id}@example.org", now
            user.profile.skills = skills
            await uow.users.save(user)
        await uow.commit()

    buyer = sandbox.create_user("Bulk Buyer")
    await sign_up(sandbox, buyer, role="Buyer", email="bulk@example.org")
    sandbox.set_flood_limits(True)
    uow = services.uow
    draft = await lead_cases.start_draft(uow(), buyer.id, now)
    assert draft.id is not None
    await lead_cases.set_title(uow(), buyer.id, draft.id, "Python script")
    await lead_cases.set_description(uow(), buyer.id, draft.id, "Automate a report")
    await lead_cases.set_category(uow(), buyer.id, draft.id, "Data & Analytics")
    await lead_cases.set_skills(uow(), buyer.id, draft.id, "python")
    await lead_cases.set_budget(uow(), buyer.id, draft.id, "300", "USD")
    username = bot.app.bot.username
    result = await lead_cases.publish(
        uow(), buyer.id, draft.id, now, lambda lead: alert_payload(lead, username)
    )
    services.kick_outbox()
    assert result.alerted == SELLERS
    # Publishing again (a re-delivered update, a double tap) alerts nobody twice.
    async with uow() as again:
        assert await again.leads.record_matches(result.lead, now) == 0

    await asyncio.gather(
        *(s.wait_for_message("New lead for your skills", timeout=120) for s in sellers)
    )
    await asyncio.sleep(1.0)
    counts = [sum("New lead" in (m.text or "") for m in s.bot_messages) for s in sellers]
    assert counts == [1] * SELLERS
    # Only 429s (Telegram pacing us) are acceptable; the point is that nothing was lost.
    assert {e.error_code for e in sandbox.api_errors} <= {429}
    sandbox.clear_api_errors()
