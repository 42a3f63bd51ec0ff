"""Contact Us: every admin gets a user's message with Reply; the user gets the answer."""

from __future__ import annotations

from collections.abc import Iterable

from domain.contact import ContactMessage
from domain.events import ContactAnswered, ContactWritten
from domain.model import OutboxKind, OutboxMessage
from handlers.contact import texts, views
from handlers.core import outgoing
from handlers.core.notify import Notices, Telling


def _files(message: ContactMessage, caption: str) -> list[outgoing.Payload]:
    """Each file of a message, after its card (photos as photos, the rest as documents)."""
    return [
        outgoing.file("photo" if f.kind.value == "photo" else "document", f.file_id, caption)
        for f in message.files
    ]


def written(event: ContactWritten, tell: Telling) -> Iterable[OutboxMessage]:
    """To every admin: the card with Reply, then the files."""
    message, sender = event.message, event.sender
    card = outgoing.text(texts.to_admins(message, sender), views.reply_to_user(message))
    payloads = [card, *_files(message, texts.file_caption(sender))]
    for admin in event.admins:
        for payload in payloads:
            # An admin may never have been stored as a user: addressed by Telegram id alone.
            yield OutboxMessage(OutboxKind.TELEGRAM, str(admin), payload, tell.now)


def answered(event: ContactAnswered, tell: Telling) -> Iterable[OutboxMessage]:
    """To the user: the answer marked as from Leadline support, with Reply."""
    message = event.message
    yield tell.to(event.user, outgoing.text(texts.to_user(message), views.write_back()))
    for payload in _files(message, texts.SUPPORT_FILE):
        yield tell.to(event.user, payload)


NOTICES: Notices = {ContactWritten: written, ContactAnswered: answered}
