"""What backs a seller's profile: education, resume and verification documents, portfolio
links and years of experience per skill."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from urllib.parse import urlparse

from domain.errors import InvalidInput
from domain.skills import skill_key
from domain.validation import clean_text, quoted

MAX_ENTRIES = 10
MAX_YEARS = 60
_YEAR = re.compile(r"19[5-9][0-9]|20[0-9][0-9]")
# ASCII digits: "²" passes str.isdigit() and is no number to int().
_YEARS = re.compile(r"[0-9]{1,3}")


class DocumentKind(StrEnum):
    RESUME = "resume"
    CERTIFICATE = "certificate"
    AWARD = "award"
    REFERENCE = "reference"


@dataclass(frozen=True)
class Education:
    degree: str
    school: str
    year: int | None = None
    id: int | None = None


@dataclass(frozen=True)
class ProfileDocument:
    kind: DocumentKind
    title: str
    file_id: str
    file_name: str | None = None
    id: int | None = None


@dataclass(frozen=True)
class PortfolioLink:
    url: str
    title: str | None = None
    id: int | None = None


@dataclass
class Credentials:
    education: list[Education] = field(default_factory=list)
    documents: list[ProfileDocument] = field(default_factory=list)
    links: list[PortfolioLink] = field(default_factory=list)
    skill_years: dict[str, int] = field(default_factory=dict)

    @property
    def resume(self) -> ProfileDocument | None:
        return next((d for d in self.documents if d.kind is DocumentKind.RESUME), None)

    @property
    def verification(self) -> list[ProfileDocument]:
        return [d for d in self.documents if d.kind is not DocumentKind.RESUME]


def parse_education(raw: str) -> Education:
    """Reads "degree, school[, year]", e.g. "BSc Computer Science, TU Berlin, 2019"."""
    parts = [" ".join(p.split()) for p in raw.split(",")]
    parts = [p for p in parts if p]
    year = None
    if parts and _YEAR.fullmatch(parts[-1]):
        year = int(parts.pop())
    if len(parts) != 2:
        raise InvalidInput(
            "Please send the degree and the school separated by a comma, and the year if "
            "you like, e.g. BSc Computer Science, TU Berlin, 2019."
        )
    degree = clean_text(parts[0], what="degree", limit=120)
    school = clean_text(parts[1], what="school", limit=120)
    return Education(degree, school, year)


def validate_link(raw: str) -> PortfolioLink:
    """Reads "https://… [title]": a web address and an optional title after it."""
    url, _, title = raw.strip().partition(" ")
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or "." not in parsed.netloc or len(url) > 300:
        raise InvalidInput(
            "Please send a web address starting with https://, optionally followed by a title."
        )
    return PortfolioLink(url, clean_text(title, what="title", limit=80) if title.strip() else None)


def validate_document_title(raw: str) -> str:
    return clean_text(raw, what="title", limit=80)


def parse_skill_years(raw: str, skills: list[str]) -> dict[str, int]:
    """Reads "Python 5, Django 3" for skills the user already lists."""
    by_key = {skill_key(s): s for s in skills}
    years: dict[str, int] = {}
    for part in (p.strip() for p in raw.split(",")):
        if not part:
            continue
        name, _, number = part.rpartition(" ")
        skill = by_key.get(skill_key(name))
        if not _YEARS.fullmatch(number) or not name:
            raise InvalidInput("Please write each skill with its years, e.g. Python 5, Django 3.")
        if skill is None:
            raise InvalidInput(
                f"“{quoted(name)}” is not among your skills; add it under Skills first."
            )
        if int(number) > MAX_YEARS:
            raise InvalidInput(f"{MAX_YEARS} years is the most one can claim.")
        years[skill] = int(number)
    if not years:
        raise InvalidInput("Please write each skill with its years, e.g. Python 5, Django 3.")
    return years


def check_room(entries: list[object], what: str) -> None:
    if len(entries) >= MAX_ENTRIES:
        raise InvalidInput(f"You can keep at most {MAX_ENTRIES} {what}; remove one first.")
