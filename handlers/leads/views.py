"""Keyboards of lead cards, alerts, previews and result lists."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from domain.leads import Lead
from domain.lifecycle import LeadStatus
from domain.ports import Page
from handlers.core.callbacks import Button
from handlers.core.keyboards import button, rows
from handlers.leads import texts as lead_texts
from handlers.leads.buttons import (
    LeadBids,
    LeadClearFilters,
    LeadConnect,
    LeadFilterCategories,
    LeadFilterSkills,
    LeadMatchingSellers,
    LeadPage,
    LeadSkill,
    LeadStartEdit,
    LeadView,
    LeadWithdraw,
    LeadWithdrawConfirmed,
    NewLeadAttachmentsDone,
    NewLeadDiscard,
    NewLeadEdit,
    NewLeadField,
    NewLeadPublish,
    NewLeadRestart,
    NewLeadResume,
)


def owner_actions(lead: Lead) -> InlineKeyboardMarkup:
    lead_id = lead.id or 0
    buttons = []
    if lead.status in (LeadStatus.DRAFT, LeadStatus.OPEN):
        buttons.append(button("✏️ Edit", LeadStartEdit(lead_id)))
    if lead.status is LeadStatus.OPEN:
        buttons.append(button("🗑 Withdraw", LeadWithdraw(lead_id)))
    buttons.append(button("📨 Bids", LeadBids(lead_id)))
    buttons.append(button("👥 Matching sellers", LeadMatchingSellers(lead_id)))
    return rows(*buttons)


def seller_actions(lead: Lead) -> InlineKeyboardMarkup | None:
    if lead.status is not LeadStatus.OPEN:
        return None
    return rows(button("🤝 Connect", LeadConnect(lead.id or 0)))


def alert_actions(lead: Lead) -> InlineKeyboardMarkup:
    lead_id = lead.id or 0
    return rows(button("👀 View", LeadView(lead_id)), button("🤝 Connect", LeadConnect(lead_id)))


def alert_payload(lead: Lead, bot_username: str) -> dict[str, object]:
    """The outbox payload of an alert card, the same for every matching seller."""
    return {
        "method": "sendMessage",
        "text": lead_texts.alert(lead, bot_username),
        "parse_mode": "HTML",
        "reply_markup": alert_actions(lead).to_dict(),
        "link_preview_options": {"is_disabled": True},
    }


def changed_payload(lead: Lead, bot_username: str) -> dict[str, object]:
    """Tells a seller already in talks that the buyer changed the lead."""
    return {
        "method": "sendMessage",
        "text": "✏️ <b>The buyer changed this lead.</b>\n\n"
        + lead_texts.lead_card(lead, None, bot_username, full=False),
        "parse_mode": "HTML",
        "reply_markup": rows(button("👀 View", LeadView(lead.id or 0))).to_dict(),
        "link_preview_options": {"is_disabled": True},
    }


def withdrawn_payload(lead: Lead) -> dict[str, object]:
    """Tells a seller in talks that the buyer withdrew the lead."""
    return {
        "method": "sendMessage",
        "text": f"🗑 The buyer withdrew the lead <b>{escape(lead.title or '')}</b>; "
        "open offers on it have lapsed.",
        "parse_mode": "HTML",
    }


def confirm_withdraw(lead: Lead) -> InlineKeyboardMarkup:
    lead_id = lead.id or 0
    return rows(
        button("Yes, withdraw", LeadWithdrawConfirmed(lead_id)),
        button("Keep it open", LeadView(lead_id)),
    )


def categories(names: list[str], choice: Callable[[int], Button]) -> InlineKeyboardMarkup:
    return rows(*(button(name, choice(i)) for i, name in enumerate(names)))


def field_chooser(include_attachments: bool) -> InlineKeyboardMarkup:
    fields = [f for f in lead_texts.FIELD_NAMES if include_attachments or f != "attachments"]
    return rows(*(button(lead_texts.FIELD_NAMES[f], NewLeadField(f)) for f in fields))


def preview_actions() -> InlineKeyboardMarkup:
    return rows(
        button("🚀 Publish", NewLeadPublish()),
        button("✏️ Edit", NewLeadEdit()),
        button("✖️ Cancel", NewLeadDiscard()),
        width=3,
    )


def resume_or_restart() -> InlineKeyboardMarkup:
    return rows(button("Continue", NewLeadResume()), button("Start over", NewLeadRestart()))


def attachments_done(count: int) -> InlineKeyboardMarkup:
    return rows(button("Done" if count else "Skip", NewLeadAttachmentsDone()))


def results(page: Page[Lead]) -> InlineKeyboardMarkup:
    """One button per lead on the page, then Prev / Next and the filters."""
    keyboard: list[list[InlineKeyboardButton]] = [
        [button(f"📌 {lead.title or 'Untitled'}"[:60], LeadView(lead.id or 0))]
        for lead in page.items
    ]
    nav = []
    if page.has_previous:
        nav.append(button("◀️ Prev", LeadPage(max(page.offset - page.size, 0))))
    if page.has_next:
        nav.append(button("Next ▶️", LeadPage(page.offset + page.size)))
    if nav:
        keyboard.append(nav)
    keyboard.append(
        [
            button("🗂 Category", LeadFilterCategories()),
            button("🛠 Skill", LeadFilterSkills()),
            button("✖️ Clear", LeadClearFilters()),
        ]
    )
    return InlineKeyboardMarkup(keyboard)


def skill_filter(skills: list[str]) -> InlineKeyboardMarkup:
    return rows(*(button(name[:40], LeadSkill(i)) for i, name in enumerate(skills)))
