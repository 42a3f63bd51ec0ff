"""Sends email over SMTP; runs the blocking client in a thread off the event loop."""

from __future__ import annotations

import asyncio
import smtplib
from email.message import EmailMessage
from email.utils import make_msgid

from bot.settings import EmailSettings

SMTP_TIMEOUT_SECONDS = 20


def _transfer_encoding(body: str) -> str:
    fits = body.isascii() and all(len(line) <= 998 for line in body.splitlines())
    return "7bit" if fits else "quoted-printable"


class PermanentMailError(Exception):
    """The server refused the message for good (e.g. the recipient does not exist)."""


class Mailer:
    def __init__(self, settings: EmailSettings) -> None:
        self._settings = settings

    def _message(self, to: str, subject: str, text: str, html: str) -> EmailMessage:
        message = EmailMessage()
        message["From"] = self._settings.sender
        message["To"] = to
        message["Subject"] = subject
        message["Message-ID"] = make_msgid(domain="leadline")
        # Plain 7-bit where possible, so links stay intact in the raw message (quoted-
        # printable would split and "=3D"-encode them for anyone reading the source).
        message.set_content(text, cte=_transfer_encoding(text))
        if html:
            message.add_alternative(html, subtype="html", cte=_transfer_encoding(html))
        return message

    def _send_blocking(self, message: EmailMessage) -> None:
        settings = self._settings
        with smtplib.SMTP(
            settings.smtp_host, settings.smtp_port, timeout=SMTP_TIMEOUT_SECONDS
        ) as smtp:
            if settings.starttls:
                smtp.starttls()
            if settings.username:
                smtp.login(settings.username, settings.password.get_secret_value())
            try:
                smtp.send_message(message)
            except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused) as error:
                raise PermanentMailError(str(error)) from error
            except smtplib.SMTPResponseException as error:
                if 500 <= error.smtp_code < 600:
                    raise PermanentMailError(str(error)) from error
                raise

    async def send(self, to: str, subject: str, text: str, html: str = "") -> None:
        """Delivers one email; raises PermanentMailError or a retryable OSError/SMTPException."""
        await asyncio.to_thread(self._send_blocking, self._message(to, subject, text, html))
