"""The admin console on SQLite and PostgreSQL: counts, finding users, suspension hiding a
user's leads from search, matching lists, providers and alerts until it is lifted, the one
guard refusing every change, announcements fanned out by role, and verified sellers."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domain import admin_cases, lead_cases, sellers
from domain.admin_cases import (
    Announce,
    AsAdmin,
    DecideVerification,
    FindUser,
    OpenUser,
    Suspend,
    Unsuspend,
)
from domain.credential_cases import UploadDocument, upload_document
from domain.credentials import DocumentKind
from domain.errors import InvalidInput, NotAllowed, NotFound
from domain.events import Event, VerificationSubmitted
from domain.lead_cases import FindLeads, OwnLead
from domain.lifecycle import LeadStatus
from domain.model import OutboxKind, Role, User
from domain.sellers import FindSellers, Search, SellerFiles
from handlers.admin import notices
from handlers.core.notify import Notifier, Telling
from storage.models import OutboxRow, SuspensionRow
from storage.outbox import Delivery, OutboxStore
from storage.uow import SqlUnitOfWork
from tests.acting import act
from tests.storage.test_leads_storage import person, posted, publish

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
ADMIN = 99
ADMINS = frozenset({ADMIN})


async def titles(uow: SqlUnitOfWork, seller: int, words: list[str]) -> list[str | None]:
    page = await act(uow, seller, lead_cases.find_leads, FindLeads(words, 0), NOW)
    return [lead.title for lead in page.items]


async def test_a_suspended_buyers_leads_leave_search_and_lists_until_lifted(
    uow: SqlUnitOfWork,
) -> None:
    await person(uow, ADMIN, {Role.BUYER})
    await person(uow, 1, {Role.BUYER})
    await person(uow, 2, {Role.BUYER})
    await person(uow, 3, {Role.SELLER}, "Django")
    for buyer, title in ((1, "Booking site"), (2, "Booking app")):
        draft = await posted(uow, buyer, title, "Django", "Software Development")
        await publish(uow, buyer, draft.key)
    assert sorted(await titles(uow, 3, ["booking"]), key=str) == ["Booking app", "Booking site"]

    suspend = Suspend(ADMINS, 1, "Asked for payment outside Leadline")
    with pytest.raises(NotFound):
        await act(uow, 2, admin_cases.suspend, suspend, NOW)  # not an admin
    found = await act(uow, ADMIN, admin_cases.find_user, FindUser(ADMINS, "u1@example.org"), NOW)
    assert found is not None
    user_id = found.user.key
    await act(uow, ADMIN, admin_cases.suspend, Suspend(ADMINS, user_id, suspend.reason), NOW)

    assert await titles(uow, 3, ["booking"]) == ["Booking app"]  # FTS index path
    assert await titles(uow, 3, []) == ["Booking app"]  # matching list
    with pytest.raises(NotAllowed, match=r"suspended \(Asked for payment outside Leadline\)"):
        await act(uow, 1, lead_cases.withdraw, OwnLead(1), NOW)
    with pytest.raises(NotAllowed, match="already suspended"):
        await act(uow, ADMIN, admin_cases.suspend, Suspend(ADMINS, user_id, "again"), NOW)
    card = await act(uow, ADMIN, admin_cases.user_card, OpenUser(ADMINS, user_id), NOW)
    assert card.suspension is not None and card.suspension.suspended_by == "U99"

    await act(uow, ADMIN, admin_cases.unsuspend, Unsuspend(ADMINS, user_id), NOW)
    assert sorted(await titles(uow, 3, ["booking"]), key=str) == ["Booking app", "Booking site"]
    async with uow:
        [row] = await uow._session.scalars(select(SuspensionRow))  # type: ignore[union-attr]
        assert row.lifted_at is not None and row.reason == suspend.reason


async def test_a_suspended_seller_is_not_found_alerted_or_invited(
    uow: SqlUnitOfWork, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await person(uow, ADMIN, set())
    await person(uow, 1, {Role.BUYER})
    spammer = await person(uow, 2, {Role.SELLER}, "Django")
    other = await person(uow, 3, {Role.SELLER}, "Django")
    await act(uow, ADMIN, admin_cases.suspend, Suspend(ADMINS, spammer.key, "Spam"), NOW)

    found = await act(uow, 1, sellers.find, FindSellers(Search(("django",))), NOW)
    assert [user.id for user in found.page.items] == [other.id]
    draft = await posted(uow, 1, "Online shop", "Django", "Software Development")
    published = await publish(uow, 1, draft.key)
    assert published.alerted == 1  # the suspended seller is not alertable
    with pytest.raises(NotAllowed, match="not available"):
        await act(uow, 1, sellers.invite, sellers.Invite(spammer.key, draft.key), NOW)


async def test_counts_and_an_announcement_for_one_role(
    uow: SqlUnitOfWork, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await person(uow, ADMIN, set())
    await person(uow, 1, {Role.BUYER})
    await person(uow, 2, {Role.SELLER}, "Django")
    await person(uow, 3, {Role.SELLER, Role.BUYER}, "Figma")
    gone = await person(uow, 4, {Role.SELLER})
    async with uow:
        # Someone who chose a role but never finished signing up, and someone who deleted
        # their account: not users, nor buyers.
        started = await uow.users.add(User(telegram_id=5, first_name="Started", created_at=NOW))
        started.roles = {Role.BUYER}
        await uow.users.save(started)
        gone.deleted_at, gone.roles = NOW, set()
        await uow.users.save(gone)
        await uow.commit()
    draft = await posted(uow, 1, "Online shop", "Django", "Software Development")
    await publish(uow, 1, draft.key)

    counts = await act(uow, ADMIN, admin_cases.console, AsAdmin(ADMINS), NOW)
    assert (counts.users, counts.buyers, counts.sellers, counts.suspended) == (4, 2, 2, 0)
    assert (counts.unfinished, counts.deleted) == (1, 1)
    assert counts.leads == {LeadStatus.OPEN: 1} and counts.contracts == 0
    assert counts.outbox_backlog == 1  # the lead's alert fan-out

    events: list[Event] = []
    announce = Announce(ADMINS, "Maintenance <tonight>", Role.SELLER)
    await act(uow, ADMIN, admin_cases.announce, announce, NOW, events)
    async with uow:
        await Notifier(notices.NOTICES).publish(uow, events, NOW, "bot")
        await uow.commit()
    store = OutboxStore(sessions)
    async with sessions() as session:
        row = await session.scalar(
            select(OutboxRow).where(OutboxRow.kind == OutboxKind.ANNOUNCEMENT.value)
        )
        assert row is not None
    fanout = Delivery(row.id, OutboxKind.ANNOUNCEMENT, row.recipient, dict(row.payload), 1)
    assert await store.expand_announcement(fanout, NOW, 1) == 1
    async with sessions() as session:
        row = await session.get(OutboxRow, fanout.id)
        assert row is not None
        fanout = Delivery(row.id, OutboxKind.ANNOUNCEMENT, row.recipient, dict(row.payload), 2)
    assert await store.expand_announcement(fanout, NOW, 1) == 1
    assert await store.expand_announcement(fanout, NOW, 5) == 1  # a repeat is queued once
    async with sessions() as session:
        copies = list(
            await session.scalars(
                select(OutboxRow.recipient).where(OutboxRow.dedupe_key.like("announcement:%"))
            )
        )
    assert sorted(copies) == ["2", "3"]  # sellers only
    assert "Maintenance &lt;tonight&gt;" in str(row.payload["message"]["text"])


async def test_a_verification_document_goes_to_admins_and_is_decided_once(
    uow: SqlUnitOfWork,
) -> None:
    await person(uow, ADMIN, set())
    await person(uow, 1, {Role.BUYER})
    first = await person(uow, 2, {Role.SELLER}, "Django")
    second = await person(uow, 3, {Role.SELLER}, "Django")
    events: list[Event] = []
    upload = UploadDocument(DocumentKind.CERTIFICATE, "ID card", "file-1", "id.pdf")
    await act(uow, 2, upload_document, upload, NOW, events)
    [submitted] = events
    assert isinstance(submitted, VerificationSubmitted)
    document_id = submitted.document.id or 0
    [card] = notices.submitted(submitted, Telling(NOW, "bot", ADMINS))
    assert card.recipient == str(ADMIN) and card.payload["file_id"] == "file-1"

    # Documents: their owner and the admins only.
    with pytest.raises(NotAllowed, match="Verification documents"):
        await act(uow, 1, sellers.seller_files, SellerFiles(first.key, False), NOW)
    files = SellerFiles(first.key, False, admin=True)
    assert len(await act(uow, ADMIN, sellers.seller_files, files, NOW))

    verify = DecideVerification(ADMINS, document_id, verified=True)
    await act(uow, ADMIN, admin_cases.decide_verification, verify, NOW)
    with pytest.raises(NotAllowed, match="decided already"):
        reject = DecideVerification(ADMINS, document_id, False, "Blurred")
        await act(uow, ADMIN, admin_cases.decide_verification, reject, NOW)
    found = await act(uow, 1, sellers.find, FindSellers(Search(("django",))), NOW)
    # Equal stars (none): the verified seller first, though the other is as old.
    assert [user.id for user in found.page.items] == [first.id, second.id]
    assert found.page.items[0].verified_at == NOW


async def test_a_username_shorter_than_telegram_allows_is_looked_up_then_explained(
    uow: SqlUnitOfWork,
) -> None:
    await person(uow, ADMIN, {Role.BUYER})
    bob = await person(uow, 5, {Role.SELLER}, "Django")
    async with uow:
        found_bob = await uow.users.get(bob.key)
        assert found_bob is not None
        found_bob.username = "bob"
        await uow.users.save(found_bob)
        await uow.commit()

    card = await act(uow, ADMIN, admin_cases.find_user, FindUser(ADMINS, "@bob"), NOW)
    assert card is not None and card.user.key == bob.key
    with pytest.raises(InvalidInput, match=r"^@al is not a Telegram username: they have 5 to 32"):
        await act(uow, ADMIN, admin_cases.find_user, FindUser(ADMINS, "@al"), NOW)
    assert (
        await act(uow, ADMIN, admin_cases.find_user, FindUser(ADMINS, "@nobody_here"), NOW) is None
    )
