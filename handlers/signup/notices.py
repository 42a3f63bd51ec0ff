"""What signup sends on its own: the confirmation email."""

from __future__ import annotations

from collections.abc import Iterable

from domain.events import ConfirmationEmailRequested
from domain.model import OutboxKind, OutboxMessage
from handlers.core.notify import Notices, Telling
from handlers.signup import emails


def confirmation_email(event: ConfirmationEmailRequested, tell: Telling) -> Iterable[OutboxMessage]:
    draft = emails.confirmation(tell.bot_username, event.email, event.token)
    yield OutboxMessage(
        kind=OutboxKind.EMAIL,
        recipient=draft.to,
        payload=draft.payload(),
        created_at=tell.now,
        user_id=event.user.id,
    )


NOTICES: Notices = {ConfirmationEmailRequested: confirmation_email}
