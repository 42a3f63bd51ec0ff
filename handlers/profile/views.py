"""The buttons of the credentials sections and of /settings."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from domain.credentials import Credentials
from domain.model import User
from handlers.core.keyboards import button, rows
from handlers.menu.buttons import MenuProfile
from handlers.profile import texts
from handlers.profile.buttons import (
    Alerts,
    CredentialAdd,
    CredentialKind,
    CredentialRemove,
    ProfileResendEmail,
    SettingsAlerts,
)


def credentials_section(section: str, credentials: Credentials) -> InlineKeyboardMarkup:
    """A ✖ per entry (numbered as listed), the section's Add, and the way back."""
    if section == "education":
        entries = [("education", entry.id) for entry in credentials.education]
        add = button(texts.ADD, CredentialAdd("education"))
    elif section == "resume":
        entries = []
        label = texts.UPLOAD if credentials.resume is None else texts.REPLACE
        add = button(label, CredentialAdd("resume"))
    elif section == "documents":
        entries = [("document", doc.id) for doc in credentials.verification]
        add = button(texts.ADD, CredentialAdd("documents"))
    elif section == "portfolio":
        entries = [("link", link.id) for link in credentials.links]
        add = button(texts.ADD, CredentialAdd("portfolio"))
    else:
        entries = []
        add = button(texts.SET_YEARS, CredentialAdd("experience"))
    removals = [
        button(texts.remove_button(n), CredentialRemove(kind, entry_id or 0))
        for n, (kind, entry_id) in enumerate(entries, 1)
    ]
    keyboard = [removals[i : i + 5] for i in range(0, len(removals), 5)]
    keyboard.append([add, button(texts.BACK_TO_PROFILE, MenuProfile())])
    return InlineKeyboardMarkup(keyboard)


def document_kinds() -> InlineKeyboardMarkup:
    kinds = [button(name, CredentialKind(kind)) for kind, name in texts.KIND_NAMES.items()]
    return rows(*kinds, width=3)


def resend_email() -> InlineKeyboardMarkup:
    return rows(button(texts.RESEND_EMAIL, ProfileResendEmail()))


def settings(user: User) -> InlineKeyboardMarkup:
    if user.alerts_muted:
        return rows(button(texts.ALERTS_ON_BUTTON, SettingsAlerts(Alerts.ON)))
    return rows(button(texts.ALERTS_OFF_BUTTON, SettingsAlerts(Alerts.OFF)))
