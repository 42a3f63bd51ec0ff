"""Checks on the free text people type, each refusing with one sentence.

What any typed text may hold is decided here, once, for every field that is stored and
shown to others (names, titles, descriptions, skills, notes):

- Control characters (NUL, ESC, DEL, the C1 range, lone surrogates) have no place in
  text a person means to show: they are refused. A multi-line field keeps line breaks
  and tabs; PostgreSQL could not even store a NUL.
- Bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069)
  reorder whatever is shown after them ("\u202eevil.exe" reads "exe.live"): refused.
  The plain direction marks (U+200E, U+200F, U+061C) reorder nothing else and come with
  right-to-left text typed on phones, so they stay.
- Zero-width and other invisible characters stay inside a text (a joiner builds 👩‍💻, a
  non-joiner spells Persian words), are trimmed at either end like spaces, and a text
  without one visible character counts as empty.

Lengths count characters (code points), the way a person counts them.

What a field says must be written in words, not only in pictures: a name holds a letter,
a lead's title a few letters or digits and its description a few words (emoji beside
them stay welcome), so a row of 🔥 or one long "TTTT…" cannot pass for a lead.
"""

from __future__ import annotations

import re
import unicodedata
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from domain.errors import InvalidInput

MAX_DISPLAY_NAME = 64
MAX_HEADLINE = 120
MAX_ORGANIZATION_NAME = 120
MAX_LOCATION = 100
MAX_EMAIL = 254

# Deliberately simple: a local part, an @, and a dotted domain with a letter TLD.
_EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@"
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)


# Reorder the text after them until the end of the paragraph.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Letters and symbols that render as nothing, used to pass blank names off as filled in.
_BLANK_LOOKALIKES = frozenset("\u115f\u1160\u3164\uffa0\u2800\u034f")
# Control characters, format characters, separators and lone combining marks show nothing.
_UNSEEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zs", "Zl", "Zp", "Mn", "Me"})
# Zero-width characters that mean nothing at either end of a text (inside, a joiner builds
# an emoji and a non-joiner spells a word). Variation selectors and the tags of flag
# emoji are never trimmed: they belong to the character before them.
_EDGE_INVISIBLE = frozenset("\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u061c\u180e\u00ad")
# Line breaks and tabs: a one-line answer turns them into spaces, a paragraph keeps them.
_LINE_BREAKS = frozenset("\n\r\t")


def invisible(char: str) -> bool:
    """True for a character that shows nothing on its own (a space, a zero-width joiner)."""
    return char in _BLANK_LOOKALIKES or unicodedata.category(char) in _UNSEEN_CATEGORIES


def forbidden(char: str) -> bool:
    """True for a character no typed text may hold (see the module's docstring)."""
    if char in _BIDI_CONTROLS:
        return True
    if char in _LINE_BREAKS:
        return False
    # Python's str.split() counts \x1c-\x1f and \x85 as spaces; they are controls all the same.
    return unicodedata.category(char) in ("Cc", "Cs")


def trimmed(text: str) -> str:
    """The text without spaces and zero-width characters at either end."""
    start, end = 0, len(text)
    while start < end and _blank(text[start]):
        start += 1
    while end > start and _blank(text[end - 1]):
        end -= 1
    return text[start:end]


def _blank(char: str) -> bool:
    return char.isspace() or char in _EDGE_INVISIBLE or char in _BLANK_LOOKALIKES


