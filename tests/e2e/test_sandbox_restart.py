"""The sandbox keeps its people: after a restart the web page lists the same users with their
chats, each still their own account, and a new person gets a new id. A taken port is one
sentence that suggests --port."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import aiohttp

from bot.runner import start_bot
from bot.settings import Settings
from sandbox import Sandbox
from tests.e2e.conftest import BOT_USERNAME, TOKEN
from tests.e2e.journeys import sign_up

LEADLINE = str(Path(sys.executable).with_name("leadline"))  # the command of this venv


def _settings(sandbox: Sandbox, database: Path) -> Settings:
    return Settings.model_validate(
        {
            "telegram": {
                "token": TOKEN,
                "base_url": sandbox.base_url,
                "base_file_url": sandbox.base_file_url,
            },
            "database": {"url": f"sqlite+aiosqlite:///{database}"},
            "email": {"smtp_host": sandbox.smtp_host, "smtp_port": sandbox.smtp_port},
        }
    )


def _sandbox(state: Path) -> Sandbox:
    return Sandbox(bot_token=TOKEN, bot_username=BOT_USERNAME, default_timeout=15, state_file=state)


async def _listed(sandbox: Sandbox) -> list[str]:
    """The names in the web page's user list, as the page reads them."""
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"{sandbox.web_url.rstrip('/')}/sandbox/api/state") as response,
    ):
        state = await response.json()
    return [user["first_name"] for user in state["users"]]


async def test_the_people_and_their_chats_survive_a_restart_and_ids_are_never_reused(
    tmp_path: Path,
) -> None:
    state, database = tmp_path / "sandbox-world.pickle", tmp_path / "sandbox.db"
    sandbox = _sandbox(state)
    await sandbox.start()
    bot = await start_bot(_settings(sandbox, database))
    try:
        bella = sandbox.create_user("Bella")
        await sign_up(sandbox, bella, role="Buyer", email="bella@example.org")
        bella_id, seen = bella.id, len(bella.chat)
    finally:
        await bot.stop()
        await sandbox.stop()

    again = _sandbox(state)
    await again.start()
    bot = await start_bot(_settings(again, database))
    try:
        assert await _listed(again) == ["Bella"]
        bella = again.user(bella_id)
        assert len(bella.chat) == seen and "You're all set" in bella.chat[-1].text
        await bella.send("/profile")
        await bella.wait_for_message("Email: bella@example.org")
        nora = again.create_user("Nora")
        assert nora.id != bella_id
        await nora.send("/start")
        await nora.wait_for_message("Do you accept these terms?")  # her own, new account
        assert await _listed(again) == ["Bella", "Nora"]
        assert again.api_errors == []
    finally:
        await bot.stop()
        await again.stop()


def test_a_taken_port_is_one_sentence_suggesting_another(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        finished = subprocess.run(
            [LEADLINE, "sandbox", "--port", str(port), "--data", str(tmp_path)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert finished.returncode == 2
    assert "Traceback" not in finished.stderr
    assert f"port {port} is already in use" in finished.stderr
    assert f"--port {port + 1}" in finished.stderr
