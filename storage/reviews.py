"""Reviews: drafts and submitted reviews, and what their stars add up to."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    ScalarSelect,
    bindparam,
    delete,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import BindParameter

from domain.lifecycle import LeadStatus
from domain.reviews import AS_BUYER, Reputation, Review, ReviewSide, StarTally
from domain.skills import skill_key
from storage.models import ContractRow, LeadRow, ReviewRow, ReviewStarRow, SkillRow
from storage.repositories import core, dialect_insert


def _review(row: ReviewRow, stars: dict[str, int]) -> Review:
    side = ReviewSide(row.side)
    if side is ReviewSide.SELLER:
        stars = {AS_BUYER: row.rating} if row.rating is not None else {}
    return Review(
        id=row.id,
        lead_id=row.lead_id,
        side=side,
        author_id=row.author_id,
        subject_id=row.subject_id,
        created_at=row.created_at,
        stars=stars,
        comment=row.comment,
        submitted_at=row.submitted_at,
    )


def star_ranking(
    subject: ColumnElement[int], skill_keys: Sequence[str] = ()
) -> tuple[ScalarSelect[int], ScalarSelect[int]]:
    """For the seller in ``subject`` (a column of the outer query): the average of their
    submitted stars in tenths, rounded half up (NULL without stars), and how many stars that
    is; in these skills only when any are named. Correlated, so each seller costs one index
    look-up, however many reviews the marketplace holds."""
    where = [ReviewRow.subject_id == subject, ReviewRow.submitted_at.is_not(None)]
    if skill_keys:
        asked = select(SkillRow.id).where(SkillRow.key.in_(list(skill_keys)))
        where.append(ReviewStarRow.skill_id.in_(asked))
    ratings = func.count()
    stars = (
        select(ReviewStarRow.review_id)
        .join(ReviewRow, ReviewRow.id == ReviewStarRow.review_id)
        .where(*where)
    )
    # Integer arithmetic, the same on both engines; NULL (never an error) for no stars.
    tenths = (20 * func.sum(ReviewStarRow.stars) + ratings) // func.nullif(
        2 * ratings, 0, type_=Integer
    )
    return (
        stars.with_only_columns(tenths).scalar_subquery(),
        stars.with_only_columns(ratings).scalar_subquery(),
    )


def completed_count(seller: ColumnElement[int]) -> ScalarSelect[int]:
    """How many leads of the seller in ``seller`` (an outer column) were completed."""
    return (
        select(func.count())
        .select_from(ContractRow)
        .join(LeadRow, LeadRow.id == ContractRow.lead_id)
        .where(ContractRow.seller_id == seller, LeadRow.status == LeadStatus.COMPLETED.value)
        .scalar_subquery()
    )


class SqlReviewRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def get(self, lead_id: int, author_id: int) -> Review | None:
        row = await self._session.scalar(
            select(ReviewRow).where(ReviewRow.lead_id == lead_id, ReviewRow.author_id == author_id)
        )
        return (await self._with_stars([row]))[0] if row is not None else None

    async def open(self, review: Review) -> Review:
        insert_once = dialect_insert(self._session)
        await self._session.execute(
            insert_once(ReviewRow)
            .values(
                lead_id=review.lead_id,
                side=review.side.value,
                author_id=review.author_id,
                subject_id=review.subject_id,
                created_at=review.created_at,
                updated_at=review.created_at,
            )
            .on_conflict_do_nothing()
        )
        row = await self._session.scalar(
            select(ReviewRow).where(
                ReviewRow.lead_id == review.lead_id, ReviewRow.side == review.side.value
            )
        )
        assert row is not None
        return (await self._with_stars([row]))[0]

    async def save(self, review: Review, now: datetime) -> None:
        assert review.id is not None, "a review is opened before it is saved"
        values: dict[str, Any] = {
            "comment": review.comment,
            "submitted_at": review.submitted_at,
            "updated_at": now,
        }
        if review.side is ReviewSide.SELLER:
            values["rating"] = review.stars.get(AS_BUYER)
        await self._session.execute(
            update(ReviewRow).where(ReviewRow.id == review.id).values(**values)
        )
        if review.side is ReviewSide.BUYER:
            await self._save_stars(review.id, review.stars)

    async def _save_stars(self, review_id: int, stars: dict[str, int]) -> None:
        await self._session.execute(
            delete(ReviewStarRow).where(ReviewStarRow.review_id == review_id)
        )
        if not stars:
            return
        by_key = {skill_key(name): value for name, value in stars.items()}
        skills = await self._session.execute(
            select(SkillRow.key, SkillRow.id).where(SkillRow.key.in_(list(by_key)))
        )
        rows = [
            {"review_id": review_id, "skill_id": skill_id, "stars": by_key[key]}
            for key, skill_id in skills.tuples()
        ]
        await self._session.execute(insert(ReviewStarRow), rows)

    async def of_leads(self, lead_ids: Collection[int]) -> list[Review]:
        if not lead_ids:
            return []
        rows = await self._session.scalars(
            select(ReviewRow).where(ReviewRow.lead_id.in_(set(lead_ids))).order_by(ReviewRow.id)
        )
        return await self._with_stars(list(rows))

    async def _with_stars(self, rows: list[ReviewRow]) -> list[Review]:
        """The reviews of these rows, with the stars of the buyers' ones (one query)."""
        wanted = [row.id for row in rows if row.side == ReviewSide.BUYER.value]
        stars: dict[int, dict[str, int]] = defaultdict(dict)
        if wanted:
            found = await self._session.execute(
                select(ReviewStarRow.review_id, SkillRow.name, ReviewStarRow.stars)
                .join(SkillRow, SkillRow.id == ReviewStarRow.skill_id)
                .where(ReviewStarRow.review_id.in_(wanted))
            )
            for review_id, name, value in found.tuples():
                stars[review_id][name] = value
        return [_review(row, stars[row.id]) for row in rows]

    async def stars_of(self, seller_id: int) -> dict[str, StarTally]:
        connection = await core(self._session)
        found = await connection.execute(_STARS_BY_SKILL, {"seller_ids": [seller_id]})
        return {name: StarTally(int(total), int(count)) for _, name, total, count in found}

    async def reputations(self, seller_ids: Collection[int]) -> dict[int, Reputation]:
        if not seller_ids:
            return {}
        ids = set(seller_ids)
        params = {"seller_ids": list(ids)}
        # Core: every seller's dashboard and every list of sellers runs both.
        connection = await core(self._session)
        found = await connection.execute(_STARS_BY_SKILL, params)
        stars: dict[int, dict[str, StarTally]] = defaultdict(dict)
        for seller_id, name, total, count in found.tuples():
            stars[seller_id][name] = StarTally(int(total), int(count))
        counts = await connection.execute(_COMPLETED_JOBS, params)
        done = {seller_id: int(count) for seller_id, count in counts.tuples()}
        return {
            seller_id: Reputation(dict(stars.get(seller_id, {})), done.get(seller_id, 0))
            for seller_id in ids
        }

    async def buyer_ratings(self, buyer_ids: Collection[int]) -> dict[int, StarTally]:
        if not buyer_ids:
            return {}
        found = await self._session.execute(
            select(ReviewRow.subject_id, func.sum(ReviewRow.rating), func.count(ReviewRow.rating))
            .where(
                ReviewRow.subject_id.in_(set(buyer_ids)),
                ReviewRow.side == ReviewSide.SELLER.value,
                ReviewRow.submitted_at.is_not(None),
                ReviewRow.rating.is_not(None),
            )
            .group_by(ReviewRow.subject_id)
        )
        return {
            buyer_id: StarTally(int(total or 0), int(count))
            for buyer_id, total, count in found.tuples()
        }


# Every seller's dashboard runs them; built once (storage/repositories.py _USERS says why).
_SELLERS: BindParameter[list[int]] = bindparam("seller_ids", expanding=True)
_STARS_BY_SKILL = (
    select(ReviewRow.subject_id, SkillRow.name, func.sum(ReviewStarRow.stars), func.count())
    .select_from(ReviewStarRow)
    .join(ReviewRow, ReviewRow.id == ReviewStarRow.review_id)
    .join(SkillRow, SkillRow.id == ReviewStarRow.skill_id)
    .where(ReviewRow.subject_id.in_(_SELLERS), ReviewRow.submitted_at.is_not(None))
    .group_by(ReviewRow.subject_id, SkillRow.id, SkillRow.name)
)
_COMPLETED_JOBS = (
    select(ContractRow.seller_id, func.count())
    .join(LeadRow, LeadRow.id == ContractRow.lead_id)
    .where(ContractRow.seller_id.in_(_SELLERS), LeadRow.status == LeadStatus.COMPLETED.value)
    .group_by(ContractRow.seller_id)
)
