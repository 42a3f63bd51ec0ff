"""Matching and search at marketplace scale: 100,000 sellers and 100,000 open leads, on SQLite
and on PostgreSQL.

Run with `make bench` (or `python -m bench [--engine sqlite|postgresql|both] [--sellers N
--leads N --queries N] [--postgresql-url URL]`). Each engine gets the same data and the same
queries (one random seed); prints the median and p95 of each kind of query per engine against
the targets of docs/PERFORMANCE.md. PostgreSQL runs on a throwaway server started for the
run, or in the empty database given by --postgresql-url (emptied again afterwards).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import signal
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import FrameType
from typing import Any

from sqlalchemy import Integer, Table, insert, inspect, select, text
from sqlalchemy.ext.asyncio import AsyncConnection

from bench import nudges
from bench.postgres import server_url, throwaway_server
from domain.leads import Lead
from domain.money import Money
from domain.search import SearchQuery
from storage.db import create_engine, session_factory
from storage.migrate import downgrade, upgrade
from storage.models import Base, CategoryRow, SkillRow
from storage.search import reindex
from storage.uow import SqlUnitOfWork

SEED = 42
MATCHING = "record a new lead's alerts (sellers sharing a skill)"
TOP = "top 10 matching sellers (buyer's view)"
SEARCH = "/leads search (1-2 words, first page + count)"
TARGETS_MS = {MATCHING: 50.0, TOP: 50.0, SEARCH: 20.0}
ENGINES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
BENCH_DATABASE = "leadline_bench"
# A small vocabulary, so that words repeat across leads as they do in real posts.
WORDS = (  # noqa: SIM905 - a paragraph of words reads better than a list of 130 strings
    "booking site shop store bakery cafe landing page logo brand mobile app android ios "
    "api backend frontend dashboard report automation script scraper bot telegram chat "
    "payment stripe paypal invoice crm erp inventory database migration postgres mysql "
    "cloud aws deploy docker kubernetes testing audit security seo blog content article "
    "translation german spanish french video editing animation illustration poster flyer "
    "brochure presentation slides excel spreadsheet data analysis machine learning model "
    "forecast tutoring math physics english lessons homework accounting tax bookkeeping "
    "legal contract review startup pitch deck marketing campaign email newsletter social "
    "media instagram tiktok youtube podcast audio mixing voice over music photography "
    "product wedding portrait retouching design figma wireframe prototype ux research "
    "survey "
).split()
BENCH_SKILLS = [f"Skill {i}" for i in range(500)]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


@dataclass(frozen=True)
class Catalog:
    """What the migrations seeded plus the benchmark's skills, by id: (id, name)."""

    skills: tuple[tuple[int, str], ...]
    categories: tuple[tuple[int, str], ...]


@dataclass(frozen=True)
class Workload:
    """The rows to load (parents first) and the queries to time, the same for every engine."""

    catalog: Catalog
    rows: dict[Table, list[dict[str, Any]]]
    matches: list[tuple[str, list[str]]]  # a new lead's category and skills
    searches: list[list[str]]


@dataclass(frozen=True)
class Result:
    timings: dict[str, list[float]]
    populate_seconds: float
    matched_median: float
    alerted_median: float
    found_median: float
    version: str


