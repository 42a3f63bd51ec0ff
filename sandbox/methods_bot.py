"""Bot API methods about the bot itself, updates, commands, files and chats."""

from __future__ import annotations

import json
import re
from typing import Any

from sandbox import compose
from sandbox.errors import bad_request
from sandbox.models import JSON
from sandbox.params import Params
from sandbox.world import World

_COMMAND = re.compile(r"^[a-z0-9_]{1,32}$")
_MAX_DOWNLOAD = 20 * 1024 * 1024


async def get_me(world: World, p: Params) -> JSON:
    return {
        **world.bot_user,
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": True,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


async def get_updates(world: World, p: Params) -> list[JSON]:
    allowed = p.obj("allowed_updates")
    return await world.updates.get_updates(
        p.integer("offset"),
        p.integer("limit") or 100,
        p.number("timeout") or 0.0,
        allowed if isinstance(allowed, list) else None,
    )


_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


async def set_webhook(world: World, p: Params) -> bool:
    url = p.string("url") or ""
    if not url:
        world.webhook.delete()
        if p.flag("drop_pending_updates"):
            world.updates.drop_pending()
        return True
    local = url.startswith(("http://127.0.0.1", "http://localhost"))
    if not url.startswith("https://") and not local:
        # Telegram insists on HTTPS; plain HTTP to localhost is allowed for local trials.
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    secret = p.string("secret_token")
    if secret and not _SECRET.match(secret):
        raise bad_request("secret token contains unallowed characters")
    connections = p.integer("max_connections") or 40
    if not 1 <= connections <= 100:
        raise bad_request("bad webhook: max_connections must be between 1 and 100")
    if p.flag("drop_pending_updates"):
        world.updates.drop_pending()
    allowed = p.obj("allowed_updates")
    world.updates.set_allowed(allowed if isinstance(allowed, list) else None)
    world.webhook.set(url, secret or None, connections)
    return True


async def delete_webhook(world: World, p: Params) -> bool:
    world.webhook.delete()
    if p.flag("drop_pending_updates"):
        world.updates.drop_pending()
    return True


async def get_webhook_info(world: World, p: Params) -> JSON:
    return world.webhook.info()


def _scope_key(p: Params) -> str:
    scope = p.obj("scope") or {"type": "default"}
    return json.dumps([scope, p.string("language_code") or ""], sort_keys=True)


async def set_my_commands(world: World, p: Params) -> bool:
    commands = p.obj("commands")
    if not isinstance(commands, list) or len(commands) > 100:
        raise bad_request("can't parse commands JSON object")
    for command in commands:
        if not isinstance(command, dict) or not _COMMAND.match(str(command.get("command", ""))):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(str(command.get("description", ""))) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
    world.commands[_scope_key(p)] = [
        {"command": c["command"], "description": c["description"]} for c in commands
    ]
    world.changed()
    return True


async def get_my_commands(world: World, p: Params) -> list[JSON]:
    return world.commands.get(_scope_key(p), [])


async def delete_my_commands(world: World, p: Params) -> bool:
    world.commands.pop(_scope_key(p), None)
    world.changed()
    return True


async def set_chat_menu_button(world: World, p: Params) -> bool:
    button = p.obj("menu_button") or {"type": "default"}
    if not isinstance(button, dict) or "type" not in button:
        raise bad_request("can't parse menu button JSON object")
    world.menu_button = button
    return True


async def get_chat_menu_button(world: World, p: Params) -> JSON:
    return world.menu_button


async def get_file(world: World, p: Params) -> JSON:
    stored = world.files.get(p.string("file_id") or "")
    if stored is None:
        raise bad_request("invalid file_id")
    if stored.file_size > _MAX_DOWNLOAD:
        raise bad_request("file is too big")
    return {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": stored.file_size,
        "file_path": stored.file_path,
    }


async def get_chat(world: World, p: Params) -> JSON:
    state = compose.target_chat(world, p)
    return {
        **state.chat,
        "accent_color_id": 0,
        "max_reaction_count": 11,
        "accepted_gift_types": {
            "unlimited_gifts": False,
            "limited_gifts": False,
            "unique_gifts": False,
            "premium_subscription": False,
            "gifts_from_channels": False,
        },
    }


async def get_chat_member(world: World, p: Params) -> JSON:
    state = compose.target_chat(world, p)
    user_id = p.integer("user_id")
    if user_id == world.bot_user["id"]:
        return {"status": "member", "user": world.bot_user}
    if user_id != state.user["id"]:
        raise bad_request("user not found")
    status = "kicked" if state.blocked else "member"
    return {"status": status, "user": state.user, "until_date": 0}


async def get_user_profile_photos(world: World, p: Params) -> JSON:
    return {"total_count": 0, "photos": []}


async def accept(world: World, p: Params) -> bool:
    """Settings the sandbox stores but never acts on (descriptions, names, reactions)."""
    world.bot_settings.update(p.values)
    return True


async def true(world: World, p: Params) -> bool:
    return True


BOT_METHODS: dict[str, Any] = {
    "getme": get_me,
    "getupdates": get_updates,
    "setwebhook": set_webhook,
    "deletewebhook": delete_webhook,
    "getwebhookinfo": get_webhook_info,
    "logout": true,
    "close": true,
    "setmycommands": set_my_commands,
    "getmycommands": get_my_commands,
    "deletemycommands": delete_my_commands,
    "setchatmenubutton": set_chat_menu_button,
    "getchatmenubutton": get_chat_menu_button,
    "getfile": get_file,
    "getchat": get_chat,
    "getchatmember": get_chat_member,
    "getuserprofilephotos": get_user_profile_photos,
    "setmydescription": accept,
    "setmyshortdescription": accept,
    "setmyname": accept,
    "setmessagereaction": true,
    "pinchatmessage": true,
    "unpinchatmessage": true,
}
