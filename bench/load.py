"""End to end under load: the real `leadline run` over HTTP against the sandbox, side by side
with a bare python-telegram-bot echo bot (the floor, bench/echo_bot.py), in one run.

Run with `make bench` (after the storage benchmarks) or alone:
`python -m bench.load [--quick] [--sellers N] [--engine sqlite|postgresql]`.

Two sandboxes (one per bot) run in this process; each bot is a subprocess polling its own.
Leadline's database is seeded with signed-up people (bench/load_seed.py); the people write
through the sandbox and time the answers at the client (bench/load_users.py).

(a) Own cost, limits opened wide (sandbox flood control off, Leadline's
    ``max_messages_per_second`` at 1000): answers a second with 50 people asking in a closed
    loop, /help on both bots and /dashboard of a signed-up seller (20 leads opened, 10
    conversations with an open offer) on Leadline; one person alone, p50 and p95.
(b) Telegram's limits (sandbox flood control on: 30 messages/s for the bot, about 1/s per
    chat with a burst of 3, 429 with retry_after beyond; Leadline's defaults): 20 people
    each writing /help every 1.5 s, their answers' p50/p95 before a lead is published and
    while its alerts go out to the N sellers sharing its skill; alerts a second; 429s; each
    seller's alerts counted in the sandbox (lost: none; repeated: more than one).
(c) Peak RSS (VmHWM) of each bot process.

The bulk budget is what the lanes (bot/lanes.py) leave to alerts: every token of
``max_messages_per_second`` an answer does not take, and never less than
``max_messages_per_second × (1 − reply_share)`` while answers wait. With answers going out at
r a second during the fan-out: ``rate − min(r, rate × reply_share)`` (30 − 13.3 = 16.7 for
twenty people writing every 1.5 s).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import random
import signal
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text

from bench.load_seed import (
    DASHBOARD_LEADS,
    DASHBOARD_THREADS,
    FANOUT_SKILL,
    MEMBER_SKILL,
    Person,
    copies,
    dashboard_activity,
    publish_lead,
    signed_up,
)
from bench.load_users import Asked, Throughput, Watch, closed_loop_throughput, paced
from bench.postgres import server_url, throwaway_server
from bot.app import load_terms
from bot.settings import Settings
from domain.model import Role
from sandbox import Sandbox
from sandbox.world import ChatState
from storage.db import create_engine
from storage.migrate import upgrade

TOKEN = "4242424242:LOAD-bench-token-AAAAAAAAAAAAAAAAAAAA"
BOT_USERNAME = "leadline_load_bot"
ECHO_TOKEN = "4343434343:ECHO-bench-token-AAAAAAAAAAAAAAAAAAA"
ECHO_USERNAME = "echo_load_bot"
CLOSED_LOOP_USERS = 50
REPLIERS = 20
REPLY_EVERY = 1.5
TELEGRAM_RATE = 30.0
REPLY_SHARE = 0.5  # Leadline's default telegram.reply_share
WIDE_OPEN_RATE = 1000.0  # the highest telegram.max_messages_per_second accepted
RSS_TARGET_MB = 200.0
START_TIMEOUT = 90.0
QUIET_SECONDS = 30.0  # no alert for this long: the rest are lost
ALERT_TEXT = "New lead for your skills"


@dataclass(frozen=True)
class Durations:
    """Seconds of each measurement (the quick mode's are shorter, and fewer sellers)."""

    warmup: float
    window: float
    alone: float
    idle: float
    sellers: int


FULL = Durations(warmup=3, window=15, alone=10, idle=30, sellers=10_000)
# 1,200 sellers: the fan-out alone takes over a minute at the bulk budget.
QUICK = Durations(warmup=1, window=5, alone=3, idle=10, sellers=1_200)


@dataclass
class Report:
    """Everything measured, for the table."""

    sellers: int = 0
    # Each closed-loop run by name, and its CPU milliseconds per answer: (bot, this process).
    own: dict[str, Throughput] = field(default_factory=dict)
    cpu_ms: dict[str, tuple[float, float]] = field(default_factory=dict)
    idle: list[float] = field(default_factory=list)
    during: list[float] = field(default_factory=list)
    unanswered: int = 0
    alerts: dict[int, int] = field(default_factory=dict)
    alert_seconds: float = 0.0
    replies_per_second: float = 0.0
    fanout_seconds: float = 0.0
    flood_alerts: int = 0
    flood_replies: int = 0
    rss_mb: dict[str, float] = field(default_factory=dict)
    locked: int = 0
    engine: str = "sqlite"


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


# -- the two bot processes -------------------------------------------------------------------


@dataclass
class BotProcess:
    name: str
    process: asyncio.subprocess.Process
    log: Path

    def cpu_seconds(self) -> float:
        """User and system CPU time the process has used so far."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def peak_rss_mb(self) -> float:
        """VmHWM: the most resident memory the process has had."""
        status = Path(f"/proc/{self.process.pid}/status").read_text(encoding="utf-8")
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    async def stop(self) -> None:
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.process.wait(), 30)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()

    def tail(self, lines: int = 20) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


async def launch(name: str, arguments: list[str], directory: Path) -> BotProcess:
    """Starts ``python -m <arguments>`` with its log in ``directory``."""
    log = directory / f"{name}.log"
    with log.open("wb") as sink:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            *arguments,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=sink,
            stderr=sink,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
    return BotProcess(name, process, log)


async def ready(bot: BotProcess, sandbox: Sandbox) -> None:
    """Waits until the bot polls its sandbox (it is up and listening)."""
    waiting = asyncio.ensure_future(sandbox.wait_for_poller(START_TIMEOUT))
    ended = asyncio.ensure_future(bot.process.wait())
    done, _ = await asyncio.wait({waiting, ended}, return_when=asyncio.FIRST_COMPLETED)
    ended.cancel()
    if waiting not in done:
        waiting.cancel()
        raise SystemExit(f"{bot.name} ended before it polled:\n{bot.tail()}")
    waiting.result()


def write_config(path: Path, sandbox: Sandbox, url: str, rate: float) -> Path:
    path.write_text(
        "[telegram]\n"
        f'token = "{TOKEN}"\n'
        f'base_url = "{sandbox.base_url}"\n'
        f'base_file_url = "{sandbox.base_file_url}"\n'
        f"max_messages_per_second = {rate}\n"
        f"reply_share = {REPLY_SHARE}\n"
        # Wide open, one chat's pace too (the sandbox's flood control is off then);
        # Telegram's otherwise.
        f"chat_messages_per_second = {rate if rate >= WIDE_OPEN_RATE else 1.0}\n"
        "[database]\n"
        f'url = "{url}"\n'
        "[email]\n"
        f'smtp_host = "{sandbox.smtp_host}"\n'
        f"smtp_port = {sandbox.smtp_port}\n",
        encoding="utf-8",
    )
    return path


async def start_leadline(
    sandbox: Sandbox, url: str, rate: float, directory: Path, name: str, profile: Path | None
) -> BotProcess:
    """``leadline run`` with its own configuration file (under cProfile with ``profile``:
    the profile is written there when the process stops)."""
    config = write_config(directory / f"{name}.toml", sandbox, url, rate)
    command = ["bot.cli", "run", "-c", str(config)]
    if profile is not None:
        command = ["cProfile", "-o", str(profile), "-m", *command]
    bot = await launch(name, command, directory)
    await ready(bot, sandbox)
    return bot


# -- the run ---------------------------------------------------------------------------------


def people(sandbox: Sandbox, count: int, prefix: str) -> list[ChatState]:
    """``count`` new people who have opened the chat with the bot."""
    chats = []
    for number in range(count):
        chat = sandbox.world.create_user(f"{prefix} {number}")
        chat.started = True  # they pressed Start once: the bot may write to them
        chats.append(chat)
    return chats


async def seed(
    url: str, sandbox: Sandbox, members: list[ChatState], sellers: list[ChatState]
) -> Person:
    """The signed-up buyer, the measured sellers with their dashboards, and the fan-out's
    sellers; returns the buyer."""
    settings = Settings.model_validate({"telegram": {"token": TOKEN}, "database": {"url": url}})
    terms = load_terms(settings).version
    now = datetime.now(UTC)
    engine = create_engine(url)
    try:
        [buyer_chat] = people(sandbox, 1, "Buyer")
        [buyer] = await signed_up(
            engine, [(int(buyer_chat.user["id"]), "Buyer")], Role.BUYER, None, terms, now
        )
        measured = await signed_up(
            engine,
            [(int(c.user["id"]), str(c.user["first_name"])) for c in members],
            Role.SELLER,
            MEMBER_SKILL,
            terms,
            now,
        )
        await dashboard_activity(engine, buyer, measured, now, BOT_USERNAME)
        model, *rest = sellers
        [first] = await signed_up(
            engine, [(int(model.user["id"]), "Seller 0")], Role.SELLER, FANOUT_SKILL, terms, now
        )
        await copies(engine, first, [int(c.user["id"]) for c in rest])
        async with engine.begin() as connection:
            if connection.dialect.name == "sqlite":
                await connection.execute(text("ANALYZE"))
            else:
                await connection.execute(
                    text("SELECT setval(pg_get_serial_sequence('users', 'id'), max(id)) FROM users")
                )
    finally:
        await engine.dispose()
    return buyer


async def own_cost(
    report: Report,
    lead: Sandbox,
    echo: Sandbox,
    members: list[ChatState],
    url: str,
    directory: Path,
    durations: Durations,
    profile: Path | None,
) -> None:
    """(a): both bots, limits wide open, one measurement at a time."""
    echo_chats = people(echo, CLOSED_LOOP_USERS, "Echo")
    echo_bot = await launch(
        "echo", ["bench.echo_bot", "--token", ECHO_TOKEN, "--base-url", echo.base_url], directory
    )
    leadline = await start_leadline(lead, url, WIDE_OPEN_RATE, directory, "leadline-a", profile)
    try:
        await ready(echo_bot, echo)
        echo_watch, lead_watch = Watch(echo.world), Watch(lead.world)
        # Everyone once, untimed: first contacts and caches out of the way.
        await asyncio.gather(*(echo_watch.ask(c, "/help") for c in echo_chats))
        await asyncio.gather(*(lead_watch.ask(c, "/dashboard") for c in members))
        # The seeded sellers look signed up to the bot, with their leads.
        board = lead.user(int(members[0].user["id"])).last_bot_message
        if board is None or f"Requested leads: {DASHBOARD_LEADS}" not in board.content:
            raise SystemExit(f"/dashboard did not show the seeded leads: {board}")
        d = durations
        runs = (
            ("echo /help", echo_watch, echo_bot, echo_chats, "/help", d.window),
            ("Leadline /help", lead_watch, leadline, members, "/help", d.window),
            ("Leadline /dashboard", lead_watch, leadline, members, "/dashboard", d.window),
            ("echo alone", echo_watch, echo_bot, echo_chats[:1], "/help", d.alone),
            ("Leadline alone", lead_watch, leadline, members[:1], "/help", d.alone),
        )
        for name, watch, bot, chats, command, seconds in runs:
            print(f"Own cost: {name}, {len(chats)} in a closed loop …", flush=True)
            bot_cpu, own_cpu = bot.cpu_seconds(), time.process_time()
            measured = await closed_loop_throughput(watch, chats, command, d.warmup, seconds)
            report.own[name] = measured
            report.cpu_ms[name] = (
                (bot.cpu_seconds() - bot_cpu) * 1000 / measured.everything,
                (time.process_time() - own_cpu) * 1000 / measured.everything,
            )
        echo_watch.close()
        lead_watch.close()
        report.rss_mb["echo"] = echo_bot.peak_rss_mb()
        report.rss_mb["leadline (a)"] = leadline.peak_rss_mb()
    finally:
        await echo_bot.stop()
        await leadline.stop()


async def under_limits(
    report: Report,
    lead: Sandbox,
    members: list[ChatState],
    sellers: list[ChatState],
    buyer: Person,
    url: str,
    directory: Path,
    durations: Durations,
) -> None:
    """(b): Telegram's limits; twenty people writing, idle and during the fan-out."""
    lead.set_flood_limits(True)
    lead.clear_api_errors()
    leadline = await start_leadline(lead, url, TELEGRAM_RATE, directory, "leadline-b", None)
    watch = Watch(lead.world)
    stop = asyncio.Event()
    rng = random.Random(12)
    begin = time.perf_counter() + 1.0
    repliers = [
        asyncio.create_task(
            paced(watch, chat, "/help", REPLY_EVERY, begin + rng.uniform(0, REPLY_EVERY), stop)
        )
        for chat in members[:REPLIERS]
    ]
    seller_ids = {int(c.user["id"]) for c in sellers}
    try:
        print(f"Telegram's limits: {REPLIERS} people writing, idle …", flush=True)
        idle_from = begin + REPLY_EVERY + durations.warmup
        await asyncio.sleep(idle_from + durations.idle - time.perf_counter())
        idle_until = time.perf_counter()
        print(f"Telegram's limits: a lead for {len(sellers):,} sellers …", flush=True)
        engine = create_engine(url)
        try:
            published_at = time.perf_counter()
            _, alerted = await publish_lead(
                engine,
                buyer,
                "Python script for our sales report",
                FANOUT_SKILL,
                datetime.now(UTC),
                BOT_USERNAME,
            )
        finally:
            await engine.dispose()
        if alerted != len(sellers):
            raise SystemExit(f"The lead matched {alerted} sellers, not {len(sellers)}.")
        await fanned_out(watch, seller_ids, len(sellers))
        stop.set()
        posted = [asked for run in await asyncio.gather(*repliers) for asked in run]
        # The last questions' answers.
        await lead.world.wait_for(
            lambda: True if all(a.answered_at is not None for a in posted) else None, 10
        )
        times = [t for chat, t in watch.unasked_log if chat in seller_ids]
        first, last = (min(times), max(times)) if times else (published_at, published_at)
        report.idle = _latencies(posted, idle_from, idle_until)
        report.during = _latencies(posted, first, last)
        report.unanswered = sum(1 for a in posted if a.answered_at is None)
        report.alerts = {chat: watch.unasked[chat] for chat in seller_ids}
        report.alert_seconds = last - first
        report.fanout_seconds = last - published_at
        answered = sum(1 for a in posted if first <= (a.answered_at or -1.0) <= last)
        report.replies_per_second = answered / (last - first) if last > first else 0.0
        for error in lead.api_errors:
            if error.error_code == 429:
                if int(error.params.get("chat_id", 0)) in seller_ids:
                    report.flood_alerts += 1
                else:
                    report.flood_replies += 1
        report.rss_mb["leadline (b)"] = leadline.peak_rss_mb()
    finally:
        stop.set()
        for task in repliers:
            task.cancel()
        watch.close()
        await leadline.stop()
        lead.set_flood_limits(False)
    log = leadline.log.read_text(errors="replace")
    report.locked = log.count("database is locked")


def _latencies(posted: list[Asked], start: float, end: float) -> list[float]:
    return [a.latency for a in posted if a.answered_at is not None and start <= a.sent_at <= end]


async def fanned_out(watch: Watch, sellers: set[int], count: int) -> None:
    """Waits until every seller has an alert, or none came for QUIET_SECONDS."""
    last_seen, last_change = -1, time.perf_counter()
    while True:
        got = sum(1 for chat in sellers if watch.unasked[chat])
        if got != last_seen:
            if got * 10 // count != last_seen * 10 // count:
                print(f"  {got:,} of {count:,} sellers alerted", flush=True)
            last_seen, last_change = got, time.perf_counter()
        if got >= count or time.perf_counter() - last_change > QUIET_SECONDS:
            break
        await asyncio.sleep(0.5)
    await asyncio.sleep(3)  # a repeated alert would come soon after the first


@contextmanager
def database(engine: str, directory: Path) -> Iterator[str]:
    """An empty database at the head migration."""
    if engine == "sqlite":
        url = f"sqlite+aiosqlite:///{directory / 'load.db'}"
        upgrade(url)
        yield url
        return
    with throwaway_server(directory) as server:
        maintenance = server_url(server, "postgres")
        asyncio.run(_create_database(maintenance))
        url = server_url(server, "leadline_load")
        upgrade(url)
        yield url


async def _create_database(url: str) -> None:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
            await autocommit.execute(text("CREATE DATABASE leadline_load"))
    finally:
        await engine.dispose()


async def run(
    url: str, directory: Path, durations: Durations, report: Report, profile: Path | None
) -> None:
    # SIGTERM unwinds like Ctrl-C: the bots are stopped on the way out, never left polling.
    task = asyncio.current_task()
    assert task is not None
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, task.cancel)
    lead = Sandbox(bot_token=TOKEN, bot_username=BOT_USERNAME, default_timeout=30)
    echo = Sandbox(bot_token=ECHO_TOKEN, bot_username=ECHO_USERNAME, smtp_port=None)
    await lead.start()
    await echo.start()
    try:
        members = people(lead, CLOSED_LOOP_USERS, "Member")
        sellers = people(lead, durations.sellers, "Seller")
        started = time.perf_counter()
        buyer = await seed(url, lead, members, sellers)
        print(
            f"Seeded {len(members)} sellers with {DASHBOARD_LEADS} leads opened and "
            f"{DASHBOARD_THREADS} conversations each, and {len(sellers):,} sellers of "
            f"{FANOUT_SKILL}, in {time.perf_counter() - started:.0f} s.",
            flush=True,
        )
        await own_cost(report, lead, echo, members, url, directory, durations, profile)
        await under_limits(report, lead, members, sellers, buyer, url, directory, durations)
    finally:
        await echo.stop()
        await lead.stop()


