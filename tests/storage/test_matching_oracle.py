"""The SQL matching agrees with the domain's rule on random marketplaces: every match
ranks, and only those sharing a skill are recorded for an alert."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domain.leads import Lead, SellerMatch, match, rank
from domain.model import Role, SignupStage, User, UserStatus
from domain.skills import parse_skill_list
from domain.taxonomy import DEFAULT_CATEGORIES
from storage.models import LeadAlertRow
from storage.uow import SqlUnitOfWork

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
POOL = ["Python", "Django", "Go", "Figma", "SEO", "Excel", "Rust", "Bubble Tea"]


@pytest.mark.parametrize("seed", range(5))
async def test_matching_and_recorded_scores_follow_the_domain_rule(
    uow: SqlUnitOfWork, sessions: async_sessionmaker[AsyncSession], seed: int
) -> None:
    rng = random.Random(seed)
    people: list[User] = []
    async with uow:
        for number in range(40):
            user = await uow.users.add(
                User(telegram_id=5000 + number, first_name=f"P{number}", created_at=NOW)
            )
            user.roles = {rng.choice([Role.SELLER, Role.SELLER, Role.BUYER])}
            user.signup_stage = SignupStage.DONE
            user.alerts_muted = rng.random() < 0.15
            user.reachable = rng.random() > 0.1
            user.status = UserStatus.SUSPENDED if rng.random() < 0.1 else UserStatus.ACTIVE
            skills = ", ".join(rng.sample(POOL, rng.randint(0, 3)))
            if skills:
                user.profile.skills = await uow.skills.resolve(parse_skill_list(skills))
            user.profile.categories = rng.sample(DEFAULT_CATEGORIES[:4], rng.randint(0, 2))
            await uow.users.save(user)
            people.append(user)
        buyer = people[0]
        lead = await uow.leads.add(Lead(buyer_id=buyer.id or 0, created_at=NOW))
        lead.skills = await uow.skills.resolve(parse_skill_list(", ".join(rng.sample(POOL, 2))))
        lead.category = rng.choice(DEFAULT_CATEGORIES[:4])
        await uow.leads.save(lead)
        await uow.commit()

    expected = rank(
        [
            SellerMatch(p.id or 0, p.telegram_id, *found)
            for p in people
            if p.is_seller
            and not p.alerts_muted
            and p.reachable
            and p.status is UserStatus.ACTIVE
            and p.id != lead.buyer_id
            and (found := match(lead.skills, lead.category, p.profile.skills, p.profile.categories))
        ]
    )
    async with uow:
        assert await uow.leads.matching_sellers(lead, 1000) == expected
        alerted = [m for m in expected if m.alerted]
        assert await uow.leads.record_matches(lead, NOW) == len(alerted)
        await uow.commit()
    async with sessions() as session:
        recorded = await session.execute(
            select(LeadAlertRow.seller_id, LeadAlertRow.rank).where(LeadAlertRow.lead_id == lead.id)
        )
        assert dict(recorded.tuples().all()) == {m.seller_id: m.score for m in alerted}
