"""Use cases of the relayed chat, the threads list, thread cards and transcripts.

Each use case runs inside the update's unit of work (the caller commits) as the acting
user, takes one small command, and records what the other side should receive as events.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from domain.billing import Payment
from domain.chat import MessageKind, Relay, RelayedMessage, off_platform
from domain.contracts import ContractStep
from domain.deals import load_party
from domain.events import MessageEdited, MessageRelayed
from domain.leads import Lead
from domain.limits import Usage, ensure_within
from domain.model import User
from domain.negotiation import Contract, Offer, OfferStatus, Thread
from domain.ports import Page, ThreadSummary, UnitOfWork
from domain.validation import check_message

PAGE_SIZE = 5


@dataclass(frozen=True)
class Content:
    """What a user sent: its kind, text or caption, file, and its id in their chat.

    ``replying_to`` is the id (in the sender's chat) of the message it replies to, if any.
    """

    kind: MessageKind
    text: str | None
    file_id: str | None
    file_name: str | None
    sender_message_id: int
    replying_to: int | None = None
    file_size: int | None = None


@dataclass(frozen=True)
class SendMessage:
    """A message written in a thread the user is in."""

    thread_id: int
    content: Content


@dataclass(frozen=True)
class SendReply:
    """A reply to a message in the user's chat; it goes to the thread of the message replied
    to, else to ``fallback_thread_id`` (the thread its button names, or the one the user is
    writing in)."""

    content: Content
    fallback_thread_id: int | None


@dataclass(frozen=True)
class EditMessage:
    """A user edited one of their messages (text or caption)."""

    sender_message_id: int
    text: str | None


@dataclass(frozen=True)
class OpenThread:
    thread_id: int


@dataclass(frozen=True)
class ListThreads:
    offset: int


@dataclass(frozen=True)
class ExportTranscript:
    thread_id: int


@dataclass(frozen=True)
class Relayed:
    message: RelayedMessage
    remind: bool  # first flagged message of this sender in this thread


@dataclass(frozen=True)
class ThreadView:
    thread: Thread
    lead: Lead
    me: User
    other: User
    latest: Offer | None
    contract: Contract | None


async def send(uow: UnitOfWork, me: User, command: SendMessage, now: datetime) -> Relayed:
    """Stores the message and records it for the other side: stored before delivered."""
    return await _relay(uow, me, command.thread_id, command.content, now)


async def reply(uow: UnitOfWork, me: User, command: SendReply, now: datetime) -> Relayed | None:
    """Relays a reply in the thread it belongs to; None if it belongs to no thread."""
    replied = command.content.replying_to
    found = None
    if replied is not None:
        found = await uow.threads.message_delivered_as(me.key, replied)
    thread_id = found.thread_id if found is not None else command.fallback_thread_id
    if thread_id is None:
        return None
    return await _relay(uow, me, thread_id, command.content, now)


async def _relay(
    uow: UnitOfWork, me: User, thread_id: int, content: Content, now: datetime
) -> Relayed:
    me.ensure_active("send messages")
    check_message(content.text, with_file=content.kind is not MessageKind.TEXT)
    thread, lead = await load_party(uow, me, thread_id)
    assert thread.id is not None
    await ensure_within(uow, me, Usage.MESSAGE_RELAYED, now)
    other = await uow.users.get(thread.other(me.key))
    assert other is not None
    other.ensure_present()
    quote = await _quote(uow, me.key, thread.id, content.replying_to)
    flagged = off_platform(content.text)
    message = await uow.threads.add_message(
        RelayedMessage(
            thread_id=thread.id,
            sender_id=me.key,
            recipient_id=other.key,
            kind=content.kind,
            created_at=now,
            sender_message_id=content.sender_message_id,
            text=content.text,
            file_id=content.file_id,
            file_name=content.file_name,
            file_size=content.file_size,
            flagged=flagged,
        )
    )
    # The other side writing in this very thread reads the message as it arrives.
    live = other.writing_in == thread.id
    uow.record(MessageRelayed(message, Relay(lead, me, other), quote, live))
    remind = flagged and _remind(thread, me.key)
    # Writing in a thread means having read it.
    _mark_read(thread, me.key, message.id or 0)
    if live:
        _mark_read(thread, other.key, message.id or 0)
    await uow.threads.save(thread)
    return Relayed(message, remind)


async def _quote(uow: UnitOfWork, me: int, thread_id: int, replying_to: int | None) -> int | None:
    """The id, in the other side's chat, of the message being replied to."""
    if replying_to is None:
        return None
    theirs = await uow.threads.message_delivered_as(me, replying_to)
    if theirs is not None and theirs.thread_id == thread_id:
        return theirs.sender_message_id  # their own message, as they sent it
    mine = await uow.threads.message_sent_as(me, replying_to)
    if mine is not None and mine.thread_id == thread_id:
        return mine.recipient_message_id  # my message, as it reached them
    return None


def _remind(thread: Thread, user_id: int) -> bool:
    """Whether to remind the sender of a flagged message of the rules (once per thread)."""
    if user_id == thread.buyer_id:
        reminded, thread.buyer_reminded = thread.buyer_reminded, True
    else:
        reminded, thread.seller_reminded = thread.seller_reminded, True
    return not reminded


def _mark_read(thread: Thread, user_id: int, up_to: int) -> None:
    if user_id == thread.buyer_id:
        thread.buyer_read_up_to = max(thread.buyer_read_up_to, up_to)
    else:
        thread.seller_read_up_to = max(thread.seller_read_up_to, up_to)


async def edit(
    uow: UnitOfWork, me: User, command: EditMessage, now: datetime
) -> RelayedMessage | None:
    """Stores an edit as a new version and records it for the other side; None if the
    edited message was never relayed, or only its formatting changed."""
    previous = await uow.threads.message_sent_as(me.key, command.sender_message_id)
    if previous is None or previous.text == command.text:
        return None
    me.ensure_active("edit messages")
    check_message(command.text, with_file=previous.kind is not MessageKind.TEXT)
    original_id = previous.original_id or previous.id
    messages = await uow.threads.messages(previous.thread_id)
    original = next(m for m in messages if m.id == original_id)
    thread = await uow.threads.get(previous.thread_id)
    lead = await uow.leads.get(thread.lead_id) if thread else None
    other = await uow.users.get(previous.recipient_id)
    assert thread is not None and lead is not None and other is not None
    other.ensure_present()
    version = await uow.threads.add_message(
        RelayedMessage(
            thread_id=previous.thread_id,
            sender_id=me.key,
            recipient_id=other.key,
            kind=previous.kind,
            created_at=now,
            sender_message_id=command.sender_message_id,
            text=command.text,
            file_id=previous.file_id,
            file_name=previous.file_name,
            file_size=previous.file_size,
            flagged=off_platform(command.text),
            original_id=original_id,
            version=previous.version + 1,
        )
    )
    live = other.writing_in == thread.id
    uow.record(MessageEdited(version, original, Relay(lead, me, other), live))
    return version


async def start_writing(
    uow: UnitOfWork, me: User, command: OpenThread, now: datetime
) -> ThreadView:
    """Message on a thread card: refuses a suspended user at the tap, before they write."""
    me.ensure_active("send messages")
    return await view_thread(uow, me, command, now)


async def view_thread(uow: UnitOfWork, me: User, command: OpenThread, now: datetime) -> ThreadView:
    """The thread card; opening it marks the other side's messages as read."""
    thread, lead = await load_party(uow, me, command.thread_id)
    assert thread.id is not None
    other = await uow.users.get(thread.other(me.key))
    assert other is not None
    messages = await uow.threads.messages(thread.id)
    if messages:
        _mark_read(thread, me.key, messages[-1].id or 0)
        await uow.threads.save(thread)
    latest = await uow.threads.latest_offer(thread.id)
    contract = await _contract(uow, thread, lead)
    return ThreadView(thread, lead, me, other, latest, contract)


async def _contract(uow: UnitOfWork, thread: Thread, lead: Lead) -> Contract | None:
    """The lead's contract, if it was made in this thread."""
    contract = await uow.threads.contract_of_lead(lead.id or 0)
    return contract if contract is not None and contract.thread_id == thread.id else None


async def unread_count(uow: UnitOfWork, me: User, _: None, now: datetime) -> int:
    """How many messages wait for the user (the main menu shows it)."""
    return await uow.threads.unread(me.key)


async def threads_of(
    uow: UnitOfWork, me: User, command: ListThreads, now: datetime
) -> Page[ThreadSummary]:
    """A page of the user's threads, most recent activity first (one page, few queries)."""
    return await uow.threads.of_user(me.key, command.offset, PAGE_SIZE)


# The transcript: everything that happened in a thread, as entries in time order. Entries at
# the same moment keep the order of their kinds (``rank``): the opening, offers, decisions,
# hiring, then messages.


@dataclass(frozen=True)
class Opened:
    rank: ClassVar[int] = 0
    at: datetime


@dataclass(frozen=True)
class Offered:
    rank: ClassVar[int] = 1
    at: datetime
    number: int  # the offer's place in the thread, from 1
    offer: Offer
    author: User


@dataclass(frozen=True)
class Decided:
    rank: ClassVar[int] = 2
    at: datetime
    number: int
    status: OfferStatus
    # Who decided: the other side accepts or declines, the author withdraws; an offer
    # replaced by a counter-offer or closed by a hire elsewhere was decided by nobody.
    by: User | None = None


@dataclass(frozen=True)
class HiredHere:
    rank: ClassVar[int] = 3
    at: datetime
    contract: Contract


@dataclass(frozen=True)
class Said:
    """A message, or a new version of one (``message.original_id`` set): flags, files and
    edits are on the message."""

    rank: ClassVar[int] = 4
    at: datetime
    message: RelayedMessage
    author: User


@dataclass(frozen=True)
class PaidHere:
    """A payment of the thread's contract (the buyer's, confirmed or through Telegram)."""

    rank: ClassVar[int] = 5
    at: datetime
    payment: Payment
    author: User


@dataclass(frozen=True)
class Stepped:
    """A step of the thread's contract: a delivery, a request for changes, an approval, a
    proposal and its answer, the end."""

    rank: ClassVar[int] = 6
    at: datetime
    step: ContractStep
    author: User | None


Entry = Opened | Offered | Decided | HiredHere | Said | PaidHere | Stepped


@dataclass(frozen=True)
class Transcript:
    """The whole record of a thread, exported by ``reader`` (None: Leadline support)."""

    lead: Lead
    buyer: User
    seller: User
    reader: User | None
    entries: list[Entry]

    def author(self, user_id: int) -> User:
        return self.buyer if user_id == self.buyer.id else self.seller


def _decider(record: Transcript, offer: Offer) -> User | None:
    """Who accepted, declined or withdrew an offer (None when nobody did: it was replaced)."""
    author = record.author(offer.author_id)
    other = record.seller if author is record.buyer else record.buyer
    return {
        OfferStatus.ACCEPTED: other,
        OfferStatus.DECLINED: other,
        OfferStatus.WITHDRAWN: author,
    }.get(offer.status)


async def transcript(
    uow: UnitOfWork, me: User, command: ExportTranscript, now: datetime
) -> Transcript:
    """The whole record of a thread: messages (every version), offers and their outcome,
    the hiring and what happened to the contract since, in time order."""
    thread, lead = await load_party(uow, me, command.thread_id)
    return await record_of(uow, thread, lead, me)


async def record_of(uow: UnitOfWork, thread: Thread, lead: Lead, reader: User | None) -> Transcript:
    """The transcript of ``thread`` (on ``lead``), for a reader already allowed to see it."""
    assert thread.id is not None
    parties = await uow.users.get_many({thread.buyer_id, thread.seller_id})
    buyer, seller = parties.get(thread.buyer_id), parties.get(thread.seller_id)
    assert buyer is not None and seller is not None
    record = Transcript(lead, buyer, seller, reader, [Opened(thread.created_at)])
    entries = record.entries
    for number, offer in enumerate(await uow.threads.offers(thread.id), 1):
        entries.append(Offered(offer.created_at, number, offer, record.author(offer.author_id)))
        if offer.decided_at is not None:
            entries.append(Decided(offer.decided_at, number, offer.status, _decider(record, offer)))
    contract = await _contract(uow, thread, lead)
    if contract is not None:
        entries.append(HiredHere(contract.started_at, contract))
        for payment in await uow.contracts.payments(contract.key):
            entries.append(PaidHere(payment.paid_at, payment, buyer))
        for step in await uow.contracts.steps(contract.key):
            author = parties.get(step.actor_id) if step.actor_id is not None else None
            entries.append(Stepped(step.at, step, author))
    for message in await uow.threads.messages(thread.id):
        entries.append(Said(message.created_at, message, record.author(message.sender_id)))
    entries.sort(key=lambda entry: (entry.at, entry.rank))
    return record
