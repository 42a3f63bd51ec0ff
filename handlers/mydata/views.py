"""The keyboard of deleting one's account."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from domain.model import User
from handlers.core.keyboards import button, rows
from handlers.mydata import texts
from handlers.mydata.buttons import AccountDeleteConfirmed, AccountKeep


def confirm_delete(user: User) -> InlineKeyboardMarkup:
    return rows(
        button(texts.YES_DELETE, AccountDeleteConfirmed(user.key)),
        button(texts.KEEP, AccountKeep()),
        width=1,
    )
