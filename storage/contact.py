"""Contact Us messages: stored append-only, read back as a user's exchange and as the
console's list of the latest exchanges."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.chat import MessageKind
from domain.contact import ContactConversation, ContactFile, ContactMessage, Direction
from domain.ports import UserRepository
from storage.models import ContactMessageRow


def _files(raw: list[dict[str, Any]] | None) -> list[ContactFile]:
    return [
        ContactFile(MessageKind(item["kind"]), str(item["file_id"]), item.get("file_name"))
        for item in raw or []
    ]


def _to_message(row: ContactMessageRow) -> ContactMessage:
    return ContactMessage(
        user_id=row.user_id,
        direction=Direction(row.direction),
        at=row.at,
        text=row.text,
        files=_files(row.files),
        admin_id=row.admin_id,
        id=row.id,
    )


class SqlContactRepository:
    def __init__(self, session: AsyncSession, users: UserRepository) -> None:
        self._session = session
        self._users = users

    async def add(self, message: ContactMessage) -> ContactMessage:
        row = ContactMessageRow(
            user_id=message.user_id,
            direction=message.direction.value,
            text=message.text,
            files=[
                {"kind": f.kind.value, "file_id": f.file_id, "file_name": f.file_name}
                for f in message.files
            ],
            at=message.at,
            admin_id=message.admin_id,
        )
        self._session.add(row)
        await self._session.flush()
        return _to_message(row)

    async def get(self, message_id: int) -> ContactMessage | None:
        row = await self._session.get(ContactMessageRow, message_id)
        return _to_message(row) if row is not None else None

    async def of_user(self, user_id: int) -> list[ContactMessage]:
        rows = await self._session.scalars(
            select(ContactMessageRow)
            .where(ContactMessageRow.user_id == user_id)
            .order_by(ContactMessageRow.at, ContactMessageRow.id)
        )
        return [_to_message(row) for row in rows]

    async def latest_conversations(self, limit: int) -> list[ContactConversation]:
        """Three statements: each user's latest message id and count, those messages, and
        their users."""
        latest = (
            select(
                ContactMessageRow.user_id,
                func.max(ContactMessageRow.id).label("latest_id"),
                func.count().label("messages"),
            )
            .group_by(ContactMessageRow.user_id)
            .order_by(func.max(ContactMessageRow.id).desc())
            .limit(limit)
        )
        counted = (await self._session.execute(latest)).all()
        if not counted:
            return []
        ids = [row.latest_id for row in counted]
        rows = await self._session.scalars(
            select(ContactMessageRow).where(ContactMessageRow.id.in_(ids))
        )
        messages = {row.id: _to_message(row) for row in rows}
        users = await self._users.get_many({row.user_id for row in counted})
        conversations = []
        for row in counted:
            message, user = messages[row.latest_id], users.get(row.user_id)
            if user is None:
                continue
            waiting = message.direction is Direction.FROM_USER
            conversations.append(ContactConversation(user, message, int(row.messages), waiting))
        return conversations
