"""Where an update's time goes: the real bot against the sandbox, in one process, one user
sending ``/help`` and a signed-up seller (20 leads, 10 threads) sending ``/dashboard``, one
update at a time, with Telegram's limits lifted.

Run with `.venv/bin/python -m bench.profile_updates [--updates N] [--profile] [--top N]
[--loops asyncio,uvloop]`.
Prints, per command, the round trip the user sees (send to reply, p50) and the time the bot
spends inside its update processor per update (mean; the reply's HTTP call to the sandbox
included, which runs in this same process); with ``--profile``, the functions under the
update path that cost the most (cProfile, whole process, sorted by own time).

The same script runs against another checkout to compare (``PYTHONPATH=<checkout>``); it
uses nothing newer than the bot's update processor.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import importlib
import io
import pstats
import statistics
import tempfile
import time
from collections.abc import Awaitable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from telegram.ext import BaseUpdateProcessor

from bot.runner import RunningBot, start_bot
from bot.settings import Settings
from domain.chat import MessageKind, RelayedMessage
from domain.leads import Lead
from domain.lifecycle import LeadStatus
from domain.model import Role, SignupStage, User
from domain.money import Money
from domain.negotiation import Offer
from domain.ports import UnitOfWork
from domain.skills import parse_skill_list
from sandbox import Sandbox, SimUser

TOKEN = "4242424242:PROFILE-token-AAAAAAAAAAAAAAAAAAAA"
BASE = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
LEADS, THREADS = 20, 10


class TimedProcessor(BaseUpdateProcessor):
    """The bot's own processor, timing each update it handles."""

    def __init__(self, inner: BaseUpdateProcessor) -> None:
        super().__init__(inner.max_concurrent_updates)
        self._inner = inner
        self.seconds: list[float] = []

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        started = time.perf_counter()
        try:
            await self._inner.do_process_update(update, coroutine)
        finally:
            self.seconds.append(time.perf_counter() - started)

    async def initialize(self) -> None:
        await self._inner.initialize()

    async def shutdown(self) -> None:
        await self._inner.shutdown()


def settings_for(sandbox: Sandbox, database: Path) -> Settings:
    return Settings.model_validate(
        {
            "telegram": {
                "token": TOKEN,
                "base_url": sandbox.base_url,
                "base_file_url": sandbox.base_file_url,
                "max_messages_per_second": 1000,
                "chat_messages_per_second": 1000,
            },
            "database": {"url": f"sqlite+aiosqlite:///{database}"},
            "email": {"smtp_host": sandbox.smtp_host, "smtp_port": sandbox.smtp_port},
        }
    )


async def round_trips(user: SimUser, text: str, reply: str, count: int) -> list[float]:
    seconds = []
    for _ in range(count):
        started = time.perf_counter()
        await user.send(text)
        await user.wait_for_message(reply)
        seconds.append(time.perf_counter() - started)
    return seconds


async def person(uow: UnitOfWork, sim: SimUser, role: Role, terms: str) -> User:
    """A signed-up user who accepted the terms, written straight to the database."""
    async with uow:
        user = await uow.users.add(
            User(telegram_id=sim.id, first_name=sim.first_name, created_at=BASE)
        )
        user.roles, user.signup_stage, user.terms_version = {role}, SignupStage.DONE, terms
        user.email, user.email_verified_at = f"{sim.id}@example.org", BASE
        if role is Role.SELLER:
            user.profile.skills = await uow.skills.resolve(parse_skill_list("Django"))
        await uow.users.save(user)
        await uow.commit()
        return user


