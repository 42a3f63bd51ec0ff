"""Keyboards of conversations and the relayed messages the outbox delivers."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import MessageLimit

from domain.chat import MessageKind, Relay, RelayedMessage
from domain.negotiation import OfferStatus
from domain.ports import Page, ThreadSummary
from domain.relay import ThreadView
from handlers.chat import texts
from handlers.chat.buttons import (
    ThreadMessage,
    ThreadOffer,
    ThreadOpen,
    ThreadPage,
    ThreadTranscript,
)
from handlers.core import outgoing
from handlers.core import texts as common_texts
from handlers.core.keyboards import button, rows
from handlers.core.limits import split, units, visible
from handlers.core.outgoing import FileKind, Payload
from handlers.deals import texts as deal_texts
from handlers.deals.buttons import OfferAccept, OfferCounter, OfferDecline, OfferWithdraw
from handlers.menu.buttons import MenuOpen


def thread_actions(
    view: ThreadView, contract_buttons: Sequence[InlineKeyboardButton] = ()
) -> InlineKeyboardMarkup:
    """Message, what can be done with the offer or the contract now, Transcript."""
    thread = view.thread.id or 0
    buttons = [button(texts.MESSAGE, ThreadMessage(thread))]
    latest = view.latest
    if view.contract is None and view.lead.status.value == "open":
        if latest is not None and latest.status is OfferStatus.OPEN:
            if latest.author_id == view.me.id:
                buttons.append(button(deal_texts.WITHDRAW, OfferWithdraw(latest.id or 0)))
            else:
                buttons += [
                    button(deal_texts.ACCEPT, OfferAccept(latest.id or 0)),
                    button(deal_texts.COUNTER, OfferCounter(latest.id or 0)),
                    button(deal_texts.DECLINE, OfferDecline(latest.id or 0)),
                ]
        else:
            buttons.append(button(texts.MAKE_OFFER, ThreadOffer(thread)))
    buttons += contract_buttons
    buttons.append(button(texts.TRANSCRIPT, ThreadTranscript(thread)))
    buttons.append(button(common_texts.BACK_TO_MENU, MenuOpen()))
    return rows(*buttons)


def thread_list_actions(page: Page[ThreadSummary]) -> InlineKeyboardMarkup:
    """One button per thread of the page, then Prev / Next."""
    keyboard: list[list[InlineKeyboardButton]] = [
        [button(texts.thread_label(summary), ThreadOpen(summary.thread.id or 0))]
        for summary in page.items
    ]
    nav = []
    if page.has_previous:
        nav.append(button(texts.PREVIOUS, ThreadPage(max(page.offset - page.size, 0))))
    if page.has_next:
        nav.append(button(texts.NEXT, ThreadPage(page.offset + page.size)))
    if nav:
        keyboard.append(nav)
    keyboard.append([button(common_texts.BACK_TO_MENU, MenuOpen())])
    return InlineKeyboardMarkup(keyboard)


_FILES: dict[MessageKind, FileKind] = {
    MessageKind.PHOTO: "photo",
    MessageKind.DOCUMENT: "document",
    MessageKind.VOICE: "voice",
    MessageKind.VIDEO: "video",
    MessageKind.AUDIO: "audio",
}


def _reply_button(message: RelayedMessage, live: bool) -> InlineKeyboardMarkup | None:
    """Reply in thread, unless the recipient is writing in that thread already."""
    if live:
        return None
    return rows(button(texts.REPLY_IN_THREAD, ThreadMessage(message.thread_id)))


# Room kept for the part label " (2/3)" and Telegram's counting of the header's entities.
_MARGIN = 30


def _room(limit: int, *fixed: str) -> int:
    return limit - units(visible("".join(fixed))) - _MARGIN


def _parts(header: str, body: str, flag: str, limit: int) -> list[tuple[str, str, str]]:
    """The header, escaped body and flag of each message a body needs: one when it fits;
    else several, each header numbered, so that the other side gets every character."""
    pieces = split(body, _room(limit, header, flag))
    if len(pieces) == 1:
        return [(header, escape(body), flag)]
    count = len(pieces)
    return [
        (texts.part_header(header, number, count), escape(piece), flag if number == count else "")
        for number, piece in enumerate(pieces, start=1)
    ]


def _texts(
    header: str, body: str, flag: str, actions: InlineKeyboardMarkup | None
) -> list[Payload]:
    """Text messages carrying a whole body, each with the Reply button."""
    return [
        outgoing.text(texts.relayed_text(*part), actions)
        for part in _parts(header, body, flag, MessageLimit.MAX_TEXT_LENGTH)
    ]


def _file(
    message: RelayedMessage,
    header: str,
    flag: str,
    actions: InlineKeyboardMarkup | None,
    quote: int | None = None,
) -> list[Payload]:
    """A file with its caption; a caption too long for one follows as text messages."""
    kind, file_id = _FILES[message.kind], message.file_id or ""
    body = message.text or ""
    if units(body) <= _room(MessageLimit.CAPTION_LENGTH, header, flag):
        caption = texts.caption(header, escape(body) if body else None)
        return [outgoing.file(kind, file_id, f"{caption}{flag}", actions, quote)]
    continued = texts.continued(header)
    return [
        outgoing.file(kind, file_id, texts.caption(header, None), actions, quote),
        *_texts(continued, body, flag, actions),
    ]


def relayed(
    message: RelayedMessage, relay: Relay, quote: int | None = None, live: bool = False
) -> list[Payload]:
    """What the recipient gets: a header naming the lead and the sender, then the message,
    shown as a reply to ``quote`` (an id in the recipient's chat) if it answers one; a text
    too long for one message comes in several. ``live``: the recipient is in the thread."""
    header, flag = texts.relay_header(relay), texts.flag(message)
    actions = _reply_button(message, live)
    if message.kind is not MessageKind.TEXT:
        return _file(message, header, flag, actions, quote)
    payloads = _texts(header, message.text or "", flag, actions)
    payloads[0]["quote"] = quote
    return payloads


def edited(
    version: RelayedMessage, original: RelayedMessage, relay: Relay, live: bool = False
) -> list[Payload]:
    """An edit: the recipient's copy is rewritten when the new version fits in it; else (or
    if its id there is unknown) the new version arrives as messages of its own."""
    header, flag = texts.relay_header(relay), texts.flag(version)
    actions = _reply_button(version, live)
    delivered = original.recipient_message_id
    body = version.text or ""
    if version.kind is MessageKind.TEXT:
        if delivered is not None:
            [part, *more] = _parts(header, body, flag, MessageLimit.MAX_TEXT_LENGTH)
            if not more:
                return [outgoing.edited_text(delivered, texts.edited_text(*part), actions)]
        return _texts(texts.edited_as_new(header), body, flag, actions)
    fits = units(body) <= _room(MessageLimit.CAPTION_LENGTH, header, flag)
    if delivered is not None and fits:
        caption = texts.caption(header, escape(body) if body else None)
        return [outgoing.edited_caption(delivered, texts.edited_caption(caption, flag), actions)]
    if delivered is not None:
        # The file stays; its caption says the new text follows.
        note = texts.edited_caption(texts.caption(header, None), "")
        return [
            outgoing.edited_caption(delivered, note, actions),
            *_texts(texts.continued(texts.edited_as_new(header)), body, flag, actions),
        ]
    return _file(version, texts.edited_as_new(header), flag, actions)
