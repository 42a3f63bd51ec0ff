"""The in-memory simulated Telegram: users, private chats, files, callbacks, mail.

Everything that changes calls `changed()`, which wakes every waiter (the Python API,
the web page's long poll); waits are event-driven, never sleep loops.
"""

from __future__ import annotations

import asyncio
import hashlib
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sandbox.flood import FloodLimiter
from sandbox.models import (
    JSON,
    ApiError,
    CallbackQuery,
    Email,
    Message,
    Notice,
    Payment,
    StoredFile,
)
from sandbox.outage import Outage
from sandbox.updates import UpdateQueue
from sandbox.webhook import WebhookSender

T = TypeVar("T")

_EXTENSIONS = {"photo": "jpg", "voice": "oga", "video": "mp4", "audio": "mp3"}
_FOLDERS = {"photo": "photos", "voice": "voice", "video": "videos", "audio": "music"}


@dataclass
class ChatState:
    """A private chat between the bot and one simulated user."""

    user: JSON
    messages: dict[int, Message] = field(default_factory=dict)
    next_message_id: int = 1
    started: bool = False
    blocked: bool = False
    reply_keyboard: JSON | None = None
    force_reply: JSON | None = None
    bot_events: list[Message] = field(default_factory=list)
    addresses: set[str] = field(default_factory=set)
    last_action: str | None = None

    @property
    def chat(self) -> JSON:
        chat = {k: v for k, v in self.user.items() if k in ("id", "first_name", "last_name")}
        if self.user.get("username"):
            chat["username"] = self.user["username"]
        chat["type"] = "private"
        return chat