# -- the table -------------------------------------------------------------------------------


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 10 else f"{seconds:.1f} s"


def table(report: Report) -> list[str]:
    own = report.own
    rows: list[tuple[str, str, str, str, bool]] = []
    floor = own["echo /help"].per_second

    def ratio(name: str, value: float, target: float, detail: str) -> None:
        rows.append((name, detail, f"{value:.2f}×", f"≥ {target:.1f}×", value >= target))

    ratio(
        f"/help, {CLOSED_LOOP_USERS} people, own cost vs echo",
        own["Leadline /help"].per_second / floor,
        0.6,
        f"{own['Leadline /help'].per_second:.0f}/s vs {floor:.0f}/s",
    )
    ratio(
        f"/dashboard (seller, {DASHBOARD_LEADS} leads, {DASHBOARD_THREADS} threads) vs echo /help",
        own["Leadline /dashboard"].per_second / floor,
        0.5,
        f"{own['Leadline /dashboard'].per_second:.0f}/s vs {floor:.0f}/s",
    )
    alone, echo_alone = own["Leadline alone"].latencies, own["echo alone"].latencies
    p50, echo_p50 = statistics.median(alone), statistics.median(echo_alone)
    rows.append(
        (
            "one person alone, /help p50 vs echo",
            f"p50 {p50 * 1000:.1f} / p95 {percentile(alone, 0.95) * 1000:.1f} ms vs "
            f"p50 {echo_p50 * 1000:.1f} / p95 {percentile(echo_alone, 0.95) * 1000:.1f} ms",
            f"{p50 / echo_p50:.2f}×",
            "≤ 2×",
            p50 <= 2 * echo_p50,
        )
    )
    idle95, during95 = percentile(report.idle, 0.95), percentile(report.during, 0.95)
    rows.append(
        (
            f"{REPLIERS} people's /help during the fan-out vs idle, p95",
            f"idle p50 {_ms(percentile(report.idle, 0.5))} / p95 {_ms(idle95)}; during p50 "
            f"{_ms(percentile(report.during, 0.5))} / p95 {_ms(during95)}"
            + (f"; {report.unanswered} unanswered" if report.unanswered else ""),
            f"{during95 / idle95:.2f}×",
            "≤ 2×",
            during95 <= 2 * idle95 and not report.unanswered,
        )
    )
    delivered = sum(1 for n in report.alerts.values() if n)
    rate = (delivered - 1) / report.alert_seconds if report.alert_seconds > 0 else 0.0
    budget = TELEGRAM_RATE - min(report.replies_per_second, TELEGRAM_RATE * REPLY_SHARE)
    rows.append(
        (
            "fan-out alerts/s vs the bulk budget",
            f"{rate:.1f}/s vs {budget:.1f}/s (30 − {report.replies_per_second:.1f} answers/s); "
            f"{delivered:,} alerts in {report.alert_seconds:.0f} s, the first "
            f"{report.fanout_seconds - report.alert_seconds:.1f} s after Publish",
            f"{rate / budget:.0%}",
            "≥ 95 %",
            rate >= 0.95 * budget,
        )
    )
    flood = report.flood_alerts + report.flood_replies
    rows.append(
        (
            "429s drawn (under Telegram's limits)",
            f"{report.flood_alerts} on alerts, {report.flood_replies} on answers",
            str(flood),
            "0",
            flood == 0,
        )
    )
    lost = sum(1 for n in report.alerts.values() if n == 0)
    repeated = sum(n - 1 for n in report.alerts.values() if n > 1)
    rows.append(("alerts lost", f"of {report.sellers:,} sellers", str(lost), "0", lost == 0))
    rows.append(("alerts repeated", "extra alerts received", str(repeated), "0", repeated == 0))
    leadline_rss = max(v for k, v in report.rss_mb.items() if k.startswith("leadline"))
    rows.append(
        (
            "peak RSS of the bot process",
            ", ".join(f"{k} {v:.0f} MB" for k, v in report.rss_mb.items()),
            f"{leadline_rss:.0f} MB",
            f"≤ {RSS_TARGET_MB:.0f} MB",
            leadline_rss <= RSS_TARGET_MB,
        )
    )
    lines = ["| measure | figures | value | target | met |", "|---|---|---:|---:|---|"]
    lines += [f"| {n} | {d} | {v} | {t} | {'yes' if ok else 'NO'} |" for n, d, v, t, ok in rows]
    return lines


