"""A digest's buttons (one per listed lead, and all of them in /leads) and the interval
switches in /settings."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from domain.digests import Digest
from domain.model import DigestInterval
from handlers.core.keyboards import button, rows
from handlers.core.limits import button_label
from handlers.digests import texts
from handlers.digests.buttons import SettingsDigest
from handlers.leads.buttons import LeadView
from handlers.menu.buttons import MenuLeads


def digest(digest: Digest) -> InlineKeyboardMarkup:
    leads = [
        button(button_label(lead.title, before=texts.lead_button(number)), LeadView(lead.lead_id))
        for number, lead in enumerate(texts.listed(digest), 1)
    ]
    return rows(*leads, button(texts.ALL_LEADS, MenuLeads()), width=1)


def interval_switches(current: DigestInterval) -> list[list[InlineKeyboardButton]]:
    """One row: the intervals, the current one marked."""
    return [
        [
            button(("✓ " if interval is current else "") + label, SettingsDigest(interval))
            for interval, label in texts.INTERVAL_BUTTONS.items()
        ]
    ]
