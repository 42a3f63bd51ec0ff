"""Use cases of posting, editing, publishing, withdrawing and finding leads.

Each use case runs inside the update's unit of work (the caller commits) as the acting
user, takes one small command, and records what sellers should hear as events.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from domain import privacy
from domain.audit import Who
from domain.errors import InvalidInput, NotAllowed, NotFound
from domain.events import LeadChanged, LeadPublished, LeadWithdrawn
from domain.leads import (
    DEFAULT_MINIMUMS,
    Attachment,
    Lead,
    LeadChange,
    LeadMinimums,
    parse_lead_skills,
    validate_description,
    validate_title,
)
from domain.lifecycle import Action, Actor, LeadStatus, next_status
from domain.limits import Usage, ensure_within
from domain.model import User
from domain.money import parse_money
from domain.ports import Page, UnitOfWork
from domain.search import SearchQuery, check_length

PAGE_SIZE = 5
SUGGESTED_SKILLS = 8
MATCHING_SELLERS = 10
OPEN_LEADS_TO_INVITE_TO = 20


class LeadField(StrEnum):
    """The parts of a lead the form asks for, in the order it asks."""

    TITLE = "title"
    DESCRIPTION = "description"
    CATEGORY = "category"
    SKILLS = "skills"
    BUDGET = "budget"
    ATTACHMENTS = "attachments"


@dataclass(frozen=True)
class Question:
    """One question of the lead form, with what it offers: the categories to pick from, or
    popular skills as suggestions."""

    field: LeadField
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class StartDraft:
    pass


@dataclass(frozen=True)
class OwnLead:
    """An action the buyer takes on one of their leads."""

    lead_id: int


@dataclass(frozen=True)
class AskField:
    field: LeadField
    # The lead being edited, whose category picks the suggested skills.
    lead_id: int | None = None


@dataclass(frozen=True)
class WriteField:
    """One answer of the lead form (a text, or the name of the tapped category); ``then``
    is the question the form asks next, whose choices come back with the result."""

    lead_id: int
    field: LeadField
    text: str
    currency: str
    then: LeadField | None = None
    minimums: LeadMinimums = DEFAULT_MINIMUMS


@dataclass(frozen=True)
class Attach:
    """A file for the lead; ``replace`` drops the files it had (an edit starts over)."""

    lead_id: int
    attachment: Attachment
    replace: bool = False


@dataclass(frozen=True)
class OpenLead:
    lead_id: int
    # The viewer is an administrator (who may read any lead).
    admin: bool = False


@dataclass(frozen=True)
class FindLeads:
    words: Sequence[str]
    offset: int
    category: str | None = None
    skill: str | None = None


@dataclass(frozen=True)
class SearchPublic:
    words: Sequence[str]
    offset: int
    size: int


@dataclass(frozen=True)
class Choices:
    """What a search can be filtered by; ``limit`` caps the skills offered."""

    limit: int = 12


@dataclass(frozen=True)
class LeadEdit:
    """A lead after an answer of its form, and the next question if one was wanted."""

    lead: Lead
    then: Question | None = None

    @property
    def published(self) -> bool:
        return self.lead.status is LeadStatus.OPEN


@dataclass(frozen=True)
class Published:
    lead: Lead
    alerted: int


@dataclass(frozen=True)
class LeadView:
    lead: Lead
    buyer: User
    viewer: User | None

    @property
    def own(self) -> bool:
        return self.viewer is not None and self.lead.buyer_id == self.viewer.id


def missing_for_posting(user: User) -> list[str]:
    """What a user still needs before posting a lead, as short phrases."""
    missing = []
    if not user.signed_up:
        missing.append("a completed signup")
    if not user.is_buyer:
        missing.append("the buyer role")
    if not user.email_verified:
        missing.append("a confirmed email address")
    return missing


def _ensure_may_post(user: User) -> None:
    user.ensure_active("post leads")
    user.ensure_signed_up()  # says how to go on; the rest is what a member still lacks
    missing = missing_for_posting(user)
    if missing:
        raise NotAllowed("To post a lead you first need " + " and ".join(missing) + ".")


async def _own_lead(uow: UnitOfWork, user: User, lead_id: int) -> Lead:
    lead = await uow.leads.get(lead_id)
    if lead is None or lead.buyer_id != user.id:
        raise NotFound("That lead does not exist or is not yours.")
    return lead


async def _question(
    uow: UnitOfWork, field: LeadField | None, category: str | None = None
) -> Question | None:
    """The question of ``field``; the skills suggested are those popular in the lead's
    category (its sellers' and its leads'), or everywhere when it has none yet."""
    if field is LeadField.CATEGORY:
        return Question(field, tuple(await uow.categories.names()))
    if field is LeadField.SKILLS:
        return Question(field, tuple(await uow.skills.popular(SUGGESTED_SKILLS, category)))
    return Question(field) if field is not None else None


async def _sellers_in_talks(uow: UnitOfWork, lead: Lead) -> tuple[User, ...]:
    threads = await uow.threads.of_lead(lead.key)
    sellers = await uow.users.get_many({thread.seller_id for thread in threads})
    return tuple(sellers[t.seller_id] for t in threads if t.seller_id in sellers)


async def start_draft(uow: UnitOfWork, buyer: User, command: StartDraft, now: datetime) -> Lead:
    """Returns the buyer's unfinished draft, or a new empty one."""
    _ensure_may_post(buyer)
    draft = await uow.leads.draft_of(buyer.key)
    if draft is None:
        draft = await uow.leads.add(Lead(buyer_id=buyer.key, created_at=now))
    return draft


