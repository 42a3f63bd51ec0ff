"""What the bot sends on its own, as outbox payloads, and the one place that sends them.

A payload names what to send (``text``, a file, an edit) with its parts, never a Bot API
method: the dispatcher hands it to ``send``, which knows the calls.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any, Literal

from telegram import Bot, InlineKeyboardMarkup, LinkPreviewOptions, ReplyParameters
from telegram.constants import ParseMode
from telegram.ext import ExtBot

Payload = dict[str, Any]
FileKind = Literal["photo", "document", "voice", "video", "audio"]
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


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
    bot: Bot, chat_id: int, payload: Payload, *, bulk: bool = False, paid: bool = False
) -> object:
    """Sends one outbox payload to a chat; returns what the Bot API returned. ``bulk`` puts
    it in the rate limiter's bulk lane (bot/lanes.py); ``paid`` makes a new message a paid
    broadcast (edits cannot be)."""
    payload = _from_earlier_version(payload)
    lane: dict[str, Any] = {}
    if bulk and isinstance(bot, ExtBot) and bot.rate_limiter is not None:
        lane["rate_limit_args"] = {"lane": "bulk"}
    paying: dict[str, Any] = {"allow_paid_broadcast": True} if bulk and paid else {}
    kind = payload["send"]
    raw_markup = payload.get("markup")
    markup = InlineKeyboardMarkup.de_json(raw_markup, bot) if raw_markup else None
    quote = payload.get("quote")
    reply = ReplyParameters(quote, allow_sending_without_reply=True) if quote else None
    html = ParseMode.HTML
    if kind == "text":
        return await bot.send_message(
            chat_id,
            payload["text"],
            parse_mode=html,
            reply_markup=markup,
            reply_parameters=reply,
            link_preview_options=NO_PREVIEW,
            **paying,
            **lane,
        )
    if kind == "edit_text":
        return await bot.edit_message_text(
            payload["text"],
            chat_id,
            payload["message_id"],
            parse_mode=html,
            reply_markup=markup,
            link_preview_options=NO_PREVIEW,
            **lane,
        )
    if kind == "edit_caption":
        return await bot.edit_message_caption(
            chat_id,
            payload["message_id"],
            caption=payload["caption"],
            parse_mode=html,
            reply_markup=markup,
            **lane,
        )
    senders: dict[str, Callable[..., Awaitable[object]]] = {
        "photo": bot.send_photo,
        "document": bot.send_document,
        "voice": bot.send_voice,
        "video": bot.send_video,
        "audio": bot.send_audio,
    }
    if kind not in senders:
        raise ValueError(f"an outbox payload cannot send {kind!r}")
    return await senders[kind](
        chat_id,
        payload["file_id"],
        caption=payload.get("caption"),
        parse_mode=html,
        reply_markup=markup,
        reply_parameters=reply,
        **paying,
        **lane,
    )


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
