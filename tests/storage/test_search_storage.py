"""Searching open leads: one query language, run natively by each engine with the same results.

SQLite answers through FTS5, PostgreSQL through a GIN-indexed tsvector and
``websearch_to_tsquery``; every assertion here runs on both.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

import storage.leads as storage_leads
from domain import lead_cases
from domain.errors import InvalidInput
from domain.lead_cases import FindLeads, LeadField, OwnLead, StartDraft
from domain.leads import Lead
from domain.model import Role
from domain.search import SearchQuery
from storage.migrate import downgrade, upgrade
from storage.models import LeadRow
from storage.search import SEARCH_VECTOR, tsquery
from storage.uow import SqlUnitOfWork
from tests.acting import act
from tests.storage.test_leads_storage import NOW, person, publish, write

SELLER = 2

# title, description, skills, category; published in this order, a minute apart.
LEADS = [
    (
        "Logo for a bakery",
        "A friendly logo for our small bakery in Lyon, with a matching sign.",
        "Logo Design",
        "Design & Creative",
    ),
    (
        "Django booking engine",
        "Booking engine for a café with online payments and reminders.",
        "Django",
        "Software Development",
    ),
    (
        "Логотип для кофейни",
        "Нужен логотип и вывеска для новой кофейни в центре города.",
        "Logo Design",
        "Design & Creative",
    ),
    (
        "Landing page for a design studio",
        "A landing page for the studio; our logo is ready, the copy is not.",
        "Web Design",
        "Design & Creative",
    ),
    (
        "Design a logo for a shoe shop",
        "Shoes for runners; we would like something bold and quick to read.",
        "Illustration",
        "Design & Creative",
    ),
]
BAKERY, DJANGO, KOFEINYA, LANDING, SHOES = (title for title, *_ in LEADS)


async def post(
    uow: SqlUnitOfWork, title: str, description: str, skills: str, category: str, minute: int
) -> Lead:
    draft = await act(uow, 1, lead_cases.start_draft, StartDraft(), NOW)
    answers = [
        (LeadField.TITLE, title),
        (LeadField.DESCRIPTION, description),
        (LeadField.CATEGORY, category),
        (LeadField.SKILLS, skills),
        (LeadField.BUDGET, "$900"),
    ]
    for field, answer in answers:
        draft = await write(uow, 1, draft.key, field, answer)
    await publish(uow, 1, draft.key, NOW + timedelta(minutes=minute))
    return draft


@pytest.fixture
async def market(uow: SqlUnitOfWork) -> list[Lead]:
    await person(uow, 1, {Role.BUYER})
    await person(uow, SELLER, {Role.SELLER}, "Copywriting")
    return [await post(uow, *lead, minute) for minute, lead in enumerate(LEADS)]


async def found(
    uow: SqlUnitOfWork, query: str, category: str | None = None, skill: str | None = None
) -> list[str | None]:
    """Titles found for what the seller typed, in the order shown."""
    command = FindLeads(query.split(), 0, category, skill)
    page = await act(uow, SELLER, lead_cases.find_leads, command, NOW + timedelta(hours=1))
    assert page.total == len(page.items)  # one page holds them all here
    return [lead.title for lead in page.items]


@pytest.mark.usefixtures("market")
async def test_words_match_the_start_of_words_whatever_the_case_and_accents(
    uow: SqlUnitOfWork,
) -> None:
    assert await found(uow, "bakery") == [BAKERY]
    assert await found(uow, "BAKE lyon") == [BAKERY]
    assert await found(uow, "bakery django") == []  # every word must match
    assert await found(uow, "cafe") == [DJANGO]  # "café" in the description
    assert await found(uow, "CAFÉ") == [DJANGO]
    assert await found(uow, "логотип") == [KOFEINYA]
    assert await found(uow, "ЛОГО вывеска") == [KOFEINYA]
    assert await found(uow, "nothing-like-this") == []


@pytest.mark.usefixtures("market")
async def test_the_title_outranks_the_skills_which_outrank_the_description(
    uow: SqlUnitOfWork,
) -> None:
    # "logo": in the bakery's title, skills and description; the coffee shop's skills;
    # the studio's description; the shoe shop's title. The newest breaks ties.
    assert await found(uow, "logo") == [BAKERY, SHOES, KOFEINYA, LANDING]
    # "landing" twice in the studio's lead, in title and description: no rival, one result.
    assert await found(uow, "landing") == [LANDING]


@pytest.mark.usefixtures("market")
async def test_quotes_ask_for_consecutive_words(uow: SqlUnitOfWork) -> None:
    both = {BAKERY, KOFEINYA}  # the skill "Logo Design"
    assert set(await found(uow, '"logo design"')) == both
    assert set(await found(uow, "“logo design”")) == both  # as phones type quotes
    assert await found(uow, '"design logo"') == []
    assert set(await found(uow, "logo design")) == {BAKERY, KOFEINYA, LANDING, SHOES}
    assert await found(uow, '"booking engine for a caf"') == [DJANGO]
    assert set(await found(uow, '"logo design')) == both  # an unclosed quote


@pytest.mark.usefixtures("market")
async def test_a_minus_excludes_and_or_accepts_either(uow: SqlUnitOfWork) -> None:
    assert await found(uow, "logo -bakery") == [SHOES, KOFEINYA, LANDING]
    assert await found(uow, 'logo -"logo design"') == [SHOES, LANDING]
    assert await found(uow, "-logo") == [DJANGO]
    assert await found(uow, "-logo -booking") == []
    assert set(await found(uow, "bakery or django")) == {BAKERY, DJANGO}
    assert set(await found(uow, "lyon or runners logo")) == {BAKERY, SHOES}
    assert await found(uow, "e-commerce") == []  # a hyphen inside a word only separates


@pytest.mark.usefixtures("market")
async def test_percent_underscore_and_syntax_are_never_wildcards(uow: SqlUnitOfWork) -> None:
    assert await found(uow, "%ogo") == []  # LIKE '%ogo%' would find every logo
    assert await found(uow, "d_sign") == []  # LIKE 'd_sign' would find every design
    assert await found(uow, "lo%go") == []
    assert await found(uow, "bake*") == [BAKERY]
    assert await found(uow, '"); DROP TABLE leads; --') == []
    assert await found(uow, "logo:* | !bakery^ (") == [BAKERY]  # FTS5 and tsquery syntax
    for wordless in ("%", "_ %", "🍰🍰", "<b>", "-", '""'):
        with pytest.raises(InvalidInput, match="no words to look for"):
            await found(uow, wordless)


@pytest.mark.usefixtures("market")
async def test_words_and_filters_together(uow: SqlUnitOfWork) -> None:
    assert await found(uow, "logo", category="Software Development") == []
    assert await found(uow, "logo -bakery", skill="logo design") == [KOFEINYA]
    assert await found(uow, "logo", category="Design & Creative") == [
        BAKERY,
        SHOES,
        KOFEINYA,
        LANDING,
    ]
    assert await found(uow, "-logo", category="Design & Creative") == []


async def test_the_index_follows_edits_and_withdrawals(
    uow: SqlUnitOfWork, market: list[Lead]
) -> None:
    bakery, django = market[0], market[1]
    later = NOW + timedelta(minutes=30)
    edit = lead_cases.WriteField(bakery.key, LeadField.TITLE, "Signage for a patisserie", "USD")
    await act(uow, 1, lead_cases.write_field, edit, later)
    assert await found(uow, "patisserie") == ["Signage for a patisserie"]
    assert await found(uow, "bakery") == ["Signage for a patisserie"]  # still in the text
    assert "Signage for a patisserie" not in await found(uow, '"logo for a bakery"')
    await act(uow, 1, lead_cases.withdraw, OwnLead(django.key), later)
    assert await found(uow, "booking") == []


async def test_postgresql_searches_through_its_gin_index(
    sessions: async_sessionmaker[AsyncSession], market: list[Lead], engine_kind: str
) -> None:
    if engine_kind != "postgresql":
        pytest.skip("SQLite's index is the FTS5 table")
    async with sessions() as session:
        await session.execute(text("SET LOCAL enable_seqscan = off"))
        query = tsquery(SearchQuery.parse("logo -bakery"))
        statement = select(LeadRow.id).where(SEARCH_VECTOR.op("@@")(query))
        compiled = statement.compile(session.get_bind(), compile_kwargs={"literal_binds": True})
        plan = "\n".join(await session.scalars(text(f"EXPLAIN {compiled}")))
    assert "ix_leads_search_vector" in plan


async def test_the_migration_indexes_the_leads_already_open(
    uow: SqlUnitOfWork, market: list[Lead], migrated_db_url: str
) -> None:
    await asyncio.to_thread(downgrade, migrated_db_url, "0007")
    await asyncio.to_thread(upgrade, migrated_db_url)
    assert await found(uow, "logo -bakery") == [SHOES, KOFEINYA, LANDING]


@pytest.mark.usefixtures("market")
async def test_a_search_counts_and_ranks_up_to_its_cap(
    uow: SqlUnitOfWork, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Many matches: both engines rank the newest SEARCH_CAP of them and say there are more."""
    monkeypatch.setattr(storage_leads, "SEARCH_CAP", 2)
    command = FindLeads(["design"], 0)
    page = await act(uow, SELLER, lead_cases.find_leads, command, NOW + timedelta(hours=1))
    titles = [lead.title for lead in page.items]
    # The two newest matches, ranked (title and skill beat title alone); no older one.
    assert (page.total, page.more, titles) == (2, True, [LANDING, SHOES])
    beyond = await act(uow, SELLER, lead_cases.find_leads, FindLeads(["design"], 2), NOW)
    assert beyond.items == [] and not beyond.has_next