class World:
    def __init__(self, bot_token: str, bot_username: str, bot_name: str) -> None:
        self.token = bot_token
        prefix = bot_token.split(":", 1)[0]
        bot_id = int(prefix) if prefix.isascii() and prefix.isdigit() else 1
        self.bot_user: JSON = {
            "id": bot_id,
            "is_bot": True,
            "first_name": bot_name,
            "username": bot_username,
        }
        self.chats: dict[int, ChatState] = {}
        self.files: dict[str, StoredFile] = {}
        self.callbacks: dict[str, CallbackQuery] = {}
        self.inline_answers: dict[str, JSON] = {}
        self.payments: dict[str, Payment] = {}  # by pre_checkout_query id, oldest first
        # Telegram gives the bot 10 s to answer a pre_checkout_query; tests may shorten it.
        self.pre_checkout_timeout = 10.0
        # None: any non-empty provider_token is accepted; else only this one.
        self.provider_token: str | None = None
        self.errors: list[ApiError] = []
        self.emails: list[Email] = []
        self.notices: list[Notice] = []
        self.commands: dict[str, list[JSON]] = {}
        self.menu_button: JSON = {"type": "default"}
        self.bot_settings: dict[str, Any] = {}
        self.strict_html_ampersand = True
        self.flood = FloodLimiter()
        self.outage = Outage()
        self.version = 0
        self._event = asyncio.Event()
        self.updates = UpdateQueue(self.changed)
        self.webhook = WebhookSender(self.updates)
        # Plain counters, kept with the people (sandbox/keeping.py): an id is never reused.
        self.next_user_id = 100_000_001
        self.next_counter = 1
        # Called with each new message from the bot, as it is stored: a load generator
        # (bench/load.py) times answers without waking on every change of the world.
        self.bot_message_listeners: list[Callable[[Message], None]] = []

    # -- change notification -------------------------------------------------------------

    def changed(self) -> None:
        self.version += 1
        event, self._event = self._event, asyncio.Event()
        event.set()

    async def wait_for(self, probe: Callable[[], T | None], timeout: float) -> T | None:
        """Re-run probe after every change until it returns non-None or timeout passes."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            event = self._event
            result = probe()
            remaining = deadline - loop.time()
            if result is not None or remaining <= 0:
                return result
            try:
                await asyncio.wait_for(event.wait(), remaining)
            except TimeoutError:
                return probe()

    async def wait_version(self, since: int, timeout: float) -> None:
        await self.wait_for(lambda: True if self.version > since else None, timeout)

    def next_id(self) -> int:
        number, self.next_counter = self.next_counter, self.next_counter + 1
        return number

    # -- users and chats -----------------------------------------------------------------

    def create_user(
        self,
        first_name: str,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "en",
        user_id: int | None = None,
    ) -> ChatState:
        if user_id is None:
            user_id, self.next_user_id = self.next_user_id, self.next_user_id + 1
        elif user_id >= self.next_user_id:
            self.next_user_id = user_id + 1
        uid = user_id
        user: JSON = {"id": uid, "is_bot": False, "first_name": first_name}
        if last_name:
            user["last_name"] = last_name
        if username:
            user["username"] = username.lstrip("@")
        if language_code:
            user["language_code"] = language_code
        state = ChatState(user=user)
        self.chats[uid] = state
        self.changed()
        return state

    def chat(self, user_id: int) -> ChatState:
        return self.chats[user_id]

    def lookup_user(self, user_id: int) -> JSON | None:
        state = self.chats.get(user_id)
        return dict(state.user) if state else None

    def add_message(self, state: ChatState, from_bot: bool, **fields: Any) -> Message:
        sender = self.bot_user if from_bot else state.user
        message = Message(
            message_id=state.next_message_id,
            chat_id=state.user["id"],
            from_bot=from_bot,
            sender=dict(sender),
            date=int(time.time()),
            **fields,
        )
        state.next_message_id += 1
        state.messages[message.message_id] = message
        if from_bot:
            state.bot_events.append(message.snapshot())
            for listener in self.bot_message_listeners:
                listener(message)
        self.changed()
        return message

    def record_bot_edit(self, state: ChatState, message: Message) -> None:
        state.bot_events.append(message.snapshot())
        self.changed()

    def message_to_api(self, message: Message, with_reply: bool = True) -> JSON:
        state = self.chats[message.chat_id]
        data: JSON = {
            "message_id": message.message_id,
            "from": message.sender,
            "chat": state.chat,
            "date": message.date,
        }
        if message.edit_date:
            data["edit_date"] = message.edit_date
        if message.text is not None:
            data["text"] = message.text
            if message.entities:
                data["entities"] = message.entities
        if message.media_kind:
            data[message.media_kind] = message.media
        if message.caption is not None:
            data["caption"] = message.caption
            if message.caption_entities:
                data["caption_entities"] = message.caption_entities
        if message.reply_markup:
            data["reply_markup"] = message.reply_markup
        target = state.messages.get(message.reply_to_message_id or 0)
        if with_reply and target is not None and not target.deleted:
            data["reply_to_message"] = self.message_to_api(target, with_reply=False)
        # Keys starting with "_" are sandbox bookkeeping (e.g. invoice payloads).
        data.update({k: v for k, v in message.extra.items() if not k.startswith("_")})
        return data

    # -- files -----------------------------------------------------------------------------

    def store_file(
        self, data: bytes, kind: str, file_name: str | None = None, mime_type: str | None = None
    ) -> StoredFile:
        number = self.next_id()
        file_id = f"SBX{kind[:3].upper()}{number}_{secrets.token_urlsafe(12)}"
        unique = "SBXU" + hashlib.sha1(data).hexdigest()[:16]  # same bytes, same unique id
        extension = (file_name or "").rsplit(".", 1)[-1] if file_name and "." in file_name else ""
        extension = extension or _EXTENSIONS.get(kind, "bin")
        path = f"{_FOLDERS.get(kind, 'documents')}/file_{number}.{extension}"
        stored = StoredFile(file_id, unique, data, path, file_name, mime_type)
        self.files[file_id] = stored
        return stored

    def file_by_path(self, path: str) -> StoredFile | None:
        return next((f for f in self.files.values() if f.file_path == path), None)

    # -- records ---------------------------------------------------------------------------

    def record_error(self, method: str, params: JSON, code: int, description: str) -> None:
        self.errors.append(ApiError(method, params, code, description, time.time()))
        self.changed()

    def add_notice(self, user_id: int, kind: str, text: str) -> None:
        self.notices.append(Notice(self.next_id(), user_id, kind, text))
        self.changed()

    def add_email(self, email: Email) -> None:
        email.id = self.next_id()
        self.emails.append(email)
        self.changed()

    def new_callback(self, user_id: int, message_id: int | None, data: str | None) -> CallbackQuery:
        query = CallbackQuery(
            id=str(self.next_id() * 7919 + 4_000_000),
            user_id=user_id,
            message_id=message_id,
            data=data,
        )
        self.callbacks[query.id] = query
        return query
