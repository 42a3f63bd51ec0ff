"""Bot API methods that change existing messages or answer queries."""

from __future__ import annotations

import time

from sandbox import compose
from sandbox.errors import bad_request
from sandbox.models import JSON, Message
from sandbox.params import Params
from sandbox.world import ChatState, World

QUERY_INVALID = "query is too old and response timeout expired or query ID is invalid"


def _apply_edit(
    world: World,
    state: ChatState,
    message: Message,
    *,
    markup: JSON | None,
    text: str | None = None,
    entities: list[JSON] | None = None,
    caption: bool = False,
    content_changed: bool = True,
) -> JSON:
    compose.check_pay_button(markup, message.invoice is not None)
    message.history.append(message.version())
    if text is not None and not caption:
        message.text, message.entities = text, entities or []
    elif caption:
        message.caption, message.caption_entities = text, entities or []
    message.reply_markup = markup
    if content_changed:
        message.edit_date = int(time.time())
    world.record_bot_edit(state, message)
    return world.message_to_api(message)


async def edit_message_text(world: World, p: Params) -> JSON:
    state, message = compose.editable_message(world, p)
    if message.text is None:
        raise bad_request("there is no text in the message to edit")
    text, entities = compose.message_text(world, p)
    markup = compose.reply_markup(p, allow_reply_keyboards=False)
    if (text, entities, markup) == (message.text, message.entities, message.reply_markup):
        raise compose.not_modified()
    changed = (text, entities) != (message.text, message.entities)
    return _apply_edit(
        world, state, message, markup=markup, text=text, entities=entities, content_changed=changed
    )


async def edit_message_caption(world: World, p: Params) -> JSON:
    state, message = compose.editable_message(world, p)
    if message.media_kind is None:
        raise bad_request("there is no caption in the message to edit")
    caption, entities = compose.caption(world, p)
    markup = compose.reply_markup(p, allow_reply_keyboards=False)
    current = (message.caption, message.caption_entities, message.reply_markup)
    if (caption, entities, markup) == current:
        raise compose.not_modified()
    changed = (caption, entities) != (message.caption, message.caption_entities)
    return _apply_edit(
        world,
        state,
        message,
        markup=markup,
        text=caption,
        entities=entities,
        caption=True,
        content_changed=changed,
    )


async def edit_message_reply_markup(world: World, p: Params) -> JSON:
    state, message = compose.editable_message(world, p)
    markup = compose.reply_markup(p, allow_reply_keyboards=False)
    if markup == message.reply_markup:
        raise compose.not_modified()
    return _apply_edit(world, state, message, markup=markup, content_changed=False)


def _delete(world: World, state: ChatState, message_id: int | None) -> bool:
    message = state.messages.get(message_id or 0)
    if message is None or message.deleted:
        return False
    message.deleted = True
    world.changed()
    return True


async def delete_message(world: World, p: Params) -> bool:
    state = compose.target_chat(world, p)
    if not _delete(world, state, p.integer("message_id")):
        raise bad_request("message to delete not found")
    return True


async def delete_messages(world: World, p: Params) -> bool:
    state = compose.target_chat(world, p)
    ids = p.obj("message_ids")
    if not isinstance(ids, list) or not ids:
        raise bad_request("message_ids is empty")
    for message_id in ids:
        _delete(world, state, int(message_id))
    return True


async def answer_callback_query(world: World, p: Params) -> bool:
    query = world.callbacks.get(p.string("callback_query_id") or "")
    if query is None or query.answered:
        raise bad_request(QUERY_INVALID)
    text = p.string("text")
    if text is not None and len(text) > 200:
        raise bad_request("MESSAGE_TOO_LONG")
    query.answered = True
    query.answered_unconfirmed = any(
        update.get("callback_query", {}).get("id") == query.id for update in world.updates.pending
    )
    query.answer_text = text or None
    query.show_alert = p.flag("show_alert")
    query.url = p.string("url")
    query.cache_time = p.integer("cache_time") or 0
    query.answered_event.set()
    if text:
        world.add_notice(query.user_id, "alert" if query.show_alert else "toast", text)
    if query.url:
        world.add_notice(query.user_id, "url", query.url)
    world.changed()
    return True


async def answer_inline_query(world: World, p: Params) -> bool:
    query_id = p.string("inline_query_id") or ""
    if query_id not in world.inline_answers or world.inline_answers[query_id]:
        raise bad_request(QUERY_INVALID)
    results = p.obj("results")
    if not isinstance(results, list):
        raise bad_request("can't parse inline query results JSON object")
    if len(results) > 50:
        raise bad_request("RESULTS_TOO_MUCH")
    world.inline_answers[query_id] = {
        "results": results,
        "next_offset": p.string("next_offset"),
        "button": p.obj("button"),
    }
    world.changed()
    return True


EDIT_METHODS = {
    "editmessagetext": edit_message_text,
    "editmessagecaption": edit_message_caption,
    "editmessagereplymarkup": edit_message_reply_markup,
    "deletemessage": delete_message,
    "deletemessages": delete_messages,
    "answercallbackquery": answer_callback_query,
    "answerinlinequery": answer_inline_query,
}
