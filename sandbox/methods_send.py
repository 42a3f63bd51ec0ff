"""Bot API methods that put new messages into a chat."""

from __future__ import annotations

import copy
from typing import Any

from sandbox import compose
from sandbox.errors import bad_request
from sandbox.media import file_object
from sandbox.models import JSON, Message
from sandbox.params import Params
from sandbox.world import ChatState, World

MEDIA_KINDS = ("document", "photo", "voice", "video", "audio", "animation", "sticker", "video_note")


def deliver(
    world: World, state: ChatState, p: Params, *, invoice: bool = False, **fields: Any
) -> JSON:
    """Shared tail of every send: markup, reply, flood check, then store."""
    markup = compose.reply_markup(p, allow_reply_keyboards=not invoice)
    compose.check_pay_button(markup, invoice)
    reply_to = compose.reply_target(state, p)
    world.flood.check(state.user["id"])
    inline = compose.apply_markup(state, markup)
    state.last_action = None
    message = world.add_message(
        state, True, reply_markup=inline, reply_to_message_id=reply_to, **fields
    )
    return world.message_to_api(message)


async def send_message(world: World, p: Params) -> JSON:
    state = compose.writable_chat(world, p)
    text, entities = compose.message_text(world, p)
    return deliver(world, state, p, text=text, entities=entities)


def _send_media(kind: str) -> Any:
    async def send(world: World, p: Params) -> JSON:
        state = compose.writable_chat(world, p)
        caption, caption_entities = compose.caption(world, p)
        stored = compose.resolve_file(world, p, kind, kind)
        return deliver(
            world,
            state,
            p,
            media_kind=kind,
            media=file_object(stored, kind),
            caption=caption,
            caption_entities=caption_entities,
        )

    return send


async def send_media_group(world: World, p: Params) -> list[JSON]:
    state = compose.writable_chat(world, p)
    items = p.obj("media")
    if not isinstance(items, list) or not 2 <= len(items) <= 10:
        raise bad_request("wrong number of media specified")
    reply_to = compose.reply_target(state, p)
    world.flood.check(state.user["id"])
    group_id = str(world.next_id())
    results: list[JSON] = []
    for item in items:
        kind = item.get("type", "document")
        sub = Params({**item, kind: item.get("media")}, p.uploads)
        caption, caption_entities = compose.caption(world, sub)
        stored = compose.resolve_file(world, sub, kind, kind)
        message = world.add_message(
            state,
            True,
            media_kind=kind,
            media=file_object(stored, kind),
            caption=caption,
            caption_entities=caption_entities,
            reply_to_message_id=reply_to,
            extra={"media_group_id": group_id},
        )
        results.append(world.message_to_api(message))
    return results


def _source(world: World, p: Params) -> Message:
    source_chat = compose.target_chat(world, p, "from_chat_id")
    message_id = p.integer("message_id")
    source = source_chat.messages.get(message_id or 0)
    if source is None or source.deleted:
        raise bad_request("message to copy not found")
    return source


async def copy_message(world: World, p: Params) -> JSON:
    state = compose.writable_chat(world, p)
    source = _source(world, p)
    if source.invoice is not None or source.successful_payment is not None:
        # Like service messages, invoices can't be copied (they can be forwarded).
        raise bad_request("message can't be copied")
    fields: dict[str, Any] = {
        "text": source.text,
        "entities": copy.deepcopy(source.entities),
        "media_kind": source.media_kind,
        "media": copy.deepcopy(source.media),
        "caption": source.caption,
        "caption_entities": copy.deepcopy(source.caption_entities),
    }
    if p.has("caption"):
        fields["caption"], fields["caption_entities"] = compose.caption(world, p)
    result = deliver(world, state, p, **fields)
    return {"message_id": result["message_id"]}


async def forward_message(world: World, p: Params) -> JSON:
    state = compose.writable_chat(world, p)
    source = _source(world, p)
    if source.successful_payment is not None:
        raise bad_request("message can't be forwarded")
    world.flood.check(state.user["id"])
    origin: JSON = {"type": "user", "sender_user": source.sender, "date": source.date}
    # A forwarded invoice can be paid by whoever receives it.
    invoice = {k: copy.deepcopy(v) for k, v in source.extra.items() if k in ("invoice", "_invoice")}
    message = world.add_message(
        state,
        True,
        text=source.text,
        entities=copy.deepcopy(source.entities),
        media_kind=source.media_kind,
        media=copy.deepcopy(source.media),
        caption=source.caption,
        caption_entities=copy.deepcopy(source.caption_entities),
        extra={"forward_origin": origin, **invoice},
    )
    return world.message_to_api(message)


async def send_chat_action(world: World, p: Params) -> bool:
    state = compose.writable_chat(world, p)
    action = p.string("action")
    if not action:
        raise bad_request("action is empty")
    state.last_action = action
    world.changed()
    return True


SEND_METHODS = {
    "sendmessage": send_message,
    **{f"send{kind.replace('_', '')}": _send_media(kind) for kind in MEDIA_KINDS},
    "sendmediagroup": send_media_group,
    "copymessage": copy_message,
    "forwardmessage": forward_message,
    "sendchataction": send_chat_action,
}
