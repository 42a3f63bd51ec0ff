"""Use cases of connecting, bidding, countering, accepting (hiring), declining, withdrawing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from domain.errors import Conflict, NotAllowed, NotFound
from domain.leads import Lead
from domain.lifecycle import Action, Actor, LeadStatus, next_status
from domain.model import OutboxKind, OutboxMessage, User, UserStatus
from domain.money import Money, parse_money
from domain.negotiation import (
    Contract,
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
from domain.onboarding import load_user
from domain.ports import UnitOfWork

Payload = dict[str, object]


@dataclass(frozen=True)
class Deal:
    """Everything a card about an offer needs."""

    lead: Lead
    thread: Thread
    offer: Offer
    author: User
    recipient: User


class DealNotices(Protocol):
    """The messages the other side gets, as outbox payloads (Telegram-specific, from handlers)."""

    def bid(self, deal: Deal, counter: bool) -> Payload: ...

    def accepted(self, deal: Deal, contract: Contract) -> Payload: ...

    def declined(self, deal: Deal) -> Payload: ...

    def withdrawn(self, deal: Deal) -> Payload: ...

    def filled(self, lead: Lead) -> Payload: ...


def _notice(user: User, payload: Payload, now: datetime, key: str | None = None) -> OutboxMessage:
    return OutboxMessage(
        kind=OutboxKind.TELEGRAM,
        recipient=str(user.telegram_id),
        payload=payload,
        created_at=now,
        dedupe_key=key,
        user_id=user.id,
    )


async def connect(uow: UnitOfWork, telegram_id: int, lead_id: int, now: datetime) -> Thread:
    """Opens (or reopens) the seller's thread on an open lead."""
    async with uow:
        seller = await load_user(uow, telegram_id)
        if not seller.signed_up:
            raise NotAllowed("Please finish signing up first: send /start.")
        if not seller.is_seller:
            raise NotAllowed("Only sellers can connect; add the seller role in /profile.")
        if seller.status is UserStatus.SUSPENDED:
            raise NotAllowed("Your account is suspended, so you cannot connect to leads.")
        lead = await uow.leads.get(lead_id)
        if lead is None or lead.status is LeadStatus.DRAFT:
            raise NotFound("That lead does not exist.")
        if lead.buyer_id == seller.id:
            raise NotAllowed("You cannot connect to your own lead.")
        if lead.status is not LeadStatus.OPEN:
            raise NotAllowed("This lead is no longer open.")
        assert seller.id is not None and lead.id is not None
        thread = await uow.threads.open(lead.id, lead.buyer_id, seller.id, now)
        await uow.commit()
        return thread


async def load_party(
    uow: UnitOfWork, telegram_id: int, thread_id: int
) -> tuple[User, Thread, Lead]:
    """The user, the thread and its lead, if the user is one of the thread's two sides."""
    me = await load_user(uow, telegram_id)
    thread = await uow.threads.get(thread_id)
    if thread is None or me.id is None or not thread.party(me.id):
        raise NotFound("That conversation does not exist.")
    lead = await uow.leads.get(thread.lead_id)
    assert lead is not None
    return me, thread, lead


async def make_offer(
    uow: UnitOfWork,
    telegram_id: int,
    thread_id: int,
    amount: Money,
    days: int,
    note: str | None,
    now: datetime,
    notices: DealNotices,
) -> Deal:
    """Sends a bid or a counter-offer; it replaces whatever offer was open in the thread."""
    async with uow:
        deal = await _offer(uow, telegram_id, thread_id, amount, days, note, now, notices)
        await uow.commit()
        return deal


async def _offer(
    uow: UnitOfWork,
    telegram_id: int,
    thread_id: int,
    amount: Money,
    days: int,
    note: str | None,
    now: datetime,
    notices: DealNotices,
) -> Deal:
    me, thread, lead = await load_party(uow, telegram_id, thread_id)
    if lead.status is not LeadStatus.OPEN:
        raise NotAllowed("This lead is no longer open for offers.")
    if me.status is UserStatus.SUSPENDED:
        raise NotAllowed("Your account is suspended, so you cannot make offers.")
    assert me.id is not None and thread.id is not None
    latest = await uow.threads.latest_offer(thread.id)
    counter = False
    if latest is not None and latest.status is OfferStatus.OPEN:
        if latest.author_id != me.id:
            check(latest, True, me.id, thread, OfferAction.COUNTER)
            counter = True
        await uow.threads.decide(latest.id or 0, OfferStatus.SUPERSEDED, now)
    offer = await uow.threads.add_offer(Offer(thread.id, me.id, amount, days, now, note=note))
    other = await uow.users.get(thread.other(me.id))
    assert other is not None
    deal = Deal(lead, thread, offer, me, other)
    await uow.outbox.add(_notice(other, notices.bid(deal, counter), now))
    return deal


