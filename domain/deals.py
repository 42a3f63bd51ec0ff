"""Use cases of connecting, bidding, countering, accepting (hiring), declining, withdrawing.

Each use case runs inside the update's unit of work (the caller commits) as the acting
user, takes one small command, and records what the other side should hear as events.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from domain.audit import Who
from domain.errors import Conflict, NotAllowed, NotFound
from domain.events import Hired, LeadFilled, OfferDeclined, OfferMade, OfferWithdrawn
from domain.leads import Lead
from domain.lifecycle import Action, Actor, LeadStatus
from domain.limits import Usage, ensure_within
from domain.model import User
from domain.money import parse_money
from domain.negotiation import (
    Contract,
    Deal,
    Offer,
    OfferAction,
    OfferDraft,
    OfferStatus,
    Thread,
    check,
    due_date,
    validate_days,
    validate_note,
)
from domain.ports import UnitOfWork
from domain.reviews import StarTally


@dataclass(frozen=True)
class Connect:
    """A seller's Connect on a lead: the thread opens and their bid begins."""

    lead_id: int
    currency: str


@dataclass(frozen=True)
class StartOffer:
    """Begin writing an offer in a thread, in the marketplace currency."""

    thread_id: int
    currency: str


@dataclass(frozen=True)
class CounterOffer:
    """Begin writing a counter to an open offer."""

    offer_id: int
    currency: str


class DraftField(StrEnum):
    AMOUNT = "amount"
    DAYS = "days"
    NOTE = "note"


@dataclass(frozen=True)
class AnswerDraft:
    """One answer of the offer form; ``text`` None skips an optional one."""

    field: DraftField
    text: str | None


@dataclass(frozen=True)
class SendDraft:
    pass


@dataclass(frozen=True)
class DropDraft:
    pass


@dataclass(frozen=True)
class AnswerOffer:
    """Accept, decline or withdraw an offer."""

    offer_id: int


@dataclass(frozen=True)
class ListBids:
    lead_id: int


@dataclass(frozen=True)
class Drafting:
    """An offer being written, with its lead."""

    draft: OfferDraft
    lead: Lead


async def connect(uow: UnitOfWork, seller: User, command: Connect, now: datetime) -> Drafting:
    """Opens (or reopens) the seller's thread on an open lead and starts writing their bid."""
    seller.ensure_signed_up()
    seller.ensure_seller()
    seller.ensure_active("connect to leads")
    lead = await uow.leads.get(command.lead_id)
    if lead is None or lead.status is LeadStatus.DRAFT:
        raise NotFound("That lead does not exist.")
    if lead.buyer_id == seller.id:
        raise NotAllowed("You cannot connect to your own lead.")
    if lead.status is not LeadStatus.OPEN:
        raise NotAllowed("This lead is no longer open.")
    buyer = await uow.users.get(lead.buyer_id)
    if buyer is None or buyer.suspended:
        # A suspended buyer's leads are hidden until the suspension is lifted.
        raise NotAllowed("This lead is not open right now.")
    assert lead.id is not None
    thread = await uow.threads.open(lead.id, lead.buyer_id, seller.key, now)
    return await _start(uow, seller, thread, lead, command.currency, now)


async def load_party(uow: UnitOfWork, me: User, thread_id: int) -> tuple[Thread, Lead]:
    """A thread and its lead, if ``me`` is one of the thread's two sides."""
    thread = await uow.threads.get(thread_id)
    if thread is None or not thread.party(me.key):
        raise NotFound("That conversation does not exist.")
    lead = await uow.leads.get(thread.lead_id)
    assert lead is not None
    return thread, lead


async def start_offer(uow: UnitOfWork, me: User, command: StartOffer, now: datetime) -> Drafting:
    """Starts writing an offer in a thread, replacing any unsent one."""
    thread, lead = await load_party(uow, me, command.thread_id)
    return await _start(uow, me, thread, lead, command.currency, now)


async def start_counter(
    uow: UnitOfWork, me: User, command: CounterOffer, now: datetime
) -> Drafting:
    """Starts writing a counter, once it is checked that ``me`` may counter the offer."""
    deal, latest = await _offer_deal(uow, me, command.offer_id, "make offers")
    check(deal.offer, latest, me.key, deal.thread, OfferAction.COUNTER)
    return await _start(uow, me, deal.thread, deal.lead, command.currency, now)


