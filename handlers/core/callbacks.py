"""The one codec for callback data: ``v1:<area>:<action>[:<argument>]``, at most 64 bytes."""

from __future__ import annotations

import re
from dataclasses import dataclass

from telegram import Update
from telegram.constants import InlineKeyboardButtonLimit

VERSION = "v1"
_PART = re.compile(r"^[A-Za-z0-9_.-]*$")
# Ids are database integers: a longer run of digits can only be forged, and would overflow.
_HUGE_NUMBER = re.compile(r"\d{13,}")


@dataclass(frozen=True)
class Callback:
    area: str
    action: str
    argument: str = ""

    def encode(self) -> str:
        for part in (self.area, self.action, self.argument):
            if not _PART.match(part):
                raise ValueError(f"callback part {part!r} has characters the codec reserves")
        data = f"{VERSION}:{self.area}:{self.action}"
        if self.argument:
            data += f":{self.argument}"
        if len(data.encode()) > InlineKeyboardButtonLimit.MAX_CALLBACK_DATA:
            raise ValueError(f"callback data {data!r} is longer than Telegram allows")
        return data

    @classmethod
    def decode(cls, data: str | None) -> Callback | None:
        """Parses callback data; None for anything forged, stale or of another version."""
        if not data:
            return None
        parts = data.split(":")
        if len(parts) not in (3, 4) or parts[0] != VERSION:
            return None
        if not all(_PART.match(p) for p in parts[1:]) or _HUGE_NUMBER.search(data):
            return None
        return cls(parts[1], parts[2], parts[3] if len(parts) == 4 else "")


def pattern(area: str, action: str | None = None) -> str:
    """A CallbackQueryHandler pattern matching one area, or one action in it."""
    if action is None:
        return rf"^{VERSION}:{re.escape(area)}:"
    return rf"^{VERSION}:{re.escape(area)}:{re.escape(action)}(:|$)"


def argument(update: Update) -> str:
    """The argument of the pressed button's data ("" when forged, stale or not a button)."""
    query = update.callback_query
    decoded = Callback.decode(query.data if query else None)
    return decoded.argument if decoded else ""
