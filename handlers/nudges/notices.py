"""What a nudge says: one renderer per kind, turned into an outbox row to its recipient."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from domain.events import NudgeDue
from domain.model import OutboxKind, OutboxMessage
from domain.nudges import Nudge, NudgeKind
from handlers.core import outgoing
from handlers.core.notify import Notices, Telling
from handlers.nudges import texts, views

# Adding a kind: one renderer here, one query in storage/nudges.py.
RENDERERS: dict[NudgeKind, Callable[[Nudge, datetime], str]] = {
    NudgeKind.DEADLINE_NEAR: texts.deadline_near,
    NudgeKind.DEADLINE_PASSED: texts.deadline_passed,
    NudgeKind.DELIVERY_WAITING: texts.delivery_waiting,
    NudgeKind.REVIEW_PENDING: texts.review_pending,
    NudgeKind.OFFER_UNANSWERED: texts.offer_unanswered,
    NudgeKind.LEAD_WITHOUT_BIDS: texts.lead_without_bids,
    NudgeKind.EMAIL_UNCONFIRMED: texts.email_unconfirmed,
}


def nudge_due(event: NudgeDue, tell: Telling) -> Iterable[OutboxMessage]:
    nudge = event.nudge
    body = RENDERERS[nudge.kind](nudge, tell.now)
    yield OutboxMessage(
        kind=OutboxKind.TELEGRAM,
        recipient=str(nudge.recipient.telegram_id),
        payload=outgoing.text(body, views.actions(nudge)),
        created_at=tell.now,
        # The key repeats the nudge's own: even a sweep run twice queues it once.
        dedupe_key=f"nudge:{nudge.id}",
        user_id=nudge.recipient.id,
    )


NOTICES: Notices = {NudgeDue: nudge_due}
