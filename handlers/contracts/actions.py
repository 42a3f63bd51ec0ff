"""The one-tap actions of a contract: cancelling after the due date, proposing a mutual
cancellation, answering a proposal (a new due date or a cancellation)."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from domain import contract_cases
from domain.contract_cases import AnswerProposal, AskMove, OpenContract
from domain.contracts import Move, Proposal
from handlers.contracts import texts, views
from handlers.contracts.buttons import (
    ContractCancel,
    ContractCancelConfirm,
    ContractDismiss,
    ContractProposalAccept,
    ContractProposalDecline,
    ContractProposeCancel,
    ContractProposeCancelConfirm,
)
from handlers.core.common import answer_query, edit_markup, say
from handlers.core.context import LeadlineContext


async def ask_cancel(update: Update, context: LeadlineContext) -> None:
    """Cancel lead: asks to confirm (only once the due date passed without a delivery)."""
    contract_id = ContractCancel.of(update).contract_id
    card = await context.turn.run(contract_cases.ask, AskMove(contract_id, Move.CANCEL))
    await answer_query(update, context)
    await say(update, context, texts.cancel_question(card), views.confirm_cancel(contract_id))


async def cancel(update: Update, context: LeadlineContext) -> None:
    """Yes, cancel the lead: cancelled; the seller is told no payment is due."""
    contract_id = ContractCancelConfirm.of(update).contract_id
    engagement = await context.turn.run(contract_cases.cancel_overdue, OpenContract(contract_id))
    await answer_query(update, context)
    await edit_markup(update, context, None)
    await say(update, context, texts.cancelled_by_me(engagement, agreed=False))


async def ask_proposal(update: Update, context: LeadlineContext) -> None:
    """Propose cancellation: asks to confirm."""
    contract_id = ContractProposeCancel.of(update).contract_id
    card = await context.turn.run(
        contract_cases.ask, AskMove(contract_id, Move.PROPOSE_CANCELLATION)
    )
    await answer_query(update, context)
    await say(
        update, context, texts.propose_cancel_question(card), views.confirm_proposal(contract_id)
    )


async def propose(update: Update, context: LeadlineContext) -> None:
    """Yes, propose it: the other side is asked to agree."""
    contract_id = ContractProposeCancelConfirm.of(update).contract_id
    proposed = await context.turn.run(
        contract_cases.propose_cancellation, OpenContract(contract_id)
    )
    await answer_query(update, context, texts.SENT_ALERT)
    await edit_markup(update, context, None)
    await say(update, context, texts.cancel_proposed(proposed.engagement, context.turn.actor))


async def accept(update: Update, context: LeadlineContext) -> None:
    """Accept new date / Agree to cancel."""
    step_id = ContractProposalAccept.of(update).step_id
    answered = await context.turn.run(contract_cases.answer_proposal, AnswerProposal(step_id, True))
    await answer_query(update, context)
    await edit_markup(update, context, None)
    engagement, me = answered.engagement, context.turn.actor
    if answered.kind is Proposal.EXTENSION:
        await say(update, context, texts.my_extension_answer(engagement, True, me))
    else:
        await say(update, context, texts.cancelled_by_me(engagement, agreed=True))


async def decline(update: Update, context: LeadlineContext) -> None:
    """Decline a new date / Keep the contract."""
    step_id = ContractProposalDecline.of(update).step_id
    answered = await context.turn.run(
        contract_cases.answer_proposal, AnswerProposal(step_id, False)
    )
    await answer_query(update, context)
    await edit_markup(update, context, None)
    engagement, me = answered.engagement, context.turn.actor
    if answered.kind is Proposal.EXTENSION:
        await say(update, context, texts.my_extension_answer(engagement, False, me))
    else:
        await say(update, context, texts.REFUSED_BY_ME)


async def dismiss(update: Update, context: LeadlineContext) -> None:
    """Keep the contract: nothing changes."""
    ContractDismiss.of(update)
    await answer_query(update, context)
    await edit_markup(update, context, None)
    await say(update, context, texts.NOTHING_CHANGED)


def handlers() -> list[BaseHandler[Update, LeadlineContext, Any]]:
    return [
        CallbackQueryHandler(ask_cancel, ContractCancel.matches),
        CallbackQueryHandler(cancel, ContractCancelConfirm.matches),
        CallbackQueryHandler(ask_proposal, ContractProposeCancel.matches),
        CallbackQueryHandler(propose, ContractProposeCancelConfirm.matches),
        CallbackQueryHandler(accept, ContractProposalAccept.matches),
        CallbackQueryHandler(decline, ContractProposalDecline.matches),
        CallbackQueryHandler(dismiss, ContractDismiss.matches),
    ]
