"""Buttons of disputes: the sides' Open dispute, and the administrators' dispute card."""

from __future__ import annotations

from domain.disputes import Outcome
from domain.lifecycle import Actor
from handlers.core.callbacks import Button

DISPUTE = "dp"


class DisputeStart(Button, area=DISPUTE, action="open"):
    """A side of a contract starts opening a dispute (a reason is asked first)."""

    contract_id: int


class DisputeSubmit(Button, area=DISPUTE, action="send"):
    """The reason (and files) given: the dispute is opened."""

    contract_id: int


class DisputeFormStop(Button, area=DISPUTE, action="stop"):
    """Leaves the question being asked; nothing changes."""


class DisputeCard(Button, area=DISPUTE, action="card"):
    """An administrator opens a dispute's card (from /disputes)."""

    dispute_id: int


class DisputeTranscript(Button, area=DISPUTE, action="tr"):
    dispute_id: int


class DisputeWrite(Button, area=DISPUTE, action="write"):
    """An administrator writes to one side (``side``: buyer or seller)."""

    dispute_id: int
    side: Actor


class DisputeResolve(Button, area=DISPUTE, action="resolve"):
    dispute_id: int


class DisputeOutcome(Button, area=DISPUTE, action="outcome"):
    dispute_id: int
    outcome: Outcome
