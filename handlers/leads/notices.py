"""What sellers hear about leads: alerts of new ones, changes and withdrawals."""

from __future__ import annotations

from collections.abc import Iterable

from domain.events import LeadChanged, LeadPublished, LeadWithdrawn
from domain.model import OutboxKind, OutboxMessage
from handlers.core import outgoing
from handlers.core.notify import Notices, Telling
from handlers.leads import texts, views


def published(event: LeadPublished, tell: Telling) -> Iterable[OutboxMessage]:
    """One row stands for every alert: the dispatcher copies ``message`` to each matching
    seller recorded at publishing, in batches (storage.outbox ``expand_alerts``)."""
    lead = event.lead
    if not event.alerted:
        return
    card = outgoing.text(texts.alert(lead, tell.bot_username), views.alert_actions(lead))
    yield OutboxMessage(
        kind=OutboxKind.ALERT_FANOUT,
        recipient=f"lead:{lead.id}",
        payload={"lead_id": lead.id, "message": card},
        created_at=tell.now,
        dedupe_key=f"alerts:{lead.id}",
    )


def changed(event: LeadChanged, tell: Telling) -> Iterable[OutboxMessage]:
    lead = event.lead
    notice = outgoing.text(
        texts.changed(lead, event.change, tell.bot_username), views.view_button(lead)
    )
    for seller in event.sellers_in_talks:
        yield tell.to(seller, notice)


def withdrawn(event: LeadWithdrawn, tell: Telling) -> Iterable[OutboxMessage]:
    lead = event.lead
    notice = outgoing.text(texts.withdrawn_notice(lead))
    for seller in event.sellers:
        yield tell.to(seller, notice, key=f"withdrawn:{lead.id}:{seller.id}")


NOTICES: Notices = {
    LeadPublished: published,
    LeadChanged: changed,
    LeadWithdrawn: withdrawn,
}
