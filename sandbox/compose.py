"""Turning a bot's request into message content, enforcing Telegram's rules on the way."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from sandbox import entities as ent
from sandbox.errors import BotApiError, EntityParseError, bad_request, forbidden
from sandbox.html_parse import parse_html
from sandbox.markdown_parse import parse_markdown, parse_markdown_v2
from sandbox.models import JSON, Message, StoredFile
from sandbox.params import Params
from sandbox.world import ChatState, World

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
_BUTTON_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)


def parse_text(
    world: World, raw: str, parse_mode: str | None, given: Any
) -> tuple[str, list[ent.Entity]]:
    """Apply parse_mode (or explicit entities), then trim and auto-detect like Telegram."""
    mode = (parse_mode or "").strip()
    try:
        if mode.lower() == "html":
            text, found = parse_html(
                raw, strict_ampersand=world.strict_html_ampersand, users=world.lookup_user
            )
        elif mode == "MarkdownV2":
            text, found = parse_markdown_v2(raw)
        elif mode.lower() == "markdown":
            text, found = parse_markdown(raw)
        elif mode:
            raise bad_request("unsupported parse_mode")
        else:
            text, found = raw, _given_entities(given)
    except EntityParseError as error:
        raise bad_request(f"can't parse entities: {error}") from None
    text, found = ent.trim(text, found)
    return text, ent.detect(text, found)


def _given_entities(given: Any) -> list[ent.Entity]:
    if given is None:
        return []
    if not isinstance(given, list) or not all(isinstance(e, dict) for e in given):
        raise bad_request("can't parse entities JSON object")
    result: list[ent.Entity] = []
    for entity in given:
        if not {"type", "offset", "length"} <= entity.keys():
            raise bad_request("can't parse entities JSON object")
        result.append(dict(entity))
    return ent.sort_entities(result)


def message_text(world: World, p: Params) -> tuple[str, list[ent.Entity]]:
    raw = p.string("text")
    if raw is None or raw == "":
        raise bad_request("message text is empty")
    text, found = parse_text(world, raw, p.string("parse_mode"), p.obj("entities"))
    if not text:
        raise bad_request("message text is empty")
    if ent.utf16_len(text) > TEXT_LIMIT:
        raise bad_request("message is too long")
    return text, found


def caption(world: World, p: Params) -> tuple[str | None, list[ent.Entity]]:
    raw = p.string("caption")
    if not raw:
        return None, []
    text, found = parse_text(world, raw, p.string("parse_mode"), p.obj("caption_entities"))
    if ent.utf16_len(text) > CAPTION_LIMIT:
        raise bad_request("message caption is too long")
    return (text or None), found


# -- keyboards ---------------------------------------------------------------------------


def _check_button(button: Any) -> JSON:
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise bad_request(
            "can't parse inline keyboard button: InlineKeyboardButton must be an Object"
        )
    actions = [key for key in _BUTTON_ACTIONS if key in button]
    if not actions:
        raise bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    if len(actions) > 1:
        raise bad_request(
            "can't parse inline keyboard button: exactly one of the optional fields must be used"
        )
    if "callback_data" in button:
        data = button["callback_data"]
        if not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= 64:
            raise bad_request("BUTTON_DATA_INVALID")
    if "url" in button:
        url = button["url"]
        parsed = urlparse(url) if isinstance(url, str) else None
        valid = parsed is not None and (
            (parsed.scheme in ("http", "https") and bool(parsed.netloc)) or parsed.scheme == "tg"
        )
        if not valid:
            raise bad_request("BUTTON_URL_INVALID")
    return dict(button)


def check_pay_button(markup: JSON | None, invoice: bool) -> None:
    """A Pay button only on an invoice, and there always first; an invoice's own keyboard
    must start with one (without a keyboard Telegram shows a default Pay button)."""
    rows = (markup or {}).get("inline_keyboard") or []
    buttons = [button for row in rows for button in row]
    paying = [index for index, button in enumerate(buttons) if "pay" in button]
    if invoice and buttons and paying[:1] != [0]:
        raise bad_request("REPLY_MARKUP_BUY_EMPTY")
    if paying and (not invoice or paying != [0]):
        raise bad_request("BUTTON_TYPE_INVALID")


def inline_keyboard(markup: Any) -> JSON:
    rows = markup.get("inline_keyboard")
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array')
    return {"inline_keyboard": [[_check_button(b) for b in row] for row in rows]}


def _reply_keyboard(markup: JSON) -> JSON:
    rows = markup.get("keyboard")
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request('field "keyboard" of the ReplyKeyboardMarkup must be an Array')
    normalized = [[b if isinstance(b, dict) else {"text": str(b)} for b in row] for row in rows]
    if any(not button.get("text") for row in normalized for button in row):
        raise bad_request("can't parse keyboard button: Text must be non-empty")
    return {**markup, "keyboard": normalized}


def reply_markup(p: Params, allow_reply_keyboards: bool = True) -> JSON | None:
    """Validate reply_markup; returns it normalised (inline or other) or None."""
    markup = p.obj("reply_markup", "reply keyboard markup")
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        return inline_keyboard(markup)
    if not allow_reply_keyboards:
        raise bad_request("inline keyboard expected")
    if "keyboard" in markup:
        return _reply_keyboard(markup)
    if markup.get("remove_keyboard") or markup.get("force_reply"):
        return markup
    raise bad_request("can't parse reply keyboard markup JSON object")


def apply_markup(state: ChatState, markup: JSON | None) -> JSON | None:
    """Store chat-level keyboards; return only what belongs on the message (inline)."""
    if markup is None:
        return None
    if "inline_keyboard" in markup:
        return markup
    if "keyboard" in markup:
        state.reply_keyboard, state.force_reply = markup, None
    elif markup.get("remove_keyboard"):
        state.reply_keyboard = None
    elif markup.get("force_reply"):
        state.force_reply = markup
    return None


# -- chats, replies, files ------------------------------------------------------------------


def target_chat(world: World, p: Params, name: str = "chat_id") -> ChatState:
    raw = p.values.get(name)
    if raw is None or raw == "":
        raise bad_request(f"{name} is empty")
    try:
        chat_id = int(raw)
    except (TypeError, ValueError):
        raise bad_request("chat not found") from None
    state = world.chats.get(chat_id)
    if state is None:
        raise bad_request("chat not found")
    return state


def writable_chat(world: World, p: Params) -> ChatState:
    state = target_chat(world, p)
    if state.blocked:
        raise forbidden("bot was blocked by the user")
    if not state.started:
        raise forbidden("bot can't initiate conversation with a user")
    return state


def reply_target(state: ChatState, p: Params) -> int | None:
    params = p.obj("reply_parameters")
    allow_missing = p.flag("allow_sending_without_reply")
    if isinstance(params, dict):
        message_id = params.get("message_id")
        allow_missing = allow_missing or bool(params.get("allow_sending_without_reply"))
    else:
        message_id = p.integer("reply_to_message_id")
    if message_id is None:
        return None
    target = state.messages.get(int(message_id))
    if target is None or target.deleted:
        if allow_missing:
            return None
        raise bad_request("message to be replied not found")
    return target.message_id


def resolve_file(world: World, p: Params, field: str, kind: str) -> StoredFile:
    """A file given as an upload, an attach:// reference or a known file_id."""
    if field in p.uploads:
        upload = p.uploads[field]
        return world.store_file(upload.data, kind, upload.filename, upload.content_type)
    value = p.string(field)
    if not value:
        raise bad_request(f"there is no {field} in the request")
    if value.startswith("attach://") and value[9:] in p.uploads:
        upload = p.uploads[value[9:]]
        return world.store_file(upload.data, kind, upload.filename, upload.content_type)
    if value.startswith(("http://", "https://")):
        raise bad_request("failed to get HTTP URL content")
    stored = world.files.get(value)
    if stored is None:
        raise bad_request("wrong file identifier/HTTP URL specified")
    return stored


def editable_message(world: World, p: Params) -> tuple[ChatState, Message]:
    if p.has("inline_message_id"):
        raise bad_request("MESSAGE_ID_INVALID")
    state = target_chat(world, p)
    message_id = p.integer("message_id")
    if message_id is None:
        raise bad_request("message identifier is not specified")
    message = state.messages.get(message_id)
    if message is None or message.deleted:
        raise bad_request("message to edit not found")
    if not message.from_bot:
        raise bad_request("message can't be edited")
    return state, message


def not_modified() -> BotApiError:
    return bad_request(
        "message is not modified: specified new message content and reply markup are exactly "
        "the same as a current content and reply markup of the message"
    )
