"""Cards of conversations and the relayed messages the outbox delivers."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardMarkup
from telegram.constants import MessageLimit

from domain.chat import MessageKind
from domain.negotiation import OfferStatus
from domain.relay import Relay, ThreadView
from handlers.chat.buttons import ThreadMessage, ThreadOffer, ThreadTranscript
from handlers.core.keyboards import button, rows
from handlers.core.limits import clip, units, visible
from handlers.deals.buttons import OfferAccept, OfferCounter, OfferDecline, OfferWithdraw
from handlers.deals.texts import offer_lines

Payload = dict[str, object]

FLAG = (
    "⚠️ <i>Contains contact details or a link. Keep the deal on Leadline: only what is said "
    "here counts in a dispute.</i>"
)


def _message(text: str, markup: InlineKeyboardMarkup | None = None) -> Payload:
    payload: Payload = {"method": "sendMessage", "text": text, "parse_mode": "HTML"}
    if markup is not None:
        payload["reply_markup"] = markup.to_dict()
    return payload


def thread_card(view: ThreadView) -> str:
    role = "buyer" if view.other.id == view.thread.buyer_id else "seller"
    lines = [
        f"💬 <b>{escape(view.lead.title or '')}</b>",
        f"With <b>{escape(view.other.name)}</b> ({role})",
    ]
    if view.contract is not None:
        lines.append(
            f"✅ Hired: {view.contract.amount.format()} · due {view.contract.due_at:%d %b %Y}"
        )
    elif view.latest is not None:
        who = "you" if view.latest.author_id == view.me.id else escape(view.other.name)
        lines += ["", f"Latest offer by {who} ({view.latest.status.value}):"]
        lines += offer_lines(view.latest, view.lead)
    return "\n".join(lines)


def thread_actions(view: ThreadView) -> InlineKeyboardMarkup:
    thread = view.thread.id or 0
    buttons = [button("💬 Message", ThreadMessage(thread))]
    latest = view.latest
    if view.contract is None and view.lead.status.value == "open":
        if latest is not None and latest.status is OfferStatus.OPEN:
            if latest.author_id == view.me.id:
                buttons.append(button("↩️ Withdraw offer", OfferWithdraw(latest.id or 0)))
            else:
                buttons += [
                    button("✅ Accept", OfferAccept(latest.id or 0)),
                    button("🔁 Counter", OfferCounter(latest.id or 0)),
                    button("✖️ Decline", OfferDecline(latest.id or 0)),
                ]
        else:
            buttons.append(button("💼 Make offer", ThreadOffer(thread)))
    buttons.append(button("📄 Transcript", ThreadTranscript(thread)))
    return rows(*buttons)


def _header(relay: Relay) -> str:
    return f"💬 <b>{escape(relay.sender.name)}</b> · {escape(relay.lead.title or '')}"


def _fit(text: str, room: int) -> str:
    """User text cut to fit Telegram's limit; the full text stays in the transcript."""
    return clip(text, room, "… (cut: see the transcript)")


_SENDERS = {
    MessageKind.PHOTO: ("sendPhoto", "photo"),
    MessageKind.DOCUMENT: ("sendDocument", "document"),
    MessageKind.VOICE: ("sendVoice", "voice"),
    MessageKind.VIDEO: ("sendVideo", "video"),
    MessageKind.AUDIO: ("sendAudio", "audio"),
}


def relay_payload(relay: Relay) -> Payload:
    """What the recipient gets: a header naming the lead and the sender, then the message."""
    message = relay.message
    header = _header(relay)
    flag = f"\n\n{FLAG}" if message.flagged else ""
    actions = rows(button("💬 Reply in thread", ThreadMessage(message.thread_id)))
    edited = relay.edit_of
    if message.kind is MessageKind.TEXT:
        room = MessageLimit.MAX_TEXT_LENGTH - units(visible(header + flag)) - 20
        body = escape(_fit(message.text or "", room))
        if edited is not None:
            if edited.recipient_message_id is not None:
                return {
                    "method": "editMessageText",
                    "message_id": edited.recipient_message_id,
                    "text": f"{header} <i>(edited)</i>\n\n{body}{flag}",
                    "parse_mode": "HTML",
                    "reply_markup": actions.to_dict(),
                }
            header = f"✏️ {header} <i>(edited message)</i>"
        return _quoting(_message(f"{header}\n\n{body}{flag}", actions), relay)
    method, field = _SENDERS[message.kind]
    room = MessageLimit.CAPTION_LENGTH - units(visible(header + flag)) - 20
    caption = f"{header}\n\n{escape(_fit(message.text or '', room))}" if message.text else header
    if edited is not None and edited.recipient_message_id is not None:
        return {
            "method": "editMessageCaption",
            "message_id": edited.recipient_message_id,
            "caption": f"{caption} <i>(edited)</i>{flag}",
            "parse_mode": "HTML",
            "reply_markup": actions.to_dict(),
        }
    return _quoting(
        {
            "method": method,
            field: message.file_id,
            "caption": f"{caption}{flag}",
            "parse_mode": "HTML",
            "reply_markup": actions.to_dict(),
        },
        relay,
    )


def _quoting(payload: Payload, relay: Relay) -> Payload:
    """Shows a reply as a reply on the other side too (if the quoted message still exists)."""
    if relay.quote is not None:
        payload["reply_parameters"] = {
            "message_id": relay.quote,
            "allow_sending_without_reply": True,
        }
    return payload
