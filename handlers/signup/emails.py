"""Builds the emails the bot sends, with Telegram deep links back into the bot."""

from __future__ import annotations

from dataclasses import dataclass

from telegram.helpers import create_deep_linked_url

from handlers.core import texts


@dataclass(frozen=True)
class EmailDraft:
    to: str
    subject: str
    text: str
    html: str

    def payload(self) -> dict[str, object]:
        """The outbox payload the dispatcher mails (bot.dispatcher ``_send_email``)."""
        return {"subject": self.subject, "text": self.text, "html": self.html}


def confirmation(bot_username: str, address: str, payload: str) -> EmailDraft:
    """The confirmation email, whose link opens this bot with the one-time ``payload``."""
    link = create_deep_linked_url(bot_username, payload)
    subject, text, html = texts.confirmation_email(link)
    return EmailDraft(to=address, subject=subject, text=text, html=html)
