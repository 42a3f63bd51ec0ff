"""The one codec for callback data: a small typed class per button action.

On the wire a button is ``v1:<area>:<action>[:<field>.<field>…]``, at most 64 bytes::

    @dataclass(frozen=True)                   # done for you by ``Button``
    class LeadConnect(Button, area=LEAD, action="connect"):
        lead_id: int

    LeadConnect(lead_id=42).encode()          # "v1:ld:connect:42"
    LeadConnect.decode("v1:ld:connect:42")    # LeadConnect(lead_id=42); None if forged
    CallbackQueryHandler(connect, LeadConnect.matches)
    LeadConnect.of(update).lead_id            # in the handler: 42

Fields are ``int`` (a database id, an offset, an index), ``str`` (a short name) or a
``StrEnum``; each is parsed and checked here, once. Data that does not decode (forged,
from an older version, or naming a button that no longer exists) matches no handler, so
it reaches the one catch-all that answers ``texts.STALE_BUTTON``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, fields
from enum import StrEnum
from typing import Any, ClassVar, Self, cast, dataclass_transform, get_type_hints

from telegram import Update
from telegram.constants import InlineKeyboardButtonLimit

from domain.errors import DomainError
from handlers.core import texts

VERSION = "v1"
_NAME = re.compile(r"[A-Za-z0-9_-]+")
# Ids are database integers (32 bits on PostgreSQL): a larger number can only be forged,
# and would not fit the column.
_NUMBER = re.compile(r"[0-9]{1,10}")
_LARGEST = 2**31 - 1
_MAX_BYTES = InlineKeyboardButtonLimit.MAX_CALLBACK_DATA

Parser = Callable[[str], Any]


class StaleButton(DomainError):
    """The pressed button's data is forged, stale, or from another version."""

    def __init__(self) -> None:
        super().__init__(texts.STALE_BUTTON)


def _parser(kind: object) -> Parser:
    """The function turning one field's text back into its value (None if it cannot)."""
    if kind is int:
        return lambda text: int(text) if _NUMBER.fullmatch(text) and int(text) <= _LARGEST else None
    if kind is str:
        return lambda text: text if _NAME.fullmatch(text) else None
    if isinstance(kind, type) and issubclass(kind, StrEnum):
        members = {member.value: member for member in kind}
        return members.get
    raise TypeError(f"a button field cannot be of type {kind!r}")


@dataclass_transform(frozen_default=True)
class Button:
    """One kind of button; subclasses name their ``area`` and ``action`` and type their fields.

    A subclass without ``area`` and ``action`` is a family (``MenuButton``): decoding with it
    accepts any of its members, so one handler can route a whole family.
    """

    area: ClassVar[str] = ""
    action: ClassVar[str] = ""
    _parsers: ClassVar[tuple[tuple[str, Parser], ...]] = ()
    _kinds: ClassVar[dict[tuple[str, str], type[Button]]] = {}

    def __init_subclass__(cls, *, area: str = "", action: str = "", **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        dataclass(frozen=True)(cls)
        hints = get_type_hints(cls)
        cls._parsers = tuple((f.name, _parser(hints[f.name])) for f in fields(cast(Any, cls)))
        if not area and not action:
            return
        if not (_NAME.fullmatch(area) and _NAME.fullmatch(action)):
            raise ValueError(f"{cls.__name__}: area and action must be short plain names")
        if (area, action) in Button._kinds:
            raise ValueError(f"{cls.__name__}: {area}:{action} is taken")
        cls.area, cls.action = area, action
        Button._kinds[(area, action)] = cls

    def encode(self) -> str:
        if not self.action:
            raise TypeError(f"{type(self).__name__} is a family, not a button")
        data = f"{VERSION}:{self.area}:{self.action}"
        values = [getattr(self, name) for name, _ in self._parsers]
        if values:
            words = [str(v.value if isinstance(v, StrEnum) else v) for v in values]
            for word in words:
                if not (_NUMBER.fullmatch(word) or _NAME.fullmatch(word)):
                    raise ValueError(f"button field {word!r} has characters the codec reserves")
            data += ":" + ".".join(words)
        if len(data.encode()) > _MAX_BYTES:
            raise ValueError(f"callback data {data!r} is longer than Telegram allows")
        return data

    @classmethod
    def decode(cls, data: object) -> Self | None:
        """The button the data names, fields parsed; None for anything forged or stale."""
        if not isinstance(data, str) or len(data.encode()) > _MAX_BYTES:
            return None
        parts = data.split(":")
        if len(parts) not in (3, 4) or parts[0] != VERSION:
            return None
        kind = Button._kinds.get((parts[1], parts[2]))
        if kind is None or not issubclass(kind, cls):
            return None
        words = parts[3].split(".") if len(parts) == 4 else []
        if len(words) != len(kind._parsers):
            return None
        values = {}
        for (name, parse), word in zip(kind._parsers, words, strict=True):
            value = parse(word)
            if value is None:
                return None
            values[name] = value
        return kind(**values)

    @staticmethod
    def registered() -> dict[tuple[str, str], type[Button]]:
        """Every kind of button there is, by (area, action): what a test must cover."""
        return dict(Button._kinds)

    @classmethod
    def matches(cls, data: object) -> bool:
        """The CallbackQueryHandler pattern: True only for well-formed data of this class."""
        return cls.decode(data) is not None

    @classmethod
    def of(cls, update: Update) -> Self:
        """The pressed button; raises ``StaleButton`` (one sentence) if it is not one of cls."""
        query = update.callback_query
        pressed = cls.decode(query.data if query else None)
        if pressed is None:
            raise StaleButton
        return pressed