async def _start(
    uow: UnitOfWork, me: User, thread: Thread, lead: Lead, currency: str, now: datetime
) -> Drafting:
    if lead.status is not LeadStatus.OPEN:
        raise NotAllowed("This lead is no longer open for offers.")
    me.ensure_active("make offers")
    if me.key == thread.seller_id:
        await ensure_within(uow, me, Usage.BID, now)
    draft = OfferDraft(thread.id or 0, currency)
    await uow.threads.save_draft(me.key, draft, now)
    return Drafting(draft, lead)


async def answer_draft(
    uow: UnitOfWork, me: User, command: AnswerDraft, now: datetime
) -> OfferDraft:
    """Stores one answer of the offer form; a wrong one raises InvalidInput."""
    me.ensure_active("make offers")
    draft = await _draft(uow, me)
    text = command.text
    if command.field is DraftField.AMOUNT:
        draft.amount = parse_money(text or "", draft.currency)
    elif command.field is DraftField.DAYS:
        draft.days = validate_days(text or "")
    else:
        draft.note = validate_note(text) if text is not None else None
    await uow.threads.save_draft(me.key, draft, now)
    return draft


async def current_draft(uow: UnitOfWork, me: User, _: object, now: datetime) -> OfferDraft:
    """The offer being written."""
    return await _draft(uow, me)


async def _draft(uow: UnitOfWork, me: User) -> OfferDraft:
    draft = await uow.threads.draft(me.key)
    if draft is None:
        raise NotFound("There is no offer being written; tap Connect or Counter again.")
    return draft


async def send_draft(uow: UnitOfWork, me: User, command: SendDraft, now: datetime) -> Deal:
    """Sends the offer being written (it replaces whatever offer was open in the thread)."""
    draft = await uow.threads.draft(me.key)
    if draft is None or draft.amount is None or draft.days is None:
        raise NotFound("There is no complete offer to send; tap Connect or Counter again.")
    thread, lead = await load_party(uow, me, draft.thread_id)
    if lead.status is not LeadStatus.OPEN:
        raise NotAllowed("This lead is no longer open for offers.")
    me.ensure_active("make offers")
    if me.key == thread.seller_id:
        await ensure_within(uow, me, Usage.BID, now)
    assert thread.id is not None
    other_side = await uow.users.get(thread.other(me.key))
    assert other_side is not None
    other_side.ensure_available()
    latest = await uow.threads.latest_offer(thread.id)
    counter = False
    if latest is not None and latest.status is OfferStatus.OPEN:
        if latest.author_id != me.id:
            check(latest, True, me.key, thread, OfferAction.COUNTER)
            counter = True
        await uow.threads.decide(latest.id or 0, OfferStatus.SUPERSEDED, now)
    offer = await uow.threads.add_offer(
        Offer(thread.id, me.key, draft.amount, draft.days, now, note=draft.note)
    )
    other = await uow.users.get(thread.other(me.key))
    assert other is not None
    other.ensure_present()
    await uow.threads.drop_draft(me.key)
    deal = Deal(lead, thread, offer, me, other)
    # The card shows the author's record: a seller's stars, a buyer's rating by sellers.
    if me.key == thread.seller_id:
        reputation = (await uow.reviews.reputations([me.key]))[me.key]
        uow.record(OfferMade(deal, counter, reputation=reputation))
    else:
        rating = (await uow.reviews.buyer_ratings([me.key])).get(me.key, StarTally())
        uow.record(OfferMade(deal, counter, buyer_rating=rating))
    return deal


async def drop_draft(uow: UnitOfWork, me: User, command: DropDraft, now: datetime) -> None:
    """Forgets the offer being written."""
    await uow.threads.drop_draft(me.key)


async def _offer_deal(
    uow: UnitOfWork, me: User, offer_id: int, doing: str = "answer offers"
) -> tuple[Deal, bool]:
    """The deal an offer belongs to, and whether it is the thread's latest offer; a suspended
    ``me`` is refused in words naming what they tried (``doing``)."""
    me.ensure_active(doing)
    offer = await uow.threads.get_offer(offer_id)
    if offer is None:
        raise NotFound("That offer does not exist.")
    thread = await uow.threads.get(offer.thread_id)
    assert thread is not None
    if not thread.party(me.key):
        raise NotAllowed("This offer is not yours to answer.")
    lead = await uow.leads.get(thread.lead_id)
    other = await uow.users.get(thread.other(me.key))
    assert lead is not None and other is not None
    author, recipient = (me, other) if offer.author_id == me.id else (other, me)
    latest = await uow.threads.latest_offer(thread.id or 0)
    deal = Deal(lead, thread, offer, author, recipient)
    return deal, latest is not None and latest.id == offer.id


