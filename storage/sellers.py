"""Seller credentials, invitations and the provider search."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    ColumnElement,
    case,
    delete,
    false,
    func,
    literal,
    or_,
    select,
    union_all,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from domain.credentials import (
    Credentials,
    DocumentKind,
    Education,
    PortfolioLink,
    ProfileDocument,
)
from domain.ports import Page
from domain.skills import SkillSearch, skill_key
from storage.models import (
    CategoryRow,
    EducationRow,
    LeadInvitationRow,
    PortfolioLinkRow,
    ProfileCategoryRow,
    ProfileDocumentRow,
    ProfileSkillRow,
    SkillRow,
    UserRoleRow,
    UserRow,
)
from storage.repositories import dialect_insert
from storage.reviews import completed_count, star_ranking


def _holds_word(word: str) -> ColumnElement[bool]:
    """A skill whose key has ``word`` as a whole word (keys are case-folded, spaced once):
    "logo" finds "logo design", not "catalogue"."""
    word = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    key = SkillRow.key
    return or_(
        key.like(f"{word} %", escape="\\"),
        key.like(f"% {word}", escape="\\"),
        key.like(f"% {word} %", escape="\\"),
    )


class SqlSellerRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def credentials(self, user_id: int) -> Credentials:
        education = await self._session.scalars(
            select(EducationRow).where(EducationRow.user_id == user_id).order_by(EducationRow.id)
        )
        documents = await self._session.scalars(
            select(ProfileDocumentRow)
            .where(ProfileDocumentRow.user_id == user_id)
            .order_by(ProfileDocumentRow.id)
        )
        links = await self._session.scalars(
            select(PortfolioLinkRow)
            .where(PortfolioLinkRow.user_id == user_id)
            .order_by(PortfolioLinkRow.id)
        )
        years = await self._session.execute(
            select(SkillRow.name, ProfileSkillRow.years)
            .join(SkillRow, SkillRow.id == ProfileSkillRow.skill_id)
            .where(ProfileSkillRow.user_id == user_id, ProfileSkillRow.years.is_not(None))
        )
        return Credentials(
            education=[Education(e.degree, e.school, e.year, e.id) for e in education],
            documents=[
                ProfileDocument(DocumentKind(d.kind), d.title, d.file_id, d.file_name, d.id)
                for d in documents
            ],
            links=[PortfolioLink(link.url, link.title, link.id) for link in links],
            skill_years={name: int(y) for name, y in years.tuples() if y is not None},
        )

    async def add_education(self, user_id: int, entry: Education) -> None:
        self._session.add(
            EducationRow(user_id=user_id, degree=entry.degree, school=entry.school, year=entry.year)
        )
        await self._session.flush()

    async def add_document(self, user_id: int, document: ProfileDocument) -> None:
        if document.kind is DocumentKind.RESUME:
            # One resume at a time: a new one replaces the old.
            await self._session.execute(
                delete(ProfileDocumentRow).where(
                    ProfileDocumentRow.user_id == user_id,
                    ProfileDocumentRow.kind == DocumentKind.RESUME.value,
                )
            )
        self._session.add(
            ProfileDocumentRow(
                user_id=user_id,
                kind=document.kind.value,
                title=document.title,
                file_id=document.file_id,
                file_name=document.file_name,
            )
        )
        await self._session.flush()

    async def add_link(self, user_id: int, link: PortfolioLink) -> None:
        self._session.add(PortfolioLinkRow(user_id=user_id, url=link.url, title=link.title))
        await self._session.flush()

    async def remove(self, user_id: int, kind: str, entry_id: int) -> bool:
        tables: dict[str, type[EducationRow | ProfileDocumentRow | PortfolioLinkRow]] = {
            "education": EducationRow,
            "document": ProfileDocumentRow,
            "link": PortfolioLinkRow,
        }
        table = tables[kind]
        result = await self._session.execute(
            delete(table).where(table.id == entry_id, table.user_id == user_id)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def set_skill_years(self, user_id: int, years: dict[str, int]) -> None:
        keys = {skill_key(name): value for name, value in years.items()}
        skills = await self._session.execute(
            select(SkillRow.id, SkillRow.key).where(SkillRow.key.in_(keys))
        )
        for skill_id, key in skills.tuples():
            await self._session.execute(
                update(ProfileSkillRow)
                .where(ProfileSkillRow.user_id == user_id, ProfileSkillRow.skill_id == skill_id)
                .values(years=keys[key])
            )

    async def invite(self, lead_id: int, seller_id: int, now: datetime) -> bool:
        """Records the invitation; False when the seller was invited before."""
        insert = dialect_insert(self._session)
        result = await self._session.execute(
            insert(LeadInvitationRow)
            .values(lead_id=lead_id, seller_id=seller_id, invited_at=now)
            .on_conflict_do_nothing()
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def find(
        self, skills: SkillSearch, category: str | None, exclude: int, offset: int, size: int
    ) -> Page[int]:
        """Signed-up active sellers with the skills or the category, best first: a seller
        with a skill named exactly before one whose skill only holds an asked word; the better
        average of their stars in the asked skills (every skill when none is asked), as
        shown to one decimal, and on a tie the more of those stars; then a verified seller
        before an unverified one; then more completed leads; then more of the asked skills,
        then the category, then the longest-standing account."""
        keys = list(skills.exact)
        # A skill named exactly as asked, or as one asked word ("Logo" for "vintage logo").
        exact = SkillRow.key.in_(list(dict.fromkeys([*keys, *skills.words])))
        named = or_(exact, *(_holds_word(word) for word in skills.words))
        hits = union_all(
            select(
                ProfileSkillRow.user_id.label("user_id"),
                literal(1).label("overlap"),
                case((exact, 1), else_=0).label("exact"),
                literal(0).label("category"),
            )
            .join(SkillRow, SkillRow.id == ProfileSkillRow.skill_id)
            .where(named if keys else false()),
            select(
                ProfileCategoryRow.user_id.label("user_id"),
                literal(0).label("overlap"),
                literal(0).label("exact"),
                literal(1).label("category"),
            )
            .join(CategoryRow, CategoryRow.id == ProfileCategoryRow.category_id)
            .where(CategoryRow.name == (category or "")),
        ).subquery()
        matched = (
            select(
                UserRow.id.label("id"),
                UserRow.created_at.label("created_at"),
                # 1 for a seller an admin verified: above the unverified with equal stars.
                case((UserRow.verified_at.is_not(None), 1), else_=0).label("verified"),
                func.sum(hits.c.overlap).label("overlap"),
                func.max(hits.c.exact).label("exact"),
                func.max(hits.c.category).label("in_category"),
            )
            .join(hits, hits.c.user_id == UserRow.id)
            .join(UserRoleRow, (UserRoleRow.user_id == UserRow.id) & (UserRoleRow.role == "seller"))
            .where(
                UserRow.status == "active",
                UserRow.signup_stage == "done",
                UserRow.id != exclude,
            )
            .group_by(UserRow.id, UserRow.created_at, UserRow.verified_at)
            .subquery()
        )
        tenths, ratings = star_ranking(matched.c.id, keys)
        query = select(matched.c.id).order_by(
            matched.c.exact.desc(),
            # 0 for a seller without stars in these skills, below every average (10–50).
            func.coalesce(tenths, 0).desc(),
            ratings.desc(),
            matched.c.verified.desc(),
            completed_count(matched.c.id).desc(),
            matched.c.overlap.desc(),
            matched.c.in_category.desc(),
            matched.c.created_at,
            matched.c.id,
        )
        total = await self._session.scalar(select(func.count()).select_from(matched))
        ids = await self._session.scalars(query.offset(offset).limit(size))
        return Page(list(ids), int(total or 0), offset, size)
