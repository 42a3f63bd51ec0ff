"""Telegram's HTML parse mode, ported from tdlib's parse_html so errors match byte for byte.

The parser walks UTF-8 bytes (error offsets are byte offsets) and counts UTF-16 units
for entity offsets, just like the server does.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sandbox.entities import Entity, sort_entities
from sandbox.errors import EntityParseError

_SUPPORTED = {
    "a",
    "b",
    "strong",
    "i",
    "em",
    "s",
    "strike",
    "del",
    "u",
    "ins",
    "tg-spoiler",
    "tg-emoji",
    "span",
    "pre",
    "code",
    "blockquote",
}
_SIMPLE = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "u": "underline",
    "ins": "underline",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
}
_SPACES = b" \t\r\n\0\v"
_SPECIAL = re.compile(rb"[&<]")
_NAMED = {b"lt": ord("<"), b"gt": ord(">"), b"amp": ord("&"), b"quot": ord('"')}
_USER_LINK = re.compile(r"^tg://user\?id=(\d+)$", re.IGNORECASE)
_URL = re.compile(r"^(?:(?:https?|tg|ton)://\S+|(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,}(?:[/?#:]\S*)?)$")

UserLookup = Callable[[int], dict[str, Any] | None]


@dataclass
class _Open:
    tag: str
    argument: str
    utf16_offset: int
    result_pos: int
    expandable: bool = False


def _is_space(byte: int) -> bool:
    return byte in _SPACES


def _decode_entity(data: bytes, pos: int) -> tuple[int, int] | None:
    """Decode `&...;` at pos; returns (code point, next position) or None if not an entity."""
    end = pos + 1
    value = 0
    if data[end] == ord("#"):
        end += 1
        if data[end] == ord("x"):
            end += 1
            while chr(data[end]) in "0123456789abcdefABCDEF":
                value = value * 16 + int(chr(data[end]), 16)
                end += 1
        else:
            while chr(data[end]).isdigit() and data[end] < 128:
                value = value * 10 + data[end] - 48
                end += 1
        if value == 0 or value >= 0x10FFFF or end - pos >= 10:
            return None
    else:
        while chr(data[end]).isalpha() and data[end] < 128:
            end += 1
        named = _NAMED.get(data[pos + 1 : end])
        if named is None:
            return None
        value = named
    if data[end] == ord(";"):
        end += 1
    return value, end


def _check_url(url: str) -> str | None:
    url = url.strip()
    if not _URL.match(url):
        return None
    if "://" not in url:
        return "http://" + url
    return url


class _Parser:
    def __init__(self, text: str, strict_ampersand: bool, users: UserLookup | None) -> None:
        self.data = text.encode("utf-8") + b"\0"
        self.size = len(self.data) - 1
        self.strict = strict_ampersand
        self.users = users
        self.result = bytearray()
        self.utf16 = 0
        self.entities: list[Entity] = []
        self.stack: list[_Open] = []
        self.bad_unicode = False

    def _append(self, code_point: int) -> None:
        if 0xD800 <= code_point <= 0xDFFF:
            self.bad_unicode = True
            return
        self.result += chr(code_point).encode("utf-8")
        self.utf16 += 2 if code_point > 0xFFFF else 1

    def run(self) -> tuple[str, list[Entity]]:
        data = self.data
        i = 0
        while i < self.size:
            special = _SPECIAL.search(data, i, self.size)
            end = special.start() if special is not None else self.size
            if end > i:
                # Plain text up to the next "&" or "<", copied at once (a long reply is
                # mostly that; byte by byte it cost the sandbox more than the bot's turn).
                chunk = data[i:end]
                self.result += chunk
                self.utf16 += len(chunk.decode("utf-8").encode("utf-16-le")) // 2
                i = end
                continue
            if data[i] == ord("&"):
                decoded = _decode_entity(data, i)
                if decoded is not None:
                    self._append(decoded[0])
                    i = decoded[1]
                    continue
                if self.strict:
                    # Telegram itself keeps a bare "&"; the sandbox refuses it to catch
                    # user text that was not escaped with html.escape.
                    raise EntityParseError(
                        f'Unescaped "&" at byte offset {i}; use "&amp;" for a literal ampersand'
                    )
                self.result.append(data[i])
                self.utf16 += 1
                i += 1
                continue
            i = self._end_tag(i) if data[i + 1] == ord("/") else self._start_tag(i)
        if self.stack:
            raise EntityParseError(
                f'Can\'t find end tag corresponding to start tag "{self.stack[-1].tag}"'
            )
        if self.bad_unicode:
            raise EntityParseError(
                "Text contains invalid Unicode characters after decoding HTML entities, "
                "check for unmatched surrogate code units"
            )
        for entity in self.entities:
            if entity["type"] == "code":
                entity.pop("language", None)
        return self.result.decode("utf-8"), sort_entities(self.entities)

    def _start_tag(self, begin: int) -> int:
        data = self.data
        i = begin + 1
        while not _is_space(data[i]) and data[i] != ord(">"):
            i += 1
        if data[i] == 0 and i >= self.size:
            raise EntityParseError(f"Unclosed start tag at byte offset {begin}")
        tag = data[begin + 1 : i].decode("utf-8", errors="replace").lower()
        if tag not in _SUPPORTED:
            raise EntityParseError(f'Unsupported start tag "{tag}" at byte offset {begin}')
        argument, url, expandable = "", "", False
        while data[i] != ord(">"):
            while i < self.size and _is_space(data[i]):
                i += 1
            if data[i] == ord(">"):
                break
            attr_begin = i
            while not _is_space(data[i]) and data[i] not in (ord("="), ord(">")):
                i += 1
            attr = data[attr_begin:i].decode("utf-8", errors="replace")
            if not attr:
                raise EntityParseError(
                    f'Empty attribute name in the tag "{tag}" at byte offset {begin}'
                )
            while i < self.size and _is_space(data[i]):
                i += 1
            if data[i] != ord("="):
                if tag == "blockquote" and attr == "expandable":
                    expandable = True
                    continue
                raise EntityParseError(
                    "Expected equal sign in declaration of an attribute of the tag "
                    f'"{tag}" at byte offset {begin}'
                )
            i += 1
            while i < self.size and _is_space(data[i]):
                i += 1
            if i >= self.size:
                raise EntityParseError(f'Unclosed start tag "{tag}" at byte offset {begin}')
            value, i = self._attribute_value(i)
            if i >= self.size:
                raise EntityParseError(f"Unclosed start tag at byte offset {begin}")
            if tag == "a" and attr == "href":
                url = value
            elif tag == "code" and attr == "class" and value.startswith("language-"):
                argument = value[9:]
            elif tag == "span" and attr == "class" and value.startswith("tg-"):
                argument = value[3:]
            elif tag == "tg-emoji" and attr == "emoji-id":
                argument = value
        if tag == "span" and argument != "spoiler":
            raise EntityParseError(
                f'Tag "span" must have class "tg-spoiler" at byte offset {begin}'
            )
        if tag == "tg-emoji" and not (argument.isascii() and argument.isdigit()):
            raise EntityParseError("Invalid custom emoji identifier specified")
        self.stack.append(
            _Open(tag, url if tag == "a" else argument, self.utf16, len(self.result), expandable)
        )
        return i + 1

    def _attribute_value(self, i: int) -> tuple[str, int]:
        data = self.data
        if data[i] not in (ord("'"), ord('"')):
            start = i
            while (chr(data[i]).isalnum() and data[i] < 128) or data[i] in (ord("."), ord("-")):
                i += 1
            if not _is_space(data[i]) and data[i] != ord(">"):
                raise EntityParseError(f"Unexpected end of name token at byte offset {start}")
            return data[start:i].decode("ascii").lower(), i
        quote = data[i]
        i += 1
        value = bytearray()
        while i < self.size and data[i] != quote:
            if data[i] == ord("&"):
                decoded = _decode_entity(data, i)
                if decoded is not None:
                    value += chr(decoded[0]).encode("utf-8", errors="replace")
                    i = decoded[1]
                    continue
            value.append(data[i])
            i += 1
        if i < self.size and data[i] == quote:
            i += 1
        return value.decode("utf-8", errors="replace"), i

    def _end_tag(self, begin: int) -> int:
        data = self.data
        if not self.stack:
            raise EntityParseError(f"Unexpected end tag at byte offset {begin}")
        i = begin + 2
        while not _is_space(data[i]) and data[i] != ord(">"):
            i += 1
        end_name = data[begin + 2 : i].decode("utf-8", errors="replace")
        while i < self.size and _is_space(data[i]):
            i += 1
        if data[i] != ord(">"):
            raise EntityParseError(f"Unclosed end tag at byte offset {begin}")
        opened = self.stack[-1]
        if end_name and end_name != opened.tag:
            raise EntityParseError(
                f'Unmatched end tag at byte offset {begin}, expected "</{opened.tag}>", '
                f'found "</{end_name}>"'
            )
        if self.utf16 > opened.utf16_offset:
            self._add_entity(opened, self.utf16 - opened.utf16_offset)
        self.stack.pop()
        return i + 1

    def _add_entity(self, opened: _Open, length: int) -> None:
        offset, tag, last = opened.utf16_offset, opened.tag, self.entities[-1:]
        same_span = bool(last) and last[0]["offset"] == offset and last[0]["length"] == length
        if tag in _SIMPLE:
            self.entities.append({"type": _SIMPLE[tag], "offset": offset, "length": length})
        elif tag == "a":
            url = opened.argument or self.result[opened.result_pos :].decode("utf-8", "replace")
            user_match = _USER_LINK.match(url)
            user = self.users(int(user_match.group(1))) if user_match and self.users else None
            checked = _check_url(url)
            if user is not None:
                self.entities.append(
                    {"type": "text_mention", "offset": offset, "length": length, "user": user}
                )
            elif checked is not None and not user_match:
                self.entities.append(
                    {"type": "text_link", "offset": offset, "length": length, "url": checked}
                )
        elif tag == "pre":
            if same_span and last[0]["type"] == "code" and last[0].get("language"):
                last[0]["type"] = "pre"
            else:
                self.entities.append({"type": "pre", "offset": offset, "length": length})
        elif tag == "code":
            if same_span and last[0]["type"] == "pre" and opened.argument:
                last[0]["language"] = opened.argument
            else:
                entity: Entity = {"type": "code", "offset": offset, "length": length}
                if opened.argument:
                    entity["language"] = opened.argument
                self.entities.append(entity)
        elif tag == "blockquote":
            kind = "expandable_blockquote" if opened.expandable else "blockquote"
            self.entities.append({"type": kind, "offset": offset, "length": length})
        elif tag == "tg-emoji":
            self.entities.append(
                {
                    "type": "custom_emoji",
                    "offset": offset,
                    "length": length,
                    "custom_emoji_id": opened.argument,
                }
            )


def parse_html(
    text: str, *, strict_ampersand: bool = True, users: UserLookup | None = None
) -> tuple[str, list[Entity]]:
    """Return (plain text, entities) or raise EntityParseError worded like Telegram."""
    return _Parser(text, strict_ampersand, users).run()
