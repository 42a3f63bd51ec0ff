"""The floor of the load bench: a bare python-telegram-bot bot that answers /help.

Nothing but PTB's defaults (long polling, updates handled one at a time, no rate limiter,
no persistence), pointed at a Bot API of your choice: what any PTB bot costs per update on
the same machine, against which `bench/load.py` sets Leadline's own cost.

Run: `python -m bench.echo_bot --token TOKEN --base-url http://127.0.0.1:PORT/bot`.
"""

from __future__ import annotations

import argparse

from telegram import Update
from telegram.ext import Application, CommandHandler, ContextTypes

HELP = "I am the echo bot of the load bench: I answer /help, and that is all."


async def help_command(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answers /help with a fixed text."""
    if update.effective_message is not None:
        await update.effective_message.reply_text(HELP)


def build(token: str, base_url: str) -> Application:  # type: ignore[type-arg]
    """The whole bot: one command handler on a default Application."""
    app = Application.builder().token(token).base_url(base_url).build()
    app.add_handler(CommandHandler("help", help_command))
    return app


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.echo_bot", description=__doc__)
    parser.add_argument("--token", required=True)
    parser.add_argument("--base-url", required=True, help="PTB's base_url, e.g. …/bot")
    args = parser.parse_args()
    # run_polling stops cleanly on SIGTERM and SIGINT.
    build(args.token, args.base_url).run_polling(allowed_updates=[Update.MESSAGE])


if __name__ == "__main__":
    main()