def quoted(text: str, limit: int = 30) -> str:
    """What a refusal may echo of a wrong answer: on one line, without control characters,
    and short enough to fit any message."""
    text = " ".join("".join(char for char in text if not forbidden(char)).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def shown_length(text: str) -> int:
    """How many characters a reader sees: spaces count, zero-width and combining ones not."""
    return sum(1 for char in text if char == " " or not invisible(char))


def is_blank(text: str) -> bool:
    """True for a text a reader would see nothing in (spaces, zero-width characters)."""
    return shown_length(trimmed(text)) == 0


def _refuse_controls(raw: str, what: str) -> None:
    if any(forbidden(char) for char in raw):
        raise InvalidInput(
            f"The {what} contains invisible control characters (such as a right-to-left "
            "override); please type it without them."
        )


def _checked(
    text: str, *, what: str, limit: int, minimum: int, example: str | None, if_empty: str | None
) -> str:
    shown = shown_length(text)
    if not shown:
        raise InvalidInput(if_empty or f"The {what} cannot be empty; please type it again.")
    if len(text) > limit:
        raise InvalidInput(f"The {what} can be at most {limit} characters; yours has {len(text)}.")
    if shown < minimum:
        hint = f", for example “{example}”" if example else ""
        raise InvalidInput(
            f"The {what} needs at least {minimum} characters{hint}; yours has {shown}."
        )
    return text


def clean_text(
    raw: str,
    *,
    what: str,
    limit: int,
    minimum: int = 1,
    example: str | None = None,
    if_empty: str | None = None,
) -> str:
    """Trims a one-line answer (inner white space collapsed) and enforces what it may hold
    and its length, naming the field in the refusal."""
    _refuse_controls(raw, what)
    text = trimmed(" ".join(raw.split()))
    return _checked(
        text, what=what, limit=limit, minimum=minimum, example=example, if_empty=if_empty
    )


def clean_paragraphs(
    raw: str,
    *,
    what: str,
    limit: int,
    minimum: int = 1,
    example: str | None = None,
    if_empty: str | None = None,
) -> str:
    """Like ``clean_text`` for a text of several lines: line breaks and inner spacing stay,
    and only the ends are trimmed."""
    _refuse_controls(raw, what)
    text = trimmed(raw.replace("\r\n", "\n").replace("\r", "\n"))
    return _checked(
        text, what=what, limit=limit, minimum=minimum, example=example, if_empty=if_empty
    )


def check_message(text: str | None, *, with_file: bool = False) -> None:
    """A relayed message (or caption) is passed on as written, unless it holds characters
    no typed text may (see above): those the sender is asked to leave out. A message of
    text alone must show something; a file carries its own content, so its caption may."""
    if text is not None and any(forbidden(char) for char in text):
        raise InvalidInput(
            "Your message contains invisible control characters (such as a right-to-left "
            "override); please send it without them."
        )
    if not with_file and is_blank(text or ""):
        raise InvalidInput("The message cannot be empty; please type it again.")


def validate_email(raw: str) -> str:
    """Returns the address with its domain lower-cased, or refuses it."""
    text = raw.strip()
    if len(text) > MAX_EMAIL or not _EMAIL.match(text) or ".." in text:
        raise InvalidInput(
            "That does not look like an email address; please send one like name@example.com."
        )
    local, domain = text.rsplit("@", 1)
    return f"{local}@{domain.lower()}"


# Scripts written without spaces between words (Chinese, Japanese, Thai): each of their
# letters counts as a word, or a Chinese description could never have "a few words".
_UNSPACED_SCRIPTS = ((0x0E00, 0x0EFF), (0x3040, 0x30FF), (0x3400, 0x9FFF), (0xF900, 0xFAFF))


def letters_and_digits(text: str) -> int:
    """How many letters and digits (of any script) the text holds: emoji and symbols not."""
    return sum(1 for char in text if char.isalnum())


def _unspaced(char: str) -> bool:
    return char.isalpha() and any(low <= ord(char) <= high for low, high in _UNSPACED_SCRIPTS)


def word_count(text: str) -> int:
    """How many words of letters the text holds: a run of characters between spaces with a
    letter in it, or a letter of a script written without spaces."""
    count = 0
    for token in text.split():
        unspaced = sum(1 for char in token if _unspaced(char))
        count += unspaced or any(char.isalpha() for char in token)
    return count


def require_letters(text: str, *, what: str, needed: int, example: str | None = None) -> str:
    """Refuses a text with fewer than ``needed`` letters or digits (only emoji, say)."""
    if letters_and_digits(text) < needed:
        hint = f", for example “{example}”" if example else ""
        wanted = "a letter" if needed == 1 else f"at least {needed} letters or digits"
        raise InvalidInput(f"The {what} needs {wanted}, not only emoji or symbols{hint}.")
    return text


def require_words(text: str, *, what: str, needed: int, example: str | None = None) -> str:
    """Refuses a text of fewer than ``needed`` words (one long "TTTT…", a row of emoji)."""
    if word_count(text) < needed:
        hint = f", for example “{example}”" if example else ""
        raise InvalidInput(f"The {what} needs at least {needed} words saying what is wanted{hint}.")
    return text


def validate_display_name(raw: str) -> str:
    """A name others see: it holds at least one letter (emoji beside it are fine)."""
    name = clean_text(raw, what="display name", limit=MAX_DISPLAY_NAME)
    if not any(char.isalpha() for char in name):
        raise InvalidInput(
            "The display name needs at least one letter, not only emoji or symbols; "
            "please type it again."
        )
    return name


def validate_headline(raw: str) -> str:
    return clean_text(raw, what="headline", limit=MAX_HEADLINE)


def validate_organization_name(raw: str) -> str:
    return clean_text(raw, what="organization name", limit=MAX_ORGANIZATION_NAME)


def validate_location(raw: str) -> str:
    return clean_text(raw, what="location", limit=MAX_LOCATION)


# Regions whose zones are named after a city people live in (not Etc/…, not US/… aliases).
_CITY_REGIONS = (
    "Africa",
    "America",
    "Asia",
    "Atlantic",
    "Australia",
    "Europe",
    "Indian",
    "Pacific",
)


def _place_key(text: str) -> str:
    """A place name compared without case, accents or punctuation: "São Paulo" ~ "sao_paulo"."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z]+", " ", plain.casefold()).split())


def _zones_by_city() -> dict[str, str]:
    zones: dict[str, str] = {}
    for name in sorted(available_timezones()):
        region, _, city = name.partition("/")
        if region in _CITY_REGIONS and city:
            zones.setdefault(_place_key(city.rsplit("/", 1)[-1]), name)
    return zones


def zone_of_place(location: str) -> str | None:
    """The time zone of the city a location names ("Lisbon, Portugal" → Europe/Lisbon), or
    None when no part of it is a city the time zone database is named after."""
    zones = _zones_by_city()
    for part in re.split(r"[,;/()]|\s-\s", location):
        zone = zones.get(_place_key(part))
        if zone is not None:
            return zone
    return None


def validate_timezone(raw: str) -> str:
    """Accepts an IANA zone name in any letter case ("europe/berlin"), or UTC."""
    text = raw.strip().replace(" ", "_")
    if text.upper() in {"UTC", "GMT", "Z"}:
        return "UTC"
    by_key = {name.casefold(): name for name in available_timezones()}
    name = by_key.get(text.casefold())
    if name is None:
        raise InvalidInput(
            "I don't know that time zone; send a name like Europe/Berlin or America/New_York."
        )
    try:
        ZoneInfo(name)
    except ZoneInfoNotFoundError as error:  # pragma: no cover - listed zones load
        raise InvalidInput("I don't know that time zone; please send another.") from error
    return name
