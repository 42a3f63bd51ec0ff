"""What the other side of a thread receives: relayed messages and their edits."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from domain.events import MessageEdited, MessageRelayed
from domain.model import OutboxMessage
from handlers.chat import views
from handlers.core.notify import Notices, Telling


def relayed(event: MessageRelayed, tell: Telling) -> Iterable[OutboxMessage]:
    delivery = tell.to(
        event.relay.recipient, views.relayed(event.message, event.relay, event.quote)
    )
    # The dispatcher records the id the message gets in the recipient's chat, so that a
    # reply to it finds its thread.
    yield replace(delivery, relay_message_id=event.message.id)


def edited(event: MessageEdited, tell: Telling) -> Iterable[OutboxMessage]:
    yield tell.to(event.relay.recipient, views.edited(event.version, event.original, event.relay))


NOTICES: Notices = {
    MessageRelayed: relayed,
    MessageEdited: edited,
}
