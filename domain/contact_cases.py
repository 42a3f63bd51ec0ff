"""Contact Us: anyone who has talked to the bot writes to the Leadline team, an admin
answers, and the whole exchange is kept.

Anyone may write (someone still signing up, or suspended, most of all); only the admins
named in the configuration (``admins.telegram_ids``, passed in each command) may read and
answer, which every use case here checks on the server.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.contact import (
    ContactConversation,
    ContactFile,
    ContactMessage,
    Direction,
    clean_message,
)
from domain.errors import NotFound
from domain.events import ContactAnswered, ContactWritten
from domain.limits import Usage, ensure_within
from domain.model import User
from domain.ports import UnitOfWork

NOT_FOUND = "That Contact Us message does not exist."


@dataclass(frozen=True)
class WriteToSupport:
    text: str | None
    files: tuple[ContactFile, ...]
    admins: frozenset[int]  # Telegram ids of the admins, who are told


@dataclass(frozen=True)
class OpenContact:
    """An admin taps Reply under a user's message."""

    message_id: int
    admins: frozenset[int]


@dataclass(frozen=True)
class ReplyToUser:
    message_id: int  # the user's message being answered
    text: str | None
    files: tuple[ContactFile, ...]
    admins: frozenset[int]


@dataclass(frozen=True)
class ListConversations:
    admins: frozenset[int]
    limit: int = 20


@dataclass(frozen=True)
class ContactThread:
    """A message and the user whose exchange it belongs to."""

    message: ContactMessage
    user: User


def _ensure_admin(me: User, admins: frozenset[int]) -> None:
    if me.telegram_id not in admins:
        # Nothing tells a forger that the button exists.
        raise NotFound(NOT_FOUND)


async def write_to_support(
    uow: UnitOfWork, me: User, command: WriteToSupport, now: datetime
) -> ContactMessage:
    """Stores the user's message and tells every admin, with a Reply button."""
    text = clean_message(command.text, command.files)
    await ensure_within(uow, me, Usage.CONTACT_MESSAGE, now)
    message = await uow.contact.add(
        ContactMessage(me.key, Direction.FROM_USER, now, text, list(command.files))
    )
    uow.record(ContactWritten(message, me, tuple(sorted(command.admins))))
    return message


async def open_contact(
    uow: UnitOfWork, me: User, command: OpenContact, now: datetime
) -> ContactThread:
    """The user's message an admin is about to answer."""
    _ensure_admin(me, command.admins)
    message = await uow.contact.get(command.message_id)
    user = await uow.users.get(message.user_id) if message is not None else None
    if message is None or user is None:
        raise NotFound(NOT_FOUND)
    return ContactThread(message, user)


async def reply_to_user(
    uow: UnitOfWork, me: User, command: ReplyToUser, now: datetime
) -> ContactThread:
    """Stores an admin's answer and sends it to the user, who may answer back."""
    thread = await open_contact(uow, me, OpenContact(command.message_id, command.admins), now)
    text = clean_message(command.text, command.files)
    answer = await uow.contact.add(
        ContactMessage(
            thread.user.key, Direction.FROM_SUPPORT, now, text, list(command.files), me.key
        )
    )
    uow.record(ContactAnswered(answer, thread.user, me))
    return ContactThread(answer, thread.user)


async def conversations(
    uow: UnitOfWork, me: User, command: ListConversations, now: datetime
) -> list[ContactConversation]:
    """The latest exchanges with users, the most recent first (for the admin console)."""
    _ensure_admin(me, command.admins)
    return await uow.contact.latest_conversations(command.limit)


async def start_writing(uow: UnitOfWork, me: User, command: None, now: datetime) -> None:
    """Before asking for a message: refuses one the daily limit would refuse anyway."""
    await ensure_within(uow, me, Usage.CONTACT_MESSAGE, now)
