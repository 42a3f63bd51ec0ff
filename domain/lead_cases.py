"""Use cases of posting, editing, publishing, withdrawing and finding leads."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from domain.errors import InvalidInput, NotAllowed, NotFound
from domain.leads import (
    MAX_ATTACHMENTS,
    Attachment,
    Lead,
    parse_lead_skills,
    validate_description,
    validate_title,
)
from domain.lifecycle import Action, Actor, LeadStatus, next_status
from domain.model import OutboxKind, OutboxMessage, User
from domain.money import parse_money
from domain.onboarding import load_user
from domain.ports import Page, UnitOfWork

PAGE_SIZE = 5
EDITABLE = frozenset({LeadStatus.DRAFT, LeadStatus.OPEN})

RenderAlert = Callable[[Lead], dict[str, object]]
RenderChange = Callable[[Lead], dict[str, object]]
"""Builds the notice telling connected sellers that a lead changed."""
"""Builds the outbox payload of the alert card for a lead (Telegram-specific, from handlers)."""


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


async def _own_lead(uow: UnitOfWork, user: User, lead_id: int) -> Lead:
    lead = await uow.leads.get(lead_id)
    if lead is None or lead.buyer_id != user.id:
        raise NotFound("That lead does not exist or is not yours.")
    return lead


async def start_draft(uow: UnitOfWork, telegram_id: int, now: datetime) -> Lead:
    """Returns the buyer's unfinished draft, or a new empty one."""
    async with uow:
        user = await load_user(uow, telegram_id)
        missing = missing_for_posting(user)
        if missing:
            raise NotAllowed("To post a lead you first need " + " and ".join(missing) + ".")
        assert user.id is not None
        draft = await uow.leads.draft_of(user.id)
        if draft is None:
            draft = await uow.leads.add(Lead(buyer_id=user.id, created_at=now))
        await uow.commit()
        return draft


async def discard_draft(uow: UnitOfWork, telegram_id: int, lead_id: int, now: datetime) -> Lead:
    """Throws a draft away and starts a fresh one."""
    async with uow:
        user = await load_user(uow, telegram_id)
        lead = await _own_lead(uow, user, lead_id)
        if lead.status is not LeadStatus.DRAFT:
            raise NotAllowed("Only a draft can be thrown away.")
        lead.title = lead.description = lead.category = None
        lead.skills, lead.budget, lead.attachments = [], None, []
        lead.created_at = now
        await uow.leads.save(lead)
        await uow.commit()
        return lead


async def _tell_sellers_in_talks(
    uow: UnitOfWork, lead: Lead, notify: RenderChange, now: datetime
) -> None:
    threads = await uow.threads.of_lead(lead.id or 0)
    sellers = await uow.users.get_many({thread.seller_id for thread in threads})
    await uow.outbox.add_many(
        [
            OutboxMessage(
                kind=OutboxKind.TELEGRAM,
                recipient=str(seller.telegram_id),
                payload=notify(lead),
                created_at=now,
                user_id=seller.id,
            )
            for thread in threads
            if (seller := sellers.get(thread.seller_id)) is not None
        ]
    )


@dataclass(frozen=True)
class LeadEdit:
    """The result of changing a field: the lead, and whether it was already published."""

    lead: Lead
    published: bool


async def _edit(
    uow: UnitOfWork,
    telegram_id: int,
    lead_id: int,
    change: Callable[[Lead], None],
    notify: RenderChange | None,
) -> LeadEdit:
    async with uow:
        user = await load_user(uow, telegram_id)
        lead = await _own_lead(uow, user, lead_id)
        if lead.status not in EDITABLE:
            raise NotAllowed("This lead can no longer be edited.")
        change(lead)
        await uow.leads.save(lead)
        if lead.status is LeadStatus.OPEN and notify is not None:
            # Sellers already talking about this lead should know what changed.
            await _tell_sellers_in_talks(uow, lead, notify, datetime.now(UTC))
        await uow.commit()
        return LeadEdit(lead, lead.status is LeadStatus.OPEN)


