"""The small JSON API behind the web chat page (/sandbox/api/...)."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web
from aiohttp.web_request import FileField

from sandbox import actions, payments
from sandbox.currencies import format_amount
from sandbox.errors import SandboxError
from sandbox.models import JSON, Email, Message
from sandbox.world import ChatState, World

_LONG_POLL = 25.0


def _message_json(world: World, message: Message) -> JSON:
    data: JSON = {
        "message_id": message.message_id,
        "from_bot": message.from_bot,
        "date": message.date,
        "text": message.text,
        "entities": message.entities,
        "caption": message.caption,
        "caption_entities": message.caption_entities,
        "media_kind": message.media_kind,
        "reply_markup": message.reply_markup,
        "edited": message.edited,
        "invoice": _invoice_json(world, message),
        "service": _service_text(world, message),
    }
    media = message.media[-1] if isinstance(message.media, list) else message.media
    if isinstance(media, dict) and "file_id" in media:
        data["file"] = {
            "file_id": media["file_id"],
            "file_name": media.get("file_name"),
            "size": media.get("file_size"),
        }
    state = world.chats[message.chat_id]
    target = state.messages.get(message.reply_to_message_id or 0)
    if target is not None:
        data["reply_to"] = {
            "message_id": target.message_id,
            "from_bot": target.from_bot,
            "preview": target.content[:80] or f"[{target.media_kind}]",
        }
    return data


def _invoice_json(world: World, message: Message) -> JSON | None:
    """The invoice as the payer sees it: its total formatted, and whether it is paid."""
    invoice = message.invoice
    if invoice is None:
        return None
    tries = payments.payments_for(world, world.chats[message.chat_id], message.message_id)
    status = "unpaid"
    if any(p.ok for p in tries):
        status = "paid"
    elif any(p.pending for p in tries):
        status = "pending"
    total = format_amount(invoice["total_amount"], invoice["currency"])
    return {**invoice, "total_text": total, "status": status}


def _service_text(world: World, message: Message) -> str | None:
    """Telegram's line for a payment in the chat, where a bubble would be."""
    paid = message.successful_payment
    if paid is None:
        return None
    state = world.chats[message.chat_id]
    invoice = state.messages[message.extra["_invoice_message_id"]].invoice or {}
    total = format_amount(paid["total_amount"], paid["currency"])
    bot = world.bot_user["first_name"]
    return f"You successfully transferred {total} to {bot} for {invoice.get('title', '')}"


def _preview(message: Message) -> str:
    if message.invoice:
        return f"[invoice] {message.invoice['title']}"
    if message.successful_payment:
        return "[payment]"
    return message.content or f"[{message.media_kind or 'message'}]"


def _user_json(state: ChatState) -> JSON:
    visible = [m for m in state.messages.values() if not m.deleted]
    last = visible[-1] if visible else None
    return {
        **state.user,
        "blocked": state.blocked,
        "started": state.started,
        "preview": _preview(last) if last else "",
        "addresses": sorted(state.addresses),
    }


def _mail_json(email: Email, mine: set[str]) -> JSON:
    return {
        "id": email.id,
        "from": email.sender,
        "to": email.recipients,
        "subject": email.subject,
        "text": email.text,
        "links": email.links,
        "received_at": email.received_at,
        "mine": bool(mine & {r.lower() for r in email.recipients}),
    }


def snapshot(world: World, user_id: int | None) -> JSON:
    state = world.chats.get(user_id or 0)
    data: JSON = {
        "version": world.version,
        "bot": world.bot_user,
        "users": [_user_json(s) for s in world.chats.values()],
        "errors": [{"method": e.method, "description": e.description} for e in world.errors[-20:]],
        "error_count": len(world.errors),
        "commands": next(iter(world.commands.values()), []),
        "chat": None,
        "notices": [],
        "mails": [],
    }
    if state is not None:
        data["chat"] = {
            "user_id": state.user["id"],
            "messages": [_message_json(world, m) for m in state.messages.values() if not m.deleted],
            "reply_keyboard": state.reply_keyboard,
            "force_reply": state.force_reply,
            "action": state.last_action,
        }
        data["notices"] = [n.__dict__ for n in world.notices if n.user_id == state.user["id"]]
        data["mails"] = [_mail_json(e, state.addresses) for e in reversed(world.emails)]
    return data


