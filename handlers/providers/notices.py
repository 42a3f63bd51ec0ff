"""What an invited seller hears."""

from __future__ import annotations

from collections.abc import Iterable

from domain.events import SellerInvited
from domain.model import OutboxMessage
from handlers.core import outgoing
from handlers.core.notify import Notices, Telling
from handlers.providers import texts, views


def invited(event: SellerInvited, tell: Telling) -> Iterable[OutboxMessage]:
    notice = outgoing.text(
        texts.invited(event.buyer, event.lead.title, event.buyer_rating),
        views.invitation_actions(event.lead, event.thread),
    )
    yield tell.to(event.seller, notice, key=f"invite:{event.lead.id}:{event.seller.id}")


NOTICES: Notices = {SellerInvited: invited}
