"""A lead matching 300 sellers reaches every one of them exactly once, under flood limits."""

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

SELLERS = 300


@pytest.fixture
def chat_messages_per_second() -> float:
    """Telegram's pace for one chat: the sandbox's flood limits are on in this module."""
    return 1.0


async def test_three_hundred_sellers_get_one_alert_each(sandbox: Sandbox, bot: RunningBot) -> None:
    services = bot.app.bot_data["services"]
    now = datetime.now(UTC)
    sellers = await python_sellers(sandbox, bot, SELLERS, now)

    buyer = sandbox.create_user("Bulk Buyer")
    await sign_up(sandbox, buyer, role="Buyer", email="bulk@example.org")
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
    # As the update path does: the use case, then its events become outbox rows.
    events: list[Event] = []
    result = await act(uow(), buyer.id, lead_cases.publish, OwnLead(draft.key), now, events)
    async with uow() as notifying:
        await services.notifier.publish(notifying, events, now, bot.app.bot.username)
        await notifying.commit()
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