async def start_draft(
    uow: UnitOfWork, telegram_id: int, thread_id: int, currency: str, now: datetime
) -> Lead:
    """Starts writing an offer in a thread (replacing any unsent one); returns the lead."""
    async with uow:
        me, thread, lead = await load_party(uow, telegram_id, thread_id)
        if lead.status is not LeadStatus.OPEN:
            raise NotAllowed("This lead is no longer open for offers.")
        await uow.threads.save_draft(me.id or 0, OfferDraft(thread.id or 0, currency), now)
        await uow.commit()
        return lead


async def _update_draft(
    uow: UnitOfWork, telegram_id: int, now: datetime, change: Callable[[OfferDraft], None]
) -> OfferDraft:
    async with uow:
        me = await load_user(uow, telegram_id)
        draft = await uow.threads.draft(me.id or 0)
        if draft is None:
            raise NotFound("There is no offer being written; tap Connect or Counter again.")
        change(draft)
        await uow.threads.save_draft(me.id or 0, draft, now)
        await uow.commit()
        return draft


async def draft_amount(uow: UnitOfWork, telegram_id: int, text: str, now: datetime) -> OfferDraft:
    async with uow:
        me = await load_user(uow, telegram_id)
        draft = await uow.threads.draft(me.id or 0)
    amount = parse_money(text, draft.currency if draft else "USD")
    return await _update_draft(uow, telegram_id, now, lambda d: setattr(d, "amount", amount))


async def draft_days(uow: UnitOfWork, telegram_id: int, text: str, now: datetime) -> OfferDraft:
    days = validate_days(text)
    return await _update_draft(uow, telegram_id, now, lambda d: setattr(d, "days", days))


async def draft_note(
    uow: UnitOfWork, telegram_id: int, text: str | None, now: datetime
) -> OfferDraft:
    """Stores the note, or none when the user skips it."""
    note = validate_note(text) if text is not None else None
    return await _update_draft(uow, telegram_id, now, lambda d: setattr(d, "note", note))


async def send_draft(
    uow: UnitOfWork, telegram_id: int, now: datetime, notices: DealNotices
) -> Deal:
    """Sends the offer being written and forgets the draft, in one transaction."""
    async with uow:
        me = await load_user(uow, telegram_id)
        draft = await uow.threads.draft(me.id or 0)
        if draft is None or draft.amount is None or draft.days is None:
            raise NotFound("There is no complete offer to send; tap Connect or Counter again.")
        deal = await _offer(
            uow, telegram_id, draft.thread_id, draft.amount, draft.days, draft.note, now, notices
        )
        await uow.threads.drop_draft(me.id or 0)
        await uow.commit()
        return deal


async def drop_draft(uow: UnitOfWork, telegram_id: int) -> None:
    async with uow:
        me = await load_user(uow, telegram_id)
        await uow.threads.drop_draft(me.id or 0)
        await uow.commit()


async def _offer_deal(uow: UnitOfWork, telegram_id: int, offer_id: int) -> tuple[User, Deal, bool]:
    """The acting user, the deal an offer belongs to, and whether it is the thread's latest."""
    me = await load_user(uow, telegram_id)
    offer = await uow.threads.get_offer(offer_id)
    if offer is None:
        raise NotFound("That offer does not exist.")
    thread = await uow.threads.get(offer.thread_id)
    assert thread is not None
    if me.id is None or not thread.party(me.id):
        raise NotAllowed("This offer is not yours to answer.")
    lead = await uow.leads.get(thread.lead_id)
    other = await uow.users.get(thread.other(me.id))
    assert lead is not None and other is not None
    author, recipient = (me, other) if offer.author_id == me.id else (other, me)
    latest = await uow.threads.latest_offer(thread.id or 0)
    deal = Deal(lead, thread, offer, author, recipient)
    return me, deal, latest is not None and latest.id == offer.id


