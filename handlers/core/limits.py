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


def clip_words(text: str, limit: int, ending: str = "…") -> str:
    """Like ``clip``, but cut at the last space that fits, so no word is shown half (a word
    longer than the room is cut all the same)."""
    if units(text) <= limit:
        return text
    cut = clip(text, limit - units(ending), ending="")
    if text[len(cut) : len(cut) + 1].isspace():  # the cut falls between two words
        return cut.rstrip() + ending
    at = cut.rfind(" ")
    return (cut[:at] if at > 0 else cut).rstrip(" —-·,") + ending


# Telegram shows a button's label on one line: what is longer is cut by the app, mid-word.
BUTTON_LABEL = 60
TITLE_ROOM = 16  # what a button's title keeps at least when its tail is long


def button_label(
    title: str, *, before: str = "", after: str = "", limit: int = BUTTON_LABEL
) -> str:
    """A button's label of three parts: ``before`` (a mark like "✅ "), the title, ``after``
    (what tells two buttons apart: " — Bob", " — due 11 Dec 2026"). Only the title is
    shortened, at a word boundary, so the mark and the distinguishing tail stay whole."""
    # A very long tail (a long name) is cut too, so that the title keeps a few words.
    after = clip_words(after, max(limit - units(before) - TITLE_ROOM, limit // 2))
    room = max(limit - units(before) - units(after), 1)
    return f"{before}{clip_words(title, room)}{after}"


def visible(html: str) -> str:
    """The text of an HTML message as Telegram counts it: tags gone, entities resolved."""
    return unescape(_TAG.sub("", html))


def split(text: str, limit: int) -> list[str]:
    """The text in pieces of at most ``limit`` UTF-16 units that together hold every
    character: cut after a line break where one is near the end of a piece, else after a
    space, else anywhere."""
    pieces: list[str] = []
    rest = text
    while units(rest) > limit:
        end, used = 0, 0
        for char in rest:
            used += units(char)
            if used > limit:
                break
            end += 1
        end = max(end, 1)  # a character wider than the limit still moves on
        window = rest[:end]
        # A natural break in the last third of the piece keeps words and lines whole.
        for mark in ("\n", " "):
            at = window.rfind(mark)
            if at >= end * 2 // 3:
                end = at + 1
                break
        pieces.append(rest[:end])
        rest = rest[end:]
    if rest or not pieces:
        pieces.append(rest)
    return pieces
