"""Leads on a real SQLite file: drafts, publishing with alerts, matching, search, conflicts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domain import lead_cases
from domain.errors import Conflict, InvalidInput, NotAllowed, NotFound
from domain.leads import Attachment, AttachmentKind, Lead
from domain.lifecycle import LeadStatus
from domain.model import OutboxKind, Role, SignupStage, User
from domain.skills import parse_skill_list
from storage.outbox import OutboxStore
from storage.uow import SqlUnitOfWork

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def alert(lead: Lead) -> dict[str, object]:
    return {"method": "sendMessage", "text": f"New lead: {lead.title}"}


async def person(
    uow: SqlUnitOfWork,
    telegram_id: int,
    roles: set[Role],
    skills: str = "",
    categories: tuple[str, ...] = (),
) -> User:
    async with uow:
        user = await uow.users.add(
            User(telegram_id=telegram_id, first_name=f"U{telegram_id}", created_at=NOW)
        )
        user.roles, user.signup_stage, user.email_verified_at = roles, SignupStage.DONE, NOW
        user.email = f"u{telegram_id}@example.org"
        if skills:
            user.profile.skills = await uow.skills.resolve(parse_skill_list(skills))
        user.profile.categories = list(categories)
        await uow.users.save(user)
        await uow.commit()
    return user


async def posted(uow: SqlUnitOfWork, buyer: int, title: str, skills: str, category: str) -> Lead:
    draft = await lead_cases.start_draft(uow, buyer, NOW)
    assert draft.id is not None
    await lead_cases.set_title(uow, buyer, draft.id, title)
    await lead_cases.set_description(uow, buyer, draft.id, f"About {title}\nwith details")
    await lead_cases.set_category(uow, buyer, draft.id, category)
    await lead_cases.set_skills(uow, buyer, draft.id, skills)
    await lead_cases.set_budget(uow, buyer, draft.id, "$1,200", "USD")
    return draft


async def test_a_draft_survives_and_publishing_alerts_each_matching_seller_once(
    uow: SqlUnitOfWork, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await person(uow, 1, {Role.BUYER})
    django = await person(uow, 2, {Role.SELLER}, "Python, Django")
    python = await person(uow, 3, {Role.SELLER}, "python")
    designer = await person(uow, 4, {Role.SELLER}, "Figma", ("Software Development",))
    await person(uow, 5, {Role.SELLER}, "Copywriting")
    await person(uow, 6, {Role.BUYER}, "Django")  # not a seller

    draft = await posted(uow, 1, "Booking site <3", "django, PYTHON", "Software Development")
    assert draft.id is not None
    again = await lead_cases.start_draft(uow, 1, NOW)
    assert again.id == draft.id and again.title == "Booking site <3"
    assert again.skills == ["Django", "Python"] and again.budget is not None

    async with uow:
        lead = await uow.leads.get(draft.id)
        assert lead is not None
        matches = await uow.leads.matching_sellers(lead, 10)
    assert [(m.seller_id, m.overlap, m.category_match) for m in matches] == [
        (django.id, 2, False),
        (python.id, 1, False),
        (designer.id, 0, True),
    ]

    result = await lead_cases.publish(uow, 1, draft.id, NOW, alert)
    assert result.alerted == 3 and result.lead.status is LeadStatus.OPEN
    async with uow:
        assert await uow.leads.record_matches(result.lead, NOW) == 0  # never twice
    with pytest.raises(NotAllowed):
        await lead_cases.publish(uow, 1, draft.id, NOW, alert)

    # The dispatcher turns the one fan-out row into alerts, in batches, best match first.
    store = OutboxStore(sessions)
    [fanout] = await store.claim(NOW)
    assert fanout.kind is OutboxKind.ALERT_FANOUT
    assert await store.expand_alerts(fanout, NOW, limit=2) == 2
    assert await store.expand_alerts(fanout, NOW, limit=2) == 1
    assert await store.expand_alerts(fanout, NOW, limit=2) == 0
    alerts = await store.claim(NOW)
    assert [d.recipient for d in alerts] == ["2", "3", "4"]
    assert alerts[0].payload == {"method": "sendMessage", "text": "New lead: Booking site <3"}


async def test_publishing_needs_every_required_field(uow: SqlUnitOfWork) -> None:
    await person(uow, 1, {Role.BUYER})
    draft = await lead_cases.start_draft(uow, 1, NOW)
    assert draft.id is not None
    await lead_cases.set_title(uow, 1, draft.id, "Only a title")
    with pytest.raises(InvalidInput, match="description, category, skills, budget"):
        await lead_cases.publish(uow, 1, draft.id, NOW, alert)


async def test_only_buyers_with_confirmed_email_may_post(uow: SqlUnitOfWork) -> None:
    await person(uow, 7, {Role.SELLER}, "Go")
    with pytest.raises(NotAllowed, match="the buyer role"):
        await lead_cases.start_draft(uow, 7, NOW)


async def test_search_finds_open_leads_by_words_skill_and_category(uow: SqlUnitOfWork) -> None:
    await person(uow, 1, {Role.BUYER})
    seller = await person(uow, 2, {Role.SELLER}, "Django")
    # One draft at a time: each is published before the next is started.
    booking = await posted(uow, 1, "Django booking engine", "Django", "Software Development")
    assert booking.id is not None
    await lead_cases.publish(uow, 1, booking.id, NOW, alert)
    logo = await posted(uow, 1, "Logo for a bakery", "Logo Design", "Design & Creative")
    assert logo.id is not None
    await lead_cases.publish(uow, 1, logo.id, NOW + timedelta(minutes=1), alert)
    hidden = await posted(uow, 1, "Django draft never published", "Django", "Legal")

    async def titles(
        words: list[str], category: str | None = None, skill: str | None = None
    ) -> list[str | None]:
        page = await lead_cases.find_leads(uow, 2, words, 0, category, skill)
        return [lead.title for lead in page.items]

    assert await titles(["django", "book"]) == ["Django booking engine"]
    assert await titles(["BAKERY"]) == ["Logo for a bakery"]
    assert await titles(["nothing-like-this"]) == []
    assert await titles(['"); DROP TABLE leads; --']) == []
    assert await titles([], category="Design & Creative") == ["Logo for a bakery"]
    assert await titles([], skill="django") == ["Django booking engine"]
    assert await titles([]) == ["Django booking engine"]  # the seller's own matches
    assert await titles(["logo"]) == ["Logo for a bakery"]  # newest first when several
    assert hidden.id is not None and seller.id is not None

    assert booking.id is not None
    await lead_cases.withdraw(uow, 1, booking.id)
    assert await titles(["django"]) == []


async def test_a_stale_write_is_refused(uow: SqlUnitOfWork) -> None:
    await person(uow, 1, {Role.BUYER})
    draft = await lead_cases.start_draft(uow, 1, NOW)
    async with uow:
        first = await uow.leads.get(draft.id or 0)
        second = await uow.leads.get(draft.id or 0)
        assert first is not None and second is not None
        first.title = "first"
        await uow.leads.save(first)
        second.title = "second"
        with pytest.raises(Conflict):
            await uow.leads.save(second)


async def test_others_cannot_touch_a_lead_and_attachments_are_capped(uow: SqlUnitOfWork) -> None:
    await person(uow, 1, {Role.BUYER})
    await person(uow, 9, {Role.BUYER})
    draft = await lead_cases.start_draft(uow, 1, NOW)
    assert draft.id is not None
    with pytest.raises(NotFound):
        await lead_cases.set_title(uow, 9, draft.id, "mine now")
    with pytest.raises(NotFound):
        await lead_cases.view_lead(uow, 9, draft.id, NOW + timedelta(seconds=1))
    for i in range(5):
        await lead_cases.add_attachment(
            uow, 1, draft.id, Attachment(AttachmentKind.DOCUMENT, f"file{i}", f"brief{i}.pdf")
        )
    with pytest.raises(InvalidInput, match="at most 5"):
        await lead_cases.add_attachment(uow, 1, draft.id, Attachment(AttachmentKind.PHOTO, "p"))
    view = await lead_cases.view_lead(uow, 1, draft.id, NOW)
    assert [a.file_name for a in view.lead.attachments] == [f"brief{i}.pdf" for i in range(5)]


async def test_alerts_not_yet_sent_are_dropped_when_the_lead_is_withdrawn(
    uow: SqlUnitOfWork, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await person(uow, 1, {Role.BUYER})
    for seller in (2, 3, 4):
        await person(uow, seller, {Role.SELLER}, "Django")
    draft = await posted(uow, 1, "Short-lived", "Django", "Legal")
    assert draft.id is not None
    await lead_cases.publish(uow, 1, draft.id, NOW, alert)
    await lead_cases.withdraw(uow, 1, draft.id)
    store = OutboxStore(sessions)
    [fanout] = await store.claim(NOW)
    assert await store.expand_alerts(fanout, NOW, limit=10) == 0
    await store.mark_sent(fanout.id, NOW)  # as the dispatcher does when nothing is left
    assert await store.claim(NOW + timedelta(minutes=5)) == []  # no alert was queued