async def _body(request: web.Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError:
        raise web.HTTPBadRequest(text="expected a JSON body") from None
    if not isinstance(body, dict):
        raise web.HTTPBadRequest(text="expected a JSON object")
    return body


def add_web_routes(app: web.Application, world: World) -> None:
    def state_of(request: web.Request) -> ChatState:
        state = world.chats.get(int(request.match_info["uid"]))
        if state is None:
            raise web.HTTPNotFound(text="no such user")
        return state

    def ok(data: Any = None) -> web.Response:
        return web.json_response({"ok": True, "result": data})

    async def get_state(request: web.Request) -> web.Response:
        since = int(request.query.get("since", "-1"))
        user = request.query.get("user")
        await world.wait_version(since, _LONG_POLL if since >= 0 else 0)
        return web.json_response(snapshot(world, int(user) if user else None))

    async def create_user(request: web.Request) -> web.Response:
        body = await _body(request)
        first_name = str(body.get("first_name", "")).strip()
        if not first_name:
            raise web.HTTPBadRequest(text="first name is required")
        state = world.create_user(
            first_name,
            str(body.get("last_name") or "").strip() or None,
            str(body.get("username") or "").strip() or None,
        )
        return ok(state.user)

    async def guarded(request: web.Request, action: Any) -> web.Response:
        try:
            result = action()
        except SandboxError as error:
            return web.json_response({"ok": False, "error": str(error)}, status=400)
        return ok(result)

    async def send(request: web.Request) -> web.Response:
        state, body = state_of(request), await _body(request)
        reply_to = int(body["reply_to"]) if body.get("reply_to") else None
        return await guarded(
            request,
            lambda: actions.send_text(world, state, str(body.get("text", "")), reply_to).message_id,
        )

    async def upload(request: web.Request) -> web.Response:
        state = state_of(request)
        form = await request.post()
        file = form.get("file")
        if not isinstance(file, FileField):
            raise web.HTTPBadRequest(text="no file")
        kind = "photo" if str(form.get("kind")) == "photo" else "document"
        reply = str(form.get("reply_to") or "")
        return await guarded(
            request,
            lambda: (
                actions.send_media(
                    world,
                    state,
                    kind,
                    file.file.read(),
                    filename=file.filename,
                    mime_type=file.content_type,
                    caption=str(form.get("caption") or "") or None,
                    reply_to=int(reply) if reply else None,
                ).message_id
            ),
        )

    async def tap(request: web.Request) -> web.Response:
        state, body = state_of(request), await _body(request)
        message = state.messages.get(int(body["message_id"]))
        if message is None:
            raise web.HTTPNotFound(text="no such message")
        button = message.inline_buttons[int(body["row"])][int(body["col"])]
        return await guarded(
            request,
            lambda: actions.tap_callback(world, state, message, button.get("callback_data")).id,
        )

    async def pay(request: web.Request) -> web.Response:
        state, body = state_of(request), await _body(request)
        message_id = int(body["message_id"])
        return await guarded(request, lambda: payments.start(world, state, message_id).id)

    async def open_link(request: web.Request) -> web.Response:
        state, body = state_of(request), await _body(request)
        payload = actions.deep_link_payload(world, str(body.get("url", "")))
        if payload is None:
            return ok({"deep_link": False})
        return await guarded(
            request,
            lambda: {
                "deep_link": True,
                "message_id": actions.open_deep_link(world, state, payload).message_id,
            },
        )

    async def block(request: web.Request) -> web.Response:
        state, body = state_of(request), await _body(request)
        actions.set_blocked(world, state, bool(body.get("blocked")))
        return ok(state.blocked)

    async def edit(request: web.Request) -> web.Response:
        state, body = state_of(request), await _body(request)
        return await guarded(
            request,
            lambda: (
                actions.edit_text(
                    world, state, int(body["message_id"]), str(body.get("text", ""))
                ).message_id
            ),
        )

    async def file(request: web.Request) -> web.Response:
        stored = world.files.get(request.match_info["file_id"])
        if stored is None:
            raise web.HTTPNotFound()
        return web.Response(
            body=stored.data,
            content_type=stored.mime_type or "application/octet-stream",
            headers={
                "Content-Disposition": "inline; filename="
                + json.dumps(stored.file_name or stored.file_path)
            },
        )

    base = "/sandbox/api"
    app.router.add_get(f"{base}/state", get_state)
    app.router.add_post(f"{base}/users", create_user)
    app.router.add_post(f"{base}/users/{{uid}}/send", send)
    app.router.add_post(f"{base}/users/{{uid}}/upload", upload)
    app.router.add_post(f"{base}/users/{{uid}}/tap", tap)
    app.router.add_post(f"{base}/users/{{uid}}/link", open_link)
    app.router.add_post(f"{base}/users/{{uid}}/pay", pay)
    app.router.add_post(f"{base}/users/{{uid}}/block", block)
    app.router.add_post(f"{base}/users/{{uid}}/edit", edit)
    app.router.add_get(f"{base}/files/{{file_id}}", file)
