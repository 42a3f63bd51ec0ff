"""Builds the emails the bot sends, with Telegram deep links back into the bot."""

from __future__ import annotations

from collections.abc import Callable

from telegram.helpers import create_deep_linked_url

from domain.model import EmailDraft
from handlers.core import texts


def confirmation_composer(bot_username: str) -> Callable[[str, str], EmailDraft]:
    """A composer for the confirmation email whose link opens this bot with the token."""

    def compose(address: str, payload: str) -> EmailDraft:
        link = create_deep_linked_url(bot_username, payload)
        subject, text, html = texts.confirmation_email(link)
        return EmailDraft(to=address, subject=subject, text=text, html=html)

    return compose
