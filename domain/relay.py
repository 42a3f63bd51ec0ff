"""Use cases of the relayed chat, the threads list, thread cards and transcripts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from domain.chat import MessageKind, RelayedMessage, off_platform
from domain.deals import load_party
from domain.leads import Lead
from domain.model import OutboxKind, OutboxMessage, User
from domain.negotiation import Contract, Offer, Thread
from domain.onboarding import load_user
from domain.ports import Page, ThreadSummary, UnitOfWork

PAGE_SIZE = 5
Payload = dict[str, object]
RenderRelay = Callable[["Relay"], Payload]


@dataclass(frozen=True)
class Relay:
    """A message on its way to the other side (or an edit of one already there)."""

    message: RelayedMessage
    lead: Lead
    sender: User
    recipient: User
    edit_of: RelayedMessage | None = None
    quote: int | None = None  # the recipient's message this one replies to


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


async def relay(
    uow: UnitOfWork,
    telegram_id: int,
    thread_id: int,
    kind: MessageKind,
    text: str | None,
    file_id: str | None,
    file_name: str | None,
    sender_message_id: int,
    now: datetime,
    render: RenderRelay,
    replying_to: int | None = None,
) -> Relayed:
    """Stores the message, then queues it for the other side: stored before delivered.

    ``replying_to`` is the Telegram id (in the sender's chat) of the message replied to; the
    other side's copy then quotes that message as it appears in their chat.
    """
    async with uow:
        me = await load_user(uow, telegram_id)
        thread, lead = await load_party(uow, me, thread_id)
        assert me.id is not None and thread.id is not None
        other = await uow.users.get(thread.other(me.id))
        assert other is not None
        quote = await _quote(uow, me.id, thread.id, replying_to)
        flagged = off_platform(text)
        message = await uow.threads.add_message(
            RelayedMessage(
                thread_id=thread.id,
                sender_id=me.id,
                recipient_id=other.id or 0,
                kind=kind,
                created_at=now,
                sender_message_id=sender_message_id,
                text=text,
                file_id=file_id,
                file_name=file_name,
                flagged=flagged,
            )
        )
        await uow.outbox.add(_delivery(Relay(message, lead, me, other, quote=quote), render, now))
        remind = False
        if flagged:
            reminded = thread.buyer_reminded if me.id == thread.buyer_id else thread.seller_reminded
            remind = not reminded
            if me.id == thread.buyer_id:
                thread.buyer_reminded = True
            else:
                thread.seller_reminded = True
            await uow.threads.save(thread)
        # Writing in a thread means having read it.
        _mark_read(thread, me.id, message.id or 0)
        await uow.threads.save(thread)
        await uow.commit()
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


def _delivery(relay: Relay, render: RenderRelay, now: datetime) -> OutboxMessage:
    return OutboxMessage(
        kind=OutboxKind.TELEGRAM,
        recipient=str(relay.recipient.telegram_id),
        payload=render(relay),
        created_at=now,
        user_id=relay.recipient.id,
        relay_message_id=relay.message.id if relay.edit_of is None else None,
    )


async def relay_edit(
    uow: UnitOfWork,
    telegram_id: int,
    sender_message_id: int,
    text: str | None,
    now: datetime,
    render: RenderRelay,
) -> RelayedMessage | None:
    """Stores an edit as a new version and shows it to the other side; None if the edited
    message was never relayed."""
    async with uow:
        me = await load_user(uow, telegram_id)
        assert me.id is not None
        previous = await uow.threads.message_sent_as(me.id, sender_message_id)
        if previous is None or previous.text == text:
            # Never relayed, or only its formatting changed: nothing new to record.
            return None
        original_id = previous.original_id or previous.id
        original = await uow.threads.messages(previous.thread_id)
        first = next(m for m in original if m.id == original_id)
        thread = await uow.threads.get(previous.thread_id)
        lead = await uow.leads.get(thread.lead_id) if thread else None
        other = await uow.users.get(previous.recipient_id)
        assert thread is not None and lead is not None and other is not None
        version = await uow.threads.add_message(
            RelayedMessage(
                thread_id=previous.thread_id,
                sender_id=me.id,
                recipient_id=other.id or 0,
                kind=previous.kind,
                created_at=now,
                sender_message_id=sender_message_id,
                text=text,
                file_id=previous.file_id,
                file_name=previous.file_name,
                flagged=off_platform(text),
                original_id=original_id,
                version=previous.version + 1,
            )
        )
        await uow.outbox.add(_delivery(Relay(version, lead, me, other, edit_of=first), render, now))
        await uow.commit()
        return version


async def thread_of_reply(uow: UnitOfWork, telegram_id: int, replied_message_id: int) -> int | None:
    """The thread of the relayed message a user replied to, if it was one."""
    async with uow:
        me = await load_user(uow, telegram_id)
        found = await uow.threads.message_delivered_as(me.id or 0, replied_message_id)
        return found.thread_id if found else None


def _mark_read(thread: Thread, user_id: int, up_to: int) -> None:
    if user_id == thread.buyer_id:
        thread.buyer_read_up_to = max(thread.buyer_read_up_to, up_to)
    else:
        thread.seller_read_up_to = max(thread.seller_read_up_to, up_to)


async def view_thread(uow: UnitOfWork, telegram_id: int, thread_id: int) -> ThreadView:
    """The thread card; opening it marks the other side's messages as read."""
    async with uow:
        me = await load_user(uow, telegram_id)
        thread, lead = await load_party(uow, me, thread_id)
        assert me.id is not None and thread.id is not None
        other = await uow.users.get(thread.other(me.id))
        assert other is not None
        messages = await uow.threads.messages(thread.id)
        if messages:
            _mark_read(thread, me.id, messages[-1].id or 0)
            await uow.threads.save(thread)
            await uow.commit()
        latest = await uow.threads.latest_offer(thread.id)
        contract = await uow.threads.contract_of_lead(lead.id or 0)
        if contract is not None and contract.thread_id != thread.id:
            contract = None
        return ThreadView(thread, lead, me, other, latest, contract)


async def threads_of(uow: UnitOfWork, telegram_id: int, offset: int) -> Page[ThreadSummary]:
    async with uow:
        me = await load_user(uow, telegram_id)
        return await uow.threads.of_user(me.id or 0, offset, PAGE_SIZE)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


async def transcript(uow: UnitOfWork, telegram_id: int, thread_id: int) -> str:
    """The whole record of a thread as UTF-8 text: messages (every version), offers and
    status changes, in order, with UTC times and file references."""
    async with uow:
        me = await load_user(uow, telegram_id)
        thread, lead = await load_party(uow, me, thread_id)
        parties = await uow.users.get_many({thread.buyer_id, thread.seller_id})
        buyer, seller = parties.get(thread.buyer_id), parties.get(thread.seller_id)
        assert buyer is not None and seller is not None
        names = {buyer.id: f"{buyer.name} (buyer)", seller.id: f"{seller.name} (seller)"}
        events: list[tuple[datetime, int, str]] = [
            (thread.created_at, 0, f"Conversation opened about lead #{lead.id}: {lead.title}")
        ]
        for number, offer in enumerate(await uow.threads.offers(thread.id or 0), 1):
            note = f" — note: {offer.note}" if offer.note else ""
            events.append(
                (
                    offer.created_at,
                    1,
                    f"{names[offer.author_id]} offered {offer.amount.format()} "
                    f"in {offer.days} days (offer {number}){note}",
                )
            )
            if offer.decided_at is not None:
                events.append((offer.decided_at, 2, f"Offer {number} {offer.status.value}"))
        contract = await uow.threads.contract_of_lead(lead.id or 0)
        if contract is not None and contract.thread_id == thread.id:
            events.append(
                (
                    contract.started_at,
                    3,
                    f"Hired: {contract.amount.format()}, {contract.days} "
                    f"days, due {_utc(contract.due_at)}",
                )
            )
        for message in await uow.threads.messages(thread.id or 0):
            what = message.text or ""
            if message.file_id:
                name = message.file_name or "file"
                reference = f"[{message.kind.value}: {name}, file_id {message.file_id}]"
                what = f"{reference} {what}".strip()
            if message.original_id is not None:
                what = f"(edit {message.version} of message #{message.original_id}) {what}"
            flag = " [flagged: contact details]" if message.flagged else ""
            events.append(
                (message.created_at, 4, f"#{message.id} {names[message.sender_id]}: {what}{flag}")
            )
        events.sort(key=lambda event: (event[0], event[1]))
        header = [
            "Leadline transcript",
            f"Lead #{lead.id}: {lead.title}",
            f"Between {names[buyer.id]} and {names[seller.id]}",
            f"Exported {_utc(datetime.now(UTC))} by {me.name}",
            "",
        ]
        return "\n".join(header + [f"{_utc(at)}  {line}" for at, _, line in events]) + "\n"
