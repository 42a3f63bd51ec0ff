"""Checks on the free-text answers of signup and profile, each refusing with one sentence."""

from __future__ import annotations

import re
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


def clean_text(raw: str, *, what: str, limit: int) -> str:
    """Trims a one-line answer and enforces its length, naming the field in the refusal."""
    text = " ".join(raw.split())
    if not text:
        raise InvalidInput(f"The {what} cannot be empty; please type it again.")
    if len(text) > limit:
        raise InvalidInput(f"The {what} can be at most {limit} characters; yours has {len(text)}.")
    return text


def validate_email(raw: str) -> str:
    """Returns the address with its domain lower-cased, or refuses it."""
    text = raw.strip()
    if len(text) > MAX_EMAIL or not _EMAIL.match(text) or ".." in text:
        raise InvalidInput(
            "That does not look like an email address; please send one like name@example.com."
        )
    local, domain = text.rsplit("@", 1)
    return f"{local}@{domain.lower()}"


def validate_display_name(raw: str) -> str:
    return clean_text(raw, what="display name", limit=MAX_DISPLAY_NAME)


def validate_headline(raw: str) -> str:
    return clean_text(raw, what="headline", limit=MAX_HEADLINE)


def validate_organization_name(raw: str) -> str:
    return clean_text(raw, what="organization name", limit=MAX_ORGANIZATION_NAME)


def validate_location(raw: str) -> str:
    return clean_text(raw, what="location", limit=MAX_LOCATION)


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
