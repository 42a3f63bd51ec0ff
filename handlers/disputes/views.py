"""Keyboards of disputes."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from domain.dispute_cases import DisputeCase
from domain.disputes import DisputeStatus
from domain.lifecycle import Actor
from handlers.core.keyboards import button, rows
from handlers.disputes import texts
from handlers.disputes.buttons import (
    DisputeCard,
    DisputeFormStop,
    DisputeOutcome,
    DisputeResolve,
    DisputeStart,
    DisputeSubmit,
    DisputeTranscript,
    DisputeWrite,
)


def open_button(contract_id: int) -> InlineKeyboardButton:
    """Open dispute, on the contract's cards."""
    return button(texts.OPEN_DISPUTE, DisputeStart(contract_id))


def stop() -> InlineKeyboardMarkup:
    return rows(button(texts.STOP, DisputeFormStop()))


def files_prompt(contract_id: int) -> InlineKeyboardMarkup:
    return rows(
        button(texts.SUBMIT, DisputeSubmit(contract_id)), button(texts.STOP, DisputeFormStop())
    )


def card(case: DisputeCase) -> InlineKeyboardMarkup:
    """Transcript / Message buyer / Message seller / Resolve (only Transcript once resolved)."""
    dispute = case.dispute.key
    found = [button(texts.TRANSCRIPT, DisputeTranscript(dispute))]
    if case.dispute.status is DisputeStatus.OPEN:
        found += [
            button(texts.MESSAGE_BUYER, DisputeWrite(dispute, Actor.BUYER)),
            button(texts.MESSAGE_SELLER, DisputeWrite(dispute, Actor.SELLER)),
            button(texts.RESOLVE, DisputeResolve(dispute)),
        ]
    return rows(*found)


def dispute_list(cases: list[DisputeCase]) -> InlineKeyboardMarkup:
    return rows(
        *(button(texts.list_button(case), DisputeCard(case.dispute.key)) for case in cases),
        width=1,
    )


def outcomes(dispute_id: int) -> InlineKeyboardMarkup:
    return rows(
        *(
            button(words, DisputeOutcome(dispute_id, outcome))
            for outcome, words in texts.OUTCOME_BUTTONS.items()
        ),
        button(texts.STOP, DisputeFormStop()),
    )
