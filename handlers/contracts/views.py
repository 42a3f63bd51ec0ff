"""Keyboards of contracts: the actions of a contract card, notices and questions."""

from __future__ import annotations

from datetime import datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from domain.billing import PICKABLE_METHODS, PaymentMethod
from domain.contract_cases import ContractCard
from domain.contracts import ContractStep, Engagement, Move, Stage, days_later
from handlers.chat.buttons import ThreadMessage
from handlers.contracts import texts
from handlers.contracts.buttons import (
    ContractApprove,
    ContractCancel,
    ContractCancelConfirm,
    ContractChanges,
    ContractDeliver,
    ContractDeliverSend,
    ContractDismiss,
    ContractExtend,
    ContractExtendBy,
    ContractFormCancel,
    ContractPayConfirm,
    ContractPayMethod,
    ContractProposalAccept,
    ContractProposalDecline,
    ContractProposeCancel,
    ContractProposeCancelConfirm,
)
from handlers.core.keyboards import button, rows
from handlers.disputes.views import open_button as open_dispute

EXTEND_OPTIONS = (3, 7, 14)


def card_buttons(card: ContractCard) -> list[InlineKeyboardButton]:
    """What this side may do with the contract now, as buttons (none once it has ended)."""
    contract = card.engagement.contract.key
    moves = card.moves
    found: list[InlineKeyboardButton] = []
    if Move.DELIVER in moves:
        found.append(button(texts.DELIVERED, ContractDeliver(contract)))
    if Move.REQUEST_CHANGES in moves:
        found += [
            button(texts.APPROVE, ContractApprove(contract)),
            button(texts.REQUEST_CHANGES, ContractChanges(contract)),
        ]
    elif card.stage is Stage.AWAITING_PAYMENT and Move.PAY in moves:
        found.append(button(texts.PAY, ContractApprove(contract)))
    if (extension := card.extension) is not None and Move.ANSWER_EXTENSION in moves:
        found += answer_buttons(extension, texts.ACCEPT_DATE, texts.DECLINE_DATE)
    if Move.EXTEND in moves:
        found.append(button(texts.EXTEND, ContractExtend(contract)))
    if Move.CANCEL in moves:
        found.append(button(texts.CANCEL_LEAD, ContractCancel(contract)))
    cancellation = card.cancellation
    if cancellation is not None and cancellation.actor_id != card.me.id:
        found += answer_buttons(cancellation, texts.AGREE_CANCEL, texts.REFUSE_CANCEL)
    elif cancellation is None and Move.PROPOSE_CANCELLATION in moves:
        found.append(button(texts.PROPOSE_CANCEL, ContractProposeCancel(contract)))
    if Move.DISPUTE in moves:
        found.append(open_dispute(contract))
    return found


def answer_buttons(proposal: ContractStep, yes: str, no: str) -> list[InlineKeyboardButton]:
    step = proposal.key
    return [button(yes, ContractProposalAccept(step)), button(no, ContractProposalDecline(step))]


def lead_card_actions(
    card: ContractCard, lead_actions: InlineKeyboardMarkup | None
) -> InlineKeyboardMarkup:
    """The contract's actions and Message, above the lead's own buttons."""
    mine = rows(*card_buttons(card), _message(card.engagement)).inline_keyboard
    keyboard = [list(row) for row in mine]
    if lead_actions is not None:
        keyboard += [list(row) for row in lead_actions.inline_keyboard]
    return InlineKeyboardMarkup(keyboard)


def _message(engagement: Engagement) -> InlineKeyboardButton:
    return button(texts.MESSAGE, ThreadMessage(engagement.contract.thread_id))


def delivery_prompt(contract_id: int) -> InlineKeyboardMarkup:
    return rows(
        button(texts.SEND_DELIVERY, ContractDeliverSend(contract_id)),
        button(texts.STOP, ContractFormCancel()),
    )


def delivery_card(engagement: Engagement) -> InlineKeyboardMarkup:
    """Under the delivery the buyer gets: Approve / Request changes / Message."""
    contract = engagement.contract.key
    return rows(
        button(texts.APPROVE, ContractApprove(contract)),
        button(texts.REQUEST_CHANGES, ContractChanges(contract)),
        _message(engagement),
        open_dispute(contract),
    )


def deliver_again(engagement: Engagement) -> InlineKeyboardMarkup:
    deliver = button(texts.DELIVERED, ContractDeliver(engagement.contract.key))
    return rows(deliver, _message(engagement), open_dispute(engagement.contract.key))


def message_only(engagement: Engagement) -> InlineKeyboardMarkup:
    return rows(_message(engagement))


def stop() -> InlineKeyboardMarkup:
    return rows(button(texts.STOP, ContractFormCancel()))


def payment_methods(contract_id: int) -> InlineKeyboardMarkup:
    return rows(
        *(
            button(texts.METHOD_BUTTONS[method], ContractPayMethod(contract_id, method))
            for method in PICKABLE_METHODS
        ),
        button(texts.NOT_YET, ContractFormCancel()),
    )


def payment_confirmation(contract_id: int) -> InlineKeyboardMarkup:
    return rows(
        button(texts.I_PAID, ContractPayConfirm(contract_id)),
        button(texts.CHANGE_METHOD, ContractApprove(contract_id)),
        button(texts.NOT_YET, ContractFormCancel()),
    )


def extend_options(card: ContractCard, now: datetime) -> InlineKeyboardMarkup:
    contract = card.engagement.contract
    return rows(
        *(
            button(
                texts.extend_option(days_later(contract, count, now), count, card.me),
                ContractExtendBy(contract.key, count),
            )
            for count in EXTEND_OPTIONS
        ),
        button(texts.STOP, ContractFormCancel()),
    )


def extension_card(engagement: Engagement, proposal: ContractStep) -> InlineKeyboardMarkup:
    return rows(
        *answer_buttons(proposal, texts.ACCEPT_DATE, texts.DECLINE_DATE), _message(engagement)
    )


def cancellation_card(engagement: Engagement, proposal: ContractStep) -> InlineKeyboardMarkup:
    return rows(
        *answer_buttons(proposal, texts.AGREE_CANCEL, texts.REFUSE_CANCEL), _message(engagement)
    )


def confirm_cancel(contract_id: int) -> InlineKeyboardMarkup:
    return rows(
        button(texts.YES_CANCEL, ContractCancelConfirm(contract_id)),
        button(texts.KEEP, ContractDismiss()),
    )


def confirm_proposal(contract_id: int) -> InlineKeyboardMarkup:
    return rows(
        button(texts.YES_PROPOSE, ContractProposeCancelConfirm(contract_id)),
        button(texts.KEEP, ContractDismiss()),
    )


def pickable(method: PaymentMethod) -> bool:
    return method in PICKABLE_METHODS
