"""Buttons of nudges (the rest of a nudge's buttons belong to the features it points at)."""

from __future__ import annotations

from enum import StrEnum

from domain.nudges import NudgeKind
from handlers.core.callbacks import Button

NUDGE = "ng"


class Switch(StrEnum):
    ON = "on"
    OFF = "off"


class NudgeMute(Button, area=NUDGE, action="mute"):
    """Turns one kind of reminder off or on, in /settings."""

    kind: NudgeKind
    switch: Switch