async def accept(
    uow: UnitOfWork, telegram_id: int, offer_id: int, now: datetime, notices: DealNotices
) -> tuple[Deal, Contract]:
    """Hires: the contract is made, the lead goes in progress, everyone concerned is told.

    Exactly one accept can win per lead: the offer moves out of "open" only once, the lead
    is saved only at the version it was read, and a lead has at most one contract.
    """
    async with uow:
        me, deal, latest = await _offer_deal(uow, telegram_id, offer_id)
        assert me.id is not None
        check(deal.offer, latest, me.id, deal.thread, OfferAction.ACCEPT)
        lead = deal.lead
        actor = Actor.BUYER if me.id == lead.buyer_id else Actor.SELLER
        lead.status = next_status(lead.status, Action.HIRE, actor)
        if not await uow.threads.decide(offer_id, OfferStatus.ACCEPTED, now):
            raise Conflict("This offer is no longer open.")
        await uow.leads.save(lead)
        offer = deal.offer
        contract = await uow.threads.add_contract(
            Contract(
                lead_id=lead.id or 0,
                thread_id=deal.thread.id or 0,
                offer_id=offer_id,
                buyer_id=lead.buyer_id,
                seller_id=deal.thread.seller_id,
                amount=offer.amount,
                days=offer.days,
                started_at=now,
                due_at=due_date(now, offer.days),
            )
        )
        await uow.outbox.add(_notice(deal.author, notices.accepted(deal, contract), now))
        await uow.threads.supersede_open_offers(lead.id or 0, now)
        others = [t for t in await uow.threads.of_lead(lead.id or 0) if t.id != deal.thread.id]
        sellers = await uow.users.get_many({thread.seller_id for thread in others})
        await uow.outbox.add_many(
            [
                _notice(seller, notices.filled(lead), now, f"filled:{lead.id}:{seller.id}")
                for thread in others
                if (seller := sellers.get(thread.seller_id)) is not None
            ]
        )
        await uow.commit()
        return deal, contract


async def _close(
    uow: UnitOfWork,
    telegram_id: int,
    offer_id: int,
    now: datetime,
    action: OfferAction,
    status: OfferStatus,
    notice: Callable[[Deal], tuple[User, Payload]],
) -> Deal:
    """Declines or withdraws an offer and tells the other side."""
    async with uow:
        me, deal, latest = await _offer_deal(uow, telegram_id, offer_id)
        check(deal.offer, latest, me.id or 0, deal.thread, action)
        if not await uow.threads.decide(offer_id, status, now):
            raise Conflict("This offer is no longer open.")
        whom, payload = notice(deal)
        await uow.outbox.add(_notice(whom, payload, now))
        await uow.commit()
        return deal


async def decline(
    uow: UnitOfWork, telegram_id: int, offer_id: int, now: datetime, notices: DealNotices
) -> Deal:
    """The counterparty turns the offer down; its author is told."""
    return await _close(
        uow,
        telegram_id,
        offer_id,
        now,
        OfferAction.DECLINE,
        OfferStatus.DECLINED,
        lambda deal: (deal.author, notices.declined(deal)),
    )


async def withdraw(
    uow: UnitOfWork, telegram_id: int, offer_id: int, now: datetime, notices: DealNotices
) -> Deal:
    """The author takes the offer back; the other side is told."""
    return await _close(
        uow,
        telegram_id,
        offer_id,
        now,
        OfferAction.WITHDRAW,
        OfferStatus.WITHDRAWN,
        lambda deal: (deal.recipient, notices.withdrawn(deal)),
    )


async def counter_target(uow: UnitOfWork, telegram_id: int, offer_id: int) -> Thread:
    """The thread to counter in, once it is checked that this user may counter the offer."""
    async with uow:
        me, deal, latest = await _offer_deal(uow, telegram_id, offer_id)
        check(deal.offer, latest, me.id or 0, deal.thread, OfferAction.COUNTER)
        return deal.thread


@dataclass(frozen=True)
class Bid:
    """One seller's conversation on a lead, with the latest offer in it."""

    thread: Thread
    seller: User
    latest: Offer | None
    hired: bool


async def bids_of(uow: UnitOfWork, telegram_id: int, lead_id: int) -> list[Bid]:
    """The conversations on one of the buyer's leads, best offer status first."""
    async with uow:
        buyer = await load_user(uow, telegram_id)
        lead = await uow.leads.get(lead_id)
        if lead is None or lead.buyer_id != buyer.id:
            raise NotFound("That lead does not exist or is not yours.")
        contract = await uow.threads.contract_of_lead(lead_id)
        threads = await uow.threads.of_lead(lead_id)
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


async def draft_of(uow: UnitOfWork, telegram_id: int) -> OfferDraft | None:
    async with uow:
        me = await load_user(uow, telegram_id)
        return await uow.threads.draft(me.id or 0)