def make_workload(catalog: Catalog, sellers: int, leads: int, queries: int) -> Workload:
    """The data and the queries; a function of the catalog, the sizes and the seed only."""
    rng = random.Random(SEED)
    now = datetime.now(UTC)
    skill_ids = [skill_id for skill_id, _ in catalog.skills]
    skill_names = dict(catalog.skills)
    category_ids = [category_id for category_id, _ in catalog.categories]
    users = [
        {
            "id": i,
            "telegram_id": 10_000_000 + i,
            "first_name": f"Seller {i}",
            "status": "active",
            "reachable": True,
            "signup_stage": "done",
            "alerts_muted": False,
            "alertable": i <= sellers,
            "created_at": now,
        }
        for i in range(1, sellers + 2)
    ]
    buyer_id = sellers + 1
    roles = [{"user_id": i, "role": "seller"} for i in range(1, sellers + 1)]
    roles.append({"user_id": buyer_id, "role": "buyer"})
    profiles = [{"user_id": u["id"], "timezone": "UTC"} for u in users]
    profile_skills, profile_categories = [], []
    for user in range(1, sellers + 1):
        for position, skill in enumerate(rng.sample(skill_ids, rng.randint(2, 6))):
            profile_skills.append({"user_id": user, "skill_id": skill, "position": position})
        for position, category in enumerate(rng.sample(category_ids, rng.randint(1, 2))):
            profile_categories.append(
                {"user_id": user, "category_id": category, "position": position}
            )
    lead_rows, lead_skills = [], []
    for lead_id in range(1, leads + 1):
        published = now - timedelta(minutes=lead_id)
        lead_rows.append(
            {
                "id": lead_id,
                "buyer_id": buyer_id,
                "title": " ".join(rng.sample(WORDS, 5)),
                "description": " ".join(rng.choices(WORDS, k=40)),
                "category_id": rng.choice(category_ids),
                "budget_minor": 50_000,
                "currency": "USD",
                "status": "open",
                "version": 0,
                "created_at": published,
                "published_at": published,
                # Publishing order: the newest lead has the highest number.
                "search_seq": leads - lead_id + 1,
                "updated_at": published,
            }
        )
        chosen = rng.sample(skill_ids, rng.randint(1, 4))
        lead_skills += [
            {"lead_id": lead_id, "skill_id": s, "position": p} for p, s in enumerate(chosen)
        ]
    category_names = [name for _, name in catalog.categories]
    matches = []
    for _ in range(queries):
        wanted = rng.choice(category_names)
        skills = [skill_names[s] for s in rng.sample(skill_ids, rng.randint(1, 4))]
        matches.append((wanted, skills))
    searches = [rng.sample(WORDS, rng.randint(1, 2)) for _ in range(queries)]
    tables = Base.metadata.tables
    rows: dict[Table, list[dict[str, Any]]] = {
        tables["users"]: users,
        tables["user_roles"]: roles,
        tables["profiles"]: profiles,
        tables["profile_skills"]: profile_skills,
        tables["profile_categories"]: profile_categories,
        tables["leads"]: lead_rows,
        tables["lead_skills"]: lead_skills,
        # The next search number follows the ones given above, as migration 0007 leaves it.
        tables["search_numbers"]: [{"id": leads}] if leads else [],
    }
    return Workload(catalog, rows, matches, searches)


async def add_catalog(url: str) -> Catalog:
    """Adds the benchmark's 500 skills to the seeded ones; returns skills and categories."""
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.execute(
                insert(SkillRow), [{"key": s.lower(), "name": s} for s in BENCH_SKILLS]
            )
            skills = await connection.execute(select(SkillRow.id, SkillRow.name).order_by("id"))
            categories = await connection.execute(
                select(CategoryRow.id, CategoryRow.name).order_by("id")
            )
            return Catalog(tuple(skills.tuples()), tuple(categories.tuples()))
    finally:
        await engine.dispose()


async def index_for_search(connection: AsyncConnection) -> None:
    """Builds the engine's full-text index of the open leads from their rows, as the bot
    keeps it (storage/search.py): FTS5 on SQLite, ``leads.search_vector`` on PostgreSQL."""
    await reindex(connection)


async def populate_sqlite(url: str, workload: Workload) -> None:
    """Plain INSERTs through SQLAlchemy, then the FTS5 index and ANALYZE."""
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            for table, rows in workload.rows.items():
                if rows:
                    await connection.execute(insert(table), rows)
            await index_for_search(connection)
            await connection.execute(text("ANALYZE"))
    finally:
        await engine.dispose()


async def populate_postgresql(url: str, workload: Workload) -> None:
    """COPY into each table, sequences moved past the copied ids, the search index, then
    VACUUM ANALYZE: statistics, and the visibility map that index-only scans need, as
    autovacuum would leave them on a database in service."""
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            driver: Any = (await connection.get_raw_connection()).driver_connection
            async with driver.transaction():  # asyncpg's own: COPY is not SQLAlchemy's
                for table, rows in workload.rows.items():
                    if rows:
                        columns, records = _records(table, rows)
                        await driver.copy_records_to_table(
                            table.name, records=records, columns=columns
                        )
        async with engine.begin() as connection:
            await _move_sequences(connection)
            await index_for_search(connection)
        async with engine.connect() as connection:
            autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
            await autocommit.execute(text("VACUUM ANALYZE"))
    finally:
        await engine.dispose()


