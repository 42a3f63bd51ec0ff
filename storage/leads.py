"""The lead repository: drafts, listings, full-text search and seller matching in SQL."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Select, func, or_, select, text, union_all, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.errors import Conflict
from domain.leads import Attachment, AttachmentKind, Lead, SellerMatch
from domain.lifecycle import LeadStatus
from domain.money import Money
from domain.ports import Page
from domain.skills import skill_key
from storage.models import (
    CategoryRow,
    LeadAlertRow,
    LeadAttachmentRow,
    LeadRow,
    LeadSkillRow,
    ProfileCategoryRow,
    ProfileSkillRow,
    SkillRow,
    UserRoleRow,
    UserRow,
)
from storage.repositories import dialect_insert

_WORD = re.compile(r"\w+", re.UNICODE)


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


def fts_query(words: Sequence[str]) -> str:
    """An FTS5 query matching every word as a prefix; user text never reaches FTS syntax."""
    tokens = [token for word in words for token in _WORD.findall(word.lower())]
    return " ".join(f'"{token}"*' for token in tokens)


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
            skills=[],
            attachments=[],
        )
        self._session.add(row)
        await self._session.flush()
        lead.id = row.id
        await self._write(row, lead)
        return _to_lead(row)

    async def get(self, lead_id: int) -> Lead | None:
        row = await self._session.get(LeadRow, lead_id)
        return _to_lead(row) if row else None

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
        row = await self._session.get(LeadRow, lead.id, populate_existing=True)
        assert row is not None
        await self._write(row, lead)
        lead.version = row.version

    async def _write(self, row: LeadRow, lead: Lead) -> None:
        row.title, row.description = lead.title, lead.description
        row.status, row.published_at = lead.status.value, lead.published_at
        if lead.budget is not None:
            row.budget_minor, row.currency = lead.budget.minor, lead.budget.currency
        else:
            row.budget_minor = None
        row.category = (
            await self._session.scalar(select(CategoryRow).where(CategoryRow.name == lead.category))
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
        await self._index(lead)

    async def _index(self, lead: Lead) -> None:
        """Keeps the full-text index holding exactly the open leads."""
        if not self._sqlite:
            return
        await self._session.execute(
            text("DELETE FROM leads_fts WHERE rowid = :id"), {"id": lead.id}
        )
        if lead.status is LeadStatus.OPEN:
            await self._session.execute(
                text(
                    "INSERT INTO leads_fts (rowid, title, description, skills) "
                    "VALUES (:id, :title, :description, :skills)"
                ),
                {
                    "id": lead.id,
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
        )
        return _to_lead(row) if row else None

    async def _page(self, query: Select[tuple[LeadRow]], offset: int, size: int) -> Page[Lead]:
        total = await self._session.scalar(select(func.count()).select_from(query.subquery()))
        rows = await self._session.scalars(query.offset(offset).limit(size))
        return Page([_to_lead(r) for r in rows], int(total or 0), offset, size)

    async def of_buyer(
        self, buyer_id: int, statuses: Sequence[LeadStatus], offset: int, size: int
    ) -> Page[Lead]:
        query = (
            select(LeadRow)
            .where(LeadRow.buyer_id == buyer_id, LeadRow.status.in_([s.value for s in statuses]))
            .order_by(LeadRow.updated_at.desc(), LeadRow.id.desc())
        )
        return await self._page(query, offset, size)

    async def status_counts(self, buyer_id: int) -> dict[LeadStatus, int]:
        rows = await self._session.execute(
            select(LeadRow.status, func.count())
            .where(LeadRow.buyer_id == buyer_id)
            .group_by(LeadRow.status)
        )
        return {LeadStatus(status): count for status, count in rows.tuples()}

    async def matching_sellers(self, lead: Lead) -> list[SellerMatch]:
        """Active, reachable, unmuted sellers sharing a skill or the category, best first."""
        keys = [skill_key(name) for name in lead.skills]
        by_skill = (
            select(
                ProfileSkillRow.user_id.label("user_id"),
                func.count().label("overlap"),
                func.max(0).label("category"),
            )
            .join(SkillRow, SkillRow.id == ProfileSkillRow.skill_id)
            .where(SkillRow.key.in_(keys))
            .group_by(ProfileSkillRow.user_id)
        )
        by_category = (
            select(
                ProfileCategoryRow.user_id.label("user_id"),
                func.max(0).label("overlap"),
                func.max(1).label("category"),
            )
            .join(CategoryRow, CategoryRow.id == ProfileCategoryRow.category_id)
            .where(CategoryRow.name == (lead.category or ""))
            .group_by(ProfileCategoryRow.user_id)
        )
        hits = union_all(by_skill, by_category).subquery()
        overlap = func.sum(hits.c.overlap).label("overlap")
        category = func.max(hits.c.category).label("category")
        query = (
            select(UserRow.id, UserRow.telegram_id, overlap, category)
            .join(hits, hits.c.user_id == UserRow.id)
            .join(UserRoleRow, (UserRoleRow.user_id == UserRow.id) & (UserRoleRow.role == "seller"))
            .where(
                UserRow.id != lead.buyer_id,
                UserRow.status == "active",
                UserRow.reachable.is_(True),
                UserRow.alerts_muted.is_(False),
                UserRow.signup_stage == "done",
            )
            .group_by(UserRow.id, UserRow.telegram_id)
            .order_by(overlap.desc(), category.desc(), UserRow.id)
        )
        rows = await self._session.execute(query)
        return [SellerMatch(uid, tid, int(o), bool(c)) for uid, tid, o, c in rows.tuples()]

    async def record_alerts(
        self, lead_id: int, seller_ids: Sequence[int], now: datetime
    ) -> set[int]:
        if not seller_ids:
            return set()
        insert = dialect_insert(self._session)
        statement = (
            insert(LeadAlertRow)
            .values([{"lead_id": lead_id, "seller_id": s, "alerted_at": now} for s in seller_ids])
            .on_conflict_do_nothing()
            .returning(LeadAlertRow.seller_id)
        )
        return set((await self._session.scalars(statement)).all())

    async def mark_opened(self, lead_id: int, seller_id: int, now: datetime) -> None:
        insert = dialect_insert(self._session)
        statement = insert(LeadAlertRow).values(
            lead_id=lead_id, seller_id=seller_id, alerted_at=now, opened_at=now
        )
        await self._session.execute(
            statement.on_conflict_do_update(
                index_elements=["lead_id", "seller_id"],
                set_={"opened_at": func.coalesce(LeadAlertRow.opened_at, now)},
            )
        )

    async def search_open(
        self,
        words: Sequence[str],
        category: str | None,
        skill: str | None,
        exclude_buyer: int | None,
        offset: int,
        size: int,
    ) -> Page[Lead]:
        query = select(LeadRow).where(LeadRow.status == LeadStatus.OPEN.value)
        match = fts_query(words)
        if match:
            if self._sqlite:
                ids = text("SELECT rowid FROM leads_fts WHERE leads_fts MATCH :match").bindparams(
                    match=match
                )
                query = query.where(LeadRow.id.in_(ids))
            else:
                for word in words:
                    like = f"%{word}%"
                    query = query.where(
                        or_(LeadRow.title.ilike(like), LeadRow.description.ilike(like))
                    )
        if category:
            query = query.join(CategoryRow, CategoryRow.id == LeadRow.category_id).where(
                CategoryRow.name == category
            )
        if skill:
            query = query.where(
                LeadRow.id.in_(
                    select(LeadSkillRow.lead_id)
                    .join(SkillRow, SkillRow.id == LeadSkillRow.skill_id)
                    .where(SkillRow.key == skill_key(skill))
                )
            )
        if exclude_buyer is not None:
            query = query.where(LeadRow.buyer_id != exclude_buyer)
        query = query.order_by(LeadRow.published_at.desc(), LeadRow.id.desc())
        return await self._page(query, offset, size)

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
                or_(LeadRow.id.in_(by_skill), LeadRow.category_id.in_(by_category)),
            )
            .order_by(LeadRow.published_at.desc(), LeadRow.id.desc())
        )
        return await self._page(query, offset, size)

    async def requested_for(self, seller_id: int, offset: int, size: int) -> Page[Lead]:
        opened = select(LeadAlertRow.lead_id).where(
            LeadAlertRow.seller_id == seller_id, LeadAlertRow.opened_at.is_not(None)
        )
        query = (
            select(LeadRow)
            .where(LeadRow.id.in_(opened))
            .order_by(LeadRow.published_at.desc(), LeadRow.id.desc())
        )
        return await self._page(query, offset, size)
