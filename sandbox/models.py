"""Plain data records of the simulated Telegram world."""

from __future__ import annotations

import asyncio
import copy
import time
from dataclasses import dataclass, field
from typing import Any

from sandbox.entities import Entity, to_html

JSON = dict[str, Any]


@dataclass
class MessageVersion:
    """A previous state of an edited message (edits never overwrite history)."""

    text: str | None
    entities: list[Entity]
    caption: str | None
    reply_markup: JSON | None
    edit_date: int | None


@dataclass
class Message:
    """One message in a private chat, in either direction.

    `text`/`caption` are the plain text the user sees; `entities` carry the formatting.
    """

    message_id: int
    chat_id: int
    from_bot: bool
    sender: JSON
    date: int
    text: str | None = None
    entities: list[Entity] = field(default_factory=list)
    caption: str | None = None
    caption_entities: list[Entity] = field(default_factory=list)
    media_kind: str | None = None
    media: Any = None
    reply_markup: JSON | None = None
    reply_to_message_id: int | None = None
    edit_date: int | None = None
    history: list[MessageVersion] = field(default_factory=list)
    deleted: bool = False
    extra: JSON = field(default_factory=dict)

    @property
    def content(self) -> str:
        """Text or caption, whichever the message has (empty string for bare media)."""
        return self.text if self.text is not None else (self.caption or "")

    @property
    def html(self) -> str:
        """The message rendered back to Telegram HTML with the text escaped."""
        if self.text is not None:
            return to_html(self.text, self.entities)
        return to_html(self.caption or "", self.caption_entities)

    @property
    def edited(self) -> bool:
        return self.edit_date is not None

    @property
    def inline_buttons(self) -> list[list[JSON]]:
        if not self.reply_markup:
            return []
        rows: list[list[JSON]] = self.reply_markup.get("inline_keyboard", [])
        return rows

    def button_texts(self) -> list[str]:
        return [button["text"] for row in self.inline_buttons for button in row]

    def snapshot(self) -> Message:
        return copy.deepcopy(self)

    def version(self) -> MessageVersion:
        return MessageVersion(
            self.text,
            copy.deepcopy(self.entities),
            self.caption,
            copy.deepcopy(self.reply_markup),
            self.edit_date,
        )

    def describe(self) -> str:
        who = "bot" if self.from_bot else "user"
        label = f"#{self.message_id} {who}"
        if self.media_kind:
            label += f" [{self.media_kind}]"
        if self.edited:
            label += " (edited)"
        if self.deleted:
            label += " (deleted)"
        line = f"{label}: {self.content!r}"
        if self.inline_buttons:
            line += f"  buttons={self.button_texts()}"
        return line


@dataclass
class StoredFile:
    file_id: str
    file_unique_id: str
    data: bytes
    file_path: str
    file_name: str | None
    mime_type: str | None

    @property
    def file_size(self) -> int:
        return len(self.data)


@dataclass
class CallbackQuery:
    """A tap on an inline button and how (or whether) the bot answered it."""

    id: str
    user_id: int
    message_id: int | None
    data: str | None
    created: float = field(default_factory=time.time)
    answered: bool = False
    answer_text: str | None = None
    show_alert: bool = False
    url: str | None = None
    cache_time: int = 0
    answered_event: asyncio.Event = field(default_factory=asyncio.Event, repr=False)


@dataclass(frozen=True)
class ApiError:
    """An error the server answered to the bot."""

    method: str
    params: JSON
    error_code: int
    description: str
    time: float


@dataclass
class Email:
    sender: str
    recipients: list[str]
    subject: str
    text: str
    html: str | None
    links: list[str]
    received_at: float
    id: int = 0

    @property
    def to(self) -> list[str]:
        return self.recipients


@dataclass
class TapResult:
    """What tapping a button did. For inline callback buttons, `text`/`show_alert`
    are the bot's answerCallbackQuery."""

    kind: str  # "callback" | "reply_keyboard" | "deep_link" | "url"
    message_id: int | None = None
    callback_query_id: str | None = None
    answered: bool = False
    text: str | None = None
    show_alert: bool = False
    url: str | None = None
    sent: Message | None = None


@dataclass
class Notice:
    """Something the web page should pop up for one user (callback answers)."""

    id: int
    user_id: int
    kind: str  # "toast" | "alert" | "url"
    text: str