def _records(table: Table, rows: list[dict[str, Any]]) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Rows as COPY takes them, with the Python-side defaults an INSERT would have added."""
    columns = list(rows[0])
    defaults = {
        column.name: column.default.arg  # type: ignore[attr-defined]
        for column in table.columns
        if column.name not in rows[0] and column.default is not None and column.default.is_scalar
    }
    names = columns + list(defaults)
    fixed = tuple(defaults.values())
    return names, [tuple(row[c] for c in columns) + fixed for row in rows]


async def _move_sequences(connection: AsyncConnection) -> None:
    """Every id sequence past the ids given explicitly, so the code under test can insert."""
    for table in Base.metadata.sorted_tables:
        keys = list(table.primary_key.columns)
        if len(keys) != 1 or not isinstance(keys[0].type, Integer):
            continue
        name, column = table.name, keys[0].name
        # NULL (and no call) when the column has no sequence.
        await connection.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence(:table, :column), "
                f"coalesce(max({column}), 1), max({column}) IS NOT NULL) FROM {name}"
            ),
            {"table": name, "column": column},
        )


async def measure(url: str, workload: Workload) -> Result:
    engine = create_engine(url)
    uow = SqlUnitOfWork(session_factory(engine))
    timings: dict[str, list[float]] = {name: [] for name in TARGETS_MS}
    matched: list[int] = []
    alerted: list[int] = []
    found: list[int] = []
    try:
        async with engine.connect() as connection:
            if connection.dialect.name == "sqlite":
                version = f"SQLite {sqlite3.sqlite_version}"
            else:
                version = f"PostgreSQL {await connection.scalar(text('SHOW server_version'))}"
        async with uow:
            for number, (category, skills) in enumerate(workload.matches, start=1):
                lead = Lead(
                    id=number,
                    buyer_id=0,
                    created_at=datetime.now(UTC),
                    title="new",
                    category=category,
                    skills=skills,
                    budget=Money(1000, "USD"),
                )
                # What publishing does: record an alert for every seller sharing a skill.
                started = time.perf_counter()
                alerted.append(await uow.leads.record_matches(lead, datetime.now(UTC)))
                timings[MATCHING].append((time.perf_counter() - started) * 1000)
                await uow.rollback()
                # Untimed: everyone who matches by skill or category (all were alerted before).
                matched.append(len(await uow.leads.matching_sellers(lead, 1_000_000)))
                started = time.perf_counter()
                await uow.leads.matching_sellers(lead, 10)
                timings[TOP].append((time.perf_counter() - started) * 1000)
            for words in workload.searches:
                started = time.perf_counter()
                query = SearchQuery.parse(" ".join(words))
                page = await uow.leads.search_open(query, None, None, 0, 5)
                timings[SEARCH].append((time.perf_counter() - started) * 1000)
                found.append(page.total)
    finally:
        await engine.dispose()
    return Result(
        timings,
        0.0,
        statistics.median(matched or [0]),
        statistics.median(alerted or [0]),
        statistics.median(found or [0]),
        version,
    )


@contextmanager
def database(engine: str, directory: Path, postgresql_url: str | None) -> Iterator[str]:
    """A database at the head migration for one engine, holding no data yet; its URL."""
    if engine == "sqlite":
        url = f"sqlite+aiosqlite:///{directory / 'bench.db'}"
        upgrade(url)
        yield url
    elif postgresql_url is not None:
        if asyncio.run(_holds_tables(postgresql_url)):
            raise SystemExit(
                "The database of --postgresql-url already holds tables; give it an empty one."
            )
        try:
            upgrade(postgresql_url)
            yield postgresql_url
        finally:
            downgrade(postgresql_url, "base")
            asyncio.run(_execute(postgresql_url, "DROP TABLE IF EXISTS alembic_version"))
    else:
        with throwaway_server(directory) as server:
            maintenance = server_url(server, "postgres")
            asyncio.run(_execute(maintenance, f"CREATE DATABASE {BENCH_DATABASE}"))
            url = server_url(server, BENCH_DATABASE)
            upgrade(url)
            yield url


async def _holds_tables(url: str) -> bool:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            names = await connection.run_sync(lambda c: inspect(c).get_table_names())
    finally:
        await engine.dispose()
    return bool(names)


async def _execute(url: str, statement: str) -> None:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
            await autocommit.execute(text(statement))
    finally:
        await engine.dispose()


def run(
    engine: str, url: str, args: argparse.Namespace, workload: Workload | None
) -> tuple[Result, Workload]:
    """Loads the workload's data into the database and times its queries."""
    catalog = asyncio.run(add_catalog(url))
    if workload is None:
        workload = make_workload(catalog, args.sellers, args.leads, args.queries)
    elif catalog != workload.catalog:
        raise SystemExit(
            f"{ENGINES[engine]} was migrated to other skills or categories than the engine "
            "before it: the data would not be the same."
        )
    started = time.perf_counter()
    populate = populate_sqlite if engine == "sqlite" else populate_postgresql
    asyncio.run(populate(url, workload))
    seconds = time.perf_counter() - started
    print(
        f"{ENGINES[engine]}: populated {args.sellers:,} sellers and {args.leads:,} open leads "
        f"in {seconds:.0f} s.",
        flush=True,
    )
    result = asyncio.run(measure(url, workload))
    print(
        f"{ENGINES[engine]}: a new lead matched {result.matched_median:,.0f} sellers by skill "
        f"or category and alerted the {result.alerted_median:,.0f} sharing a skill; a search "
        f"found {result.found_median:,.0f} leads (medians); {result.version}.",
        flush=True,
    )
    return replace(result, populate_seconds=seconds), workload


