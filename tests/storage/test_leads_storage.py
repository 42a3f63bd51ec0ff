"""Leads on SQLite and PostgreSQL: drafts, publishing with alerts, matching, search, conflicts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domain import deals, lead_cases
from domain.errors import Conflict, InvalidInput, NotAllowed, NotFound
from domain.events import Event, LeadChanged, LeadPublished, LeadWithdrawn
from domain.lead_cases import (
    Attach,
    FindLeads,
    LeadField,
    OpenLead,
    OwnLead,
    Published,
    StartDraft,
    WriteField,
)
from domain.leads import Attachment, AttachmentKind, Lead
from domain.lifecycle import LeadStatus
from domain.model import OutboxKind, Role, SignupStage, User
from domain.skills import parse_skill_list
from handlers.core.notify import Notifier
from handlers.leads import notices
from storage.outbox import OutboxStore
from storage.uow import SqlUnitOfWork
from tests.acting import act

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
BOT = "leadline_bot"


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


async def write(uow: SqlUnitOfWork, buyer: int, lead_id: int, field: LeadField, text: str) -> Lead:
    """One answer of the lead form, as the buyer with telegram id ``buyer``."""
    command = WriteField(lead_id, field, text, "USD")
    return (await act(uow, buyer, lead_cases.write_field, command, NOW)).lead


async def posted(uow: SqlUnitOfWork, buyer: int, title: str, skills: str, category: str) -> Lead:
    """A complete draft of ``buyer`` (a telegram id), written answer by answer."""
    draft = await act(uow, buyer, lead_cases.start_draft, StartDraft(), NOW)
    answers = [
        (LeadField.TITLE, title),
        (LeadField.DESCRIPTION, f"About {title}\nwith the details a seller needs"),
        (LeadField.CATEGORY, category),
        (LeadField.SKILLS, skills),
        (LeadField.BUDGET, "$1,200"),
    ]
    for field, text in answers:
        draft = await write(uow, buyer, draft.key, field, text)
    return draft


async def publish(uow: SqlUnitOfWork, buyer: int, lead_id: int, now: datetime = NOW) -> Published:
    """Publishes as the update path does: the use case, then its events as outbox rows."""
    events: list[Event] = []
    result = await act(uow, buyer, lead_cases.publish, OwnLead(lead_id), now, events)
    async with uow:
        await Notifier(notices.NOTICES).publish(uow, events, now, BOT)
        await uow.commit()
    return result


async def test_a_draft_survives_and_publishing_alerts_each_matching_seller_once(
    uow: SqlUnitOfWork, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await person(uow, 1, {Role.BUYER})
    django = await person(uow, 2, {Role.SELLER}, "Python, Django")
    python = await person(uow, 3, {Role.SELLER}, "python")
    designer = await person(uow, 4, {Role.SELLER}, "Figma", ("Software Development",))
    await person(uow, 5, {Role.SELLER}, "Copywriting")
    await person(uow, 6, {Role.BUYER}, "Django")  # not a seller
    both = await person(uow, 7, {Role.SELLER}, "Django", ("Software Development",))

    draft = await posted(uow, 1, "Booking site <3", "django, PYTHON", "Software Development")
    again = await act(uow, 1, lead_cases.start_draft, StartDraft(), NOW)
    assert again.id == draft.id and again.title == "Booking site <3"
    assert again.skills == ["Django", "Python"] and again.budget is not None

    async with uow:
        lead = await uow.leads.get(draft.key)
        assert lead is not None
        matches = await uow.leads.matching_sellers(lead, 10)
    assert [(m.seller_id, m.overlap, m.category_match) for m in matches] == [
        (django.id, 2, False),
        (both.id, 1, True),
        (python.id, 1, False),
        (designer.id, 0, True),
    ]

    # The designer matches by category alone: found in /leads, never pushed an alert.
    result = await publish(uow, 1, draft.key)
    assert result.alerted == 3 and result.lead.status is LeadStatus.OPEN
    async with uow:
        assert await uow.leads.record_matches(result.lead, NOW) == 0  # never twice
    with pytest.raises(NotAllowed):
        await publish(uow, 1, draft.key)

    # The dispatcher turns the one fan-out row into alerts, in batches, best match first.
    store = OutboxStore(sessions)
    [fanout] = await store.claim(NOW)
    assert fanout.kind is OutboxKind.ALERT_FANOUT
    assert fanout.payload["lead_id"] == draft.id
    assert await store.expand_alerts(fanout, NOW, limit=2) == 2
    assert await store.expand_alerts(fanout, NOW, limit=2) == 1
    assert await store.expand_alerts(fanout, NOW, limit=2) == 0
    alerts = await store.claim(NOW)
    assert [d.recipient for d in alerts] == ["2", "7", "3"]
    assert all(alert.payload == fanout.payload["message"] for alert in alerts)
    card = alerts[0].payload
    assert card["send"] == "text" and "method" not in card
    assert str(card["text"]).startswith("🔔 <b>New lead for your skills</b>")
    assert "Booking site &lt;3" in str(card["text"])


async def test_publishing_needs_every_required_field(uow: SqlUnitOfWork) -> None:
    await person(uow, 1, {Role.BUYER})
    draft = await act(uow, 1, lead_cases.start_draft, StartDraft(), NOW)
    await write(uow, 1, draft.key, LeadField.TITLE, "Only a title")
    with pytest.raises(InvalidInput, match="description, category, skills, budget"):
        await publish(uow, 1, draft.key)


async def test_only_buyers_with_confirmed_email_may_post(uow: SqlUnitOfWork) -> None:
    await person(uow, 7, {Role.SELLER}, "Go")
    with pytest.raises(NotAllowed, match="the buyer role"):
        await act(uow, 7, lead_cases.start_draft, StartDraft(), NOW)


async def test_a_category_must_be_on_the_list_and_answers_ask_the_next_question(
    uow: SqlUnitOfWork,
) -> None:
    await person(uow, 1, {Role.BUYER})
    draft = await act(uow, 1, lead_cases.start_draft, StartDraft(), NOW)
    with pytest.raises(InvalidInput, match="not on the list"):
        await write(uow, 1, draft.key, LeadField.CATEGORY, "Astrology")
    described = "What the work is, in a few words"
    command = WriteField(draft.key, LeadField.DESCRIPTION, described, "USD", LeadField.CATEGORY)
    edit = await act(uow, 1, lead_cases.write_field, command, NOW)
    assert edit.then is not None and "Software Development" in edit.then.choices
    assert not edit.published


async def test_search_finds_open_leads_by_words_skill_and_category(uow: SqlUnitOfWork) -> None:
    await person(uow, 1, {Role.BUYER})
    seller = await person(uow, 2, {Role.SELLER}, "Django")
    # One draft at a time: each is published before the next is started.
    booking = await posted(uow, 1, "Django booking engine", "Django", "Software Development")
    await publish(uow, 1, booking.key)
    logo = await posted(uow, 1, "Logo for a bakery", "Logo Design", "Design & Creative")
    await publish(uow, 1, logo.key, NOW + timedelta(minutes=1))
    hidden = await posted(uow, 1, "Django draft never published", "Django", "Legal")

    async def titles(
        words: list[str], category: str | None = None, skill: str | None = None
    ) -> list[str | None]:
        command = FindLeads(words, 0, category, skill)
        page = await act(uow, 2, lead_cases.find_leads, command, NOW)
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

    await act(uow, 1, lead_cases.withdraw, OwnLead(booking.key), NOW)
    assert await titles(["django"]) == []


async def test_a_stale_write_is_refused(uow: SqlUnitOfWork) -> None:
    await person(uow, 1, {Role.BUYER})
    draft = await act(uow, 1, lead_cases.start_draft, StartDraft(), NOW)
    async with uow:
        first = await uow.leads.get(draft.key)
        second = await uow.leads.get(draft.key)
        assert first is not None and second is not None
        first.title = "first"
        await uow.leads.save(first)
        second.title = "second"
        with pytest.raises(Conflict):
            await uow.leads.save(second)


async def test_others_cannot_touch_a_lead_and_attachments_are_capped(uow: SqlUnitOfWork) -> None:
    await person(uow, 1, {Role.BUYER})
    await person(uow, 9, {Role.BUYER})
    draft = await act(uow, 1, lead_cases.start_draft, StartDraft(), NOW)
    with pytest.raises(NotFound):
        await write(uow, 9, draft.key, LeadField.TITLE, "Mine now, says buyer nine")
    later = NOW + timedelta(seconds=1)
    assert await act(uow, 9, lead_cases.view_lead, OpenLead(draft.key), later) is None
    for i in range(5):
        brief = Attachment(AttachmentKind.DOCUMENT, f"file{i}", f"brief{i}.pdf")
        await act(uow, 1, lead_cases.attach, Attach(draft.key, brief), NOW)
    photo = Attachment(AttachmentKind.PHOTO, "p", "photo")
    with pytest.raises(InvalidInput, match="at most 5"):
        await act(uow, 1, lead_cases.attach, Attach(draft.key, photo), NOW)
    view = await act(uow, 1, lead_cases.view_lead, OpenLead(draft.key), NOW)
    assert view is not None and view.own
    assert [a.file_name for a in view.lead.attachments] == [f"brief{i}.pdf" for i in range(5)]
    # A new set of files replaces the old one with its first file, in one transaction.
    edit = await act(uow, 1, lead_cases.attach, Attach(draft.key, photo, replace=True), NOW)
    assert edit.lead.attachments == [photo]


async def test_alerts_not_yet_sent_are_dropped_when_the_lead_is_withdrawn(
    uow: SqlUnitOfWork, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await person(uow, 1, {Role.BUYER})
    for seller in (2, 3, 4):
        await person(uow, seller, {Role.SELLER}, "Django")
    draft = await posted(uow, 1, "Short-lived", "Django", "Legal")
    await publish(uow, 1, draft.key)
    await act(uow, 1, lead_cases.withdraw, OwnLead(draft.key), NOW)
    store = OutboxStore(sessions)
    [fanout] = await store.claim(NOW)
    assert await store.expand_alerts(fanout, NOW, limit=10) == 0
    await store.mark_sent(fanout.id, NOW)  # as the dispatcher does when nothing is left
    assert await store.claim(NOW + timedelta(minutes=5)) == []  # no alert was queued


async def test_sellers_in_talks_hear_of_changes_and_of_the_withdrawal(
    uow: SqlUnitOfWork, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await person(uow, 1, {Role.BUYER})
    await person(uow, 2, {Role.SELLER}, "Django")
    await person(uow, 3, {Role.SELLER}, "Django")
    draft = await posted(uow, 1, "Online shop", "Django", "Software Development")
    events: list[Event] = []
    await act(uow, 1, lead_cases.publish, OwnLead(draft.key), NOW, events)
    [published] = events
    assert isinstance(published, LeadPublished) and published.alerted == 2
    await act(uow, 2, deals.connect, deals.Connect(draft.key, "USD"), NOW)

    events.clear()
    await write(uow, 1, draft.key, LeadField.BUDGET, "650")
    await act(uow, 1, lead_cases.own_lead, OwnLead(draft.key), NOW, events)
    assert events == []  # only changes are told
    command = WriteField(draft.key, LeadField.TITLE, "Online shop v2", "USD")
    edit = await act(uow, 1, lead_cases.write_field, command, NOW, events)
    assert edit.published and edit.then is None
    [changed] = events
    assert isinstance(changed, LeadChanged)
    assert [s.telegram_id for s in changed.sellers_in_talks] == [2]

    events.clear()
    await act(uow, 1, lead_cases.withdraw, OwnLead(draft.key), NOW, events)
    [withdrawn] = events
    assert isinstance(withdrawn, LeadWithdrawn)
    assert [s.telegram_id for s in withdrawn.sellers] == [2]
    with pytest.raises(NotAllowed, match="no longer be edited"):
        await write(uow, 1, draft.key, LeadField.TITLE, "Too late to change this")

    async with uow:
        assert await Notifier(notices.NOTICES).publish(uow, [changed, withdrawn], NOW, BOT) == 2
        await uow.commit()
    told = await OutboxStore(sessions).claim(NOW)
    texts = [str(d.payload["text"]) for d in told if d.recipient == "2"]
    assert all("method" not in d.payload for d in told)
    assert any(
        t.startswith("✏️ <b>The buyer changed the title: “Online shop” → “Online shop v2”</b>")
        for t in texts
    )
    assert any("Online shop v2" in t and "650 USD" in t for t in texts)
    assert any(t.startswith("🗑 The buyer withdrew the lead <b>Online shop v2</b>") for t in texts)
