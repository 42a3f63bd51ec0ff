"""The lead repository: drafts, listings, full-text search and seller matching in SQL."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Float,
    Integer,
    Select,
    Subquery,
    bindparam,
    case,
    func,
    insert,
    literal,
    literal_column,
    or_,
    select,
    text,
    true,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased, joinedload, selectinload
from sqlalchemy.sql.elements import BindParameter

from domain.errors import Conflict
from domain.leads import (
    SCORE_FOR_CATEGORY,
    SCORE_PER_SKILL,
    Attachment,
    AttachmentKind,
    Lead,
    SellerCounts,
    SellerMatch,
)
from domain.lifecycle import LeadStatus
from domain.money import Money
from domain.ports import Page
from domain.search import SearchQuery
from domain.skills import skill_key
from storage import audit
from storage.models import (
    MAX_ID,
    CategoryRow,
    ContractRow,
    LeadAlertRow,
    LeadAttachmentRow,
    LeadInvitationRow,
    LeadRow,
    LeadSkillRow,
    ProfileCategoryRow,
    ProfileSkillRow,
    SearchNumberRow,
    SkillRow,
    ThreadRow,
    UserRow,
    UtcDateTime,
)
from storage.repositories import core, dialect_insert
from storage.search import BM25, INSERT_FTS, SEARCH_VECTOR, SET_VECTOR, fts5, tsquery, vector_words


def _to_lead(row: LeadRow) -> Lead:
    return Lead(
        id=row.id,
        buyer_id=row.buyer_id,
        created_at=row.created_at,
        title=row.title,
        description=row.description,
        category=row.category.name if row.category else None,
        skills=[s.skill.name for s in row.skills],
        budget=Money(row.budget_minor, row.currency) if row.budget_minor is not None else None,
        attachments=[
            Attachment(AttachmentKind(a.kind), a.file_id, a.file_name) for a in row.attachments
        ],
        status=LeadStatus(row.status),
        published_at=row.published_at,
        version=row.version,
    )


# A search ranks the newest this many matches and counts up to here ("of 500+"): with many
# matches, ranking them all (and, on PostgreSQL, reading each from the table to count it)
# costs more than a reply may.
SEARCH_CAP = 500
# Ties in a search, and a list without words: the newest first.
_NEWEST = (LeadRow.published_at.desc(), LeadRow.id.desc())

# The few suspended users, read through their partial index (the status is written inline
# so that SQLite sees the index's own condition): their open leads are hidden from search,
# matching lists and alerts until the suspension is lifted.
SUSPENDED_USERS = select(UserRow.id).where(UserRow.status == literal_column("'suspended'"))
LISTED = LeadRow.buyer_id.not_in(SUSPENDED_USERS)

# What turning a row into a Lead reads: three statements for any number of leads.
_LEAD_LOAD = (
    joinedload(LeadRow.category),
    selectinload(LeadRow.skills).joinedload(LeadSkillRow.skill),
    selectinload(LeadRow.attachments),
)


class SqlLeadRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    @property
    def _sqlite(self) -> bool:
        return self._session.get_bind().dialect.name == "sqlite"

    async def add(self, lead: Lead) -> Lead:
        row = LeadRow(
            buyer_id=lead.buyer_id,
            currency=lead.budget.currency if lead.budget else "USD",
            status=lead.status.value,
            version=0,
            created_at=lead.created_at,
            updated_at=lead.created_at,
            category=None,
            skills=[],
            attachments=[],
        )
        self._session.add(row)
        await self._session.flush()
        lead.id = row.id
        await self._write(row, lead)
        return _to_lead(row)

    async def get(self, lead_id: int) -> Lead | None:
        return (await self.get_many([lead_id])).get(lead_id)

    async def get_many(self, lead_ids: Collection[int]) -> dict[int, Lead]:
        """The leads with these ids, by id."""
        # A number too large for the id column (a forged link) is simply no lead.
        wanted = {lead_id for lead_id in lead_ids if 0 < lead_id <= MAX_ID}
        if not wanted:
            return {}
        rows = await self._session.scalars(
            select(LeadRow).where(LeadRow.id.in_(wanted)).options(*_LEAD_LOAD)
        )
        return {row.id: _to_lead(row) for row in rows}

    async def save(self, lead: Lead) -> None:
        assert lead.id is not None
        # Optimistic concurrency: the write only happens if the version is unchanged.
        result = await self._session.execute(
            update(LeadRow)
            .where(LeadRow.id == lead.id, LeadRow.version == lead.version)
            .values(version=LeadRow.version + 1)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise Conflict("Someone changed this lead at the same moment; please try again.")
        row = await self._session.get(LeadRow, lead.id, options=_LEAD_LOAD, populate_existing=True)
        assert row is not None
        await self._write(row, lead)
        lead.version = row.version
        # The moves through the lifecycle are written with the lead, into the audit log.
        audit.write(self._session, lead.moves)
        lead.moves.clear()

    async def _write(self, row: LeadRow, lead: Lead) -> None:
        row.title, row.description = lead.title, lead.description
        row.status, row.published_at = lead.status.value, lead.published_at
        if lead.budget is not None:
            row.budget_minor, row.currency = lead.budget.minor, lead.budget.currency
        else:
            row.budget_minor = None
        if (row.category.name if row.category else None) != lead.category:
            row.category = (
                await self._session.scalar(
                    select(CategoryRow).where(CategoryRow.name == lead.category)
                )
                if lead.category
                else None
            )
        row.updated_at = lead.published_at or lead.created_at
        if [s.skill.name for s in row.skills] != lead.skills:
            keys = [skill_key(name) for name in lead.skills]
            skills = {
                s.key: s
                for s in await self._session.scalars(select(SkillRow).where(SkillRow.key.in_(keys)))
            }
            row.skills.clear()
            await self._session.flush()
            row.skills.extend(
                LeadSkillRow(skill=skills[key], position=i) for i, key in enumerate(keys)
            )
        current = [
            Attachment(AttachmentKind(a.kind), a.file_id, a.file_name) for a in row.attachments
        ]
        if current != lead.attachments:
            row.attachments.clear()
            row.attachments.extend(
                LeadAttachmentRow(
                    kind=a.kind.value, file_id=a.file_id, file_name=a.file_name, position=i
                )
                for i, a in enumerate(lead.attachments)
            )
        await self._session.flush()
        await self._index(row, lead)

    async def _index(self, row: LeadRow, lead: Lead) -> None:
        """Keeps the search index holding exactly the open leads."""
        if not self._sqlite:
            words = vector_words(row.id, lead.status, lead.title, lead.description, lead.skills)
            await self._session.execute(SET_VECTOR, words)
            return
        if row.search_seq is not None:
            await self._session.execute(
                text("DELETE FROM leads_fts WHERE rowid = :seq"), {"seq": row.search_seq}
            )
        if lead.status is not LeadStatus.OPEN:
            return
        if row.search_seq is None:
            row.search_seq = await self._session.scalar(
                insert(SearchNumberRow).returning(SearchNumberRow.id)
            )
            await self._session.flush()
        await self._session.execute(
            INSERT_FTS,
            {
                "seq": row.search_seq,
                "title": lead.title or "",
                "description": lead.description or "",
                "skills": " ".join(lead.skills),
            },
        )

    async def draft_of(self, buyer_id: int) -> Lead | None:
        row = await self._session.scalar(
            select(LeadRow)
            .where(LeadRow.buyer_id == buyer_id, LeadRow.status == LeadStatus.DRAFT.value)
            .order_by(LeadRow.id.desc())
            .limit(1)
            .options(*_LEAD_LOAD)
        )
        return _to_lead(row) if row else None

    async def _page(self, query: Select[tuple[LeadRow]], offset: int, size: int) -> Page[Lead]:
        total = await self._session.scalar(select(func.count()).select_from(query.subquery()))
        rows = await self._session.scalars(query.offset(offset).limit(size).options(*_LEAD_LOAD))
        return Page([_to_lead(r) for r in rows], int(total or 0), offset, size)

    async def of_buyer(
        self, buyer_id: int, statuses: Sequence[LeadStatus], offset: int, size: int
    ) -> Page[Lead]:
        # Grouped by status in the order given, the latest change first in each group.
        group = case({status.value: i for i, status in enumerate(statuses)}, value=LeadRow.status)
        query = (
            select(LeadRow)
            .where(LeadRow.buyer_id == buyer_id, LeadRow.status.in_([s.value for s in statuses]))
            .order_by(group, LeadRow.updated_at.desc(), LeadRow.id.desc())
        )
        return await self._page(query, offset, size)

    async def status_counts(self, buyer_id: int) -> dict[LeadStatus, int]:
        rows = await self._session.execute(
            select(LeadRow.status, func.count())
            .where(LeadRow.buyer_id == buyer_id)
            .group_by(LeadRow.status)
        )
        return {LeadStatus(status): count for status, count in rows.tuples()}

    async def _ids(self, lead: Lead) -> tuple[list[int], int | None]:
        """The ids of the lead's skills and category: plain ids make for the simplest plans."""
        keys = [skill_key(name) for name in lead.skills]
        skill_ids = list(
            await self._session.scalars(select(SkillRow.id).where(SkillRow.key.in_(keys)))
        )
        category_id = await self._session.scalar(
            select(CategoryRow.id).where(CategoryRow.name == (lead.category or ""))
        )
        return skill_ids, category_id

    def _sharing_a_skill(
        self, lead: Lead, skill_ids: list[int], category_id: int | None
    ) -> Select[tuple[int, int, int]]:
        """Alertable sellers sharing a skill, one row each: shared skills and same category
        (1 or 0)."""
        # Each seller's category and alertability by index look-ups, never a scan of the
        # users or of a category's many sellers.
        category = aliased(ProfileCategoryRow)
        # A correlated EXISTS: a primary-key look-up per seller on SQLite, a nested-loop
        # semi-join over the partial index on PostgreSQL (`IN (SELECT …)` made SQLite
        # list every alertable user first: 65 ms).
        alertable = (
            select(UserRow.id)
            .where(UserRow.id == ProfileSkillRow.user_id, UserRow.alertable == true())
            .exists()
        )
        return (
            select(
                ProfileSkillRow.user_id,
                func.count().label("shared"),
                func.max(case((category.user_id.is_(None), 0), else_=1)).label("in_category"),
            )
            .outerjoin(
                category,
                (category.user_id == ProfileSkillRow.user_id)
                & (category.category_id == category_id),
            )
            .where(
                ProfileSkillRow.skill_id.in_(skill_ids),
                ProfileSkillRow.user_id != lead.buyer_id,
                alertable,
            )
            .group_by(ProfileSkillRow.user_id)
        )

    async def matching_sellers(self, lead: Lead, limit: int) -> list[SellerMatch]:
        """The best matches: sellers sharing skills by score, then those sharing only the
        category, oldest account first — two small queries, since any shared skill
        outscores the category and the category's sellers are many."""
        skill_ids, category_id = await self._ids(lead)
        sharing = self._sharing_a_skill(lead, skill_ids, category_id).subquery()
        score = sharing.c.shared * SCORE_PER_SKILL + sharing.c.in_category * SCORE_FOR_CATEGORY
        best = select(sharing).order_by(score.desc(), sharing.c.user_id).limit(limit).subquery()
        rows = await self._session.execute(
            select(best.c.user_id, UserRow.telegram_id, best.c.shared, best.c.in_category)
            .join(UserRow, UserRow.id == best.c.user_id)
            .order_by(
                (best.c.shared * SCORE_PER_SKILL + best.c.in_category * SCORE_FOR_CATEGORY).desc(),
                best.c.user_id,
            )
        )
        found = [SellerMatch(uid, tid, int(n), bool(c)) for uid, tid, n, c in rows.tuples()]
        if len(found) == limit or category_id is None:
            return found
        with_a_skill = select(ProfileSkillRow.user_id).where(
            ProfileSkillRow.user_id == ProfileCategoryRow.user_id,
            ProfileSkillRow.skill_id.in_(skill_ids),
        )
        only_category = await self._session.execute(
            select(ProfileCategoryRow.user_id, UserRow.telegram_id)
            .join(UserRow, UserRow.id == ProfileCategoryRow.user_id)
            .where(
                ProfileCategoryRow.category_id == category_id,
                UserRow.alertable.is_(True),
                UserRow.id != lead.buyer_id,
                ~with_a_skill.exists(),
            )
            .order_by(ProfileCategoryRow.user_id)
            .limit(limit - len(found))
        )
        return found + [SellerMatch(uid, tid, 0, True) for uid, tid in only_category.tuples()]

    async def record_matches(self, lead: Lead, now: datetime) -> int:
        """Records every alertable seller who shares a skill with the lead for an alert,
        scored (2 per shared skill, 1 for the category); sellers who matched or opened the
        lead before are left alone. Returns how many were recorded now."""
        skill_ids, category_id = await self._ids(lead)
        sharing = self._sharing_a_skill(lead, skill_ids, category_id).subquery()
        scored = select(
            literal(lead.id),
            sharing.c.user_id,
            literal(now, UtcDateTime()),
            sharing.c.shared * SCORE_PER_SKILL + sharing.c.in_category * SCORE_FOR_CATEGORY,
        ).where(true())  # SQLite reads `FROM t ON CONFLICT` as a join without a WHERE
        statement = (
            dialect_insert(self._session)(LeadAlertRow)
            .from_select(["lead_id", "seller_id", "alerted_at", "rank"], scored)
            .on_conflict_do_nothing()
        )
        result = await self._session.execute(statement)
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def mark_opened(self, lead_id: int, seller_id: int, now: datetime) -> None:
        insert = dialect_insert(self._session)
        # Opened without an alert (found by search): recorded as queued, so never alerted.
        statement = insert(LeadAlertRow).values(
            lead_id=lead_id, seller_id=seller_id, alerted_at=now, opened_at=now, queued_at=now
        )
        await self._session.execute(
            statement.on_conflict_do_update(
                index_elements=["lead_id", "seller_id"],
                set_={"opened_at": func.coalesce(LeadAlertRow.opened_at, now)},
            )
        )

    async def search_open(
        self,
        query: SearchQuery,
        category: str | None,
        skill: str | None,
        offset: int,
        size: int,
    ) -> Page[Lead]:
        found = select(LeadRow).where(LeadRow.status == LeadStatus.OPEN.value, LISTED)
        if category:
            found = found.join(CategoryRow, CategoryRow.id == LeadRow.category_id).where(
                CategoryRow.name == category
            )
        if skill:
            found = found.where(
                LeadRow.id.in_(
                    select(LeadSkillRow.lead_id)
                    .join(SkillRow, SkillRow.id == LeadSkillRow.skill_id)
                    .where(SkillRow.key == skill_key(skill))
                )
            )
        if query.empty:
            return await self._page(found.order_by(*_NEWEST), offset, size)
        if self._sqlite:
            return await self._search_fts5(found, query, bool(category or skill), offset, size)
        return await self._search_tsvector(found, query, offset, size)

    async def _search_tsvector(
        self, found: Select[tuple[LeadRow]], query: SearchQuery, offset: int, size: int
    ) -> Page[Lead]:
        """Words on PostgreSQL: the newest matches (at most SEARCH_CAP, read in publishing
        order from the index when they are many), ranked; counted up to the cap."""
        # asyncpg prepares statements, and after five runs PostgreSQL may plan one for any
        # words: a common word then read every match (75–110 ms in `make bench`, against
        # 10 ms planned for its words). Planned for these words, in this transaction only.
        await self._session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))
        hits = (
            found.where(SEARCH_VECTOR.op("@@")(tsquery(query)))
            .with_only_columns(
                LeadRow.id,
                LeadRow.published_at,
                SEARCH_VECTOR.label("vector"),
                maintain_column_froms=True,
            )
            .order_by(*_NEWEST)
            .limit(SEARCH_CAP + 1)
            .subquery()
        )
        # Ranked by what is wanted: ts_rank would count a negated word like a wanted one.
        score: ColumnElement[Any] = (
            func.ts_rank(hits.c.vector, tsquery(SearchQuery(query.required)))
            if query.required
            else literal(0.0)
        )
        newest = func.row_number().over(order_by=[hits.c.published_at.desc(), hits.c.id.desc()])
        ranked = select(
            hits.c.id,
            hits.c.published_at,
            score.label("score"),
            func.count().over().label("counted"),
            newest.label("newest"),
        ).subquery()
        # One pass over the matches gives the page and the count (up to the cap, plus one
        # to know there are more); the one beyond the cap is counted, never shown.
        window = min(size, max(SEARCH_CAP - offset, 0))
        page = await self._session.execute(
            select(ranked.c.id, ranked.c.counted)
            .where(ranked.c.newest <= SEARCH_CAP)
            .order_by(ranked.c.score.desc(), ranked.c.published_at.desc(), ranked.c.id.desc())
            .offset(offset)
            .limit(window)
        )
        found_rows = page.tuples().all()
        ids = [lead_id for lead_id, _ in found_rows]
        counted = found_rows[0][1] if found_rows else await self._count(hits)
        rows = {
            row.id: row
            for row in await self._session.scalars(
                select(LeadRow).where(LeadRow.id.in_(ids)).options(*_LEAD_LOAD)
            )
        }
        leads = [_to_lead(rows[lead_id]) for lead_id in ids if lead_id in rows]
        more = counted > SEARCH_CAP
        return Page(leads, min(counted, SEARCH_CAP), offset, size, more=more)

    async def _search_fts5(
        self,
        found: Select[tuple[LeadRow]],
        query: SearchQuery,
        filtered: bool,
        offset: int,
        size: int,
    ) -> Page[Lead]:
        if not query.required:
            # FTS5 cannot answer "everything but": the open leads minus its matches.
            unwanted = text("SELECT rowid FROM leads_fts WHERE leads_fts MATCH :unwanted")
            excluded = unwanted.bindparams(unwanted=fts5((query.excluded,))).columns(rowid=Integer)
            found = found.where(LeadRow.search_seq.not_in(excluded))
            return await self._page(found.order_by(*_NEWEST), offset, size)
        match = fts5(query.required)
        if query.excluded:
            match = f"{match} NOT {fts5((query.excluded,))}"
        if not filtered:
            return await self._search_index(match, offset, size)
        ranked = (
            text(f"SELECT rowid AS seq, {BM25} AS score FROM leads_fts WHERE leads_fts MATCH :m")
            .bindparams(m=match)
            .columns(seq=Integer, score=Float)
            .subquery()
        )
        found = found.join(ranked, ranked.c.seq == LeadRow.search_seq)
        return await self._page(found.order_by(ranked.c.score, *_NEWEST), offset, size)

    async def _count(self, hits: Subquery) -> int:
        """How many rows a (capped) subquery holds: for a page past the last match."""
        return int(await self._session.scalar(select(func.count()).select_from(hits)) or 0)

    async def _search_index(self, match: str, offset: int, size: int) -> Page[Lead]:
        """Words only: the index alone gives the count and the best page."""
        # Leads of suspended buyers stay in the index (they come back when the suspension
        # is lifted) but are left out here: few, read from the partial index of suspended
        # users, then by buyer. SQLite's planner, left alone, scanned every lead (70 ms).
        hidden = (
            "rowid NOT IN (SELECT leads.search_seq FROM users INDEXED BY ix_users_suspended"
            " CROSS JOIN leads INDEXED BY ix_leads_buyer_id ON leads.buyer_id = users.id"
            " WHERE users.status = 'suspended' AND leads.search_seq IS NOT NULL)"
        )
        # Ranked among the newest SEARCH_CAP matches, as on PostgreSQL: FTS5 then computes
        # bm25 for those rows only, read newest first from the index. The same pass counts
        # them, up to the cap and one more to know there are more (counting every match of
        # a common word read all of its entries: 34,000 for one word in `make bench`).
        page = text(
            "SELECT seq, counted FROM (SELECT seq, score, count(*) OVER () AS counted, "
            "row_number() OVER (ORDER BY seq DESC) AS newest FROM ("
            f"SELECT rowid AS seq, {BM25} AS score FROM leads_fts "
            f"WHERE leads_fts MATCH :match AND {hidden} ORDER BY rowid DESC LIMIT :beyond)) "
            "WHERE newest <= :cap ORDER BY score, seq DESC LIMIT :size OFFSET :offset"
        )
        window = {
            "match": match,
            "cap": SEARCH_CAP,
            "beyond": SEARCH_CAP + 1,
            "size": size,
            "offset": offset,
        }
        found = (await self._session.execute(page, window)).tuples().all()
        seqs = [seq for seq, _ in found]
        if found:
            total = int(found[0][1])
        else:
            counting = text(
                "SELECT count(*) FROM (SELECT rowid FROM leads_fts "
                f"WHERE leads_fts MATCH :match AND {hidden} LIMIT :beyond)"
            )
            total = int(await self._session.scalar(counting, window) or 0)
        rows = {
            row.search_seq: row
            for row in await self._session.scalars(
                select(LeadRow).where(LeadRow.search_seq.in_(seqs)).options(*_LEAD_LOAD)
            )
        }
        leads = [_to_lead(rows[seq]) for seq in seqs if seq in rows]
        # Pages go as far as the ranked matches: "of 500+" beyond, as on PostgreSQL.
        return Page(leads, min(total, SEARCH_CAP), offset, size, more=total > SEARCH_CAP)

    async def matching_open_for(self, seller_id: int, offset: int, size: int) -> Page[Lead]:
        by_skill = (
            select(LeadSkillRow.lead_id)
            .join(ProfileSkillRow, ProfileSkillRow.skill_id == LeadSkillRow.skill_id)
            .where(ProfileSkillRow.user_id == seller_id)
        )
        by_category = select(ProfileCategoryRow.category_id).where(
            ProfileCategoryRow.user_id == seller_id
        )
        query = (
            select(LeadRow)
            .where(
                LeadRow.status == LeadStatus.OPEN.value,
                LeadRow.buyer_id != seller_id,
                LISTED,
                or_(LeadRow.id.in_(by_skill), LeadRow.category_id.in_(by_category)),
            )
            .order_by(LeadRow.published_at.desc(), LeadRow.id.desc())
        )
        return await self._page(query, offset, size)

    async def seller_counts(self, seller_id: int, working: Collection[LeadStatus]) -> SellerCounts:
        connection = await core(self._session)
        params = {"seller_id": seller_id, "working": [status.value for status in working]}
        row = (await connection.execute(_SELLER_COUNTS, params)).one()
        return SellerCounts(int(row[0] or 0), int(row[1] or 0), int(row[2] or 0))

    async def requested_for(self, seller_id: int, offset: int, size: int) -> Page[Lead]:
        """A page of the leads the seller opened, was invited to or talks about (size 0: only
        how many, which the dashboard shows)."""
        connection = await core(self._session)
        total = await connection.scalar(_REQUESTED_COUNT, {"seller_id": seller_id})
        if size == 0:
            return Page([], int(total or 0), offset, size)
        params = {"seller_id": seller_id, "page_offset": offset, "page_size": size}
        rows = await self._session.scalars(_REQUESTED_PAGE, params)
        return Page([_to_lead(r) for r in rows], int(total or 0), offset, size)


