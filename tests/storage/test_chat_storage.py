"""The relayed chat on SQLite and PostgreSQL: stored before delivered, replies find their thread,
edits are new versions, the transcript holds everything in order."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domain import relay
from domain.chat import MessageKind
from domain.errors import NotFound
from domain.events import Event, MessageEdited, MessageRelayed
from domain.relay import Content, Offered, Opened, Said
from handlers.chat import notices, texts
from handlers.core.notify import Telling
from storage.outbox import OutboxStore
from storage.uow import SqlUnitOfWork
from tests.acting import act
from tests.storage.test_deals_storage import NOW, market


def text(body: str, sent_as: int, replying_to: int | None = None) -> Content:
    return Content(MessageKind.TEXT, body, None, None, sent_as, replying_to)


async def seller_thread(uow: SqlUnitOfWork) -> int:
    """The thread of seller 2 (telegram id) with buyer 1."""
    await market(uow)
    page = await act(uow, 2, relay.threads_of, relay.ListThreads(0), NOW)
    (summary,) = page.items
    return summary.thread.id or 0


async def test_a_message_is_stored_then_told_and_a_reply_finds_its_thread(
    uow: SqlUnitOfWork, sessions: async_sessionmaker[AsyncSession]
) -> None:
    thread_id = await seller_thread(uow)
    events: list[Event] = []
    command = relay.SendMessage(thread_id, text("Call me at +1 555 123 4567", 10))
    sent = await act(uow, 2, relay.send, command, NOW, events)
    assert sent.remind and sent.message.flagged and sent.message.id is not None
    (event,) = events
    assert isinstance(event, MessageRelayed) and event.relay.recipient.telegram_id == 1
    (delivery,) = notices.relayed(event, Telling(NOW, "leadline_bot"))
    assert delivery.relay_message_id == sent.message.id and delivery.recipient == "1"
    assert delivery.payload["send"] == "text" and "U2" in str(delivery.payload["text"])

    again = relay.SendMessage(thread_id, text("or mail me@example.org", 11))
    assert not (await act(uow, 2, relay.send, again, NOW)).remind  # reminded once per thread

    # Delivered to the buyer as her message 500; her reply to it goes to the thread, quoting
    # the seller's message as he sent it.
    await OutboxStore(sessions).record_relay(sent.message.id, 500)
    events.clear()
    answer = relay.SendReply(text("No, thanks", 70, replying_to=500), None)
    replied = await act(uow, 1, relay.reply, answer, NOW, events)
    assert replied is not None and replied.message.thread_id == thread_id
    (event,) = events
    assert isinstance(event, MessageRelayed) and event.quote == 10

    stray = relay.SendReply(text("hm?", 71, replying_to=12345), None)
    assert await act(uow, 1, relay.reply, stray, NOW) is None
    with pytest.raises(NotFound):
        await act(uow, 3, relay.send, relay.SendMessage(thread_id, text("hi", 1)), NOW)


async def test_an_edit_is_a_new_version_and_the_transcript_has_it_all(
    uow: SqlUnitOfWork, sessions: async_sessionmaker[AsyncSession]
) -> None:
    thread_id = await seller_thread(uow)
    first = await act(uow, 1, relay.send, relay.SendMessage(thread_id, text("Hello", 20)), NOW)
    assert first.message.id is not None
    await OutboxStore(sessions).record_relay(first.message.id, 600)
    later = NOW + timedelta(minutes=5)
    events: list[Event] = []
    edit = relay.EditMessage(20, "Hello, welcome")
    version = await act(uow, 1, relay.edit, edit, later, events)
    assert version is not None and version.version == 2 and version.original_id == first.message.id
    (event,) = events
    assert isinstance(event, MessageEdited) and event.original.recipient_message_id == 600
    (delivery,) = notices.edited(event, Telling(later, "leadline_bot"))
    assert delivery.payload["send"] == "edit_text" and delivery.payload["message_id"] == 600
    assert delivery.relay_message_id is None
    assert await act(uow, 1, relay.edit, edit, later) is None  # the same text: nothing new
    assert await act(uow, 1, relay.edit, relay.EditMessage(999, "x"), later) is None

    record = await act(uow, 2, relay.transcript, relay.ExportTranscript(thread_id), later)
    kinds = [type(entry) for entry in record.entries]
    assert kinds == [Opened, Offered, Said, Said]
    assert record.reader.telegram_id == 2 and record.buyer.telegram_id == 1
    exported = texts.transcript(record, later + timedelta(hours=1))
    assert "Exported 2026-11-26 13:05:00 UTC by U2" in exported
    assert "U2 (seller) offered 500 USD in 7 days (offer 1)" in exported
    assert f"(edit 2 of message #{first.message.id}) Hello, welcome" in exported
    with pytest.raises(NotFound):  # another bidder on the lead
        await act(uow, 3, relay.transcript, relay.ExportTranscript(thread_id), later)
