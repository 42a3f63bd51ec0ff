"""A contract after hiring: its stage, who may do what in each, the bill, new due dates.

The lead's status (domain/lifecycle.py) says where the work is; a contract's *stage* adds
what the status alone does not: whether the due date has passed without a delivery, and
whether the buyer has approved the delivery and owes the payment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from domain.errors import InvalidInput, NotAllowed
from domain.leads import Lead
from domain.lifecycle import Actor, LeadStatus, describe
from domain.model import User
from domain.negotiation import Contract
from domain.validation import clean_paragraphs

MAX_CHANGE_NOTE = 1000
MAX_EXTENSION_DAYS = 365


class Stage(StrEnum):
    IN_PROGRESS = "in_progress"
    OVERDUE = "overdue"  # in progress, and the due date passed without a delivery
    DELIVERED = "delivered"  # the buyer approves it or asks for changes
    AWAITING_PAYMENT = "awaiting_payment"  # approved: the buyer pays, which completes it
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    DISPUTED = "disputed"


class Move(StrEnum):
    DELIVER = "deliver"
    REQUEST_CHANGES = "request_changes"
    APPROVE = "approve"
    PAY = "pay"
    CANCEL = "cancel"  # the buyer alone, once the due date passed without a delivery
    EXTEND = "extend"  # the buyer proposes a new due date
    ANSWER_EXTENSION = "answer_extension"
    PROPOSE_CANCELLATION = "propose_cancellation"
    ANSWER_CANCELLATION = "answer_cancellation"
    DISPUTE = "dispute"  # either side asks the platform to decide (domain/disputes.py)


def stage_of(status: LeadStatus, contract: Contract, now: datetime) -> Stage:
    """The stage of a contract whose lead has ``status``, at ``now``."""
    if status is LeadStatus.IN_PROGRESS:
        return Stage.OVERDUE if now >= contract.due_at else Stage.IN_PROGRESS
    if status is LeadStatus.DELIVERED:
        return Stage.AWAITING_PAYMENT if contract.approved_at else Stage.DELIVERED
    ended = {
        LeadStatus.COMPLETED: Stage.COMPLETED,
        LeadStatus.CANCELLED: Stage.CANCELLED,
        LeadStatus.DISPUTED: Stage.DISPUTED,
    }
    if status not in ended:
        raise ValueError(f"a lead with a contract is never {status}")
    return ended[status]


B, S = Actor.BUYER, Actor.SELLER
M = Move
# Either side may propose a mutual cancellation while the work is going on (the other
# answers), or open a dispute.
_EITHER = frozenset({M.PROPOSE_CANCELLATION, M.ANSWER_CANCELLATION, M.DISPUTE})

# Who may do what in each stage: (stage, side) -> moves. Everything else is refused.
RULES: dict[tuple[Stage, Actor], frozenset[Move]] = {
    (Stage.IN_PROGRESS, B): _EITHER | {M.EXTEND},
    (Stage.IN_PROGRESS, S): _EITHER | {M.DELIVER, M.ANSWER_EXTENSION},
    (Stage.OVERDUE, B): _EITHER | {M.EXTEND, M.CANCEL},
    (Stage.OVERDUE, S): _EITHER | {M.DELIVER, M.ANSWER_EXTENSION},
    (Stage.DELIVERED, B): _EITHER | {M.APPROVE, M.REQUEST_CHANGES},
    (Stage.DELIVERED, S): _EITHER,
    # Approving again shows the payment again (a lost invoice is sent anew).
    (Stage.AWAITING_PAYMENT, B): _EITHER | {M.APPROVE, M.PAY},
    (Stage.AWAITING_PAYMENT, S): _EITHER,
}

# Who a move belongs to; the other side is told so in one sentence.
_ONLY = {
    M.DELIVER: "Only the hired seller can deliver the work.",
    M.REQUEST_CHANGES: "Only the buyer can ask for changes.",
    M.APPROVE: "Only the buyer can approve the work.",
    M.PAY: "Only the buyer pays for the work.",
    M.CANCEL: "Only the buyer can cancel a lead whose due date has passed.",
    M.EXTEND: "Only the buyer can propose a new due date; you can ask them in a message.",
    M.ANSWER_EXTENSION: "Only the seller can answer a proposed due date.",
}
_NOT_NOW = {
    (M.DELIVER, Stage.DELIVERED): "The work is delivered already; the buyer is looking at it.",
    (M.DELIVER, Stage.AWAITING_PAYMENT): "The buyer has approved your delivery already.",
    (M.REQUEST_CHANGES, Stage.IN_PROGRESS): "Nothing has been delivered yet.",
    (M.REQUEST_CHANGES, Stage.OVERDUE): "Nothing has been delivered yet.",
    (M.REQUEST_CHANGES, Stage.AWAITING_PAYMENT): (
        "You approved this delivery already; what is left is the payment."
    ),
    (M.APPROVE, Stage.IN_PROGRESS): "Nothing has been delivered yet.",
    (M.APPROVE, Stage.OVERDUE): "Nothing has been delivered yet.",
    (M.PAY, Stage.IN_PROGRESS): "Nothing has been delivered yet.",
    (M.PAY, Stage.OVERDUE): "Nothing has been delivered yet.",
    (M.PAY, Stage.DELIVERED): "Please approve the delivery first.",
    (M.CANCEL, Stage.IN_PROGRESS): (
        "The due date has not passed yet; until it does, you can propose a mutual cancellation."
    ),
    (M.CANCEL, Stage.DELIVERED): (
        "The work was delivered, so you cannot cancel alone; ask for changes or propose a "
        "mutual cancellation."
    ),
    (M.CANCEL, Stage.AWAITING_PAYMENT): (
        "You approved the delivery, so you cannot cancel alone; propose a mutual cancellation."
    ),
    (M.EXTEND, Stage.DELIVERED): "The work is delivered, so there is no due date to move.",
    (M.EXTEND, Stage.AWAITING_PAYMENT): "The work is delivered, so there is no due date to move.",
}
PROPOSAL_CLOSED = "This proposal is no longer open."
_STAGE_NAMES = {
    Stage.COMPLETED: describe(LeadStatus.COMPLETED),
    Stage.CANCELLED: describe(LeadStatus.CANCELLED),
    Stage.DISPUTED: describe(LeadStatus.DISPUTED),
}


def allowed(stage: Stage, side: Actor) -> frozenset[Move]:
    return RULES.get((stage, side), frozenset())


def check(stage: Stage, side: Actor, move: Move) -> None:
    """Raises NotAllowed with a sentence unless ``side`` may make ``move`` in ``stage``."""
    if move in allowed(stage, side):
        return
    if stage in _STAGE_NAMES:
        raise NotAllowed(f"This lead is {_STAGE_NAMES[stage]}, so that can no longer be done.")
    if any(move in allowed(stage, other) for other in (B, S)):
        raise NotAllowed(_ONLY.get(move, PROPOSAL_CLOSED))  # it is the other side's move
    raise NotAllowed(_NOT_NOW.get((move, stage), PROPOSAL_CLOSED))


# What happened to a contract, in order: its history, shown on cards and in the transcript.


class StepKind(StrEnum):
    DELIVERED = "delivered"
    CHANGES_REQUESTED = "changes_requested"
    APPROVED = "approved"
    COMPLETED = "completed"
    CANCELLED = "cancelled"  # by the buyer, after the due date passed without a delivery
    EXTENSION_PROPOSED = "extension_proposed"
    EXTENSION_ACCEPTED = "extension_accepted"
    EXTENSION_DECLINED = "extension_declined"
    CANCELLATION_PROPOSED = "cancellation_proposed"
    CANCELLATION_AGREED = "cancellation_agreed"  # the lead is cancelled
    CANCELLATION_REFUSED = "cancellation_refused"
    # A dispute (note: the reason), what the platform wrote to a side (note: the message),
    # and how an administrator resolved it (note: their note to both sides).
    DISPUTE_OPENED = "dispute_opened"
    SUPPORT_TO_BUYER = "support_to_buyer"
    SUPPORT_TO_SELLER = "support_to_seller"
    RESOLVED_COMPLETED = "resolved_completed"
    RESOLVED_CANCELLED = "resolved_cancelled"
    RESOLVED_SPLIT = "resolved_split"


@dataclass(frozen=True)
class ContractStep:
    """One thing that happened to a contract: ``note`` is what the buyer asked to change,
    ``due_at`` the due date proposed (or agreed)."""

    contract_id: int
    kind: StepKind
    at: datetime
    actor_id: int | None
    note: str | None = None
    due_at: datetime | None = None
    id: int | None = None

    @property
    def key(self) -> int:
        """The database id of a stored step."""
        assert self.id is not None, "the step is not stored yet"
        return self.id


class Proposal(StrEnum):
    EXTENSION = "extension"
    CANCELLATION = "cancellation"


# A proposal is open until a later step of its family answers or replaces it (a delivery
# also ends a proposed due date: there is nothing left to be late for).
_PROPOSED = {
    Proposal.EXTENSION: StepKind.EXTENSION_PROPOSED,
    Proposal.CANCELLATION: StepKind.CANCELLATION_PROPOSED,
}
_FAMILIES = {
    Proposal.EXTENSION: frozenset(
        {
            StepKind.EXTENSION_PROPOSED,
            StepKind.EXTENSION_ACCEPTED,
            StepKind.EXTENSION_DECLINED,
            StepKind.DELIVERED,
        }
    ),
    Proposal.CANCELLATION: frozenset(
        {
            StepKind.CANCELLATION_PROPOSED,
            StepKind.CANCELLATION_AGREED,
            StepKind.CANCELLATION_REFUSED,
        }
    ),
}


def proposal_kind(step: ContractStep) -> Proposal | None:
    return next((kind for kind, proposed in _PROPOSED.items() if proposed is step.kind), None)


def open_proposal(steps: list[ContractStep], kind: Proposal) -> ContractStep | None:
    """The open proposal of ``kind`` among a contract's steps (oldest first), if any."""
    family = [step for step in steps if step.kind in _FAMILIES[kind]]
    latest = family[-1] if family else None
    return latest if latest is not None and latest.kind is _PROPOSED[kind] else None


