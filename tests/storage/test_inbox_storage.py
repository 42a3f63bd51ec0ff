"""The inbox on SQLite and PostgreSQL: what the poller stores, what a restart replays, and the
keys that tie a stored update to the turn that handles it."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import JSON, bindparam
from sqlalchemy import text as text_sql
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from telegram import Bot, Update

from handlers.core.turn import update_key
from storage.db import session_factory
from storage.inbox import InboxStore, Received
from storage.models import UtcDateTime
from storage.uow import SqlUnitOfWork

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
BOT = Bot("123456:TEST")
SEVEN = {"id": 7, "is_bot": False, "first_name": "Ada", "language_code": "en"}
CHAT = {"id": 7, "type": "private", "first_name": "Ada"}


def message(message_id: int, **fields: Any) -> dict[str, Any]:
    base = {"message_id": message_id, "date": 1_790_000_000 + message_id, "chat": CHAT}
    return {**base, "from": SEVEN, **fields}


def text(update_id: int, words: str) -> dict[str, Any]:
    found = message(update_id, text=words)
    if words.startswith("/"):
        found["entities"] = [{"type": "bot_command", "offset": 0, "length": len(words)}]
    return {"update_id": update_id, "message": found}


def received(raw: dict[str, Any]) -> Received:
    update = Update.de_json(raw, BOT)
    return Received(update_key(update), update.update_id, update.to_dict())


async def test_receive_stores_only_what_it_has_not_seen(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    inbox = InboxStore(sessions)
    first, second, third = (received(text(n, f"message {n}")) for n in (1, 2, 3))
    assert await inbox.receive([first, second], NOW) == {first.key, second.key}
    # Telegram sends an unconfirmed batch again, with one new update after it.
    assert await inbox.receive([first, second, third], NOW) == {third.key}
    assert await inbox.receive([], NOW) == set()
    assert [r.key for r in await inbox.unhandled()] == [first.key, second.key, third.key]


async def test_a_bot_api_counting_afresh_is_not_taken_for_a_repeat(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    inbox = InboxStore(sessions)
    old, new = received(text(1, "hello")), received(text(1, "something else"))
    assert old.key != new.key
    assert await inbox.receive([old], NOW) == {old.key}
    assert await inbox.receive([new], NOW) == {new.key}


async def test_unhandled_updates_come_back_oldest_first(
    sessions: async_sessionmaker[AsyncSession], uow: SqlUnitOfWork
) -> None:
    inbox = InboxStore(sessions)
    late = [received(text(n, f"late {n}")) for n in (5, 4)]  # one batch; ids decide
    early = [received(text(n, f"early {n}")) for n in (9, 8)]  # an earlier batch wins
    await inbox.receive(early, NOW)
    await inbox.receive(late, NOW + timedelta(seconds=1))
    assert [r.update_id for r in await inbox.unhandled()] == [8, 9, 4, 5]

    await inbox.mark_handled(early[1].key, NOW)  # update 8: no handler claimed it
    await inbox.mark_handled(early[1].key, NOW + timedelta(hours=1))  # closing twice: no-op
    async with uow:  # update 4: its turn marked it handled and committed
        assert await uow.updates.mark_handled(late[1].key, NOW)
        await uow.commit()
    assert [r.update_id for r in await inbox.unhandled()] == [9, 5]
    # A turn that sees a handled update again is told so, and stores nothing new.
    async with uow:
        assert not await uow.updates.mark_handled(late[1].key, NOW)
        assert not await uow.updates.mark_handled(early[1].key, NOW)
        await uow.commit()
    assert [r.update_id for r in await inbox.unhandled()] == [9, 5]


async def test_a_turn_that_never_committed_leaves_its_update_to_replay(
    sessions: async_sessionmaker[AsyncSession], uow: SqlUnitOfWork
) -> None:
    """A crash between a turn's first write and its commit: the update is handled again,
    and the payload that comes back is the update that was stored."""
    inbox = InboxStore(sessions)
    raw = text(11, "/help")
    stored = received(raw)
    await inbox.receive([stored], NOW)
    async with uow:
        assert await uow.updates.mark_handled(stored.key, NOW)
        # ... the process dies here: nothing commits.
    [again] = await inbox.unhandled()
    assert again == stored
    replayed = Update.de_json(again.payload, BOT)
    assert replayed.effective_message is not None and replayed.effective_message.text == "/help"
    assert update_key(replayed) == stored.key


async def test_updates_that_reached_a_turn_without_the_poller_are_recorded_once(
    sessions: async_sessionmaker[AsyncSession], uow: SqlUnitOfWork
) -> None:
    """Webhook mode: no stored payload, so nothing to replay, but a repeat is refused."""
    key = received(text(21, "hi")).key
    async with uow:
        assert await uow.updates.mark_handled(key, NOW)
        await uow.commit()
    async with uow:
        assert not await uow.updates.mark_handled(key, NOW)
    assert await InboxStore(sessions).unhandled() == []
    # The poller receiving it afterwards (a late getUpdates) does not make it new.
    assert await InboxStore(sessions).receive([received(text(21, "hi"))], NOW) == set()


async def test_a_turn_marks_handled_an_update_the_poller_is_storing_at_the_same_time(
    engine: AsyncEngine, uow: SqlUnitOfWork
) -> None:
    """The poller hands an update to the handlers before it stores it: its store, in a
    transaction of its own, and the turn's mark may meet. The turn waits for the store and
    marks the stored row; it never takes the update for one handled before."""
    stored = received(text(41, "/help"))
    async with engine.connect() as poller:
        # The poller's transaction has written the row, not yet committed it.
        await poller.execute(
            text_sql(
                "INSERT INTO inbox (key, update_id, payload, received_at) "
                "VALUES (:key, :update_id, :payload, :received_at)"
            ).bindparams(
                bindparam("payload", type_=JSON), bindparam("received_at", type_=UtcDateTime)
            ),
            {"key": stored.key, "update_id": 41, "payload": stored.payload, "received_at": NOW},
        )

        async def turn() -> bool:
            async with uow:
                marked = await uow.updates.mark_handled(stored.key, NOW)
                await uow.commit()
                return marked

        marking = asyncio.create_task(turn())
        await asyncio.sleep(0.3)
        assert not marking.done(), "the turn did not wait for the poller's write"
        await poller.commit()
        assert await asyncio.wait_for(marking, 10)
    inbox = InboxStore(session_factory(engine))
    assert await inbox.unhandled() == []  # handled, its payload kept
    assert await inbox.receive([stored], NOW) == set()


UPDATES: dict[str, dict[str, Any]] = {
    "command": text(31, "/start lead_42"),
    "reply with formatting": {
        "update_id": 32,
        "message": {
            **message(32, text="Ünïcode 👋 <b>&amp;"),
            "reply_to_message": message(30, text="earlier"),
            "entities": [{"type": "bold", "offset": 0, "length": 7}],
        },
    },
    "edit": {"update_id": 33, "edited_message": message(33, text="fixed", edit_date=1_790_000_100)},
    "button": {
        "update_id": 34,
        "callback_query": {
            "id": "4000123",
            "from": SEVEN,
            "chat_instance": "-99",
            "data": "v1:ld:publish:5",
            "message": {
                "message_id": 12,
                "date": 1_790_000_000,
                "chat": CHAT,
                "from": {"id": 42, "is_bot": True, "first_name": "Leadline"},
                "text": "Preview",
                "reply_markup": {
                    "inline_keyboard": [[{"text": "Publish", "callback_data": "v1:ld:publish:5"}]]
                },
            },
        },
    },
    "document": {
        "update_id": 35,
        "message": {
            **message(35),
            "document": {
                "file_id": "F1",
                "file_unique_id": "U1",
                "file_name": "brief.pdf",
                "mime_type": "application/pdf",
                "file_size": 14,
            },
            "caption": "the brief",
        },
    },
    "photo": {
        "update_id": 36,
        "message": {
            **message(36),
            "photo": [
                {"file_id": "P1", "file_unique_id": "Q1", "width": 90, "height": 90},
                {"file_id": "P2", "file_unique_id": "Q2", "width": 800, "height": 800},
            ],
        },
    },
    "blocked": {
        "update_id": 37,
        "my_chat_member": {
            "chat": CHAT,
            "from": SEVEN,
            "date": 1_790_000_000,
            "old_chat_member": {
                "status": "member",
                "user": {"id": 42, "is_bot": True, "first_name": "Leadline"},
            },
            "new_chat_member": {
                "status": "kicked",
                "until_date": 0,
                "user": {"id": 42, "is_bot": True, "first_name": "Leadline"},
            },
        },
    },
    "inline query": {
        "update_id": 38,
        "inline_query": {"id": "77", "from": SEVEN, "query": "python", "offset": ""},
    },
    "pre-checkout": {
        "update_id": 39,
        "pre_checkout_query": {
            "id": "88",
            "from": SEVEN,
            "currency": "USD",
            "total_amount": 120000,
            "invoice_payload": "lead:5",
        },
    },
}


@pytest.mark.parametrize("raw", UPDATES.values(), ids=UPDATES.keys())
def test_an_update_keeps_its_key_through_its_stored_form(raw: dict[str, Any]) -> None:
    """The key the poller stored must be the key a re-delivery by Telegram gets, and the
    key of the update rebuilt from the stored payload after a restart."""
    delivered = Update.de_json(raw, BOT)
    again = Update.de_json(json.loads(json.dumps(raw)), BOT)  # Telegram sends it again
    stored = json.loads(json.dumps(delivered.to_dict()))  # what the inbox's JSON column holds
    rebuilt = Update.de_json(stored, BOT)
    assert update_key(delivered) == update_key(again) == update_key(rebuilt)
    assert rebuilt.to_dict() == delivered.to_dict()
    assert update_key(delivered).startswith(f"{raw['update_id']}:")
