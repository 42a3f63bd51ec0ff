"""A parsed search as each engine runs it natively: FTS5 on SQLite, tsvector on PostgreSQL.

SQLite keeps the open leads in the FTS5 table ``leads_fts`` (rowid = ``leads.search_seq``),
whose tokenizer lowers case and drops accents itself. PostgreSQL keeps a ``search_vector``
column on ``leads`` (GIN-indexed, NULL unless the lead is open) built from the words that
``domain.search.tokens`` reads, the same function that reads a query, so both engines split
text alike. On both, a title outweighs the skills, which outweigh the description.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import ColumnElement, Text, cast, func, literal_column, select, text
from sqlalchemy.dialects.postgresql import TSQUERY, TSVECTOR
from sqlalchemy.ext.asyncio import AsyncConnection

from domain.lifecycle import LeadStatus
from domain.search import Phrase, SearchQuery, tokens
from storage.models import LeadRow, LeadSkillRow, SkillRow

# bm25 column weights of leads_fts (title, description, skills); a lower score ranks first.
BM25 = "bm25(leads_fts, 10.0, 1.0, 4.0)"
# No stemming and no stop words on PostgreSQL: the FTS5 side has neither.
_CONFIG: ColumnElement[Any] = literal_column("'simple'::regconfig")
SEARCH_VECTOR: ColumnElement[Any] = literal_column("leads.search_vector", TSVECTOR)
# Sets one lead's vector: NULL unless the lead is open, so the index holds open leads only.
SET_VECTOR = text(
    "UPDATE leads SET search_vector = CASE WHEN :open THEN "
    "setweight(to_tsvector('simple', :title), 'A') || "
    "setweight(to_tsvector('simple', :skills), 'B') || "
    "setweight(to_tsvector('simple', :description), 'C') END "
    "WHERE id = :id"
)


def fts5(groups: tuple[tuple[Phrase, ...], ...]) -> str:
    """FTS5 syntax for groups that must all match, each word a prefix."""
    return " AND ".join(_fts5_group(group) for group in groups)


def _fts5_group(group: tuple[Phrase, ...]) -> str:
    # Tokens are letters and digits only, so quoting them needs no escaping.
    phrases = [" + ".join(f'"{token}"*' for token in phrase) for phrase in group]
    return phrases[0] if len(phrases) == 1 else "(" + " OR ".join(phrases) + ")"


def websearch(query: SearchQuery) -> str:
    """The query in web-search syntax, rebuilt from its words alone."""
    groups = [" or ".join(_quoted(p) for p in group) for group in query.required]
    return " ".join(groups + [f"-{_quoted(p)}" for p in query.excluded])


def _quoted(phrase: Phrase) -> str:
    # Quoted whenever it could be read as syntax: a phrase, or the word "or" itself.
    if len(phrase) == 1 and phrase[0] != "or":
        return phrase[0]
    return '"' + " ".join(phrase) + '"'


def tsquery(query: SearchQuery) -> ColumnElement[Any]:
    """PostgreSQL's own parse of the query (``websearch_to_tsquery``), every word a prefix."""
    parsed = cast(func.websearch_to_tsquery(_CONFIG, websearch(query)), Text)
    # 'logo' becomes 'logo':*. Lexemes are letters and digits only: they hold no quote.
    return cast(func.regexp_replace(parsed, "'[^']+'", r"\&:*", "g"), TSQUERY)


def vector_words(
    lead_id: int, status: LeadStatus, title: str | None, description: str | None, skills: list[str]
) -> dict[str, object]:
    """The parameters of SET_VECTOR for one lead."""
    return {
        "id": lead_id,
        "open": status is LeadStatus.OPEN,
        "title": " ".join(tokens(title or "")),
        "skills": " ".join(tokens(" ".join(skills))),
        "description": " ".join(tokens(description or "")),
    }


async def reindex(connection: AsyncConnection) -> int:
    """Rebuilds the search index from the leads (after a copy); returns the open leads."""
    open_leads = await connection.execute(
        select(LeadRow.id, LeadRow.search_seq, LeadRow.title, LeadRow.description).where(
            LeadRow.status == LeadStatus.OPEN.value
        )
    )
    leads = open_leads.tuples().all()
    skills: dict[int, list[str]] = defaultdict(list)
    named = await connection.execute(
        select(LeadSkillRow.lead_id, SkillRow.name)
        .join(SkillRow, SkillRow.id == LeadSkillRow.skill_id)
        .join(LeadRow, LeadRow.id == LeadSkillRow.lead_id)
        .where(LeadRow.status == LeadStatus.OPEN.value)
    )
    for lead_id, name in named.tuples():
        skills[lead_id].append(name)
    if connection.dialect.name == "postgresql":
        await connection.execute(text("UPDATE leads SET search_vector = NULL"))
        rows = [
            vector_words(lead_id, LeadStatus.OPEN, title, description, skills[lead_id])
            for lead_id, _, title, description in leads
        ]
        if rows:
            await connection.execute(SET_VECTOR, rows)
        return len(rows)
    await connection.execute(text("DELETE FROM leads_fts"))
    indexed = [
        {
            "seq": seq,
            "title": title or "",
            "description": description or "",
            "skills": " ".join(skills[lead_id]),
        }
        for lead_id, seq, title, description in leads
        if seq is not None
    ]
    if indexed:
        await connection.execute(INSERT_FTS, indexed)
    return len(indexed)


INSERT_FTS = text(
    "INSERT INTO leads_fts (rowid, title, description, skills) "
    "VALUES (:seq, :title, :description, :skills)"
)


def made_by_hand(name: str | None, kind: str) -> bool:
    """Whether a schema object is the search index's, made by migrations and not the models
    (autogenerate and the models-match-migrations test leave these alone)."""
    if kind == "table":
        return (name or "").startswith("leads_fts")
    return kind in ("column", "index") and name in ("search_vector", "ix_leads_search_vector")
