"""MarkdownV2 and legacy Markdown parse modes (the common subset, worded like tdlib).

Blockquotes ('>' at line start) and custom emoji are not supported in Markdown here;
the sandbox's bot speaks HTML, so these parsers only need to be faithful on the basics.
"""

from __future__ import annotations

from sandbox.entities import Entity, sort_entities, utf16_len
from sandbox.errors import EntityParseError

_RESERVED = set("_*[]()~`>#+-=|{}.!")
_NAMES = {
    "bold": "Bold",
    "italic": "Italic",
    "underline": "Underline",
    "strikethrough": "Strikethrough",
    "spoiler": "Spoiler",
    "text_link": "TextUrl",
    "code": "Code",
    "pre": "Pre",
}


class _Open:
    def __init__(self, kind: str, offset: int, byte_offset: int) -> None:
        self.kind, self.offset, self.byte_offset = kind, offset, byte_offset


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


def _marker(text: str, i: int) -> tuple[str, int] | None:
    """The formatting marker starting at text[i], as (kind, marker length)."""
    two = text[i : i + 2]
    if two == "__":
        return "underline", 2
    if two == "||":
        return "spoiler", 2
    single = {"*": "bold", "_": "italic", "~": "strikethrough"}.get(text[i])
    return (single, 1) if single else None


def _read_code(text: str, i: int, fence: str) -> tuple[str, int]:
    """Read code up to the closing fence, honouring backslash escapes of ` and \\."""
    out: list[str] = []
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text) and text[i + 1] in "`\\":
            out.append(text[i + 1])
            i += 2
            continue
        if text.startswith(fence, i):
            return "".join(out), i + len(fence)
        out.append(text[i])
        i += 1
    raise EntityParseError


def parse_markdown_v2(text: str) -> tuple[str, list[Entity]]:
    out: list[str] = []
    entities: list[Entity] = []
    stack: list[_Open] = []
    i = 0
    while i < len(text):
        char = text[i]
        position = utf16_len("".join(out))
        if char == "\\" and i + 1 < len(text) and 0 < ord(text[i + 1]) < 127:
            out.append(text[i + 1])
            i += 2
            continue
        if char == "`":
            fence = "```" if text.startswith("```", i) else "`"
            start = i + len(fence)
            language = ""
            if fence == "```":
                line_end = text.find("\n", start)
                header = text[start:line_end] if line_end >= 0 else ""
                if line_end >= 0 and header and " " not in header:
                    language, start = header, line_end + 1
            try:
                code, i = _read_code(text, start, fence)
            except EntityParseError:
                kind = "Pre" if fence == "```" else "Code"
                raise EntityParseError(
                    f"Can't find end of {kind} entity at byte offset {_byte_offset(text, start)}"
                ) from None
            out.append(code)
            if code:
                entity: Entity = {
                    "type": "pre" if fence == "```" else "code",
                    "offset": position,
                    "length": utf16_len(code),
                }
                if language:
                    entity["language"] = language
                entities.append(entity)
            continue
        if char == "[":
            stack.append(_Open("text_link", position, _byte_offset(text, i)))
            i += 1
            continue
        if char == "]" and stack and stack[-1].kind == "text_link":
            opened = stack.pop()
            close = text.find(")", i + 2)
            if not text.startswith("(", i + 1) or close < 0:
                raise EntityParseError(
                    f"Can't find end of a URL at byte offset {_byte_offset(text, i + 1)}"
                )
            url = text[i + 2 : close].replace("\\)", ")").replace("\\\\", "\\")
            if position > opened.offset:
                entities.append(
                    {
                        "type": "text_link",
                        "offset": opened.offset,
                        "length": position - opened.offset,
                        "url": url,
                    }
                )
            i = close + 1
            continue
        marker = _marker(text, i)
        if marker:
            kind, size = marker
            if stack and stack[-1].kind == kind:
                opened = stack.pop()
                if position > opened.offset:
                    entities.append(
                        {"type": kind, "offset": opened.offset, "length": position - opened.offset}
                    )
            else:
                stack.append(_Open(kind, position, _byte_offset(text, i)))
            i += size
            continue
        if char in _RESERVED:
            raise EntityParseError(
                f"Character '{char}' is reserved and must be escaped with the preceding '\\'"
            )
        out.append(char)
        i += 1
    if stack:
        opened = stack[-1]
        raise EntityParseError(
            f"Can't find end of {_NAMES[opened.kind]} entity at byte offset {opened.byte_offset}"
        )
    return "".join(out), sort_entities(entities)


def parse_markdown(text: str) -> tuple[str, list[Entity]]:
    """Legacy Markdown: *bold*, _italic_, `code`, ```pre```, [text](url); no nesting."""
    out: list[str] = []
    entities: list[Entity] = []
    i = 0
    kinds = {"*": "bold", "_": "italic"}
    while i < len(text):
        char = text[i]
        position = utf16_len("".join(out))
        start_byte = _byte_offset(text, i)
        if char in kinds or char == "`":
            fence = "```" if text.startswith("```", i) else char
            end = text.find(fence, i + len(fence))
            if end < 0:
                raise EntityParseError(
                    f"Can't find end of the entity starting at byte offset {start_byte}"
                )
            inner = text[i + len(fence) : end]
            kind = kinds.get(char) or ("pre" if fence == "```" else "code")
            out.append(inner)
            if inner:
                entities.append({"type": kind, "offset": position, "length": utf16_len(inner)})
            i = end + len(fence)
            continue
        if char == "[":
            close = text.find("]", i)
            if close < 0 or not text.startswith("(", close + 1) or text.find(")", close) < 0:
                raise EntityParseError(
                    f"Can't find end of the entity starting at byte offset {start_byte}"
                )
            url_end = text.find(")", close)
            inner = text[i + 1 : close]
            out.append(inner)
            if inner:
                entities.append(
                    {
                        "type": "text_link",
                        "offset": position,
                        "length": utf16_len(inner),
                        "url": text[close + 2 : url_end],
                    }
                )
            i = url_end + 1
            continue
        out.append(char)
        i += 1
    return "".join(out), sort_entities(entities)