def table(results: dict[str, Result]) -> list[str]:
    head = "| operation | queries | target p95 ms |"
    rule = "|---|---:|---:|"
    for engine in results:
        name = ENGINES[engine]
        head += f" {name} median ms | {name} p95 ms | {name} met |"
        rule += "---:|---:|---|"
    lines = [head, rule]
    for operation, target in TARGETS_MS.items():
        count = max(len(r.timings[operation]) for r in results.values())
        line = f"| {operation} | {count} | {target:.0f} |"
        for result in results.values():
            values = result.timings[operation]
            p95 = percentile(values, 0.95)
            met = "yes" if p95 <= target else "NO"
            line += f" {statistics.median(values):.1f} | {p95:.1f} | {met} |"
        lines.append(line)
    return lines


def _stop_on_sigterm(_signal: int, _frame: FrameType | None) -> None:
    # Unwinds like Ctrl-C does, so that a throwaway server is stopped on the way out.
    raise SystemExit(128 + signal.SIGTERM)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--engine", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument(
        "--postgresql-url",
        metavar="URL",
        help="postgresql+asyncpg://… of an empty database to use instead of a throwaway server",
    )
    parser.add_argument("--sellers", type=int, default=100_000)
    parser.add_argument("--leads", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument(
        "--no-nudges", action="store_true", help="skip the nudge sweep benchmark (bench/nudges.py)"
    )
    args = parser.parse_args()
    if args.postgresql_url and not args.postgresql_url.startswith("postgresql+asyncpg://"):
        parser.error("--postgresql-url must start with postgresql+asyncpg://")
    if args.postgresql_url and args.engine == "sqlite":
        parser.error("--postgresql-url needs --engine postgresql or both")
    engines = ["sqlite", "postgresql"] if args.engine == "both" else [args.engine]
    signal.signal(signal.SIGTERM, _stop_on_sigterm)
    results: dict[str, Result] = {}
    workload: Workload | None = None
    try:
        with tempfile.TemporaryDirectory(prefix="leadline-bench-") as directory:
            for engine in engines:
                with database(engine, Path(directory), args.postgresql_url) as url:
                    results[engine], workload = run(engine, url, args, workload)
    except KeyboardInterrupt:
        raise SystemExit("Interrupted; nothing is left running.") from None
    print()
    print("\n".join(table(results)))
    if not args.no_nudges:
        nudges.run()  # the nudge sweep (bench/nudges.py)


if __name__ == "__main__":
    main()
