"""Buttons of deleting one's account."""

from __future__ import annotations

from handlers.core.callbacks import Button

ACCOUNT = "ac"


class AccountDeleteConfirmed(Button, area=ACCOUNT, action="delete"):
    """Yes, delete: carries whose question it answers, so nobody else's press counts."""

    user_id: int


class AccountKeep(Button, area=ACCOUNT, action="keep"):
    pass
