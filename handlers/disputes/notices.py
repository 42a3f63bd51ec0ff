"""What disputes tell people: the other side and every administrator when one is opened,
a side written to by Leadline support, both sides when it is resolved."""

from __future__ import annotations

from collections.abc import Iterable

from domain.dispute_cases import DisputeCase
from domain.events import DisputeOpened, DisputeResolved, SupportMessaged
from domain.model import OutboxKind, OutboxMessage
from handlers.contact import views as contact_views
from handlers.contracts import views as contract_views
from handlers.core import outgoing
from handlers.core.notify import Notices, Telling
from handlers.disputes import texts, views


def _to_admin(
    tell: Telling, telegram_id: int, payload: outgoing.Payload, key: str
) -> OutboxMessage:
    """A message for an administrator, who may have no account (their Telegram id alone)."""
    return OutboxMessage(
        kind=OutboxKind.TELEGRAM,
        recipient=str(telegram_id),
        payload=payload,
        created_at=tell.now,
        dedupe_key=key,
    )


def opened(event: DisputeOpened, tell: Telling) -> Iterable[OutboxMessage]:
    engagement, dispute = event.engagement, event.dispute
    case = DisputeCase(dispute, engagement)
    other = engagement.other(event.by.key)
    notice = outgoing.text(
        texts.opened_notice(case, event.by), contract_views.message_only(engagement)
    )
    yield tell.to(other, notice, key=f"dispute-opened:{dispute.key}")
    card = outgoing.text(texts.card(case), views.card(case))
    for admin in event.admins:
        yield _to_admin(tell, admin, card, f"dispute-card:{dispute.key}:{admin}")
        for number, attached in enumerate(dispute.files, 1):
            payload = outgoing.file(
                attached.kind.value, attached.file_id, texts.file_caption(dispute, number)
            )
            yield _to_admin(tell, admin, payload, f"dispute-file:{dispute.key}:{admin}:{number}")


def support(event: SupportMessaged, tell: Telling) -> Iterable[OutboxMessage]:
    """To the side: the message with Reply, which answers through Contact Us."""
    message = texts.support_message(event.engagement, event.text)
    yield tell.to(event.recipient, outgoing.text(message, contact_views.write_back()))


def resolved(event: DisputeResolved, tell: Telling) -> Iterable[OutboxMessage]:
    engagement, dispute = event.engagement, event.dispute
    notice = outgoing.text(texts.resolved_notice(engagement, dispute, event.payment))
    for side in (engagement.buyer, engagement.seller):
        yield tell.to(side, notice, key=f"dispute-resolved:{dispute.key}:{side.key}")


NOTICES: Notices = {
    DisputeOpened: opened,
    SupportMessaged: support,
    DisputeResolved: resolved,
}
