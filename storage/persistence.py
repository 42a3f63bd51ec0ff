"""PTB persistence in the application's own database, so conversations survive restarts."""

from __future__ import annotations

import json
from collections.abc import MutableMapping
from copy import deepcopy
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram.ext import BasePersistence, PersistenceInput

from storage.models import ConversationRow, PersistenceRow
from storage.repositories import dialect_insert

Data = dict[Any, Any]
# PTB's own aliases live in a private module; these are the same shapes.
ConversationKey = tuple[int | str, ...]
ConversationDict = MutableMapping[ConversationKey, object]
CDCData = tuple[list[tuple[str, float, dict[str, Any]]], dict[str, str]]


def _encode_key(key: ConversationKey) -> str:
    return json.dumps(list(key))


def _decode_key(text: str) -> ConversationKey:
    return tuple(json.loads(text))


class SqlPersistence(BasePersistence[Data, Data, Data]):
    """Stores user data and conversation states as JSON rows; every write commits at once."""

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], *, update_interval: float = 1.0
    ) -> None:
        super().__init__(
            store_data=PersistenceInput(
                bot_data=False, chat_data=False, user_data=True, callback_data=False
            ),
            update_interval=update_interval,
        )
        self._sessions = sessions

    async def _load(self, kind: str) -> dict[int, Data]:
        async with self._sessions() as session:
            rows = await session.scalars(select(PersistenceRow).where(PersistenceRow.kind == kind))
            return {int(row.key): dict(row.data) for row in rows}

    async def _store(self, kind: str, key: str, data: Data) -> None:
        async with self._sessions() as session, session.begin():
            insert = dialect_insert(session)
            statement = insert(PersistenceRow).values(kind=kind, key=key, data=data)
            await session.execute(
                statement.on_conflict_do_update(
                    index_elements=["kind", "key"], set_={"data": statement.excluded.data}
                )
            )

    async def _drop(self, kind: str, key: str) -> None:
        async with self._sessions() as session, session.begin():
            await session.execute(
                delete(PersistenceRow).where(PersistenceRow.kind == kind, PersistenceRow.key == key)
            )

    async def get_user_data(self) -> dict[int, Data]:
        return await self._load("user_data")

    async def get_chat_data(self) -> dict[int, Data]:
        return await self._load("chat_data")

    async def get_bot_data(self) -> Data:
        return {}

    async def get_callback_data(self) -> CDCData | None:
        return None

    async def get_conversations(self, name: str) -> ConversationDict:
        async with self._sessions() as session:
            query = select(ConversationRow).where(ConversationRow.name == name)
            rows = await session.scalars(query)
            return {_decode_key(row.key): row.state["state"] for row in rows}

    async def update_conversation(
        self, name: str, key: ConversationKey, new_state: object | None
    ) -> None:
        """The turn writes a conversation's position in the transaction of the step that
        moved it (``SqlUnitOfWork.save_conversation``). PTB's own write comes later, from a
        background loop, and can land after a newer step's commit, putting an older position
        back (a kill then resumes on a dead button); so it writes nothing."""

    async def update_user_data(self, user_id: int, data: Data) -> None:
        """Written by the turn with the step that changed it, for the same reason."""

    async def update_chat_data(self, chat_id: int, data: Data) -> None:
        await self._store("chat_data", str(chat_id), deepcopy(data))

    async def update_bot_data(self, data: Data) -> None:
        """Bot data holds live services, never persisted."""

    async def update_callback_data(self, data: CDCData) -> None:
        """Callback data is not arbitrary, so there is nothing to store."""

    async def drop_chat_data(self, chat_id: int) -> None:
        await self._drop("chat_data", str(chat_id))

    async def drop_user_data(self, user_id: int) -> None:
        await self._drop("user_data", str(user_id))

    async def refresh_user_data(self, user_id: int, user_data: Data) -> None:
        """Nothing to refresh: this process is the only writer."""

    async def refresh_chat_data(self, chat_id: int, chat_data: Data) -> None:
        """Nothing to refresh: this process is the only writer."""

    async def refresh_bot_data(self, bot_data: Data) -> None:
        """Bot data is not persisted."""

    async def flush(self) -> None:
        """Every update is written when it is made, so there is nothing left to flush."""
