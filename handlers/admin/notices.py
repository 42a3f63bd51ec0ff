"""What admin actions tell people: a suspended (or reinstated) user, everyone an announcement
is for, the admins about a new verification document, the seller about its outcome."""

from __future__ import annotations

from collections.abc import Iterable

from domain.admin_cases import Submission
from domain.events import (
    AnnouncementMade,
    UserSuspended,
    UserUnsuspended,
    VerificationDecided,
    VerificationSubmitted,
)
from domain.model import OutboxKind, OutboxMessage
from handlers.admin import texts, views
from handlers.core import outgoing
from handlers.core.notify import Notices, Telling


def suspended(event: UserSuspended, tell: Telling) -> Iterable[OutboxMessage]:
    yield tell.to(event.user, outgoing.text(texts.told_suspended(event.reason)))


def unsuspended(event: UserUnsuspended, tell: Telling) -> Iterable[OutboxMessage]:
    yield tell.to(event.user, outgoing.text(texts.TOLD_UNSUSPENDED))


def announced(event: AnnouncementMade, tell: Telling) -> Iterable[OutboxMessage]:
    """One row stands for every copy: the dispatcher queues them in batches (storage.outbox
    ``expand_announcement``), as it does a lead's alerts."""
    yield OutboxMessage(
        kind=OutboxKind.ANNOUNCEMENT,
        recipient=f"announcement:{event.role or 'all'}",
        payload={"message": outgoing.text(texts.announcement(event.text)), "role": event.role},
        created_at=tell.now,
    )


def submitted(event: VerificationSubmitted, tell: Telling) -> Iterable[OutboxMessage]:
    """Every admin gets the file itself, with Verify / Reject."""
    document = event.document
    assert document.id is not None
    caption = texts.submission(Submission(event.seller, document))
    payload = outgoing.file("document", document.file_id, caption, views.verification(document.id))
    return tell.to_admins(payload, key=f"verification:{document.id}")


def decided(event: VerificationDecided, tell: Telling) -> Iterable[OutboxMessage]:
    title = event.document.title
    if event.verified:
        text = texts.told_verified(title)
    else:
        text = texts.told_rejected(title, event.reason or "")
    yield tell.to(event.seller, outgoing.text(text))


NOTICES: Notices = {
    UserSuspended: suspended,
    UserUnsuspended: unsuspended,
    AnnouncementMade: announced,
    VerificationSubmitted: submitted,
    VerificationDecided: decided,
}