def cpu_table(report: Report) -> list[str]:
    """CPU time per answer: what each answer costs the bot whatever else the machine runs,
    and what it costs this process (the sandbox and the people)."""
    lines = [
        "| closed loop | people | answers/s | p50 ms | p95 ms | bot CPU ms/answer "
        "| sandbox CPU ms/answer |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, measured in report.own.items():
        bot, sandbox = report.cpu_ms[name]
        people = CLOSED_LOOP_USERS if "alone" not in name else 1
        lines.append(
            f"| {name} | {people} | {measured.per_second:.0f} "
            f"| {percentile(measured.latencies, 0.5) * 1000:.1f} "
            f"| {percentile(measured.latencies, 0.95) * 1000:.1f} | {bot:.2f} | {sandbox:.2f} |"
        )
    return lines


def machine() -> str:
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"Machine: {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}, load average {load} at the end."
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.load",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--quick", action="store_true", help="shorter windows, 1,200 sellers (under 3 minutes)"
    )
    parser.add_argument("--sellers", type=int, help="sellers the lead's alerts go to")
    parser.add_argument("--engine", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument(
        "--profile",
        type=Path,
        metavar="FILE",
        help="run the bot of the own-cost part under cProfile, its profile written to FILE "
        "(the figures are then the profiler's, not the bot's)",
    )
    args = parser.parse_args()
    durations = QUICK if args.quick else FULL
    if args.sellers is not None:
        if args.sellers < 1:
            parser.error("--sellers must be at least 1")
        durations = Durations(
            durations.warmup, durations.window, durations.alone, durations.idle, args.sellers
        )
    report = Report(sellers=durations.sellers, engine=args.engine)
    started = time.perf_counter()
    try:
        with (
            tempfile.TemporaryDirectory(prefix="leadline-load-") as directory,
            database(args.engine, Path(directory)) as url,
        ):
            asyncio.run(run(url, Path(directory), durations, report, args.profile))
    except (KeyboardInterrupt, asyncio.CancelledError):
        raise SystemExit("Interrupted; nothing is left running.") from None
    print()
    print(machine())
    print(
        f"Leadline ({args.engine}) against the echo floor, {durations.sellers:,} sellers, "
        f"{time.perf_counter() - started:.0f} s in all; 'database is locked' logged "
        f"{report.locked} times:"
    )
    print("\n".join(table(report)))
    print(
        "Bulk budget: max_messages_per_second − min(answers/s during the fan-out, "
        "max_messages_per_second × reply_share), i.e. every token answers leave (bot/lanes.py)."
    )
    print()
    print("\n".join(cpu_table(report)))


if __name__ == "__main__":
    main()
