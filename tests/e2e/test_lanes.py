"""Under Telegram's limits an answer to a person is not queued behind a lead's alerts."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from bot.runner import RunningBot
from domain import lead_cases
from domain.events import Event
from domain.lead_cases import LeadField, OwnLead, StartDraft, WriteField
from domain.model import Role, SignupStage, User
from domain.skills import parse_skill_list
from sandbox import Sandbox
from tests.acting import act
from tests.e2e.journeys import sign_up

SELLERS = 200  # about seven seconds of alerts at 30 messages a second


def alerted(sellers: list[object]) -> int:
    return sum(
        any("New lead" in (m.text or "") for m in s.bot_messages)  # type: ignore[attr-defined]
        for s in sellers
    )


async def test_a_help_answer_arrives_while_alerts_are_still_going_out(
    sandbox: Sandbox, bot: RunningBot
) -> None:
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
    buyer = sandbox.create_user("Busy Buyer")
    await sign_up(sandbox, buyer, role="Buyer", email="busy@example.org")
    asker = sandbox.create_user("Asker")

    sandbox.set_flood_limits(True)
    uow = services.uow
    draft = await act(uow(), buyer.id, lead_cases.start_draft, StartDraft(), now)
    for field, text in (
        (LeadField.TITLE, "Python script"),
        (LeadField.DESCRIPTION, "Automate a weekly sales report from our CRM"),
        (LeadField.CATEGORY, "Data & Analytics"),
        (LeadField.SKILLS, "python"),
        (LeadField.BUDGET, "300"),
    ):
        command = WriteField(draft.key, field, text, "USD")
        await act(uow(), buyer.id, lead_cases.write_field, command, now)
    events: list[Event] = []
    result = await act(uow(), buyer.id, lead_cases.publish, OwnLead(draft.key), now, events)
    async with uow() as notifying:
        await services.notifier.publish(notifying, events, now, bot.app.bot.username)
        await notifying.commit()
    services.kick_outbox()
    assert result.alerted == SELLERS

    async with asyncio.timeout(60):
        while alerted(sellers) < 40:  # the fan-out is well under way
            await asyncio.sleep(0.05)
    await asker.send("/help")
    await asker.wait_for_message("/profile", timeout=30)
    assert alerted(sellers) < SELLERS  # the answer did not wait for the alerts

    await asyncio.gather(
        *(s.wait_for_message("New lead for your skills", timeout=120) for s in sellers)
    )
    # Paced within Telegram's limits: not one 429 (the bot fixture checks api_errors).
