"""The operator's Markdown terms as Telegram HTML: everything escaped, then headings bold,
bullets as •, **bold**, *italic*, `code` and [links](https://…) turned into tags; a line
whose markers do not pair up stays plain text. Split into messages Telegram accepts."""

from __future__ import annotations

import re
from html import escape

from handlers.core.limits import split, units, visible

MESSAGE_LIMIT = 4096
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_BULLET = re.compile(r"^(\s*)[-*+]\s+(.*)$")
_RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
_CODE = re.compile(r"`([^`]+)`")
_LINK = re.compile(r"\[([^\]]+)\]\(((?:https?://|tg://|mailto:)[^\s)]+)\)")
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*|__(?=\S)(.+?)(?<=\S)__")
_ITALIC = re.compile(
    r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])|(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])"
)
_TAG = re.compile(r"<(/?)([a-z]+)[^>]*>")


def _balanced(html: str) -> bool:
    """Whether every tag closes in the order it opened (Telegram refuses anything else)."""
    stack: list[str] = []
    for closing, name in _TAG.findall(html):
        if not closing:
            stack.append(name)
        elif not stack or stack.pop() != name:
            return False
    return not stack


def inline(text: str) -> str:
    """One line of Markdown as HTML; plain escaped text if its markers do not pair up."""
    kept: list[str] = []

    def keep(html: str) -> str:
        """Sets finished HTML aside, so emphasis never reaches into code or an address."""
        kept.append(html)
        return f"\x00{len(kept) - 1}\x00"

    plain = escape(text.replace("\x00", ""), quote=True)
    html = _CODE.sub(lambda m: keep(f"<code>{m.group(1)}</code>"), plain)
    html = _LINK.sub(lambda m: keep(f'<a href="{m.group(2)}">{m.group(1)}</a>'), html)
    html = _BOLD.sub(lambda m: f"<b>{m.group(1) or m.group(2)}</b>", html)
    html = _ITALIC.sub(lambda m: f"<i>{m.group(1) or m.group(2)}</i>", html)
    html = re.sub("\x00([0-9]+)\x00", lambda m: kept[int(m.group(1))], html)
    return html if _balanced(html) else plain


def to_html(markdown: str) -> str:
    """The whole document as Telegram HTML, one block per line, blank lines kept single."""
    lines: list[str] = []
    for raw in markdown.replace("\r\n", "\n").split("\n"):
        if not raw.strip() or _RULE.match(raw):
            if lines and lines[-1]:
                lines.append("")
            continue
        if (heading := _HEADING.match(raw)) is not None:
            if lines and lines[-1]:
                lines.append("")
            lines.append(f"<b>{inline(heading.group(1))}</b>")
        elif (bullet := _BULLET.match(raw)) is not None:
            depth = len(bullet.group(1).expandtabs(4)) // 2
            lines.append("  " * depth + f"• {inline(bullet.group(2))}")
        else:
            lines.append(inline(raw.strip()))
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def pages(html: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """The HTML in messages of at most ``limit`` visible characters, cut between lines
    (a line longer than a message is cut as plain text)."""
    result: list[str] = []
    current: list[str] = []
    size = 0
    for line in html.split("\n"):
        length = units(visible(line))
        if length > limit:
            # Too long for one message: its text in pieces, without its formatting.
            pieces = [escape(piece) for piece in split(visible(line), limit)]
        else:
            pieces = [line]
        for piece in pieces:
            length = units(visible(piece)) + (1 if current else 0)
            if current and size + length > limit:
                result.append("\n".join(current).strip("\n"))
                current, size = [], 0
                length -= 1
            current.append(piece)
            size += length
    if current:
        result.append("\n".join(current).strip("\n"))
    return [page for page in result if page.strip()] or [""]
