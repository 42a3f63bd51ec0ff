"""What a simulated user does, turned into messages and Telegram updates.

Shared by the Python scripting API (SimUser) and the web chat page, so both produce
exactly the same updates for the bot.
"""

from __future__ import annotations

import re
import time
from typing import Any
from urllib.parse import parse_qs, urlparse

from sandbox import entities as ent
from sandbox.errors import SandboxError
from sandbox.media import file_object
from sandbox.models import JSON, CallbackQuery, Message
from sandbox.world import ChatState, World

_EMAIL = re.compile(r"[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")


def _ensure_can_write(state: ChatState) -> None:
    if state.blocked:
        raise SandboxError(
            f"user {state.user['id']} has blocked the bot; unblock it before writing to the bot"
        )


def _push_message(world: World, state: ChatState, message: Message) -> None:
    state.started = True
    state.force_reply = None
    world.updates.push("message", world.message_to_api(message))


def send_text(world: World, state: ChatState, text: str, reply_to: int | None = None) -> Message:
    _ensure_can_write(state)
    if not text.strip():
        raise SandboxError("Telegram clients do not send empty messages")
    _check_reply(state, reply_to)
    state.addresses.update(address.lower() for address in _EMAIL.findall(text))
    message = world.add_message(
        state, False, text=text, entities=ent.detect(text, []), reply_to_message_id=reply_to
    )
    _push_message(world, state, message)
    return message


def send_media(
    world: World,
    state: ChatState,
    kind: str,
    data: bytes,
    *,
    filename: str | None = None,
    mime_type: str | None = None,
    caption: str | None = None,
    reply_to: int | None = None,
) -> Message:
    _ensure_can_write(state)
    _check_reply(state, reply_to)
    stored = world.store_file(data, kind, filename, mime_type)
    message = world.add_message(
        state,
        False,
        media_kind=kind,
        media=file_object(stored, kind),
        caption=caption or None,
        caption_entities=ent.detect(caption, []) if caption else [],
        reply_to_message_id=reply_to,
    )
    _push_message(world, state, message)
    return message


def _check_reply(state: ChatState, reply_to: int | None) -> None:
    if reply_to is not None and reply_to not in state.messages:
        raise SandboxError(f"no message {reply_to} in the chat with user {state.user['id']}")


def edit_text(world: World, state: ChatState, message_id: int, text: str) -> Message:
    _ensure_can_write(state)
    message = state.messages.get(message_id)
    if message is None or message.from_bot or message.text is None:
        raise SandboxError(f"message {message_id} is not a text message sent by this user")
    message.history.append(message.version())
    message.text, message.entities = text, ent.detect(text, [])
    message.edit_date = int(time.time())
    world.changed()
    world.updates.push("edited_message", world.message_to_api(message))
    return message


def tap_callback(
    world: World, state: ChatState, message: Message, data: str | None
) -> CallbackQuery:
    """Send a callback_query as if the user pressed an inline button carrying `data`."""
    _ensure_can_write(state)
    query = world.new_callback(state.user["id"], message.message_id, data)
    payload: JSON = {
        "id": query.id,
        "from": state.user,
        "message": world.message_to_api(message),
        "chat_instance": str(-(state.user["id"] * 31 + 7)),
    }
    if data is not None:
        payload["data"] = data
    state.started = True
    world.updates.push("callback_query", payload)
    world.changed()
    return query


def deep_link_payload(world: World, url: str) -> str | None:
    """The start payload of a t.me (or tg://resolve) link to this bot, '' for no payload."""
    parsed = urlparse(url.strip())
    query = parse_qs(parsed.query)
    bot = str(world.bot_user["username"]).lower()
    host = parsed.netloc.lower()
    if parsed.scheme in ("http", "https") and host in ("t.me", "telegram.me", "www.t.me"):
        if parsed.path.strip("/").lower() != bot:
            return None
    elif parsed.scheme == "tg" and host == "resolve":
        if query.get("domain", [""])[0].lower() != bot:
            return None
    else:
        return None
    return query.get("start", [""])[0]


def open_deep_link(world: World, state: ChatState, payload: str) -> Message:
    return send_text(world, state, f"/start {payload}" if payload else "/start")


def set_blocked(world: World, state: ChatState, blocked: bool) -> None:
    if state.blocked == blocked:
        return
    state.blocked = blocked
    old, new = ("member", "kicked") if blocked else ("kicked", "member")
    bot_member: dict[str, Any] = {"user": world.bot_user, "status": new}
    if blocked:
        bot_member["until_date"] = 0
    payload = {
        "chat": state.chat,
        "from": state.user,
        "date": int(time.time()),
        "old_chat_member": {
            "user": world.bot_user,
            "status": old,
            **({} if blocked else {"until_date": 0}),
        },
        "new_chat_member": bot_member,
    }
    world.updates.push("my_chat_member", payload)
    world.changed()


def inline_query(world: World, state: ChatState, query: str, offset: str = "") -> str:
    query_id = str(world.next_id() * 104729)
    world.inline_answers[query_id] = {}
    world.updates.push(
        "inline_query",
        {
            "id": query_id,
            "from": state.user,
            "query": query,
            "offset": offset,
            "chat_type": "sender",
        },
    )
    return query_id