# The dashboard's statements, built once (storage/repositories.py _USERS says why).
_SELLER: BindParameter[int] = bindparam("seller_id")
_REQUESTED = (
    select(LeadRow)
    .where(
        or_(
            LeadRow.id.in_(
                select(LeadAlertRow.lead_id).where(
                    LeadAlertRow.seller_id == _SELLER, LeadAlertRow.opened_at.is_not(None)
                )
            ),
            LeadRow.id.in_(
                select(LeadInvitationRow.lead_id).where(LeadInvitationRow.seller_id == _SELLER)
            ),
            LeadRow.id.in_(select(ThreadRow.lead_id).where(ThreadRow.seller_id == _SELLER)),
        )
    )
    .order_by(LeadRow.published_at.desc(), LeadRow.id.desc())
)
_REQUESTED_COUNT = select(func.count()).select_from(_REQUESTED.subquery())
_HIRED = (
    select(func.count())
    .select_from(ContractRow)
    .join(LeadRow, LeadRow.id == ContractRow.lead_id)
    .where(ContractRow.seller_id == _SELLER)
)
# The seller's dashboard: requested, working on, completed, in one statement.
_SELLER_COUNTS = select(
    _REQUESTED_COUNT.scalar_subquery(),
    _HIRED.where(LeadRow.status.in_(bindparam("working", expanding=True))).scalar_subquery(),
    _HIRED.where(LeadRow.status == LeadStatus.COMPLETED.value).scalar_subquery(),
)
_REQUESTED_PAGE = (
    _REQUESTED.offset(bindparam("page_offset")).limit(bindparam("page_size")).options(*_LEAD_LOAD)
)