async def resume_draft(uow: UnitOfWork, buyer: User, command: OwnLead, now: datetime) -> LeadEdit:
    """The draft, with the question of its first missing field (none when it is complete)."""
    lead = await _own_lead(uow, buyer, command.lead_id)
    missing = lead.missing
    field = LeadField(missing[0]) if missing else None
    return LeadEdit(lead, await _question(uow, field, lead.category))


async def discard_draft(uow: UnitOfWork, buyer: User, command: OwnLead, now: datetime) -> Lead:
    """Throws a draft away and starts a fresh one."""
    buyer.ensure_active("edit leads")
    lead = await _own_lead(uow, buyer, command.lead_id)
    lead.start_over(now)
    await uow.leads.save(lead)
    return lead


async def ask_field(uow: UnitOfWork, buyer: User, command: AskField, now: datetime) -> Question:
    """One question of the form, with its choices."""
    category = None
    if command.lead_id is not None and command.field is LeadField.SKILLS:
        category = (await _own_lead(uow, buyer, command.lead_id)).category
    question = await _question(uow, command.field, category)
    assert question is not None
    return question


async def write_field(uow: UnitOfWork, buyer: User, command: WriteField, now: datetime) -> LeadEdit:
    """Stores one answer (a wrong one raises InvalidInput); sellers already talking about an
    open lead are told that it changed."""
    value = await _answer(uow, command)
    buyer.ensure_active("edit leads")
    lead = await _own_lead(uow, buyer, command.lead_id)
    lead.ensure_editable()
    before = getattr(lead, command.field.value)
    setattr(lead, command.field.value, value)
    await uow.leads.save(lead)
    if lead.status is LeadStatus.OPEN and before != value:
        change = LeadChange(command.field.value, before, value)
        uow.record(LeadChanged(lead, await _sellers_in_talks(uow, lead), change))
    return LeadEdit(lead, await _question(uow, command.then, lead.category))


async def _answer(uow: UnitOfWork, command: WriteField) -> object:
    """The value an answer gives its field, checked and normalized."""
    text = command.text
    if command.field is LeadField.TITLE:
        return validate_title(text, command.minimums.title)
    if command.field is LeadField.DESCRIPTION:
        return validate_description(text, command.minimums.description)
    if command.field is LeadField.CATEGORY:
        if text not in await uow.categories.names():
            raise InvalidInput("That category is not on the list.")
        return text
    if command.field is LeadField.SKILLS:
        return await uow.skills.resolve(parse_lead_skills(text))
    if command.field is LeadField.BUDGET:
        return parse_money(text, command.currency)
    raise ValueError(f"the {command.field} of a lead is not answered with text")


async def attach(uow: UnitOfWork, buyer: User, command: Attach, now: datetime) -> LeadEdit:
    """Adds a file to the lead (at most ``MAX_ATTACHMENTS``)."""
    buyer.ensure_active("edit leads")
    lead = await _own_lead(uow, buyer, command.lead_id)
    lead.ensure_editable()
    if command.replace:
        lead.attachments = []
    lead.attach(command.attachment)
    await uow.leads.save(lead)
    return LeadEdit(lead)


async def own_lead(uow: UnitOfWork, buyer: User, command: OwnLead, now: datetime) -> Lead:
    """One of the buyer's leads."""
    return await _own_lead(uow, buyer, command.lead_id)


async def start_edit(uow: UnitOfWork, buyer: User, command: OwnLead, now: datetime) -> Lead:
    """One of the buyer's leads, if it may still be changed."""
    buyer.ensure_active("edit leads")
    lead = await _own_lead(uow, buyer, command.lead_id)
    lead.ensure_editable()
    return lead


async def publish(uow: UnitOfWork, buyer: User, command: OwnLead, now: datetime) -> Published:
    """Opens the lead and records, in SQL, every matching seller not yet alerted; the
    LeadPublished event queues their alerts."""
    lead = await _own_lead(uow, buyer, command.lead_id)
    buyer.ensure_active("post leads")
    lead.ensure_complete()
    await ensure_within(uow, buyer, Usage.LEAD_PUBLISHED, now)
    lead.move(Action.PUBLISH, Actor.BUYER, Who.of(buyer), now)
    lead.published_at = now
    await uow.leads.save(lead)
    alerted = await uow.leads.record_matches(lead, now)
    uow.record(LeadPublished(lead, alerted))
    return Published(lead, alerted)


