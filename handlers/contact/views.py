"""The keyboards of Contact Us."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from domain.contact import ContactMessage
from handlers.contact import texts
from handlers.contact.buttons import ContactReply, ContactWrite
from handlers.core.keyboards import button, rows


def reply_to_user(message: ContactMessage) -> InlineKeyboardMarkup:
    return rows(button(texts.REPLY, ContactReply(message.key)))


def write_back() -> InlineKeyboardMarkup:
    return rows(button(texts.REPLY, ContactWrite()))
