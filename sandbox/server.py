"""The aiohttp application: Bot API routes, file downloads, and the web chat page."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from aiohttp import web

from sandbox.errors import BotApiError
from sandbox.methods_bot import BOT_METHODS
from sandbox.methods_edit import EDIT_METHODS
from sandbox.methods_pay import PAY_METHODS
from sandbox.methods_send import SEND_METHODS
from sandbox.params import Params
from sandbox.web_api import add_web_routes
from sandbox.world import World

Method = Callable[[World, Params], Awaitable[Any]]
METHODS: dict[str, Method] = {**BOT_METHODS, **SEND_METHODS, **EDIT_METHODS, **PAY_METHODS}
WEB_DIR = Path(__file__).parent / "web"
WORLD_KEY = web.AppKey("world", World)
log = logging.getLogger("sandbox.api")


def _error(code: int, description: str, parameters: dict[str, Any] | None = None) -> web.Response:
    body: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
    if parameters:
        body["parameters"] = parameters
    return web.json_response(body, status=code)


async def bot_api(request: web.Request) -> web.Response:
    world = request.app[WORLD_KEY]
    name = request.match_info["method"]
    if request.match_info["token"] != world.token:
        world.record_error(name, {}, 401, "Unauthorized")
        return _error(401, "Unauthorized")
    method = METHODS.get(name.lower())  # Telegram matches method names case-insensitively
    if method is None:
        world.record_error(name, {}, 404, "Not Found: method not found")
        return _error(404, "Not Found: method not found")
    if world.outage.hits(name):
        # Telegram's front failing: nothing happens, and it is not the bot's mistake.
        log.info("%s -> %s (outage)", name, world.outage.status)
        return web.json_response(world.outage.body(), status=world.outage.status)
    params: Params | None = None
    try:
        params = await Params.from_request(request)
        result = await method(world, params)
    except BotApiError as error:
        recorded = params.public() if params else {}
        world.record_error(name, recorded, error.error_code, error.description)
        log.info("%s -> %s %s", name, error.error_code, error.description)
        return _error(error.error_code, error.description, error.parameters)
    return web.json_response({"ok": True, "result": result})


async def download(request: web.Request) -> web.StreamResponse:
    world = request.app[WORLD_KEY]
    if request.match_info["token"] != world.token:
        return _error(401, "Unauthorized")
    stored = world.file_by_path(request.match_info["path"])
    if stored is None:
        return _error(404, "Not Found")
    return web.Response(body=stored.data, content_type="application/octet-stream")


async def index(request: web.Request) -> web.FileResponse:
    return web.FileResponse(WEB_DIR / "index.html")


def build_app(world: World) -> web.Application:
    # Uploads up to Telegram's 50 MB bot limit plus multipart overhead.
    app = web.Application(client_max_size=60 * 1024 * 1024)
    app[WORLD_KEY] = world
    app.router.add_route("*", "/bot{token}/{method}", bot_api)
    app.router.add_get("/file/bot{token}/{path:.+}", download)
    app.router.add_get("/", index)
    app.router.add_static("/static/", WEB_DIR)
    add_web_routes(app, world)
    return app