async def ask_withdraw(uow: UnitOfWork, buyer: User, command: OwnLead, now: datetime) -> Lead:
    """The buyer's lead, if it may still be withdrawn: a Withdraw button left on an old card
    says why not at once, not after the confirmation."""
    buyer.ensure_active("withdraw leads")
    lead = await _own_lead(uow, buyer, command.lead_id)
    next_status(lead.status, Action.WITHDRAW, Actor.BUYER)
    return lead


async def withdraw(uow: UnitOfWork, buyer: User, command: OwnLead, now: datetime) -> Lead:
    """Takes the lead off the market; open offers lapse and sellers in talks are told."""
    buyer.ensure_active("withdraw leads")
    lead = await _own_lead(uow, buyer, command.lead_id)
    lead.move(Action.WITHDRAW, Actor.BUYER, Who.of(buyer), now)
    await uow.leads.save(lead)
    await uow.threads.supersede_open_offers(lead.key, now)
    uow.record(LeadWithdrawn(lead, await _sellers_in_talks(uow, lead)))
    return lead


async def view_lead(
    uow: UnitOfWork, viewer: User | None, command: OpenLead, now: datetime
) -> LeadView | None:
    """A lead as one person may see it (None when there is no such lead for them): drafts
    only by their owner; a withdrawn or closed lead only by the people who were in it
    (domain/privacy.py), anyone else gets a sentence; a seller's opening is noted. Anyone
    may open a shared open lead, even someone who never sent /start (``viewer`` None)."""
    lead = await uow.leads.get(command.lead_id)
    own = viewer is not None and lead is not None and lead.buyer_id == viewer.id
    if lead is None or (lead.status is LeadStatus.DRAFT and not own):
        return None
    if lead.status in privacy.CLOSED and not own:
        in_talks = viewer is not None and (
            await uow.threads.open_thread(lead.key, viewer.key) is not None
        )
        if not privacy.may_see_lead(lead, viewer, in_talks, command.admin):
            raise NotAllowed(privacy.LEAD_REFUSED)
    buyer = await uow.users.get(lead.buyer_id)
    assert buyer is not None
    if viewer is not None and viewer.is_seller and not own:
        await uow.leads.mark_opened(lead.key, viewer.key, now)
    return LeadView(lead, buyer, viewer)


NO_WORDS = "That search has no words to look for: use letters or digits, e.g. /leads logo design."


async def find_leads(uow: UnitOfWork, user: User, command: FindLeads, now: datetime) -> Page[Lead]:
    """Open leads: a search when words or filters are given, else the seller's matches."""
    if not command.words and not command.category and not command.skill and user.is_seller:
        return await uow.leads.matching_open_for(user.key, command.offset, PAGE_SIZE)
    typed = " ".join(command.words)
    check_length(typed)
    query = SearchQuery.parse(typed)
    if command.words and query.empty:
        raise InvalidInput(NO_WORDS)
    return await uow.leads.search_open(
        query, command.category, command.skill, command.offset, PAGE_SIZE
    )


async def search_public(
    uow: UnitOfWork, anyone: User | None, command: SearchPublic, now: datetime
) -> Page[Lead]:
    """Open leads for inline mode, where anyone may search; typing no word at all (an
    empty query) browses the newest, typing only symbols finds nothing."""
    query = SearchQuery.parse(" ".join(command.words))
    if command.words and query.empty:
        return Page([], 0, command.offset, command.size)
    return await uow.leads.search_open(query, None, None, command.offset, command.size)


async def category_choices(
    uow: UnitOfWork, user: User, command: Choices, now: datetime
) -> list[str]:
    """The categories a search can be filtered by (searching is for signed-up users)."""
    user.ensure_signed_up()
    return await uow.categories.names()


async def skill_choices(uow: UnitOfWork, user: User, command: Choices, now: datetime) -> list[str]:
    """Skills to filter a search by: the user's own first, then the most popular."""
    user.ensure_signed_up()
    popular = await uow.skills.popular(command.limit)
    return list(dict.fromkeys(user.profile.skills + popular))[: command.limit]


async def matching_sellers_of(
    uow: UnitOfWork, buyer: User, command: OwnLead, now: datetime
) -> list[User]:
    """The best-matching sellers of one of the buyer's own leads."""
    lead = await _own_lead(uow, buyer, command.lead_id)
    matches = await uow.leads.matching_sellers(lead, MATCHING_SELLERS)
    sellers = await uow.users.get_many([match.seller_id for match in matches])
    return [sellers[m.seller_id] for m in matches if m.seller_id in sellers]


async def unfinished_draft(
    uow: UnitOfWork, buyer: User, command: object, now: datetime
) -> Lead | None:
    """A draft the buyer started writing (it has at least a title)."""
    draft = await uow.leads.draft_of(buyer.key)
    return draft if draft is not None and draft.title else None
