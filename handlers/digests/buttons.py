"""The digest interval's buttons in /settings."""

from __future__ import annotations

from domain.model import DigestInterval
from handlers.core.callbacks import Button
from handlers.profile.buttons import SETTINGS


class SettingsDigest(Button, area=SETTINGS, action="digest"):
    interval: DigestInterval
