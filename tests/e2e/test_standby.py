"""Active/standby on PostgreSQL: two `leadline run` processes with one configuration; the
second waits, and takes over within ten seconds of the first being killed, at the same
question, with nothing lost or handled twice."""

from __future__ import annotations

import asyncio
import signal
import time
from pathlib import Path

from sandbox import Sandbox
from tests.e2e.test_restart import launch, write_config

TAKEOVER_SECONDS = 10


async def logged(process: asyncio.subprocess.Process, words: str) -> str:
    """Reads the process's log until a line containing ``words``."""
    assert process.stderr is not None
    while line := (await process.stderr.readline()).decode():
        if words in line:
            return line
    raise AssertionError(f"the process ended without logging {words!r}")


async def stop(process: asyncio.subprocess.Process) -> None:
    if process.returncode is None:
        process.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(process.wait(), 20)
        except TimeoutError:
            process.kill()
            await process.wait()


async def test_the_standby_takes_over_the_conversation_when_the_active_process_dies(
    sandbox: Sandbox, migrated_postgresql_url: str, tmp_path: Path
) -> None:
    config = write_config(tmp_path / "config.toml", sandbox, migrated_postgresql_url)
    active = await launch(config)
    standby: asyncio.subprocess.Process | None = None
    try:
        gus = sandbox.create_user("Gus")
        await gus.send("/start")
        await gus.wait_for_message("Do you accept these terms?", timeout=60)
        await gus.tap("Accept")
        await gus.wait_for_message("How will you use Leadline")

        standby = await launch(config)
        await asyncio.wait_for(logged(standby, "waiting as its standby"), 60)
        # The standby only waits: the conversation still goes through the active process.
        await gus.tap("Seller")
        await gus.wait_for_message("individual or as an organization")

        active.send_signal(signal.SIGKILL)
        await active.wait()
        killed_at = time.monotonic()
        # Sent while no process serves: Telegram keeps it for whoever polls next.
        await gus.tap("Organization", wait_answer=False)
        await gus.wait_for_message("name of your organization", timeout=TAKEOVER_SECONDS + 5)
        assert time.monotonic() - killed_at < TAKEOVER_SECONDS
        await asyncio.wait_for(logged(standby, "takes over"), 5)

        await gus.send("Gus & Co <3")
        await gus.wait_for_message("What is your email address?")
        texts = [message.text or "" for message in gus.bot_messages]
        for question in ("individual or as an organization", "name of your organization"):
            assert sum(question in text for text in texts) == 1, texts
        assert sandbox.api_errors == []
        assert sandbox.unanswered_callback_queries() == []
    finally:
        if active.returncode is None:
            active.kill()
            await active.wait()
        if standby is not None:
            await stop(standby)