@dataclass(frozen=True)
class Hiring:
    deal: Deal
    contract: Contract


async def accept(uow: UnitOfWork, me: User, command: AnswerOffer, now: datetime) -> Hiring:
    """Hires: the contract is made, the lead goes in progress, everyone concerned is told.

    Exactly one accept can win per lead: the offer moves out of "open" only once, the lead
    is saved only at the version it was read, and a lead has at most one contract.
    """
    deal, latest = await _offer_deal(uow, me, command.offer_id)
    check(deal.offer, latest, me.key, deal.thread, OfferAction.ACCEPT)
    (deal.author if deal.author.id != me.id else deal.recipient).ensure_available()
    lead = deal.lead
    actor = Actor.BUYER if me.id == lead.buyer_id else Actor.SELLER
    lead.move(Action.HIRE, actor, Who.of(me), now)
    # The lead first: of two accepts at once the second waits on it (and then finds it
    # changed) instead of each holding an offer the other needs.
    await uow.leads.save(lead)
    if not await uow.threads.decide(command.offer_id, OfferStatus.ACCEPTED, now):
        raise Conflict("This offer is no longer open.")
    offer = deal.offer
    contract = await uow.threads.add_contract(
        Contract(
            lead_id=lead.id or 0,
            thread_id=deal.thread.id or 0,
            offer_id=command.offer_id,
            buyer_id=lead.buyer_id,
            seller_id=deal.thread.seller_id,
            amount=offer.amount,
            days=offer.days,
            started_at=now,
            due_at=due_date(now, offer.days),
        )
    )
    await uow.threads.supersede_open_offers(lead.id or 0, now)
    others = [t for t in await uow.threads.of_lead(lead.id or 0) if t.id != deal.thread.id]
    sellers = await uow.users.get_many({thread.seller_id for thread in others})
    uow.record(Hired(deal, contract))
    uow.record(LeadFilled(lead, tuple(sellers.values())))
    return Hiring(deal, contract)


async def decline(uow: UnitOfWork, me: User, command: AnswerOffer, now: datetime) -> Deal:
    """The counterparty turns the offer down; its author is told."""
    deal = await _close(uow, me, command.offer_id, now, OfferAction.DECLINE)
    uow.record(OfferDeclined(deal))
    return deal


async def withdraw(uow: UnitOfWork, me: User, command: AnswerOffer, now: datetime) -> Deal:
    """The author takes the offer back; the other side is told."""
    deal = await _close(uow, me, command.offer_id, now, OfferAction.WITHDRAW)
    uow.record(OfferWithdrawn(deal))
    return deal


_CLOSING = {OfferAction.DECLINE: OfferStatus.DECLINED, OfferAction.WITHDRAW: OfferStatus.WITHDRAWN}


async def _close(
    uow: UnitOfWork, me: User, offer_id: int, now: datetime, action: OfferAction
) -> Deal:
    doing = "withdraw your offers" if action is OfferAction.WITHDRAW else "answer offers"
    deal, latest = await _offer_deal(uow, me, offer_id, doing)
    check(deal.offer, latest, me.key, deal.thread, action)
    if not await uow.threads.decide(offer_id, _CLOSING[action], now):
        raise Conflict("This offer is no longer open.")
    return deal


@dataclass(frozen=True)
class Bid:
    """One seller's conversation on a lead, with the latest offer in it."""

    thread: Thread
    seller: User
    latest: Offer | None
    hired: bool


async def bids_of(uow: UnitOfWork, buyer: User, command: ListBids, now: datetime) -> list[Bid]:
    """The conversations on one of the buyer's leads, best offer status first."""
    lead = await uow.leads.get(command.lead_id)
    if lead is None or lead.buyer_id != buyer.id:
        raise NotFound("That lead does not exist or is not yours.")
    contract = await uow.threads.contract_of_lead(command.lead_id)
    threads = await uow.threads.of_lead(command.lead_id)
    sellers = await uow.users.get_many({thread.seller_id for thread in threads})
    latest = await uow.threads.latest_offers([thread.id for thread in threads if thread.id])
    bids = [
        Bid(
            thread,
            seller,
            latest.get(thread.id or 0),
            contract is not None and contract.thread_id == thread.id,
        )
        for thread in threads
        if (seller := sellers.get(thread.seller_id)) is not None
    ]
    return sorted(bids, key=lambda b: (not b.hired, b.latest is None, b.thread.id or 0))