def answer_move(kind: Proposal) -> Move:
    return M.ANSWER_EXTENSION if kind is Proposal.EXTENSION else M.ANSWER_CANCELLATION


def check_answer(proposal: ContractStep, steps: list[ContractStep], user_id: int) -> Proposal:
    """Raises NotAllowed unless ``proposal`` is open and ``user_id`` did not make it."""
    kind = proposal_kind(proposal)
    if kind is None or open_proposal(steps, kind) != proposal:
        raise NotAllowed(PROPOSAL_CLOSED)
    if proposal.actor_id == user_id:
        raise NotAllowed("This is your own proposal; the other side answers it.")
    return kind


def validate_change_note(raw: str) -> str:
    return clean_paragraphs(
        raw, what="note", limit=MAX_CHANGE_NOTE, if_empty="Please say what should be changed."
    )


# New due dates: a date the buyer types or taps, in their time zone.

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
# ASCII digits only: "²" passes str.isdigit() and crashes int(); \d takes "٣" too.
_ISO = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_DAY_MONTH = re.compile(r"([0-9]{1,2})\s+([a-z]+)\.?(?:,?\s+([0-9]{4}))?")
_MONTH_DAY = re.compile(r"([a-z]+)\.?\s+([0-9]{1,2})(?:,?\s+([0-9]{4}))?")
_DAYS = re.compile(r"\+?\s*([0-9]{1,3})(?:\s*days?)?")
DATE_HINT = "Please send a date like 2026-12-20 or 20 Dec, or a number of extra days like 5."


