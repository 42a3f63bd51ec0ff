"""The nudge sweep at marketplace scale: 100,000 contracts in progress and 100,000 open leads
(half with an offer waiting for an answer) and 10,000 people who have not confirmed their
email, in SQLite, with anchors spread over the last 30 days.

Run with `make bench` (after the matching and search figures), or alone with
`python -m bench.nudges [--contracts N --leads N --sweeps N --stops N]`. Each sweep is
what the job does every `nudges.sweep_interval`: the real use case and repositories, the
messages rendered and queued in the outbox, one commit.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, insert, select, text

from domain.nudge_cases import Sweep, sweep
from domain.nudges import CLAIM_LIMIT, NudgeKind, NudgeTimings
from handlers.core.notify import Notifier
from handlers.nudges.notices import NOTICES
from storage.db import create_engine, session_factory
from storage.migrate import upgrade
from storage.models import (
    ContractRow,
    EmailTokenRow,
    LeadRow,
    NudgeRow,
    NudgeSweepRow,
    OfferRow,
    ProfileRow,
    ThreadRow,
    UserRoleRow,
    UserRow,
)
from storage.uow import SqlUnitOfWork

STEADY = "sweep every 60 s (a minute of anchors)"
AFTER_STOP = "first sweep after a 1 h stop (an hour of anchors)"
BACKLOG = f"first sweep ever (whole history, {CLAIM_LIMIT} per kind)"
TARGET_MS = 200.0
TIMINGS = NudgeTimings()  # the defaults of the issue: 24h, 48h, 24h, 48h, 7d, 24h
MONTH = timedelta(days=30)
PEOPLE = 20_000
SIGNING_UP = 10_000


def _moment(now: datetime, rng: random.Random, within: timedelta) -> datetime:
    return now - timedelta(seconds=rng.uniform(0, within.total_seconds()))


async def populate(url: str, contracts: int, leads: int, now: datetime, seed: int = 7) -> None:
    """Fills the database with plain INSERTs, straight to the tables."""
    rng = random.Random(seed)
    engine = create_engine(url)
    async with engine.begin() as connection:
        users: list[dict[str, Any]] = [
            {
                "id": i,
                "telegram_id": 20_000_000 + i,
                "first_name": f"Person {i}",
                "email": f"p{i}@example.org",
                "status": "active",
                "reachable": True,
                "signup_stage": "done" if i <= PEOPLE else "confirm_email",
                "alerts_muted": False,
                "alertable": False,
                "created_at": now - MONTH,
            }
            for i in range(1, PEOPLE + SIGNING_UP + 1)
        ]
        await connection.execute(insert(UserRow), users)
        await connection.execute(
            insert(UserRoleRow),
            [{"user_id": i, "role": "buyer" if i % 2 else "seller"} for i in range(1, PEOPLE + 1)],
        )
        await connection.execute(
            insert(ProfileRow), [{"user_id": i, "timezone": "UTC"} for i in range(1, PEOPLE + 1)]
        )
        await connection.execute(
            insert(EmailTokenRow),
            [
                {
                    "user_id": i,
                    "email": f"p{i}@example.org",
                    "token_hash": f"hash-{i}",
                    "created_at": (sent := _moment(now, rng, MONTH)),
                    "expires_at": sent + timedelta(days=1),
                }
                for i in range(PEOPLE + 1, PEOPLE + SIGNING_UP + 1)
            ],
        )
        buyers = list(range(1, PEOPLE + 1, 2))
        sellers = list(range(2, PEOPLE + 1, 2))
        lead_rows, threads, offers, contract_rows = [], [], [], []
        for lead_id in range(1, leads + contracts + 1):
            hired = lead_id > leads
            published = _moment(now, rng, MONTH + (MONTH if hired else timedelta(0)))
            buyer = rng.choice(buyers)
            lead_rows.append(
                {
                    "id": lead_id,
                    "buyer_id": buyer,
                    "title": f"Lead {lead_id}",
                    "currency": "USD",
                    "budget_minor": 50_000,
                    "status": "in_progress" if hired else "open",
                    "version": 0,
                    "created_at": published,
                    "published_at": published,
                    "updated_at": published,
                }
            )
            if not hired and lead_id % 2:
                continue  # half of the open leads have no bid at all
            seller = rng.choice(sellers)
            bid_at = published + (now - published) * rng.random()
            threads.append(
                {
                    "id": lead_id,
                    "lead_id": lead_id,
                    "buyer_id": buyer,
                    "seller_id": seller,
                    "created_at": bid_at,
                    "buyer_read_up_to": 0,
                    "seller_read_up_to": 0,
                    "buyer_reminded": False,
                    "seller_reminded": False,
                }
            )
            days = rng.randint(1, 30)
            offers.append(
                {
                    "id": lead_id,
                    "thread_id": lead_id,
                    "author_id": seller,
                    "amount_minor": 45_000,
                    "currency": "USD",
                    "days": days,
                    "status": "accepted" if hired else "open",
                    "created_at": bid_at,
                }
            )
            if hired:
                started = bid_at
                contract_rows.append(
                    {
                        "lead_id": lead_id,
                        "thread_id": lead_id,
                        "offer_id": lead_id,
                        "buyer_id": buyer,
                        "seller_id": seller,
                        "amount_minor": 45_000,
                        "currency": "USD",
                        "days": days,
                        "started_at": started,
                        "due_at": started + timedelta(days=days),
                    }
                )
        for table, rows in (
            (LeadRow, lead_rows),
            (ThreadRow, threads),
            (OfferRow, offers),
            (ContractRow, contract_rows),
        ):
            for start in range(0, len(rows), 20_000):
                await connection.execute(insert(table), rows[start : start + 20_000])
        await connection.execute(text("ANALYZE"))
    await engine.dispose()


async def timed_sweep(uow: SqlUnitOfWork, now: datetime) -> tuple[float, int]:
    """One sweep as the job runs it; returns (milliseconds, nudges queued)."""
    started = time.perf_counter()
    async with uow:
        nudges = await sweep(uow, Sweep(TIMINGS), now)
        await Notifier(NOTICES).publish(uow, uow.collect_events(), now, "bench_bot")
        await uow.commit()
    return (time.perf_counter() - started) * 1000, len(nudges)


async def swept_as_of(url: str, moment: datetime) -> None:
    """Pretends a sweep ran at ``moment`` (and none of its nudges are claimed again)."""
    engine = create_engine(url)
    async with engine.begin() as connection:
        await connection.execute(delete(NudgeSweepRow))
        await connection.execute(
            insert(NudgeSweepRow),
            [{"kind": kind.value, "swept_until": moment - TIMINGS.lag(kind)} for kind in NudgeKind],
        )
    await engine.dispose()


async def claimed(url: str) -> int:
    engine = create_engine(url)
    async with engine.connect() as connection:
        count = int(await connection.scalar(select(func.count()).select_from(NudgeRow)) or 0)
    await engine.dispose()
    return count


async def measure(
    url: str, now: datetime, sweeps: int, stops: int
) -> dict[str, list[tuple[float, int]]]:
    engine = create_engine(url)
    uow = SqlUnitOfWork(session_factory(engine))
    results: dict[str, list[tuple[float, int]]] = {STEADY: [], AFTER_STOP: [], BACKLOG: []}
    # A bot that ran all along: the last sweep was a minute ago.
    await swept_as_of(url, now - timedelta(minutes=1))
    for number in range(sweeps):
        results[STEADY].append(await timed_sweep(uow, now + timedelta(minutes=number)))
    # Stopped for an hour, again and again: each start sweeps a fresh hour of anchors.
    later = now + timedelta(minutes=sweeps)
    for _ in range(stops):
        await swept_as_of(url, later)
        later += timedelta(hours=1)
        results[AFTER_STOP].append(await timed_sweep(uow, later))
    # A database never swept: all 30 days of history are due at once. Each such sweep
    # takes the oldest of what is left, as a backlog drains.
    for _ in range(stops):
        async with engine.begin() as connection:
            await connection.execute(delete(NudgeSweepRow))
        later += timedelta(seconds=1)
        results[BACKLOG].append(await timed_sweep(uow, later))
    await engine.dispose()
    return results


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def report(results: dict[str, list[tuple[float, int]]]) -> None:
    print("| sweep | runs | nudges queued (median) | median ms | p95 ms | target ms | met |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for name, runs in results.items():
        times = [ms for ms, _ in runs]
        sent = statistics.median(n for _, n in runs)
        worst = p95(times)
        print(
            f"| {name} | {len(runs)} | {sent:.0f} | {statistics.median(times):.1f} "
            f"| {worst:.1f} | {TARGET_MS:.0f} | {'yes' if worst <= TARGET_MS else 'NO'} |"
        )


def run(contracts: int = 100_000, leads: int = 100_000, sweeps: int = 60, stops: int = 10) -> None:
    """Builds the data set in a temporary SQLite file, then times the sweeps."""
    now = datetime.now(UTC)
    with tempfile.TemporaryDirectory() as directory:
        url = f"sqlite+aiosqlite:///{Path(directory) / 'nudges.db'}"
        upgrade(url)
        started = time.perf_counter()
        asyncio.run(populate(url, contracts, leads, now))
        print(
            f"\nPopulated {contracts:,} contracts in progress, {leads:,} open leads and "
            f"{SIGNING_UP:,} unconfirmed signups in {time.perf_counter() - started:.0f} s.\n"
        )
        results = asyncio.run(measure(url, now, sweeps, stops))
        total = asyncio.run(claimed(url))
    report(results)
    print(f"\n{total:,} nudges claimed in all; each sweep queues at most {CLAIM_LIMIT} of a kind.")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.nudges", description=__doc__)
    parser.add_argument("--contracts", type=int, default=100_000)
    parser.add_argument("--leads", type=int, default=100_000)
    parser.add_argument("--sweeps", type=int, default=60)
    parser.add_argument("--stops", type=int, default=10)
    args = parser.parse_args()
    run(args.contracts, args.leads, args.sweeps, args.stops)


if __name__ == "__main__":
    main()
