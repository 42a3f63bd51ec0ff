"""Leads: the entity, its validation, and matching sellers to it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from domain import validation
from domain.audit import AuditEntry, Subject, Who
from domain.errors import InvalidInput, NotAllowed
from domain.lifecycle import Action, Actor, LeadStatus, next_status
from domain.money import Money
from domain.skills import SkillName, parse_skill_list, skill_key

MAX_TITLE = 120
MAX_DESCRIPTION = 4000
MAX_LEAD_SKILLS = 10
MAX_ATTACHMENTS = 5
# A lead says at least a few words (marketplace.min_title_length, min_description_length).
MIN_TITLE = 10
MIN_DESCRIPTION = 30
TITLE_EXAMPLE = "Logo for a coffee shop"
# Among those characters, letters or digits in the title and words in the description.
TITLE_LETTERS = 3
DESCRIPTION_WORDS = 3
DESCRIPTION_EXAMPLE = "A round logo in two colours for a coffee shop in Lisbon, with source files"
# A lead can be changed while it is written and while it is open.
EDITABLE = frozenset({LeadStatus.DRAFT, LeadStatus.OPEN})


class AttachmentKind(StrEnum):
    DOCUMENT = "document"
    PHOTO = "photo"


@dataclass(frozen=True)
class SellerCounts:
    """A seller's numbers on their dashboard."""

    requested: int  # leads they opened, were invited to or talk about
    working: int  # leads they were hired for and have not finished
    completed: int  # leads they completed


@dataclass(frozen=True)
class Attachment:
    kind: AttachmentKind
    file_id: str
    file_name: str | None = None
    # What the sender wrote under the file. A dispute's evidence passes it on and writes it
    # in the conversation's record; it has no column of its own.
    caption: str | None = None


@dataclass
class Lead:
    buyer_id: int
    created_at: datetime
    title: str | None = None
    description: str | None = None
    category: str | None = None
    skills: list[str] = field(default_factory=list)
    budget: Money | None = None
    attachments: list[Attachment] = field(default_factory=list)
    status: LeadStatus = LeadStatus.DRAFT
    published_at: datetime | None = None
    id: int | None = None
    version: int = 0
    # Moves made since the lead was loaded: saving the lead writes them to the audit log.
    moves: list[AuditEntry] = field(default_factory=list, compare=False, repr=False)

    @property
    def missing(self) -> list[str]:
        """The fields a draft still needs before it can be published."""
        required = {
            "title": self.title,
            "description": self.description,
            "category": self.category,
            "skills": self.skills,
            "budget": self.budget,
        }
        return [name for name, value in required.items() if not value]

    @property
    def key(self) -> int:
        """The database id of a stored lead (every loaded lead has one)."""
        assert self.id is not None, "the lead is not stored yet"
        return self.id

    @property
    def editable(self) -> bool:
        return self.status in EDITABLE

    def move(
        self, action: Action, actor: Actor, by: Who, at: datetime, reason: str | None = None
    ) -> None:
        """Moves the lead on by the lifecycle table (NotAllowed with a sentence if it may
        not), noting who moved it, when and why for the audit log."""
        before = self.status
        self.status = next_status(before, action, actor)
        detail = f"{before} → {self.status} by the {actor}" + (f": {reason}" if reason else "")
        self.moves.append(AuditEntry(at, f"lead.{action}", Subject.LEAD, self.key, by, detail))

    def ensure_editable(self) -> None:
        if not self.editable:
            raise NotAllowed("This lead can no longer be edited.")

    def ensure_complete(self) -> None:
        """Refuses to publish a draft that still lacks a required field."""
        if self.missing:
            raise InvalidInput("Before publishing, please add: " + ", ".join(self.missing) + ".")

    def attach(self, attachment: Attachment) -> None:
        if len(self.attachments) >= MAX_ATTACHMENTS:
            raise InvalidInput(f"A lead can have at most {MAX_ATTACHMENTS} attachments.")
        self.attachments.append(attachment)

    def start_over(self, now: datetime) -> None:
        """Empties a draft, as if it had just been started."""
        if self.status is not LeadStatus.DRAFT:
            raise NotAllowed("Only a draft can be thrown away.")
        self.title = self.description = self.category = None
        self.skills, self.budget, self.attachments = [], None, []
        self.created_at = now


@dataclass(frozen=True)
class LeadMinimums:
    """How many characters a lead's title and description need at least."""

    title: int = MIN_TITLE
    description: int = MIN_DESCRIPTION


DEFAULT_MINIMUMS = LeadMinimums()


def validate_title(raw: str, minimum: int = MIN_TITLE) -> str:
    """A title of at least ``minimum`` characters, with a few letters or digits among them
    (3, or the minimum when an operator set it lower): a row of emoji says nothing."""
    title = validation.clean_text(
        raw, what="title", limit=MAX_TITLE, minimum=minimum, example=TITLE_EXAMPLE
    )
    needed = min(TITLE_LETTERS, minimum)
    return validation.require_letters(title, what="title", needed=needed, example=TITLE_EXAMPLE)


def validate_description(raw: str, minimum: int = MIN_DESCRIPTION) -> str:
    """Keeps line breaks (descriptions are paragraphs), trims each end; a description says
    what is wanted in a few words (3, fewer when an operator lowered the minimum)."""
    description = validation.clean_paragraphs(
        raw, what="description", limit=MAX_DESCRIPTION, minimum=minimum, example=DESCRIPTION_EXAMPLE
    )
    needed = min(DESCRIPTION_WORDS, max(1, minimum // 10))
    return validation.require_words(
        description, what="description", needed=needed, example=DESCRIPTION_EXAMPLE
    )


def parse_lead_skills(raw: str) -> list[SkillName]:
    return parse_skill_list(raw, limit=MAX_LEAD_SKILLS)


# How a match is scored: shared skills weigh more than the category, so "more overlapping
# skills first" holds. Storage computes the same score in SQL.
@dataclass(frozen=True)
class LeadChange:
    """One part of a lead the buyer changed ("title", "budget", …), before and after."""

    part: str
    before: object
    after: object


SCORE_PER_SKILL = 2
SCORE_FOR_CATEGORY = 1


@dataclass(frozen=True)
class SellerMatch:
    """A seller who fits a lead, and how well."""

    seller_id: int
    telegram_id: int
    overlap: int
    category_match: bool

    @property
    def score(self) -> int:
        return self.overlap * SCORE_PER_SKILL + self.category_match * SCORE_FOR_CATEGORY

    @property
    def alerted(self) -> bool:
        """Pushed an alert: shares a skill. A category alone finds the lead in /leads only,
        since most of a category's sellers could not do the work and a push costs their
        attention and Telegram's budget."""
        return self.overlap > 0


def match(
    lead_skills: Iterable[str],
    lead_category: str | None,
    seller_skills: Iterable[str],
    seller_categories: Iterable[str],
) -> tuple[int, bool] | None:
    """(shared skills, same category) when a seller matches a lead, else None."""
    wanted = {skill_key(s) for s in lead_skills}
    overlap = len(wanted & {skill_key(s) for s in seller_skills})
    category = lead_category is not None and lead_category in set(seller_categories)
    return (overlap, category) if overlap or category else None


def rank(matches: Sequence[SellerMatch]) -> list[SellerMatch]:
    """Best first: the higher score, then the older account (the lower id)."""
    return sorted(matches, key=lambda m: (-m.score, m.seller_id))
