"""Buttons of Contact Us."""

from __future__ import annotations

from handlers.core.callbacks import Button

CONTACT = "ct"


class ContactWrite(Button, area=CONTACT, action="write"):
    """Write to the Leadline team (or answer what support wrote)."""


class ContactReply(Button, area=CONTACT, action="reply"):
    """An admin answers the user's Contact Us message ``message_id``."""

    message_id: int
