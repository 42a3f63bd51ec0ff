"""Checks made before the bot starts, each failing with one sentence an operator can act on."""

from __future__ import annotations

import asyncio
import logging
import smtplib

from telegram import Bot
from telegram.error import InvalidToken, NetworkError, TelegramError

from bot.settings import Settings

log = logging.getLogger(__name__)
TIMEOUT_SECONDS = 10


class StartupError(Exception):
    """The bot cannot start; the message is one sentence without secrets."""


async def check_bot_api(settings: Settings) -> None:
    """Asks the Bot API who the bot is, so a wrong address or token is named at once."""
    telegram = settings.telegram
    bot = Bot(
        telegram.token.get_secret_value(),
        base_url=telegram.base_url,
        base_file_url=telegram.base_file_url,
    )
    where = telegram.base_url
    try:
        await asyncio.wait_for(bot.get_me(), TIMEOUT_SECONDS)
    except InvalidToken:
        raise StartupError(
            f"The Bot API at {where} rejected the token; check telegram.token and "
            "telegram.base_url."
        ) from None
    except (NetworkError, TimeoutError, OSError) as error:
        reason = error.message if isinstance(error, TelegramError) else type(error).__name__
        raise StartupError(f"Cannot reach the Bot API at {where}: {reason}.") from None
    finally:
        await bot.shutdown()


def check_smtp(settings: Settings) -> None:
    """Warns, in one line, when the mail server cannot be reached: emails wait and retry."""
    email = settings.email
    try:
        with smtplib.SMTP(email.smtp_host, email.smtp_port, timeout=TIMEOUT_SECONDS) as smtp:
            smtp.noop()
    except (OSError, smtplib.SMTPException) as error:
        log.warning(
            "Cannot reach the SMTP server %s:%s (%s); emails are queued and retried until it "
            "answers.",
            email.smtp_host,
            email.smtp_port,
            error,
        )
