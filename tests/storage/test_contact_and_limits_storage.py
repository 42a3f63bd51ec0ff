"""Contact Us and the abuse limits on SQLite and PostgreSQL: a message to the team and its
answer are kept and listed for the console; each limit is counted from the rows in the
database, refuses one sentence saying when it resets, and lets the user go on after."""

from __future__ import annotations

from datetime import UTC, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domain import contact_cases, deals, lead_cases, relay, terms
from domain.chat import MessageKind
from domain.contact import ContactFile, Direction
from domain.contact_cases import ListConversations, OpenContact, ReplyToUser, WriteToSupport
from domain.errors import InvalidInput, LimitReached, NotFound
from domain.events import ContactAnswered, ContactWritten, Event
from domain.lead_cases import OwnLead
from domain.limits import Limits
from domain.model import Role, User
from domain.terms import AcceptNewTerms, terms_document
from storage.uow import SqlUnitOfWork
from tests.acting import act
from tests.storage.test_chat_storage import seller_thread, text
from tests.storage.test_deals_storage import NOW, market, offer
from tests.storage.test_leads_storage import person, posted

ADMIN = 900
ADMINS = frozenset({ADMIN})


async def newcomer(uow: SqlUnitOfWork, telegram_id: int) -> User:
    """Someone who pressed /start and never finished signing up."""
    async with uow:
        user = await uow.users.add(User(telegram_id=telegram_id, first_name="Nia", created_at=NOW))
        await uow.commit()
    return user


def write(body: str | None, *files: ContactFile) -> WriteToSupport:
    return WriteToSupport(body, files, ADMINS)


async def test_a_message_to_the_team_and_its_answer_are_kept_and_listed(
    uow: SqlUnitOfWork,
) -> None:
    nia = await newcomer(uow, 50)
    bea = await person(uow, 51, {Role.BUYER})
    await person(uow, ADMIN, {Role.BUYER})
    events: list[Event] = []
    scan = ContactFile(MessageKind.PHOTO, "photo-1", "photo")
    first = await act(
        uow, 50, contact_cases.write_to_support, write("Help <me>", scan), NOW, events
    )
    assert first.direction is Direction.FROM_USER and first.files == [scan]
    [told] = events
    assert isinstance(told, ContactWritten) and told.admins == (ADMIN,)
    assert told.sender.key == nia.key

    later = NOW + timedelta(minutes=5)
    await act(uow, 51, contact_cases.write_to_support, write("Fees?"), later)
    answer = ReplyToUser(first.key, "We are on it", (), ADMINS)
    events = []
    replied = await act(uow, ADMIN, contact_cases.reply_to_user, answer, later, events)
    assert replied.user.key == nia.key
    [answered] = events
    assert isinstance(answered, ContactAnswered) and answered.admin.telegram_id == ADMIN

    async with uow:
        exchange = await uow.contact.of_user(nia.key)
    assert [(m.direction, m.text) for m in exchange] == [
        (Direction.FROM_USER, "Help <me>"),
        (Direction.FROM_SUPPORT, "We are on it"),
    ]
    assert exchange[1].admin_id is not None and exchange[1].files == []

    listed = await act(uow, ADMIN, contact_cases.conversations, ListConversations(ADMINS), later)
    assert [(c.user.key, c.messages, c.waiting) for c in listed] == [
        (nia.key, 2, False),  # answered last
        (bea.key, 1, True),
    ]


async def test_only_admins_read_and_answer_and_empty_or_long_messages_are_refused(
    uow: SqlUnitOfWork,
) -> None:
    await newcomer(uow, 50)
    await person(uow, 51, {Role.SELLER})
    sent = await act(uow, 50, contact_cases.write_to_support, write("Hello"), NOW)
    with pytest.raises(NotFound):
        await act(uow, 51, contact_cases.open_contact, OpenContact(sent.key, ADMINS), NOW)
    with pytest.raises(NotFound):
        forged = ReplyToUser(sent.key, "I am the admin", (), ADMINS)
        await act(uow, 51, contact_cases.reply_to_user, forged, NOW)
    with pytest.raises(NotFound):
        await act(uow, 51, contact_cases.conversations, ListConversations(ADMINS), NOW)
    for empty in ("", "   ", "\u200b\u200b"):
        with pytest.raises(InvalidInput, match="write a few words"):
            await act(uow, 50, contact_cases.write_to_support, write(empty), NOW)
    with pytest.raises(InvalidInput, match="too long"):
        await act(uow, 50, contact_cases.write_to_support, write("x" * 3501), NOW)
    async with uow:
        assert len(await uow.contact.of_user(sent.user_id)) == 1


def limited(sessions: async_sessionmaker[AsyncSession], **limits: int) -> SqlUnitOfWork:
    return SqlUnitOfWork(sessions, Limits(**limits))


