"""The real bot over real HTTP against the sandbox, on a real SQLite file; the journeys of
the modules marked ``on_both_engines`` run on a PostgreSQL database of their own too."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.runner import RunningBot, start_bot
from bot.settings import Settings
from sandbox import Sandbox

TOKEN = "4242424242:E2E-test-token-AAAAAAAAAAAAAAAAAAAA"
BOT_USERNAME = "leadline_test_bot"


@pytest.fixture
async def sandbox() -> AsyncIterator[Sandbox]:
    sb = Sandbox(bot_token=TOKEN, bot_username=BOT_USERNAME, default_timeout=15)
    await sb.start()
    try:
        yield sb
    finally:
        await sb.stop()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if metafunc.definition.get_closest_marker("on_both_engines") and (
        "database_url" in metafunc.fixturenames
    ):
        metafunc.parametrize("database_kind", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture
def database_kind(request: pytest.FixtureRequest) -> str:
    return str(getattr(request, "param", "sqlite"))


@pytest.fixture
def database_url(database_kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    if database_kind == "postgresql":
        return str(request.getfixturevalue("migrated_postgresql_url"))
    return f"sqlite+aiosqlite:///{tmp_path / 'leadline.db'}"


@pytest.fixture
def admin_ids() -> list[int]:
    """Telegram ids of the administrators (a module overrides it to configure some)."""
    return []


@pytest.fixture
def chat_messages_per_second() -> float:
    """One chat's pace: the sandbox counts none unless a test turns its flood limits on, so
    people tapping through a journey are not held to Telegram's one message a second (a
    module that turns them on overrides this with Telegram's pace)."""
    return 1000.0


@pytest.fixture
def settings(
    sandbox: Sandbox, database_url: str, admin_ids: list[int], chat_messages_per_second: float
) -> Settings:
    return Settings.model_validate(
        {
            "telegram": {
                "token": TOKEN,
                "base_url": sandbox.base_url,
                "base_file_url": sandbox.base_file_url,
                "chat_messages_per_second": chat_messages_per_second,
            },
            "database": {"url": database_url},
            "email": {"smtp_host": sandbox.smtp_host, "smtp_port": sandbox.smtp_port},
            "admins": {"telegram_ids": admin_ids},
        }
    )


@pytest.fixture
async def bot(sandbox: Sandbox, settings: Settings) -> AsyncIterator[RunningBot]:
    running = await start_bot(settings)
    try:
        yield running
    finally:
        await running.stop()
    # Whatever the test did, the bot must never have broken a Telegram rule.
    assert sandbox.api_errors == []
    assert sandbox.unanswered_callback_queries() == []
