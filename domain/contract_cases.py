"""Use cases of a contract after hiring: its card, delivering, asking for changes, new due
dates and cancelling (paying is in domain/payment_cases.py, on the helpers here).

Each use case runs inside the update's unit of work (the caller commits) as the acting
user, takes one small command, and records what the other side should hear as events.
Every change is written at the version of the contract (and of the lead) it was read at,
so of two changes at once exactly one is kept.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from domain.audit import Who
from domain.billing import Payment
from domain.contracts import (
    ContractStep,
    Engagement,
    Move,
    Proposal,
    Stage,
    StepKind,
    allowed,
    answer_move,
    check,
    check_answer,
    check_new_due_date,
    days_later,
    new_due_date,
    open_proposal,
    stage_of,
    validate_change_note,
)
from domain.errors import NotAllowed, NotFound
from domain.events import (
    CancellationProposed,
    CancellationRefused,
    ChangesRequested,
    ContractCancelled,
    ExtensionAnswered,
    ExtensionProposed,
    WorkDelivered,
)
from domain.lifecycle import Action, Actor
from domain.model import User
from domain.ports import UnitOfWork

NO_CONTRACT = "That contract does not exist."


@dataclass(frozen=True)
class OpenContract:
    contract_id: int


@dataclass(frozen=True)
class OpenLeadContract:
    lead_id: int


@dataclass(frozen=True)
class AskMove:
    """About to make ``move`` (a question comes first): checks that it may be made."""

    contract_id: int
    move: Move


@dataclass(frozen=True)
class RequestChanges:
    contract_id: int
    note: str


@dataclass(frozen=True)
class ProposeExtension:
    """A new due date: typed (``text``) or tapped (``days`` more)."""

    contract_id: int
    text: str | None = None
    days: int | None = None


@dataclass(frozen=True)
class AnswerProposal:
    step_id: int
    accept: bool


@dataclass(frozen=True)
class ContractCard:
    """A contract as one of its sides sees it: its stage, its history, its payments, and
    what this side may do now."""

    engagement: Engagement
    me: User
    side: Actor
    stage: Stage
    steps: list[ContractStep]
    payments: list[Payment]

    @property
    def moves(self) -> frozenset[Move]:
        return allowed(self.stage, self.side)

    @property
    def other(self) -> User:
        return self.engagement.other(self.me.key)

    @property
    def extension(self) -> ContractStep | None:
        """The new due date proposed and not answered yet."""
        return open_proposal(self.steps, Proposal.EXTENSION)

    @property
    def cancellation(self) -> ContractStep | None:
        """The cancellation proposed and not answered yet."""
        return open_proposal(self.steps, Proposal.CANCELLATION)


@dataclass(frozen=True)
class Proposed:
    engagement: Engagement
    proposal: ContractStep


@dataclass(frozen=True)
class Answered:
    engagement: Engagement
    proposal: ContractStep
    kind: Proposal
    accepted: bool


async def engagement_of(uow: UnitOfWork, me: User, contract_id: int) -> tuple[Engagement, Actor]:
    """A contract with its lead and sides, if ``me`` is one of them."""
    contract = await uow.contracts.get(contract_id)
    if contract is None or me.key not in (contract.buyer_id, contract.seller_id):
        raise NotFound(NO_CONTRACT)
    lead = await uow.leads.get(contract.lead_id)
    people = await uow.users.get_many({contract.buyer_id, contract.seller_id})
    assert lead is not None
    engagement = Engagement(contract, lead, people[contract.buyer_id], people[contract.seller_id])
    side = engagement.side(me.key)
    assert side is not None
    return engagement, side


async def checked(
    uow: UnitOfWork, me: User, contract_id: int, move: Move, now: datetime
) -> tuple[Engagement, Actor]:
    engagement, side = await engagement_of(uow, me, contract_id)
    check(stage_of(engagement.lead.status, engagement.contract, now), side, move)
    return engagement, side


async def _card(uow: UnitOfWork, me: User, contract_id: int, now: datetime) -> ContractCard:
    engagement, side = await engagement_of(uow, me, contract_id)
    contract = engagement.contract
    return ContractCard(
        engagement,
        me,
        side,
        stage_of(engagement.lead.status, contract, now),
        await uow.contracts.steps(contract.key),
        await uow.contracts.payments(contract.key),
    )


async def advance(
    uow: UnitOfWork,
    engagement: Engagement,
    action: Action,
    side: Actor,
    by: Who,
    now: datetime,
    reason: str | None = None,
    **changes: Any,
) -> Engagement:
    """Moves the lead on (lifecycle table, noted in the audit log) and writes the
    contract's changes; the lead first, so that of two moves at once the second finds it
    changed."""
    lead = engagement.lead
    lead.move(action, side, by, now, reason)
    await uow.leads.save(lead)
    contract = await uow.contracts.save(replace(engagement.contract, **changes))
    return replace(engagement, lead=lead, contract=contract)


async def touch(uow: UnitOfWork, engagement: Engagement, **changes: Any) -> Engagement:
    """Writes the contract (at least its version: a step of its history was added)."""
    contract = await uow.contracts.save(replace(engagement.contract, **changes))
    return replace(engagement, contract=contract)


async def log_step(
    uow: UnitOfWork,
    engagement: Engagement,
    kind: StepKind,
    me: User,
    now: datetime,
    note: str | None = None,
    due_at: datetime | None = None,
) -> ContractStep:
    step = ContractStep(engagement.contract.key, kind, now, me.key, note, due_at)
    return await uow.contracts.add_step(step)


async def contract_card(
    uow: UnitOfWork, me: User, command: OpenContract, now: datetime
) -> ContractCard:
    """The contract as ``me`` sees it."""
    return await _card(uow, me, command.contract_id, now)


async def card_of_lead(
    uow: UnitOfWork, viewer: User | None, command: OpenLeadContract, now: datetime
) -> ContractCard | None:
    """The contract of a lead, for one of its two sides (None for anyone else)."""
    if viewer is None:
        return None
    contract = await uow.threads.contract_of_lead(command.lead_id)
    if contract is None or viewer.key not in (contract.buyer_id, contract.seller_id):
        return None
    return await _card(uow, viewer, contract.key, now)


async def ask(uow: UnitOfWork, me: User, command: AskMove, now: datetime) -> ContractCard:
    """The contract, once it is checked that ``me`` may make the move (asked about first)."""
    card = await _card(uow, me, command.contract_id, now)
    check(card.stage, card.side, command.move)
    if command.move is not Move.PAY:
        me.ensure_active(_DOING.get(command.move, "change contracts"))
    return card


# What a suspended user is told they cannot do, by the move they tapped.
_DOING = {
    Move.DELIVER: "deliver work",
    Move.REQUEST_CHANGES: "ask for changes",
    Move.EXTEND: "propose a new due date",
    Move.DISPUTE: "open disputes",
}


async def deliver(uow: UnitOfWork, me: User, command: OpenContract, now: datetime) -> Engagement:
    """The seller delivers (their message and files went before, as chat); the buyer is
    asked to approve it or to ask for changes."""
    engagement, side = await checked(uow, me, command.contract_id, Move.DELIVER, now)
    me.ensure_active("deliver work")
    engagement = await advance(
        uow, engagement, Action.DELIVER, side, Who.of(me), now, delivered_at=now, approved_at=None
    )
    await log_step(uow, engagement, StepKind.DELIVERED, me, now)
    uow.record(WorkDelivered(engagement))
    return engagement


async def request_changes(
    uow: UnitOfWork, me: User, command: RequestChanges, now: datetime
) -> Engagement:
    """The buyer sends the delivery back with a note; the lead is in progress again."""
    engagement, side = await checked(uow, me, command.contract_id, Move.REQUEST_CHANGES, now)
    me.ensure_active("change contracts")
    note = validate_change_note(command.note)
    engagement = await advance(
        uow, engagement, Action.REQUEST_CHANGES, side, Who.of(me), now, reason=note
    )
    await log_step(uow, engagement, StepKind.CHANGES_REQUESTED, me, now, note=note)
    uow.record(ChangesRequested(engagement, note))
    return engagement


async def cancel_overdue(
    uow: UnitOfWork, me: User, command: OpenContract, now: datetime
) -> Engagement:
    """The buyer cancels a lead whose due date passed without a delivery; the seller is
    told no payment is due."""
    engagement, side = await checked(uow, me, command.contract_id, Move.CANCEL, now)
    me.ensure_active("change contracts")
    engagement = await advance(
        uow, engagement, Action.CANCEL, side, Who.of(me), now, cancelled_at=now
    )
    await log_step(uow, engagement, StepKind.CANCELLED, me, now)
    uow.record(ContractCancelled(engagement, me, agreed=False))
    return engagement


async def propose_extension(
    uow: UnitOfWork, me: User, command: ProposeExtension, now: datetime
) -> Proposed:
    """The buyer proposes a new due date (replacing one not answered yet); a wrong date
    raises InvalidInput."""
    engagement, _ = await checked(uow, me, command.contract_id, Move.EXTEND, now)
    me.ensure_active("change contracts")
    contract = engagement.contract
    if command.days is not None:
        due_at = days_later(contract, command.days, now)
        check_new_due_date(due_at, contract, now)
    else:
        due_at = new_due_date(command.text or "", contract, now, me.profile.timezone)
    engagement = await touch(uow, engagement)
    proposal = await log_step(uow, engagement, StepKind.EXTENSION_PROPOSED, me, now, due_at=due_at)
    uow.record(ExtensionProposed(engagement, proposal))
    return Proposed(engagement, proposal)


async def propose_cancellation(
    uow: UnitOfWork, me: User, command: OpenContract, now: datetime
) -> Proposed:
    """Either side proposes cancelling by mutual agreement; the other side answers."""
    engagement, _ = await checked(uow, me, command.contract_id, Move.PROPOSE_CANCELLATION, now)
    me.ensure_active("change contracts")
    steps = await uow.contracts.steps(engagement.contract.key)
    pending = open_proposal(steps, Proposal.CANCELLATION)
    if pending is not None:
        if pending.actor_id == me.id:
            raise NotAllowed("You have proposed this already; the other side has not answered yet.")
        raise NotAllowed("The other side has proposed cancelling already; answer their proposal.")
    engagement = await touch(uow, engagement)
    proposal = await log_step(uow, engagement, StepKind.CANCELLATION_PROPOSED, me, now)
    uow.record(CancellationProposed(engagement, proposal, me))
    return Proposed(engagement, proposal)


async def answer_proposal(
    uow: UnitOfWork, me: User, command: AnswerProposal, now: datetime
) -> Answered:
    """The other side accepts or declines a new due date, or agrees to (or refuses) a
    mutual cancellation, which cancels the lead."""
    proposal = await uow.contracts.get_step(command.step_id)
    if proposal is None:
        raise NotFound("That proposal does not exist.")
    engagement, side = await engagement_of(uow, me, proposal.contract_id)
    me.ensure_active("change contracts")
    kind = check_answer(proposal, await uow.contracts.steps(proposal.contract_id), me.key)
    check(stage_of(engagement.lead.status, engagement.contract, now), side, answer_move(kind))
    if kind is Proposal.EXTENSION:
        engagement = await _answer_extension(uow, engagement, proposal, me, command.accept, now)
    elif command.accept:
        engagement = await advance(
            uow, engagement, Action.CANCEL_BY_AGREEMENT, side, Who.of(me), now, cancelled_at=now
        )
        await log_step(uow, engagement, StepKind.CANCELLATION_AGREED, me, now)
        uow.record(ContractCancelled(engagement, me, agreed=True))
    else:
        engagement = await touch(uow, engagement)
        await log_step(uow, engagement, StepKind.CANCELLATION_REFUSED, me, now)
        uow.record(CancellationRefused(engagement, proposal, me))
    return Answered(engagement, proposal, kind, command.accept)


async def _answer_extension(
    uow: UnitOfWork,
    engagement: Engagement,
    proposal: ContractStep,
    me: User,
    accept: bool,
    now: datetime,
) -> Engagement:
    assert proposal.due_at is not None
    if accept:
        if proposal.due_at <= now:
            raise NotAllowed("That date has passed already; the buyer can propose a new one.")
        engagement = await touch(uow, engagement, due_at=proposal.due_at)
        kind = StepKind.EXTENSION_ACCEPTED
    else:
        engagement = await touch(uow, engagement)
        kind = StepKind.EXTENSION_DECLINED
    await log_step(uow, engagement, kind, me, now, due_at=proposal.due_at)
    uow.record(ExtensionAnswered(engagement, proposal, accept))
    return engagement
