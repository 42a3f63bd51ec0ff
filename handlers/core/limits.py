"""Telegram measures text in UTF-16 code units (an emoji counts two); so does this."""

from __future__ import annotations

import re
from html import unescape

_TAG = re.compile(r"<[^>]+>")


def units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def clip(text: str, limit: int, ending: str = "…") -> str:
    """The text, cut so that it and the ending fit in ``limit`` UTF-16 units."""
    if units(text) <= limit:
        return text
    room = limit - units(ending)
    kept, used = [], 0
    for char in text:
        used += units(char)
        if used > room:
            break
        kept.append(char)
    return "".join(kept).rstrip() + ending


def visible(html: str) -> str:
    """The text of an HTML message as Telegram counts it: tags gone, entities resolved."""
    return unescape(_TAG.sub("", html))