async def test_new_leads_per_day_are_counted_from_published_leads(
    uow: SqlUnitOfWork, sessions: async_sessionmaker[AsyncSession]
) -> None:
    strict = limited(sessions, leads_per_day=2)
    buyer = await person(uow, 1, {Role.BUYER})
    async with uow:
        buyer.profile.timezone = "Europe/Berlin"
        await uow.users.save(buyer)
        await uow.commit()
    draft = await posted(uow, 1, "Online shop 1", "Django", "Software Development")
    await act(strict, 1, lead_cases.publish, OwnLead(draft.key), NOW)
    first = draft
    draft = await posted(uow, 1, "Online shop 2", "Django", "Software Development")
    await act(strict, 1, lead_cases.publish, OwnLead(draft.key), NOW + timedelta(hours=3))
    draft = await posted(uow, 1, "Online shop 3", "Django", "Software Development")
    evening = NOW + timedelta(hours=5)
    with pytest.raises(LimitReached) as refused:
        await act(strict, 1, lead_cases.publish, OwnLead(draft.key), evening)
    # The first of the two leaves the 24 hours at 12:00 UTC tomorrow: 13:00 in Berlin.
    assert refused.value.resets_at == NOW + timedelta(days=1)
    assert refused.value.sentence == (
        "You have published as many leads as a day allows. You can publish again on 27 Nov "
        "at 13:00."
    )
    # Withdrawing a lead does not give its place back.
    await act(strict, 1, lead_cases.withdraw, OwnLead(first.key), evening)
    with pytest.raises(LimitReached):
        await act(strict, 1, lead_cases.publish, OwnLead(draft.key), evening)
    tomorrow = NOW + timedelta(days=1)
    await act(strict, 1, lead_cases.publish, OwnLead(draft.key), tomorrow)
    draft = await posted(uow, 1, "Online shop 4", "Django", "Software Development")
    # Now the second one's turn: 15:00 UTC, 16:00 in Berlin, later today.
    with pytest.raises(LimitReached, match="You can publish again at 16:00"):
        await act(strict, 1, lead_cases.publish, OwnLead(draft.key), tomorrow)


async def test_bids_per_hour_count_the_sellers_offers_not_the_buyers_counters(
    uow: SqlUnitOfWork, sessions: async_sessionmaker[AsyncSession]
) -> None:
    _, first, _ = await market(uow)  # sellers 2 and 3 bid at NOW
    strict = limited(sessions, bids_per_hour=2)
    # The buyer counters seller 2: counters are not bids.
    counter = await offer(strict, 1, deals.CounterOffer(first, "USD"), "400", "9")
    await offer(strict, 2, deals.CounterOffer(counter.offer.id or 0, "USD"), "450", "8")
    with pytest.raises(
        LimitReached, match=r"as many bids as an hour allows\. You can bid again at 13:00\."
    ):
        await act(
            strict, 2, deals.start_offer, deals.StartOffer(counter.thread.id or 0, "USD"), NOW
        )
    # Seller 3 made one bid: one more is allowed.
    page = await act(uow, 3, relay.threads_of, relay.ListThreads(0), NOW)
    thread_id = page.items[0].thread.id or 0
    await offer(strict, 3, deals.StartOffer(thread_id, "USD"), "420", "7")
    later = NOW + timedelta(hours=1, seconds=1)
    await act(strict, 2, deals.start_offer, deals.StartOffer(counter.thread.id or 0, "USD"), later)


async def test_relayed_messages_per_minute_leave_out_edits(
    uow: SqlUnitOfWork, sessions: async_sessionmaker[AsyncSession]
) -> None:
    thread_id = await seller_thread(uow)
    strict = limited(sessions, messages_per_minute=2)
    for number in (1, 2):
        when = NOW + timedelta(seconds=number)
        await act(
            strict, 2, relay.send, relay.SendMessage(thread_id, text(f"m{number}", number)), when
        )
    await act(strict, 2, relay.edit, relay.EditMessage(1, "m1, edited"), NOW + timedelta(seconds=3))
    with pytest.raises(LimitReached, match=r"too fast\. You can send messages again at 12:02\."):
        command = relay.SendMessage(thread_id, text("m3", 3))
        await act(strict, 2, relay.send, command, NOW + timedelta(seconds=4))
    # The buyer has a limit of their own.
    await act(strict, 1, relay.send, relay.SendMessage(thread_id, text("hi", 9)), NOW)
    command = relay.SendMessage(thread_id, text("m3", 3))
    await act(strict, 2, relay.send, command, NOW + timedelta(seconds=61))


async def test_contact_messages_per_day_count_only_the_users_own(
    uow: SqlUnitOfWork, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await newcomer(uow, 50)
    await person(uow, ADMIN, {Role.BUYER})
    strict = limited(sessions, contact_messages_per_day=1)
    sent = await act(strict, 50, contact_cases.write_to_support, write("One"), NOW)
    # Answers from the team do not count against the user.
    answer = ReplyToUser(sent.key, "Yes", (), ADMINS)
    await act(strict, ADMIN, contact_cases.reply_to_user, answer, NOW)
    with pytest.raises(LimitReached, match="write to us again on 27 Nov at 12:00"):
        await act(strict, 50, contact_cases.start_writing, None, NOW + timedelta(hours=1))
    with pytest.raises(LimitReached):
        await act(
            strict, 50, contact_cases.write_to_support, write("Two"), NOW + timedelta(hours=1)
        )
    await act(strict, 50, contact_cases.write_to_support, write("Two"), NOW + timedelta(days=1))


async def test_the_accepted_terms_version_is_stored(uow: SqlUnitOfWork) -> None:
    await person(uow, 1, {Role.BUYER})
    document = terms_document("# Terms\nVersion: 2026-12\n\nBe nice.")
    assert document.version == "2026-12"
    assert terms_document("Be nice.").version != terms_document("Be nicer.").version
    assert await act(uow, 1, terms.accept_new_terms, AcceptNewTerms("2026-12"), NOW)
    assert not await act(uow, 1, terms.accept_new_terms, AcceptNewTerms("2026-12"), NOW)
    async with uow:
        stored = await uow.users.get_by_telegram_id(1)
    assert stored is not None and stored.accepted_terms("2026-12")
    assert stored.terms_accepted_at == NOW.astimezone(UTC)
    assert not stored.accepted_terms("2027-01")
