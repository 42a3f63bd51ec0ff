"""Under Telegram's limits an answer to a person is not queued behind a lead's alerts."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from bot.runner import RunningBot
from domain import lead_cases
from domain.events import Event
from domain.lead_cases import LeadField, OwnLead, StartDraft, WriteField
from sandbox import Sandbox
from tests.acting import act
from tests.e2e.journeys import python_sellers, sign_up

SELLERS = 200  # about seven seconds of alerts at 30 messages a second


def alerted(sellers: list[object]) -> int:
    return sum(
        any("New lead" in (m.text or "") for m in s.bot_messages)  # type: ignore[attr-defined]
        for s in sellers
    )


@pytest.fixture
def chat_messages_per_second() -> float:
    """Telegram's pace for one chat: the sandbox's flood limits are on in this module."""
    return 1.0


async def test_a_help_answer_arrives_while_alerts_are_still_going_out(
    sandbox: Sandbox, bot: RunningBot
) -> None:
    services = bot.app.bot_data["services"]
    now = datetime.now(UTC)
    sellers = await python_sellers(sandbox, bot, SELLERS, now)
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