async def set_title(
    uow: UnitOfWork, telegram_id: int, lead_id: int, text: str, notify: RenderChange | None = None
) -> LeadEdit:
    title = validate_title(text)
    return await _edit(
        uow, telegram_id, lead_id, lambda lead: setattr(lead, "title", title), notify
    )


async def set_description(
    uow: UnitOfWork, telegram_id: int, lead_id: int, text: str, notify: RenderChange | None = None
) -> LeadEdit:
    description = validate_description(text)
    return await _edit(
        uow, telegram_id, lead_id, lambda lead: setattr(lead, "description", description), notify
    )


async def set_category(
    uow: UnitOfWork,
    telegram_id: int,
    lead_id: int,
    category: str,
    notify: RenderChange | None = None,
) -> LeadEdit:
    async with uow:
        if category not in await uow.categories.names():
            raise InvalidInput("That category is not on the list.")
    return await _edit(
        uow, telegram_id, lead_id, lambda lead: setattr(lead, "category", category), notify
    )


async def set_skills(
    uow: UnitOfWork, telegram_id: int, lead_id: int, text: str, notify: RenderChange | None = None
) -> LeadEdit:
    names = parse_lead_skills(text)
    async with uow:
        skills = await uow.skills.resolve(names)
        await uow.commit()
    return await _edit(
        uow, telegram_id, lead_id, lambda lead: setattr(lead, "skills", skills), notify
    )


async def set_budget(
    uow: UnitOfWork,
    telegram_id: int,
    lead_id: int,
    text: str,
    currency: str,
    notify: RenderChange | None = None,
) -> LeadEdit:
    budget = parse_money(text, currency)
    return await _edit(
        uow, telegram_id, lead_id, lambda lead: setattr(lead, "budget", budget), notify
    )


async def add_attachment(
    uow: UnitOfWork,
    telegram_id: int,
    lead_id: int,
    attachment: Attachment,
    notify: RenderChange | None = None,
) -> LeadEdit:
    def attach(lead: Lead) -> None:
        if len(lead.attachments) >= MAX_ATTACHMENTS:
            raise InvalidInput(f"A lead can have at most {MAX_ATTACHMENTS} attachments.")
        lead.attachments.append(attachment)

    return await _edit(uow, telegram_id, lead_id, attach, notify)


async def clear_attachments(uow: UnitOfWork, telegram_id: int, lead_id: int) -> LeadEdit:
    return await _edit(
        uow, telegram_id, lead_id, lambda lead: setattr(lead, "attachments", []), None
    )


@dataclass(frozen=True)
class Published:
    lead: Lead
    alerted: int


async def publish(
    uow: UnitOfWork, telegram_id: int, lead_id: int, now: datetime, render_alert: RenderAlert
) -> Published:
    """Opens the lead and queues one alert card for every matching seller not yet alerted."""
    async with uow:
        user = await load_user(uow, telegram_id)
        lead = await _own_lead(uow, user, lead_id)
        if lead.missing:
            raise InvalidInput("Before publishing, please add: " + ", ".join(lead.missing) + ".")
        lead.status = next_status(lead.status, Action.PUBLISH, Actor.BUYER)
        lead.published_at = now
        await uow.leads.save(lead)
        assert lead.id is not None
        alerted = await uow.leads.record_matches(lead, now)
        if alerted:
            await uow.outbox.add(
                OutboxMessage(
                    kind=OutboxKind.ALERT_FANOUT,
                    recipient=f"lead:{lead.id}",
                    payload={"lead_id": lead.id, "message": render_alert(lead)},
                    created_at=now,
                    dedupe_key=f"alerts:{lead.id}",
                )
            )
        await uow.commit()
        return Published(lead, alerted)


