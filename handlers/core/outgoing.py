"""What the bot sends on its own, as outbox payloads, and the one place that sends them.

A payload names what to send (``text``, a file, an edit) with its parts, never a Bot API
method: the dispatcher hands it to ``send``, which knows the calls.
"""

from __future__ import annotations

import asyncio
import json
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any, Literal, cast

from telegram import (
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
    ReplyParameters,
    TelegramObject,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import ExtBot

Payload = dict[str, Any]
# Telegram's words, which every caller already takes for an edit that did no harm.
NOT_MODIFIED = (
    "Message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
# Messages whose last content is remembered, the latest first out.
SHOWN_REMEMBERED = 10_000
_CONTENT = {
    "sendMessage": "text",
    "editMessageText": "text",
    "editMessageCaption": "caption",
}
_EDITS = ("editMessageText", "editMessageCaption", "editMessageReplyMarkup")


def _digest(value: object) -> str:
    """A value of a call's data as text to compare: Bot API objects by their JSON."""
    if isinstance(value, TelegramObject):
        return value.to_json()
    if isinstance(value, list | tuple):
        return json.dumps([_digest(item) for item in value])
    return repr(value)


class Shown:
    """What the bot last made each message say, by (chat, message id): a digest of its text
    or caption with their formatting, and of its buttons. Only this process's calls are
    known; a message it has not sent or edited since it started is unknown, never skipped."""

    def __init__(self) -> None:
        self._messages: OrderedDict[tuple[object, object], tuple[int | None, int]] = OrderedDict()

    def unchanged(self, endpoint: str, data: dict[str, Any]) -> bool:
        """True when an edit would leave the message as it is."""
        if endpoint not in _EDITS:
            return False
        known = self._messages.get((data.get("chat_id"), data.get("message_id")))
        if known is None:
            return False
        content, markup = self._look(endpoint, data)
        return known[1] == markup and (content is None or known[0] == content)

    def forget(self, endpoint: str, data: dict[str, Any]) -> None:
        """The message of a call that failed may or may not have changed."""
        if endpoint in _EDITS:
            self._messages.pop((data.get("chat_id"), data.get("message_id")), None)

    def note(self, endpoint: str, data: dict[str, Any], result: object) -> None:
        """Notes what a call that went through made its message say."""
        if endpoint == "deleteMessage":
            self._messages.pop((data.get("chat_id"), data.get("message_id")), None)
            return
        if endpoint == "sendMessage" and isinstance(result, dict):
            key: tuple[object, object] = (data.get("chat_id"), result.get("message_id"))
        elif endpoint in _EDITS:
            key = (data.get("chat_id"), data.get("message_id"))
        else:
            return
        content, markup = self._look(endpoint, data)
        if content is None:  # only the buttons changed: the text stays as it was
            known = self._messages.get(key)
            content = known[0] if known is not None else None
        self._messages[key] = (content, markup)
        self._messages.move_to_end(key)
        if len(self._messages) > SHOWN_REMEMBERED:
            self._messages.popitem(last=False)

    @staticmethod
    def _look(endpoint: str, data: dict[str, Any]) -> tuple[int | None, int]:
        markup = hash(_digest(data.get("reply_markup")))
        field = _CONTENT.get(endpoint)
        if field is None:
            return None, markup
        entities = data.get("entities" if field == "text" else "caption_entities")
        return hash(_digest([field, data.get(field), data.get("parse_mode"), entities])), markup


FileKind = Literal["photo", "document", "voice", "video", "audio"]
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


class LeadlineBot(ExtBot[dict[str, Any]]):
    """PTB's bot with one call of its own: a text message for a caller that needs only the
    new message's id. PTB's ``send_message`` turns Telegram's answer into a ``Message``
    (every entity and button of the text parsed back), which cost as much CPU as the HTTP
    call itself on the update path (docs/PERFORMANCE.md); nothing here reads more than the id.

    It also remembers what it last made each message say (``Shown``), and an edit that would
    change nothing fails here as Telegram would fail it ("message is not modified"), without
    the call: a second tap sent before the first one's edit showed redraws the same card."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.shown: Shown
        object.__setattr__(self, "shown", Shown())  # PTB's objects are frozen once built

    async def _do_post(
        self, endpoint: str, data: dict[str, Any], **timeouts: Any
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        """Every Bot API call but getUpdates' own path: an edit that changes nothing stops
        here; what a call made a message say is noted once it went through."""
        if self.shown.unchanged(endpoint, data):
            raise BadRequest(NOT_MODIFIED)
        try:
            result = await super()._do_post(endpoint, data, **timeouts)
        except BadRequest as error:
            if "not modified" in error.message:
                self.shown.note(endpoint, data, True)  # it says that already
            else:
                self.shown.forget(endpoint, data)
            raise
        except BaseException:
            # Telegram may have made the edit and its answer got lost: unknown from here on.
            self.shown.forget(endpoint, data)
            raise
        self.shown.note(endpoint, data, result)
        return result

    async def send_text(
        self,
        chat_id: int,
        text: str,
        markup: InlineKeyboardMarkup | None = None,
        *,
        quote: int | None = None,
        bulk: bool = False,
        paid: bool = False,
    ) -> int:
        """sendMessage in HTML without link previews, like every message Leadline sends;
        ``quote`` shows it as a reply; ``bulk`` and ``paid`` as in ``send``."""
        data: dict[str, object] = {
            "chat_id": chat_id,
            "text": text,
            "parse_mode": ParseMode.HTML,
            "link_preview_options": NO_PREVIEW,
            "reply_markup": markup,
        }
        if quote:
            data["reply_parameters"] = ReplyParameters(quote, allow_sending_without_reply=True)
        if bulk and paid:
            data["allow_paid_broadcast"] = True
        lane = {"lane": "bulk"} if bulk and self.rate_limiter is not None else None
        sent = await self._post(
            "sendMessage", data, api_kwargs=self._merge_api_rl_kwargs(None, lane)
        )
        return int(sent["message_id"])

    async def get_raw_updates(
        self, offset: int | None, long_poll: int, allowed_updates: list[str]
    ) -> list[dict[str, Any]]:
        """getUpdates, Telegram's JSON as it came: the inbox stores it and digests it as is,
        and each update is parsed once (PTB's ``get_updates`` parses them, and the inbox
        needed them turned back into JSON)."""
        data: dict[str, object] = {
            "offset": offset,
            "timeout": long_poll,
            "allowed_updates": allowed_updates,
        }
        # The long poll's wait on top of the read timeout, as PTB's get_updates does.
        read_timeout = (self._request[0].read_timeout or 0) + long_poll
        return cast(
            list[dict[str, Any]], await self._post("getUpdates", data, read_timeout=read_timeout)
        )


def text(
    body: str, markup: InlineKeyboardMarkup | None = None, quote: int | None = None
) -> Payload:
    """A message in HTML, with buttons, optionally shown as a reply to ``quote``."""
    return {"send": "text", "text": body, "markup": _markup(markup), "quote": quote}


def file(
    kind: FileKind,
    file_id: str,
    caption: str | None = None,
    markup: InlineKeyboardMarkup | None = None,
    quote: int | None = None,
) -> Payload:
    """A photo, document, voice note, video or audio file already on Telegram's servers."""
    return {
        "send": kind,
        "file_id": file_id,
        "caption": caption,
        "markup": _markup(markup),
        "quote": quote,
    }


def edited_text(message_id: int, body: str, markup: InlineKeyboardMarkup | None) -> Payload:
    """A new text for a message the bot sent earlier."""
    return {"send": "edit_text", "message_id": message_id, "text": body, "markup": _markup(markup)}


def edited_caption(message_id: int, caption: str, markup: InlineKeyboardMarkup | None) -> Payload:
    """A new caption for a file the bot sent earlier."""
    return {
        "send": "edit_caption",
        "message_id": message_id,
        "caption": caption,
        "markup": _markup(markup),
    }


def _markup(markup: InlineKeyboardMarkup | None) -> dict[str, Any] | None:
    return markup.to_dict() if markup is not None else None


async def send(
    bot: LeadlineBot, chat_id: int, payload: Payload, *, bulk: bool = False, paid: bool = False
) -> int | None:
    """Sends one outbox payload to a chat; returns the new message's id (None for an edit).
    ``bulk`` puts it in the rate limiter's bulk lane (bot/lanes.py); ``paid`` makes a new
    message a paid broadcast (edits cannot be)."""
    payload = _from_earlier_version(payload)
    lane: dict[str, Any] = {}
    if bulk and bot.rate_limiter is not None:
        lane["rate_limit_args"] = {"lane": "bulk"}
    paying: dict[str, Any] = {"allow_paid_broadcast": True} if bulk and paid else {}
    kind = payload["send"]
    raw_markup = payload.get("markup")
    markup = InlineKeyboardMarkup.de_json(raw_markup, bot) if raw_markup else None
    quote = payload.get("quote")
    reply = ReplyParameters(quote, allow_sending_without_reply=True) if quote else None
    html = ParseMode.HTML
    if kind == "text":
        return await bot.send_text(
            chat_id, payload["text"], markup, quote=quote, bulk=bulk, paid=paid
        )
    if kind == "edit_text":
        await bot.edit_message_text(
            payload["text"],
            chat_id,
            payload["message_id"],
            parse_mode=html,
            reply_markup=markup,
            link_preview_options=NO_PREVIEW,
            **lane,
        )
        return None
    if kind == "edit_caption":
        await bot.edit_message_caption(
            chat_id,
            payload["message_id"],
            caption=payload["caption"],
            parse_mode=html,
            reply_markup=markup,
            **lane,
        )
        return None
    senders: dict[str, Callable[..., Awaitable[Message]]] = {
        "photo": bot.send_photo,
        "document": bot.send_document,
        "voice": bot.send_voice,
        "video": bot.send_video,
        "audio": bot.send_audio,
    }
    if kind not in senders:
        raise ValueError(f"an outbox payload cannot send {kind!r}")
    sent = await senders[kind](
        chat_id,
        payload["file_id"],
        caption=payload.get("caption"),
        parse_mode=html,
        reply_markup=markup,
        reply_parameters=reply,
        **paying,
        **lane,
    )
    return sent.message_id


class AnswersInFlight:
    """Chats a turn is answering: the outbox holds its messages to such a chat until the
    turn's own replies are out, so a person reads the answer to what they did before what
    it set off (the "Completed!" before the request for stars), whenever the outbox wakes."""

    def __init__(self) -> None:
        self._turns: dict[int, int] = {}
        self._done: dict[int, asyncio.Event] = {}

    @contextmanager
    def answering(self, chat_id: int) -> Iterator[None]:
        """Held from before a turn commits until its replies have been sent."""
        self._turns[chat_id] = self._turns.get(chat_id, 0) + 1
        self._done.setdefault(chat_id, asyncio.Event())
        try:
            yield
        finally:
            self._turns[chat_id] -= 1
            if not self._turns[chat_id]:
                del self._turns[chat_id]
                self._done.pop(chat_id).set()

    async def wait(self, chat_id: int, patience: float) -> None:
        """Returns once no turn is answering the chat, or after ``patience`` seconds."""
        done = self._done.get(chat_id)
        if done is None:
            return
        try:
            await asyncio.wait_for(done.wait(), patience)
        except TimeoutError:
            return


# Rows written by the version that stored Bot API method names, still pending at upgrade.
_EARLIER_METHODS = {
    "sendMessage": ("text", "text"),
    "editMessageText": ("edit_text", "text"),
    "editMessageCaption": ("edit_caption", "caption"),
    "sendPhoto": ("photo", "photo"),
    "sendDocument": ("document", "document"),
    "sendVoice": ("voice", "voice"),
    "sendVideo": ("video", "video"),
    "sendAudio": ("audio", "audio"),
}


def _from_earlier_version(payload: Payload) -> Payload:
    method = payload.get("method")
    if "send" in payload or method not in _EARLIER_METHODS:
        return payload
    kind, field = _EARLIER_METHODS[str(method)]
    replying = payload.get("reply_parameters")
    converted: Payload = {
        "send": kind,
        "markup": payload.get("reply_markup"),
        "quote": replying.get("message_id") if isinstance(replying, dict) else None,
        "message_id": payload.get("message_id"),
        "caption": payload.get("caption"),
    }
    converted["file_id" if field not in ("text", "caption") else field] = payload.get(field)
    return converted
