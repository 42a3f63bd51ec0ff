"""The terms of service: /terms shows the operator's Markdown file, signup records the
version accepted, and a new version must be accepted before the next action while the
user's own data, /terms and /contact stay in reach."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.runner import RunningBot, start_bot
from bot.settings import MarketplaceSettings, Settings
from domain import accounts
from sandbox import Sandbox
from tests.e2e.journeys import sign_up
from tests.e2e.test_leads import post_lead

pytestmark = pytest.mark.on_both_engines


async def test_terms_render_and_signup_records_the_version(
    sandbox: Sandbox, bot: RunningBot
) -> None:
    ann = sandbox.create_user("Ann")
    await ann.send("/terms")
    shown = await ann.wait_for_message("Leadline Terms of Service")
    assert "evidence" in shown.text and "• " in shown.text
    assert "<b>" not in shown.text and "**" not in shown.text
    assert any(e["type"] == "bold" for e in shown.entities)
    assert not shown.inline_buttons  # nothing to accept before signing up

    await sign_up(sandbox, ann, role="Buyer", email="ann@example.org")
    services = bot.app.bot_data["services"]
    user = await accounts.get_user(services.uow(), ann.id)
    assert user is not None and user.terms_version == services.terms.version == "2026-12-01"
    await ann.send("/terms")
    shown = await ann.wait_for_message("Leadline Terms of Service")
    assert not shown.inline_buttons  # accepted already


def terms(version: str, extra: int = 0) -> str:
    """A terms file of the given version; ``extra`` long sections make it several messages."""
    body = [f"# Terms\n\nVersion: {version}\n", "- Keep every deal on *Leadline*."]
    body += [f"## Section {n}\n\n" + "Be fair to each other. " * 40 for n in range(extra)]
    return "\n".join(body) + "\n"


async def test_a_new_version_gates_the_next_action_until_accepted(
    sandbox: Sandbox, settings: Settings, tmp_path: Path
) -> None:
    path = tmp_path / "terms.md"
    path.write_text(terms("1"), encoding="utf-8")
    marketplace = MarketplaceSettings(terms_file=str(path))
    configured = settings.model_copy(update={"marketplace": marketplace})
    running = await start_bot(configured)
    bella = sandbox.create_user("Bella")
    try:
        await sign_up(sandbox, bella, role="Buyer", email="bella@example.org")
    finally:
        await running.stop()

    # The operator edits the file and restarts the bot.
    path.write_text(terms("2", extra=6), encoding="utf-8")
    running = await start_bot(configured)
    try:
        await bella.send("/newlead")
        await bella.wait_for_message("Our Terms of Service have changed")
        await bella.send("/menu")
        menu = await bella.wait_for_message("What would you like to do?")
        tap = await bella.tap("Post a lead", message_id=menu.message_id)
        assert tap.show_alert and tap.text is not None and "accept them first" in tap.text
        await bella.wait_for_message("Our Terms of Service have changed")

        # Her own data, the terms and Contact Us stay in reach.
        await bella.send("/profile")
        await bella.wait_for_message("Roles: Buyer")
        await bella.send("/dashboard")
        await bella.wait_for_message("Dashboard")
        await bella.send("/contact")
        await bella.wait_for_message("Write your message")
        await bella.send("What changed in the terms?")
        await bella.wait_for_message("Sent to the Leadline team")
        await bella.send("/terms")
        first = await bella.wait_for_message("Terms")
        last = await bella.wait_for_message("Section 5")
        assert first.message_id != last.message_id  # too long for one message
        assert all(len(m.text or "") <= 4096 for m in bella.bot_messages)
        assert "I accept" in str(last.inline_buttons)
        await bella.tap("I accept the terms", message_id=last.message_id)
        await bella.wait_for_message("you accepted the terms")

        await post_lead(bella, "After the new terms", "django")
    finally:
        await running.stop()
    services = running.app.bot_data["services"]
    user = await accounts.get_user(services.uow(), bella.id)
    assert user is not None and user.terms_version == "2"
    assert sandbox.api_errors == []
    assert sandbox.unanswered_callback_queries() == []