def extension_base(contract: Contract, now: datetime) -> datetime:
    """Extra days count from the due date, or from now once it has passed."""
    return max(contract.due_at, now)


def days_later(contract: Contract, days: int, now: datetime) -> datetime:
    return extension_base(contract, now) + timedelta(days=days)


def new_due_date(raw: str, contract: Contract, now: datetime, timezone: str) -> datetime:
    """The due date the buyer means by ``raw`` (a date in their time zone, at the time of
    day of the current due date, or a number of extra days), checked to be later."""
    text = " ".join(raw.strip().lower().split())
    extra = _DAYS.fullmatch(text)
    if extra:
        days = int(extra[1])
        if not 1 <= days <= MAX_EXTENSION_DAYS:
            raise InvalidInput(f"Please add from 1 to {MAX_EXTENSION_DAYS} days.")
        return days_later(contract, days, now)
    zone = ZoneInfo(timezone)
    local_due = contract.due_at.astimezone(zone)
    day = _read_date(text, now.astimezone(zone).date())
    if day is None:
        raise InvalidInput(DATE_HINT)
    wanted = datetime.combine(day, local_due.time(), zone).astimezone(UTC)
    check_new_due_date(wanted, contract, now)
    return wanted


def check_new_due_date(wanted: datetime, contract: Contract, now: datetime) -> None:
    if wanted <= now:
        raise InvalidInput("That date has passed already; please pick a later one.")
    if wanted <= contract.due_at:
        raise InvalidInput("Please pick a date after the current due date.")
    if wanted > now + timedelta(days=MAX_EXTENSION_DAYS):
        raise InvalidInput("Please pick a date within a year from today.")


def _read_date(text: str, today: date) -> date | None:
    """A date written as 2026-12-20, 20 Dec [2026] or Dec 20[, 2026]; without a year, the
    next such day from ``today``."""
    year: int | None
    if found := _ISO.fullmatch(text):
        year, month, day = int(found[1]), int(found[2]), int(found[3])
    elif found := _DAY_MONTH.fullmatch(text):
        day, month = int(found[1]), _MONTHS.get(found[2], 0)
        year = int(found[3]) if found[3] else None
    elif found := _MONTH_DAY.fullmatch(text):
        month, day = _MONTHS.get(found[1], 0), int(found[2])
        year = int(found[3]) if found[3] else None
    else:
        return None
    try:
        if year is not None:
            return date(year, month, day)
        candidate = date(today.year, month, day)
        return candidate if candidate >= today else date(today.year + 1, month, day)
    except ValueError:
        return None


@dataclass(frozen=True)
class Engagement:
    """A contract with its lead and both sides: what every contract notice is about."""

    contract: Contract
    lead: Lead
    buyer: User
    seller: User

    def side(self, user_id: int) -> Actor | None:
        """Which side of the contract ``user_id`` is on (None: neither)."""
        if user_id == self.contract.buyer_id:
            return Actor.BUYER
        if user_id == self.contract.seller_id:
            return Actor.SELLER
        return None

    def other(self, user_id: int) -> User:
        return self.seller if user_id == self.contract.buyer_id else self.buyer

    def person(self, user_id: int) -> User:
        return self.buyer if user_id == self.contract.buyer_id else self.seller
