"""What the other side of a thread receives: relayed messages and their edits."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from domain.events import MessageEdited, MessageRelayed
from domain.model import OutboxMessage
from handlers.chat import views
from handlers.core.notify import Notices, Telling


def relayed(event: MessageRelayed, tell: Telling) -> Iterable[OutboxMessage]:
    first, *rest = views.relayed(event.message, event.relay, event.quote, event.live)
    # The dispatcher records the id the (first) message gets in the recipient's chat, so
    # that an edit finds it; a reply to any part finds the thread by its Reply button.
    yield replace(tell.to(event.relay.recipient, first), relay_message_id=event.message.id)
    for payload in rest:
        yield tell.to(event.relay.recipient, payload)


def edited(event: MessageEdited, tell: Telling) -> Iterable[OutboxMessage]:
    for payload in views.edited(event.version, event.original, event.relay, event.live):
        yield tell.to(event.relay.recipient, payload)


NOTICES: Notices = {
    MessageRelayed: relayed,
    MessageEdited: edited,
}
