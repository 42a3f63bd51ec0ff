"""What the other side of a contract hears: deliveries, requests for changes, approval and
payment, proposals and their answers, cancellations."""

from __future__ import annotations

from collections.abc import Iterable

from domain.events import (
    CancellationProposed,
    CancellationRefused,
    ChangesRequested,
    ContractCancelled,
    ContractPaid,
    DeliveryApproved,
    ExtensionAnswered,
    ExtensionProposed,
    WorkDelivered,
)
from domain.model import OutboxMessage
from handlers.contracts import texts, views
from handlers.core import outgoing
from handlers.core.notify import Notices, Telling


def delivered(event: WorkDelivered, tell: Telling) -> Iterable[OutboxMessage]:
    engagement = event.engagement
    card = outgoing.text(texts.delivery_card(engagement), views.delivery_card(engagement))
    yield tell.to(engagement.buyer, card)


def changes_requested(event: ChangesRequested, tell: Telling) -> Iterable[OutboxMessage]:
    engagement = event.engagement
    card = outgoing.text(
        texts.changes_card(engagement, event.note), views.deliver_again(engagement)
    )
    yield tell.to(engagement.seller, card)


def approved(event: DeliveryApproved, tell: Telling) -> Iterable[OutboxMessage]:
    engagement = event.engagement
    notice = outgoing.text(texts.approved_notice(engagement), views.message_only(engagement))
    yield tell.to(engagement.seller, notice)


def paid(event: ContractPaid, tell: Telling) -> Iterable[OutboxMessage]:
    engagement = event.engagement
    notice = outgoing.text(texts.paid_notice(engagement, event.payment))
    yield tell.to(engagement.seller, notice, key=f"contract-paid:{engagement.contract.key}")


def cancelled(event: ContractCancelled, tell: Telling) -> Iterable[OutboxMessage]:
    engagement = event.engagement
    other = engagement.other(event.by.key)
    notice = outgoing.text(texts.cancelled_notice(engagement, event.by, event.agreed, other))
    yield tell.to(other, notice, key=f"contract-cancelled:{engagement.contract.key}")


def extension_proposed(event: ExtensionProposed, tell: Telling) -> Iterable[OutboxMessage]:
    engagement = event.engagement
    card = outgoing.text(
        texts.extension_card(engagement, event.proposal),
        views.extension_card(engagement, event.proposal),
    )
    yield tell.to(engagement.seller, card)


def extension_answered(event: ExtensionAnswered, tell: Telling) -> Iterable[OutboxMessage]:
    engagement = event.engagement
    words = texts.extension_answered(engagement, event.proposal, event.accepted, engagement.buyer)
    yield tell.to(engagement.buyer, outgoing.text(words, views.message_only(engagement)))


def cancellation_proposed(event: CancellationProposed, tell: Telling) -> Iterable[OutboxMessage]:
    engagement = event.engagement
    card = outgoing.text(
        texts.cancellation_card(engagement, event.by),
        views.cancellation_card(engagement, event.proposal),
    )
    yield tell.to(engagement.other(event.by.key), card)


def cancellation_refused(event: CancellationRefused, tell: Telling) -> Iterable[OutboxMessage]:
    engagement = event.engagement
    notice = outgoing.text(
        texts.cancellation_refused(engagement, event.by), views.message_only(engagement)
    )
    yield tell.to(engagement.other(event.by.key), notice)


NOTICES: Notices = {
    WorkDelivered: delivered,
    ChangesRequested: changes_requested,
    DeliveryApproved: approved,
    ContractPaid: paid,
    ContractCancelled: cancelled,
    ExtensionProposed: extension_proposed,
    ExtensionAnswered: extension_answered,
    CancellationProposed: cancellation_proposed,
    CancellationRefused: cancellation_refused,
}
