"""An SMTP server that accepts every mail and keeps it for tests and the web page."""

from __future__ import annotations

import asyncio
import html
import re
import time
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.smtp import SMTP

from sandbox.models import Email
from sandbox.world import World

_LINK = re.compile(r"""https?://[^\s<>"')\]]+|tg://[^\s<>"')\]]+""")
_HREF = re.compile(r"""href\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")


def _body(message: EmailMessage, subtype: str) -> str | None:
    part = message.get_body(preferencelist=(subtype,))
    if part is None:
        return None
    return str(part.get_content())


def extract_links(text: str, html_body: str | None) -> list[str]:
    links = [m.rstrip(".,;:!?") for m in _LINK.findall(text)]
    if html_body:
        links += [html.unescape(h) for h in _HREF.findall(html_body)]
        links += [html.unescape(m).rstrip(".,;:!?") for m in _LINK.findall(html_body)]
    return list(dict.fromkeys(links))


def parse_email(raw: bytes, sender: str, recipients: list[str]) -> Email:
    message = message_from_bytes(raw, policy=policy.default)
    html_body = _body(message, "html")
    text = _body(message, "plain")
    if text is None:
        text = html.unescape(_TAG.sub("", html_body)) if html_body else ""
    return Email(
        sender=sender,
        recipients=list(recipients),
        subject=str(message.get("subject", "")),
        text=text,
        html=html_body,
        links=extract_links(text, html_body),
        received_at=time.time(),
    )


class _Handler:
    def __init__(self, world: World) -> None:
        self.world = world

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw = envelope.original_content or envelope.content
        data = raw if isinstance(raw, bytes) else str(raw).encode("utf-8")
        self.world.add_email(parse_email(data, envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"


class SmtpSink:
    """Runs on the caller's event loop (unlike aiosmtpd's threaded Controller), so
    tests and the bot share one loop and no locking is needed."""

    def __init__(self, world: World, host: str, port: int) -> None:
        self.world = world
        self.host = host
        self.port = port
        self._server: asyncio.Server | None = None

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        handler = _Handler(self.world)
        self._server = await loop.create_server(
            lambda: SMTP(handler, hostname="sandbox.smtp", loop=loop), self.host, self.port
        )
        self.port = int(self._server.sockets[0].getsockname()[1])

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
