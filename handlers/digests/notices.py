"""A due digest, turned into an outbox row to its seller (bulk lane: its key starts with
``digest:``, storage/outbox.py BULK_KEYS)."""

from __future__ import annotations

from collections.abc import Iterable

from domain.events import DigestDue
from domain.model import OutboxKind, OutboxMessage
from handlers.core import outgoing
from handlers.core.notify import Notices, Telling
from handlers.digests import texts, views


def digest_due(event: DigestDue, tell: Telling) -> Iterable[OutboxMessage]:
    digest = event.digest
    yield OutboxMessage(
        kind=OutboxKind.TELEGRAM,
        recipient=str(digest.telegram_id),
        payload=outgoing.text(texts.digest(digest), views.digest(digest)),
        created_at=tell.now,
        dedupe_key=digest.key,
        user_id=digest.seller_id,
    )


NOTICES: Notices = {DigestDue: digest_due}
