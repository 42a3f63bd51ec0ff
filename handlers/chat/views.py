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
from handlers.core.keyboards import button, rows
from handlers.core.limits import clip, units, visible
from handlers.core.outgoing import FileKind, Payload
from handlers.deals import texts as deal_texts
from handlers.deals.buttons import OfferAccept, OfferCounter, OfferDecline, OfferWithdraw


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
    return InlineKeyboardMarkup(keyboard)


def _fit(text: str, room: int) -> str:
    """User text cut to fit Telegram's limit; the full text stays in the transcript."""
    return clip(text, room, texts.CUT)


_FILES: dict[MessageKind, FileKind] = {
    MessageKind.PHOTO: "photo",
    MessageKind.DOCUMENT: "document",
    MessageKind.VOICE: "voice",
    MessageKind.VIDEO: "video",
    MessageKind.AUDIO: "audio",
}


def _reply_button(message: RelayedMessage) -> InlineKeyboardMarkup:
    return rows(button(texts.REPLY_IN_THREAD, ThreadMessage(message.thread_id)))


def _text_room(header: str, flag: str) -> int:
    return MessageLimit.MAX_TEXT_LENGTH - units(visible(header + flag)) - 20


def _caption(message: RelayedMessage, header: str, flag: str) -> str:
    room = MessageLimit.CAPTION_LENGTH - units(visible(header + flag)) - 20
    body = escape(_fit(message.text, room)) if message.text else None
    return texts.caption(header, body)


def relayed(message: RelayedMessage, relay: Relay, quote: int | None = None) -> Payload:
    """What the recipient gets: a header naming the lead and the sender, then the message,
    shown as a reply to ``quote`` (an id in the recipient's chat) if it answers one."""
    header, flag = texts.relay_header(relay), texts.flag(message)
    actions = _reply_button(message)
    if message.kind is MessageKind.TEXT:
        body = escape(_fit(message.text or "", _text_room(header, flag)))
        return outgoing.text(texts.relayed_text(header, body, flag), actions, quote)
    caption = _caption(message, header, flag)
    return outgoing.file(
        _FILES[message.kind], message.file_id or "", f"{caption}{flag}", actions, quote
    )


def edited(version: RelayedMessage, original: RelayedMessage, relay: Relay) -> Payload:
    """An edit: the recipient's copy is rewritten, or, if its id there is unknown, the new
    version arrives as a message of its own."""
    header, flag = texts.relay_header(relay), texts.flag(version)
    actions = _reply_button(version)
    delivered = original.recipient_message_id
    if version.kind is MessageKind.TEXT:
        if delivered is None:
            header = texts.edited_as_new(header)
        body = escape(_fit(version.text or "", _text_room(header, flag)))
        if delivered is not None:
            return outgoing.edited_text(delivered, texts.edited_text(header, body, flag), actions)
        return outgoing.text(texts.relayed_text(header, body, flag), actions)
    caption = _caption(version, header, flag)
    if delivered is not None:
        return outgoing.edited_caption(delivered, texts.edited_caption(caption, flag), actions)
    return outgoing.file(_FILES[version.kind], version.file_id or "", f"{caption}{flag}", actions)