async def withdraw(
    uow: UnitOfWork, telegram_id: int, lead_id: int, notify: RenderChange | None = None
) -> Lead:
    """Takes the lead off the market; open offers lapse and sellers in talks are told."""
    async with uow:
        user = await load_user(uow, telegram_id)
        lead = await _own_lead(uow, user, lead_id)
        lead.status = next_status(lead.status, Action.WITHDRAW, Actor.BUYER)
        await uow.leads.save(lead)
        now = datetime.now(UTC)
        await uow.threads.supersede_open_offers(lead_id, now)
        if notify is not None:
            await _tell_sellers_in_talks(uow, lead, notify, now)
        await uow.commit()
        return lead


@dataclass(frozen=True)
class LeadView:
    lead: Lead
    buyer: User
    viewer: User

    @property
    def own(self) -> bool:
        return self.lead.buyer_id == self.viewer.id


async def view_lead(uow: UnitOfWork, telegram_id: int, lead_id: int, now: datetime) -> LeadView:
    """A lead as one user may see it: drafts only by their owner; sellers' opens are noted."""
    async with uow:
        viewer = await load_user(uow, telegram_id)
        lead = await uow.leads.get(lead_id)
        if lead is None or (lead.status is LeadStatus.DRAFT and lead.buyer_id != viewer.id):
            raise NotFound("That lead does not exist.")
        buyer = await uow.users.get(lead.buyer_id)
        assert buyer is not None and viewer.id is not None
        if viewer.is_seller and lead.buyer_id != viewer.id and lead.id is not None:
            await uow.leads.mark_opened(lead.id, viewer.id, now)
            await uow.commit()
        return LeadView(lead, buyer, viewer)


async def find_leads(
    uow: UnitOfWork,
    telegram_id: int,
    words: Sequence[str],
    offset: int,
    category: str | None = None,
    skill: str | None = None,
) -> Page[Lead]:
    """Open leads: a search when words or filters are given, else the seller's matches."""
    async with uow:
        user = await load_user(uow, telegram_id)
        assert user.id is not None
        if not words and not category and not skill and user.is_seller:
            return await uow.leads.matching_open_for(user.id, offset, PAGE_SIZE)
        return await uow.leads.search_open(words, category, skill, offset, PAGE_SIZE)


async def search_public(
    uow: UnitOfWork, words: Sequence[str], offset: int, size: int
) -> Page[Lead]:
    """Open leads for inline mode, where anyone may search."""
    async with uow:
        return await uow.leads.search_open(words, None, None, offset, size)


async def popular_skills(uow: UnitOfWork, limit: int) -> list[str]:
    """The skills most sellers offer, as suggestions."""
    async with uow:
        return await uow.skills.popular(limit)


async def matching_sellers_of(
    uow: UnitOfWork, telegram_id: int, lead_id: int, limit: int = 10
) -> list[User]:
    """The best-matching sellers of one of the buyer's own leads."""
    async with uow:
        user = await load_user(uow, telegram_id)
        lead = await _own_lead(uow, user, lead_id)
        matches = await uow.leads.matching_sellers(lead, limit)
        sellers = await uow.users.get_many([match.seller_id for match in matches])
        return [sellers[m.seller_id] for m in matches if m.seller_id in sellers]


async def set_alerts_muted(uow: UnitOfWork, telegram_id: int, muted: bool) -> User:
    async with uow:
        user = await load_user(uow, telegram_id)
        user.alerts_muted = muted
        await uow.users.save(user)
        await uow.commit()
        return user


async def open_leads_of(uow: UnitOfWork, telegram_id: int, limit: int = 20) -> list[Lead]:
    """The buyer's open leads, newest first (to invite sellers to)."""
    async with uow:
        user = await load_user(uow, telegram_id)
        assert user.id is not None
        return (await uow.leads.of_buyer(user.id, [LeadStatus.OPEN], 0, limit)).items


async def unfinished_draft(uow: UnitOfWork, buyer: User, _: object, now: datetime) -> Lead | None:
    """A draft the buyer started writing (it has at least a title)."""
    draft = await uow.leads.draft_of(buyer.key)
    return draft if draft is not None and draft.title else None
