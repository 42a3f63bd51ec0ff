"""The buttons under each kind of nudge, and the mute switches of /settings."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from domain.nudges import MUTABLE, Nudge, NudgeKind
from handlers.chat.buttons import ThreadOpen
from handlers.contracts.buttons import ContractCancel, ContractExtend
from handlers.core.keyboards import button, rows
from handlers.leads.buttons import LeadMatchingSellers, LeadView
from handlers.nudges import texts
from handlers.nudges.buttons import NudgeMute, Switch
from handlers.reviews.buttons import ReviewStart
from handlers.signup.buttons import SignupResendEmail


def _conversation(nudge: Nudge, label: str = texts.CONVERSATION) -> list[InlineKeyboardButton]:
    return [] if nudge.thread_id is None else [button(label, ThreadOpen(nudge.thread_id))]


def actions(nudge: Nudge) -> InlineKeyboardMarkup | None:
    """What the recipient can do about it, right under the reminder."""
    lead_id = nudge.lead.id if nudge.lead is not None else None
    match nudge.kind:
        case NudgeKind.DEADLINE_PASSED:
            return rows(
                button(texts.CANCEL_LEAD, ContractCancel(nudge.subject_id)),
                button(texts.EXTEND, ContractExtend(nudge.subject_id)),
                *_conversation(nudge),
            )
        case NudgeKind.DEADLINE_NEAR | NudgeKind.DELIVERY_WAITING:
            return rows(*_conversation(nudge)) if nudge.thread_id is not None else None
        case NudgeKind.OFFER_UNANSWERED:
            return rows(*_conversation(nudge, texts.OPEN_OFFER))
        case NudgeKind.REVIEW_PENDING if lead_id is not None:
            return rows(button(texts.RATE, ReviewStart(lead_id)))
        case NudgeKind.LEAD_WITHOUT_BIDS if lead_id is not None:
            return rows(
                button(texts.FIND_PROVIDERS, LeadMatchingSellers(lead_id)),
                button(texts.VIEW_LEAD, LeadView(lead_id)),
            )
        case NudgeKind.EMAIL_UNCONFIRMED:
            # The signup's own Resend: it answers under the signup's question.
            return rows(button(texts.RESEND_EMAIL, SignupResendEmail()))
    return None


def mute_switches(
    muted: Collection[NudgeKind], kinds: Sequence[NudgeKind] = MUTABLE
) -> list[list[InlineKeyboardButton]]:
    """One switch per kind that may be muted, for the /settings keyboard."""
    return [
        [
            button(
                texts.mute_button(kind, kind in muted),
                NudgeMute(kind, Switch.ON if kind in muted else Switch.OFF),
            )
        ]
        for kind in kinds
    ]
