"""Matching and search at marketplace scale: 100,000 sellers and 100,000 open leads in SQLite.

Run with `make bench` (or `python -m bench [--sellers N --leads N --queries N]`). Prints the
median and p95 of 200 queries of each kind against the targets of docs/PERFORMANCE.md.
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

from sqlalchemy import insert, select, text

from bench import nudges
from domain.leads import Lead
from domain.money import Money
from domain.search import SearchQuery
from storage.db import create_engine, session_factory
from storage.migrate import upgrade
from storage.models import (
    CategoryRow,
    LeadRow,
    LeadSkillRow,
    ProfileCategoryRow,
    ProfileRow,
    ProfileSkillRow,
    SkillRow,
    UserRoleRow,
    UserRow,
)
from storage.uow import SqlUnitOfWork

MATCHING = "match a new lead's sellers (rank + record all)"
TOP = "top 10 matching sellers (buyer's view)"
SEARCH = "/leads search (1-2 words, first page + count)"
TARGETS_MS = {MATCHING: 50.0, TOP: 50.0, SEARCH: 20.0}
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


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def populate(url: str, sellers: int, leads: int, rng: random.Random) -> list[str]:
    """Fills the database quickly with plain INSERTs; returns the skill names."""
    engine = create_engine(url)
    now = datetime.now(UTC)
    async with engine.begin() as connection:
        skills = [f"Skill {i}" for i in range(500)]
        await connection.execute(insert(SkillRow), [{"key": s.lower(), "name": s} for s in skills])
        rows = (await connection.execute(select(SkillRow.id, SkillRow.name))).tuples().all()
        skill_names = dict(rows)
        skill_ids = list(skill_names)
        category_ids = list((await connection.scalars(select(CategoryRow.id))).all())
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
        await connection.execute(insert(UserRow), users)
        buyer_id = sellers + 1
        await connection.execute(
            insert(UserRoleRow),
            [{"user_id": i, "role": "seller"} for i in range(1, sellers + 1)]
            + [{"user_id": buyer_id, "role": "buyer"}],
        )
        await connection.execute(
            insert(ProfileRow), [{"user_id": u["id"], "timezone": "UTC"} for u in users]
        )
        profile_skills, profile_categories = [], []
        for user in range(1, sellers + 1):
            for position, skill in enumerate(rng.sample(skill_ids, rng.randint(2, 6))):
                profile_skills.append({"user_id": user, "skill_id": skill, "position": position})
            for position, category in enumerate(rng.sample(category_ids, rng.randint(1, 2))):
                profile_categories.append(
                    {"user_id": user, "category_id": category, "position": position}
                )
        await connection.execute(insert(ProfileSkillRow), profile_skills)
        await connection.execute(insert(ProfileCategoryRow), profile_categories)

        lead_rows, lead_skills, fts = [], [], []
        for lead_id in range(1, leads + 1):
            title = " ".join(rng.sample(WORDS, 5))
            description = " ".join(rng.choices(WORDS, k=40))
            published = now - timedelta(minutes=lead_id)
            lead_rows.append(
                {
                    "id": lead_id,
                    "buyer_id": buyer_id,
                    "title": title,
                    "description": description,
                    "category_id": rng.choice(category_ids),
                    "budget_minor": 50_000,
                    "currency": "USD",
                    "status": "open",
                    "version": 0,
                    "created_at": published,
                    "published_at": published,
                    "search_seq": leads - lead_id + 1,
                    "updated_at": published,
                }
            )
            chosen = rng.sample(skill_ids, rng.randint(1, 4))
            lead_skills += [
                {"lead_id": lead_id, "skill_id": s, "position": p} for p, s in enumerate(chosen)
            ]
            fts.append(
                {
                    "id": leads - lead_id + 1,
                    "title": title,
                    "description": description,
                    "skills": " ".join(skill_names[s] for s in chosen),
                }
            )
        await connection.execute(insert(LeadRow), lead_rows)
        await connection.execute(insert(LeadSkillRow), lead_skills)
        await connection.execute(
            text(
                "INSERT INTO leads_fts (rowid, title, description, skills) "
                "VALUES (:id, :title, :description, :skills)"
            ),
            fts,
        )
        await connection.execute(text("ANALYZE"))
    await engine.dispose()
    return list(skill_names.values())


async def measure(
    url: str, skills: list[str], queries: int, rng: random.Random
) -> dict[str, list[float]]:
    engine = create_engine(url)
    uow = SqlUnitOfWork(session_factory(engine))
    categories = [f"{c}" for c in (await categories_of(url))]
    timings: dict[str, list[float]] = {name: [] for name in TARGETS_MS}
    matched: list[int] = []
    async with uow:
        for number in range(1, queries + 1):
            lead = Lead(
                id=number,
                buyer_id=0,
                created_at=datetime.now(UTC),
                title="new",
                category=rng.choice(categories),
                skills=rng.sample(skills, rng.randint(1, 4)),
                budget=Money(1000, "USD"),
            )
            # What publishing does: rank every matching seller and record their alerts.
            started = time.perf_counter()
            matched.append(await uow.leads.record_matches(lead, datetime.now(UTC)))
            timings[MATCHING].append((time.perf_counter() - started) * 1000)
            await uow.rollback()
            started = time.perf_counter()
            await uow.leads.matching_sellers(lead, 10)
            timings[TOP].append((time.perf_counter() - started) * 1000)
        for _ in range(queries):
            words = rng.sample(WORDS, rng.randint(1, 2))
            started = time.perf_counter()
            await uow.leads.search_open(SearchQuery.parse(" ".join(words)), None, None, 0, 5)
            timings[SEARCH].append((time.perf_counter() - started) * 1000)
    print(f"A new lead matched {statistics.median(matched):,.0f} sellers (median).\n")
    await engine.dispose()
    return timings


async def categories_of(url: str) -> list[str]:
    engine = create_engine(url)
    async with engine.connect() as connection:
        names = list((await connection.scalars(select(CategoryRow.name))).all())
    await engine.dispose()
    return names


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--sellers", type=int, default=100_000)
    parser.add_argument("--leads", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    rng = random.Random(42)
    with tempfile.TemporaryDirectory() as directory:
        url = f"sqlite+aiosqlite:///{Path(directory) / 'bench.db'}"
        upgrade(url)
        started = time.perf_counter()
        skills = asyncio.run(populate(url, args.sellers, args.leads, rng))
        print(
            f"Populated {args.sellers:,} sellers and {args.leads:,} open leads "
            f"in {time.perf_counter() - started:.0f} s.\n"
        )
        timings = asyncio.run(measure(url, skills, args.queries, rng))
    print("| operation | queries | median ms | p95 ms | target p95 ms | met |")
    print("|---|---:|---:|---:|---:|---|")
    for name, values in timings.items():
        p95 = percentile(values, 0.95)
        target = TARGETS_MS[name]
        print(
            f"| {name} | {len(values)} | {statistics.median(values):.1f} | {p95:.1f} "
            f"| {target:.0f} | {'yes' if p95 <= target else 'NO'} |"
        )
    nudges.run()  # the nudge sweep (bench/nudges.py)


if __name__ == "__main__":
    main()
