"""The daily alert cap and the digest through the real bot: with a cap of two, a seller is
alerted to the first two new leads, and the rest come together in one digest, as often as
the seller picked in /settings.

A digest interval is an hour at least: the test moves the held leads' time back in the
database, so that an hour passes in a second."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, update

from bot.settings import AlertSettings, Settings
from sandbox import Sandbox, SimUser
from storage.db import create_engine, session_factory
from storage.models import LeadAlertRow
from tests.e2e.journeys import sign_up
from tests.e2e.test_nudges import count, publish, running

ALERT, DIGEST = "New lead for your skills", "new leads match your skills"


def capped(settings: Settings, cap: int) -> Settings:
    """The test's settings: ``cap`` alerts a seller a day, digests looked for every second."""
    alerts = AlertSettings(daily_cap=cap, digest_sweep_interval=timedelta(seconds=1))
    return settings.model_copy(update={"alerts": alerts})


async def held_back_an_hour(settings: Settings, expected: int) -> None:
    """Waits until ``expected`` leads are held for a digest, then makes them an hour older."""
    engine = create_engine(settings.database.url)
    try:
        sessions = session_factory(engine)
        for _ in range(100):
            async with sessions() as session:
                held = await session.scalar(
                    select(func.count()).where(LeadAlertRow.held_at.is_not(None))
                )
            if held == expected:
                break
            await asyncio.sleep(0.1)
        assert held == expected
        async with sessions() as session, session.begin():
            await session.execute(
                update(LeadAlertRow)
                .where(LeadAlertRow.held_at.is_not(None))
                .values(held_at=datetime.now(UTC) - timedelta(hours=1, minutes=1))
            )
    finally:
        await engine.dispose()


async def set_digest(seller: SimUser, label: str, shown: str) -> None:
    """Opens /settings and taps the interval, then sees it marked."""
    await seller.send("/settings")
    card = await seller.wait_for_message("Digest of the leads beyond your daily alerts: daily")
    assert any(b["text"] == "✓ Daily" for row in card.inline_buttons for b in row)
    answer = await seller.tap(label, message_id=card.message_id)
    assert answer.text is not None and shown in answer.text
    edited = await seller.wait_for_message(f"Digest of the leads beyond your daily alerts: {shown}")
    assert any(b["text"] == f"✓ {label}" for row in edited.inline_buttons for b in row)


async def test_beyond_two_alerts_a_day_the_rest_come_in_one_digest_best_first(
    sandbox: Sandbox, settings: Settings
) -> None:
    async with running(sandbox, capped(settings, 2)):
        buyer, sid = sandbox.create_user("Bella"), sandbox.create_user("Sid")
        await sign_up(sandbox, buyer, role="Buyer", email="bella@example.org")
        await sign_up(sandbox, sid, role="Seller", email="sid@example.org", skills="Django, Python")
        await set_digest(sid, "Hourly", "every hour")

        await publish(buyer, "Shop rebuild one", "django")
        await sid.wait_for_message(ALERT)
        await publish(buyer, "Shop rebuild two", "django")
        await sid.wait_for_message(ALERT)
        await publish(buyer, "Shop rebuild three", "django")
        await publish(buyer, "Data pipeline <four>", "django, python")
        await publish(buyer, "Shop rebuild five", "django")
        await held_back_an_hour(settings, 3)

        digest = await sid.wait_for_message(DIGEST, timeout=20)
        text = digest.text or ""
        assert text.startswith("📬 3 new leads match your skills")
        # Two shared skills first, then the newest.
        assert text.index("1. Data pipeline <four>") < text.index("2. Shop rebuild five")
        assert text.index("2. Shop rebuild five") < text.index("3. Shop rebuild three")
        assert "Shop rebuild one" not in text and "more" not in text
        assert count(sid, ALERT) == 2
        await asyncio.sleep(2)  # two more sweeps: never a second digest
        assert count(sid, DIGEST) == 1

        await sid.tap("1. Data pipeline <four>", message_id=digest.message_id)
        card = await sid.wait_for_message("📌 Data pipeline <four>")
        assert any(b["text"].endswith("Connect") for row in card.inline_buttons for b in row)