async def populate(uow: UnitOfWork, buyer: User, seller: User) -> None:
    """The buyer's open leads, the seller in a thread with one offer and one message on the
    newest of them."""
    assert buyer.id is not None and seller.id is not None
    async with uow:
        leads: list[Lead] = []
        for number in range(LEADS):
            lead = await uow.leads.add(Lead(buyer_id=buyer.id, created_at=BASE))
            lead.title, lead.description = f"Lead {number}", "A shop in Django"
            lead.category, lead.skills = "Software Development", ["Django"]
            lead.budget, lead.status = Money(100_000, "USD"), LeadStatus.OPEN
            lead.published_at = BASE + timedelta(minutes=number)
            await uow.leads.save(lead)
            leads.insert(0, lead)
        when = BASE + timedelta(days=1)
        for index, lead in enumerate(leads[:THREADS]):
            assert lead.id is not None
            thread = await uow.threads.open(lead.id, buyer.id, seller.id, when)
            assert thread.id is not None
            await uow.threads.add_offer(Offer(thread.id, seller.id, Money(50_000, "USD"), 7, when))
            message = RelayedMessage(
                thread.id, seller.id, buyer.id, MessageKind.TEXT, when, index + 1, text="Hello"
            )
            await uow.threads.add_message(message)
        await uow.commit()


async def prepare(sandbox: Sandbox, bot: RunningBot) -> tuple[SimUser, SimUser]:
    """A user who has said /help once, and a signed-up seller with 20 leads and 10 threads."""
    services = bot.app.bot_data["services"]
    helper = sandbox.create_user("Hana")
    await round_trips(helper, "/help", "/profile", 3)
    buyer_sim, seller_sim = sandbox.create_user("Bella"), sandbox.create_user("Sid")
    terms = services.terms.version
    buyer = await person(services.uow(), buyer_sim, Role.BUYER, terms)
    seller = await person(services.uow(), seller_sim, Role.SELLER, terms)
    await populate(services.uow(), buyer, seller)
    await round_trips(seller_sim, "/dashboard", "Dashboard", 3)
    return helper, seller_sim


async def run(updates: int, profile: bool, top: int) -> None:
    sandbox = Sandbox(bot_token=TOKEN, bot_username="leadline_profile_bot", default_timeout=15)
    await sandbox.start()
    with tempfile.TemporaryDirectory() as folder:
        bot = await start_bot(settings_for(sandbox, Path(folder) / "leadline.db"))
        try:
            helper, seller = await prepare(sandbox, bot)
            timed = TimedProcessor(bot.app._update_processor)
            bot.app._update_processor = timed
            profiler = cProfile.Profile() if profile else None
            for text, user, reply in (
                ("/help", helper, "/profile"),
                ("/dashboard", seller, "Dashboard"),
            ):
                timed.seconds.clear()
                if profiler is not None:
                    profiler.enable()
                cpu = time.process_time()
                trips = await round_trips(user, text, reply, updates)
                cpu_ms = (time.process_time() - cpu) * 1000 / updates
                if profiler is not None:
                    profiler.disable()
                own = statistics.fmean(timed.seconds) * 1000
                print(
                    f"{text:<11} {updates} updates: round trip p50 "
                    f"{statistics.median(trips) * 1000:.2f} ms, "
                    f"in the update processor {own:.2f} ms/update, "
                    f"process CPU (bot and sandbox) {cpu_ms:.2f} ms/update"
                )
            if profiler is not None:
                out = io.StringIO()
                stats = pstats.Stats(profiler, stream=out)
                stats.sort_stats("tottime").print_stats(top)
                stats.sort_stats("cumulative").print_stats(top * 2)
                print(out.getvalue())
        finally:
            await bot.stop()
            await sandbox.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=300, help="updates per command")
    parser.add_argument("--profile", action="store_true", help="print cProfile's top costs")
    parser.add_argument("--top", type=int, default=30, help="functions listed")
    parser.add_argument(
        "--loops",
        default="asyncio",
        help="event loops to run it on, one after the other: asyncio, uvloop or both",
    )
    args = parser.parse_args()
    for loop in args.loops.split(","):
        print(f"-- {loop}")
        if loop == "uvloop":
            # Not installed on Windows.
            uvloop = importlib.import_module("uvloop")
            uvloop.run(run(args.updates, args.profile, args.top))
        else:
            asyncio.run(run(args.updates, args.profile, args.top))


if __name__ == "__main__":
    main()
