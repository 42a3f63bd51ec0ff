"""Helpers for Telegram message entities: UTF-16 arithmetic, trimming, auto-detection, rendering.

Telegram measures offsets and lengths in UTF-16 code units, so every computation here
works on UTF-16 positions rather than Python string indices.
"""

from __future__ import annotations

import html
import re
from typing import Any

Entity = dict[str, Any]

# Entities that suppress automatic detection of links/mentions inside them, as Telegram does.
_OPAQUE = {"code", "pre", "text_link", "text_mention", "custom_emoji"}
_TRIM_CHARS = " \t\r\n"
_TLDS = "com|org|net|io|me|dev|app|ru|de|uk|co|info|biz|xyz|ai|eu|us|fr|it|es|nl|tv"

_DETECTORS: list[tuple[str, re.Pattern[str]]] = [
    ("email", re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")),
    (
        "url",
        re.compile(
            r"(?<![\w@/.])(?:(?:https?|tg)://[^\s<>\"]+"
            rf"|(?:[A-Za-z0-9-]+\.)+(?:{_TLDS})(?![\w-])(?:/[^\s<>\"]*)?)",
            re.IGNORECASE,
        ),
    ),
    # Like tdlib, a "/" next to "<" or ">" is not a command, so "</b>" stays plain text.
    (
        "bot_command",
        re.compile(r"(?<![\w/<>])/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![\w/<>])"),
    ),
    ("mention", re.compile(r"(?<![\w@])@[A-Za-z0-9_]{3,32}(?![\w@])")),
    ("hashtag", re.compile(r"(?<![\w#])#\w*[^\W\d]\w*")),
]


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def utf16_slice(text: str, offset: int, length: int) -> str:
    data = text.encode("utf-16-le")
    return data[offset * 2 : (offset + length) * 2].decode("utf-16-le", errors="replace")


def _utf16_index_map(text: str) -> list[int]:
    """UTF-16 offset at the start of each Python character, plus the total at the end."""
    positions = [0]
    for char in text:
        positions.append(positions[-1] + (2 if ord(char) > 0xFFFF else 1))
    return positions


def sort_entities(entities: list[Entity]) -> list[Entity]:
    return sorted(entities, key=lambda e: (e["offset"], -e["length"]))


def trim(text: str, entities: list[Entity]) -> tuple[str, list[Entity]]:
    """Strip leading/trailing whitespace like Telegram and clip the entities to match."""
    stripped_left = text.lstrip(_TRIM_CHARS)
    lead = utf16_len(text) - utf16_len(stripped_left)
    result = stripped_left.rstrip(_TRIM_CHARS)
    total = utf16_len(result)
    fixed: list[Entity] = []
    for entity in entities:
        start = max(entity["offset"] - lead, 0)
        end = min(entity["offset"] + entity["length"] - lead, total)
        if end > start:
            fixed.append({**entity, "offset": start, "length": end - start})
    return result, fixed


def _strip_url_tail(candidate: str) -> str:
    while candidate and candidate[-1] in ".,:;!?'\"":
        candidate = candidate[:-1]
    if candidate.endswith(")") and candidate.count("(") < candidate.count(")"):
        candidate = candidate[:-1]
    return candidate


def detect(text: str, entities: list[Entity]) -> list[Entity]:
    """Add the url/email/mention/bot_command/hashtag entities Telegram finds by itself."""
    # Each character one UTF-16 unit (none beyond the BMP, the usual case): offsets as they are.
    index = None if len(text.encode("utf-16-le")) == 2 * len(text) else _utf16_index_map(text)
    taken: list[tuple[int, int]] = [
        (e["offset"], e["offset"] + e["length"]) for e in entities if e["type"] in _OPAQUE
    ]
    found: list[Entity] = []
    for kind, pattern in _DETECTORS:
        for match in pattern.finditer(text):
            value = match.group(0)
            if kind == "url":
                value = _strip_url_tail(value)
            start, end = match.start(), match.start() + len(value)
            if index is not None:
                start, end = index[start], index[end]
            if end <= start or any(start < b and a < end for a, b in taken):
                continue
            taken.append((start, end))
            found.append({"type": kind, "offset": start, "length": end - start})
    return sort_entities(entities + found)


_TAGS: dict[str, tuple[str, str]] = {
    "bold": ("<b>", "</b>"),
    "italic": ("<i>", "</i>"),
    "underline": ("<u>", "</u>"),
    "strikethrough": ("<s>", "</s>"),
    "spoiler": ("<tg-spoiler>", "</tg-spoiler>"),
    "code": ("<code>", "</code>"),
    "blockquote": ("<blockquote>", "</blockquote>"),
    "expandable_blockquote": ("<blockquote expandable>", "</blockquote>"),
}


def _open_tag(entity: Entity) -> tuple[str, str]:
    kind = entity["type"]
    if kind in _TAGS:
        return _TAGS[kind]
    if kind == "pre":
        language = entity.get("language")
        if language:
            return (f'<pre><code class="language-{html.escape(language)}">', "</code></pre>")
        return ("<pre>", "</pre>")
    if kind == "text_link":
        return (f'<a href="{html.escape(entity["url"])}">', "</a>")
    if kind == "text_mention":
        return (f'<a href="tg://user?id={entity["user"]["id"]}">', "</a>")
    if kind == "custom_emoji":
        return (f'<tg-emoji emoji-id="{entity["custom_emoji_id"]}">', "</tg-emoji>")
    return ("", "")  # auto-detected entities carry no markup of their own


def to_html(text: str, entities: list[Entity]) -> str:
    """Render text + entities back to Telegram HTML, escaping the text itself."""
    index = _utf16_index_map(text)
    at_offset = {offset: i for i, offset in enumerate(index)}
    opens: dict[int, list[Entity]] = {}
    closes: dict[int, list[str]] = {}
    for entity in sort_entities(entities):
        start, end = entity["offset"], entity["offset"] + entity["length"]
        if start not in at_offset or end not in at_offset:
            continue
        closing = _open_tag(entity)[1]
        opens.setdefault(at_offset[start], []).append(entity)
        # Later-opened (inner) entities must close first, hence prepend.
        closes.setdefault(at_offset[end], []).insert(0, closing)
    out: list[str] = []
    for i in range(len(text) + 1):
        out.extend(closes.get(i, []))
        out.extend(_open_tag(e)[0] for e in opens.get(i, []))
        if i < len(text):
            out.append(html.escape(text[i], quote=False))
    return "".join(out)
