"""A restart in the middle of signup resumes at the same question and loses no answer."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from pathlib import Path

import pytest

from bot.runner import start_bot
from bot.settings import Settings
from domain import accounts
from domain.model import SignupStage
from sandbox import Sandbox
from storage.db import create_engine, session_factory
from storage.uow import SqlUnitOfWork
from tests.e2e.conftest import TOKEN
from tests.e2e.journeys import sign_up
from tests.e2e.test_leads import post_lead

pytestmark = pytest.mark.on_both_engines  # listed in the README


async def stage_of(settings: Settings, telegram_id: int) -> SignupStage:
    engine = create_engine(settings.database.url)
    try:
        user = await accounts.get_user(SqlUnitOfWork(session_factory(engine)), telegram_id)
    finally:
        await engine.dispose()
    assert user is not None
    return user.signup_stage


async def test_a_clean_restart_resumes_at_the_same_question(
    sandbox: Sandbox, settings: Settings
) -> None:
    running = await start_bot(settings)
    fay = sandbox.create_user("Fay")
    await fay.send("/start")
    await fay.wait_for_message("Do you accept these terms?")
    await fay.tap("Accept")
    await fay.wait_for_message("How will you use Leadline")
    await fay.tap("Seller")
    await fay.wait_for_message("individual or as an organization")
    await fay.tap("Organization")
    await fay.wait_for_message("name of your organization")
    await running.stop()

    running = await start_bot(settings)
    try:
        # No /start: the very next answer is taken as the answer to the pending question.
        await fay.send("Fay Works")
        await fay.wait_for_message("What is your email address?")
        assert await stage_of(settings, fay.id) is SignupStage.EMAIL
    finally:
        await running.stop()
    assert sandbox.api_errors == []


def write_config(path: Path, sandbox: Sandbox, database_url: str) -> Path:
    path.write_text(
        "[telegram]\n"
        f'token = "{TOKEN}"\n'
        f'base_url = "{sandbox.base_url}"\n'
        f'base_file_url = "{sandbox.base_file_url}"\n'
        # The sandbox counts no chat's pace unless its flood limits are on.
        "chat_messages_per_second = 1000\n"
        "[database]\n"
        f'url = "{database_url}"\n'
        "[email]\n"
        f'smtp_host = "{sandbox.smtp_host}"\n'
        f"smtp_port = {sandbox.smtp_port}\n",
        encoding="utf-8",
    )
    return path


async def launch(config: Path) -> asyncio.subprocess.Process:
    """Starts ``leadline run -c config`` as its own process, as an operator would."""
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        "run",
        "-c",
        str(config),
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


async def test_a_killed_process_resumes_at_the_same_question(
    sandbox: Sandbox, settings: Settings, tmp_path: Path
) -> None:
    config = write_config(tmp_path / "config.toml", sandbox, settings.database.url)
    process = await launch(config)
    try:
        gus = sandbox.create_user("Gus")
        await gus.send("/start")
        await gus.wait_for_message("Do you accept these terms?", timeout=60)
        await gus.tap("Accept")
        await gus.wait_for_message("How will you use Leadline")
        await gus.tap("Buyer")
        await gus.wait_for_message("individual or as an organization")
        # Killed at once, before PTB's conversation state is flushed: the answers are
        # already in the database, and the stage stored there decides what comes next.
        process.send_signal(signal.SIGKILL)
        await process.wait()

        process = await launch(config)
        await gus.tap("Individual", timeout=60)
        await gus.wait_for_message("What is your email address?", timeout=60)
        await gus.send("gus@example.org")
        await gus.wait_for_message("I sent a confirmation link")
        email = await sandbox.wait_for_email("gus@example.org")
        assert email.links
    finally:
        if process.returncode is None:
            process.terminate()
            _, stderr = await process.communicate()
            assert TOKEN not in stderr.decode()
    assert await stage_of(settings, gus.id) is SignupStage.CONFIRM_EMAIL


async def test_a_rejected_token_is_one_sentence_without_the_token(
    sandbox: Sandbox, settings: Settings, tmp_path: Path
) -> None:
    config = write_config(tmp_path / "config.toml", sandbox, settings.database.url)
    wrong = "999999:WRONG-secret-token-value"
    config.write_text(config.read_text().replace(TOKEN, wrong), encoding="utf-8")
    process = await launch(config)
    _, stderr = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 2
    assert wrong not in stderr.decode()
    assert "rejected the token" in stderr.decode()


async def test_a_typed_answer_after_a_kill_is_taken_for_the_stored_question(
    sandbox: Sandbox, settings: Settings, tmp_path: Path
) -> None:
    config = write_config(tmp_path / "config.toml", sandbox, settings.database.url)
    process = await launch(config)
    try:
        ida = sandbox.create_user("Ida")
        await ida.send("/start")
        await ida.wait_for_message("Do you accept these terms?", timeout=60)
        await ida.tap("Accept")
        await ida.wait_for_message("How will you use Leadline")
        await ida.tap("Seller")
        await ida.wait_for_message("individual or as an organization")
        await ida.tap("Organization")
        await ida.wait_for_message("name of your organization")
        process.send_signal(signal.SIGKILL)
        await process.wait()

        process = await launch(config)
        await ida.send("Ida & <Sons>")
        await ida.wait_for_message("What is your email address?", timeout=60)
    finally:
        if process.returncode is None:
            process.terminate()
            await process.communicate()
    assert await stage_of(settings, ida.id) is SignupStage.EMAIL


async def test_an_offer_being_written_survives_a_restart(
    sandbox: Sandbox, settings: Settings
) -> None:
    running = await start_bot(settings)
    buyer, seller = sandbox.create_user("Bo"), sandbox.create_user("Sy")
    await sign_up(sandbox, buyer, role="Buyer", email="bo@example.org")
    await sign_up(sandbox, seller, role="Seller", email="sy@example.org", skills="Go")
    await post_lead(buyer, "Go service", "go")
    await buyer.send("700")
    await buyer.wait_for_message("Attach a brief")
    await buyer.tap("Skip")
    await buyer.wait_for_message("Preview")
    await buyer.tap("Publish")
    alert = await seller.wait_for_message("New lead for your skills")
    await seller.tap("Connect", message_id=alert.message_id)
    await seller.wait_for_message("How much do you propose")
    await seller.send("650")
    await seller.wait_for_message("In how many days")
    await seller.send("9")
    await seller.wait_for_message("Add a note")
    await running.stop()

    running = await start_bot(settings)
    try:
        await seller.send("Includes tests & docs <3")
        confirm = await seller.wait_for_message("Send this offer?")
        assert "650 USD in 9 days" in confirm.text and "tests & docs <3" in confirm.text
        await seller.tap("Send offer")
        await buyer.wait_for_message("New bid")
    finally:
        await running.stop()
    assert sandbox.api_errors == []


async def test_an_unreachable_bot_api_is_one_sentence(
    sandbox: Sandbox, settings: Settings, tmp_path: Path
) -> None:
    config = write_config(tmp_path / "config.toml", sandbox, settings.database.url)
    with socket.socket() as probe:  # a port where nothing listens
        probe.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{probe.getsockname()[1]}/bot"
    config.write_text(config.read_text().replace(sandbox.base_url, dead), encoding="utf-8")
    process = await launch(config)
    _, stderr = await asyncio.wait_for(process.communicate(), 60)
    output = stderr.decode()
    assert process.returncode == 2
    assert f"Cannot reach the Bot API at {dead}" in output
    assert "Traceback" not in output and TOKEN not in output
