"""Buttons of the profile card, its credentials sections and the settings."""

from __future__ import annotations

from enum import StrEnum

from domain.credentials import DocumentKind
from domain.model import Role
from handlers.core.callbacks import Button

PROFILE = "pf"
CREDENTIALS = "cr"
SETTINGS = "st"


class ProfileEdit(Button, area=PROFILE, action="edit"):
    field: str


class ProfileCredentials(Button, area=PROFILE, action="cred"):
    section: str


class ProfileAddRole(Button, area=PROFILE, action="role"):
    role: Role


class ProfileResendEmail(Button, area=PROFILE, action="resend"):
    pass


class ProfileCategory(Button, area=PROFILE, action="cat"):
    index: int


class ProfileCategoriesDone(Button, area=PROFILE, action="catdone"):
    pass


class CredentialAdd(Button, area=CREDENTIALS, action="add"):
    section: str


class CredentialKind(Button, area=CREDENTIALS, action="kind"):
    kind: DocumentKind


class CredentialRemove(Button, area=CREDENTIALS, action="rm"):
    kind: str
    entry_id: int


class Alerts(StrEnum):
    ON = "on"
    OFF = "off"


class SettingsAlerts(Button, area=SETTINGS, action="alerts"):
    switch: Alerts
