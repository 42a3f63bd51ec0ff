"""The lead lifecycle as one transition table: who may move a lead from where to where."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from domain.errors import NotAllowed


class LeadStatus(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DELIVERED = "delivered"
    COMPLETED = "completed"
    WITHDRAWN = "withdrawn"
    CANCELLED = "cancelled"
    DISPUTED = "disputed"


class Action(StrEnum):
    PUBLISH = "publish"
    WITHDRAW = "withdraw"
    HIRE = "hire"
    DELIVER = "deliver"
    CLOSE = "close"
    CANCEL = "cancel"
    DISPUTE = "dispute"
    RESOLVE_COMPLETED = "resolve_completed"
    RESOLVE_CANCELLED = "resolve_cancelled"
    REQUEST_CHANGES = "request_changes"
    CANCEL_BY_AGREEMENT = "cancel_by_agreement"


class Actor(StrEnum):
    BUYER = "buyer"  # the buyer who owns the lead
    SELLER = "seller"  # the seller hired on the lead
    ADMIN = "admin"


@dataclass(frozen=True)
class Transition:
    source: frozenset[LeadStatus]
    target: LeadStatus
    actors: frozenset[Actor]


def _t(sources: set[LeadStatus], target: LeadStatus, *actors: Actor) -> Transition:
    return Transition(frozenset(sources), target, frozenset(actors))


S = LeadStatus
TRANSITIONS: dict[Action, Transition] = {
    Action.PUBLISH: _t({S.DRAFT}, S.OPEN, Actor.BUYER),
    Action.WITHDRAW: _t({S.OPEN}, S.WITHDRAWN, Actor.BUYER),
    # Hiring is accepting an offer: the buyer accepts a bid, or the seller a buyer's counter.
    Action.HIRE: _t({S.OPEN}, S.IN_PROGRESS, Actor.BUYER, Actor.SELLER),
    Action.DELIVER: _t({S.IN_PROGRESS}, S.DELIVERED, Actor.SELLER),
    Action.REQUEST_CHANGES: _t({S.DELIVERED}, S.IN_PROGRESS, Actor.BUYER),
    Action.CLOSE: _t({S.DELIVERED}, S.COMPLETED, Actor.BUYER),
    # The buyer alone, once the due date passed without a delivery (domain/contracts.py).
    Action.CANCEL: _t({S.IN_PROGRESS, S.DELIVERED}, S.CANCELLED, Actor.BUYER),
    # Either side, agreeing to the other side's proposal to cancel.
    Action.CANCEL_BY_AGREEMENT: _t(
        {S.IN_PROGRESS, S.DELIVERED}, S.CANCELLED, Actor.BUYER, Actor.SELLER
    ),
    Action.DISPUTE: _t({S.IN_PROGRESS, S.DELIVERED}, S.DISPUTED, Actor.BUYER, Actor.SELLER),
    Action.RESOLVE_COMPLETED: _t({S.DISPUTED}, S.COMPLETED, Actor.ADMIN),
    Action.RESOLVE_CANCELLED: _t({S.DISPUTED}, S.CANCELLED, Actor.ADMIN),
}

_STATUS_NAMES = {
    S.DRAFT: "a draft",
    S.OPEN: "open",
    S.IN_PROGRESS: "in progress",
    S.DELIVERED: "delivered",
    S.COMPLETED: "completed",
    S.WITHDRAWN: "withdrawn",
    S.CANCELLED: "cancelled",
    S.DISPUTED: "in dispute",
}


def describe(status: LeadStatus) -> str:
    return _STATUS_NAMES[status]


def next_status(status: LeadStatus, action: Action, actor: Actor) -> LeadStatus:
    """The status after ``action``, or NotAllowed with a sentence saying why not."""
    transition = TRANSITIONS[action]
    if actor not in transition.actors:
        who = " or ".join(sorted(transition.actors))
        raise NotAllowed(f"Only the {who} can do that with this lead.")
    if status not in transition.source:
        raise NotAllowed(f"This lead is {describe(status)}, so it cannot be {_PAST[action]} now.")
    return transition.target


_PAST = {
    Action.PUBLISH: "published",
    Action.WITHDRAW: "withdrawn",
    Action.HIRE: "given to a seller",
    Action.DELIVER: "delivered",
    Action.CLOSE: "closed",
    Action.CANCEL: "cancelled",
    Action.DISPUTE: "disputed",
    Action.RESOLVE_COMPLETED: "resolved",
    Action.RESOLVE_CANCELLED: "resolved",
    Action.REQUEST_CHANGES: "sent back for changes",
    Action.CANCEL_BY_AGREEMENT: "cancelled",
}
