"""Leadline, a services marketplace inside Telegram."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sqlite3
import sys
from collections.abc import Coroutine
from contextlib import closing
from pathlib import Path
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from telegram.error import InvalidToken, NetworkError

from bot.logging_setup import configure_logging, redact
from bot.preflight import StartupError, check_bot_api, check_smtp
from bot.runner import serve
from bot.settings import ConfigError, Settings, load_settings
from storage.backup import BackupError, backup
from storage.copy import CopyError, copy_database
from storage.migrate import upgrade

log = logging.getLogger("leadline")


def _settings(path: str) -> Settings:
    try:
        return load_settings(Path(path))
    except ConfigError as error:
        print(f"leadline: {error}", file=sys.stderr)
        raise SystemExit(2) from None


def _run_fast(main: Coroutine[Any, Any, None]) -> None:
    """Runs the bot on uvloop where it is installed: the same update costs less on it
    (docs/PERFORMANCE.md, "Where an update's time goes"); elsewhere on asyncio's own loop."""
    try:
        import uvloop  # not installed on Windows
    except ImportError:
        asyncio.run(main)
        return
    uvloop.run(main)


def run(config: str) -> None:
    """Runs the bot; a failure to start is one sentence on stderr, never a token."""
    settings = _settings(config)
    telegram = settings.telegram
    configure_logging(telegram.token.get_secret_value(), telegram.webhook_secret.get_secret_value())
    problem = telegram.webhook_problem()
    if problem is not None:
        print(f"leadline: {problem}", file=sys.stderr)
        raise SystemExit(2)
    try:
        asyncio.run(check_bot_api(settings))
        check_smtp(settings)
        _run_fast(serve(settings))
    except StartupError as error:
        print(f"leadline: {error}", file=sys.stderr)
        raise SystemExit(2) from None
    except InvalidToken:
        print(f"leadline: the Bot API rejected the token in {config}.", file=sys.stderr)
        raise SystemExit(2) from None
    except (NetworkError, OSError, SQLAlchemyError) as error:
        log.debug("Start-up failed", exc_info=error)  # the log filter scrubs the token
        first_line = (str(error) or error.__class__.__name__).splitlines()[0]
        reason = redact(first_line, telegram.token.get_secret_value())
        print(f"leadline: could not start: {reason}", file=sys.stderr)
        raise SystemExit(1) from None


def db_upgrade(config: str) -> None:
    settings = _settings(config)
    configure_logging()
    upgrade(settings.database.url)
    print("Database is up to date.")


SANDBOX_PROVIDER_TOKEN = "1000001:TEST:sandbox-payments"


async def _sandbox(host: str, port: int, data_dir: Path, flood: bool) -> None:
    from bot.runner import start_bot, until_stopped
    from sandbox import Sandbox
    from sandbox.errors import PortInUse

    token, username = "1000001:SANDBOX-token-for-local-use", "leadline_sandbox_bot"
    sandbox = Sandbox(
        bot_token=token,
        bot_username=username,
        host=host,
        port=port,
        smtp_port=0,
        state_file=data_dir / "sandbox-world.pickle",
    )
    if not (data_dir / "sandbox-world.pickle").exists():
        # A database from before the people were kept: new ids start above its users'.
        sandbox.world.next_user_id = max(
            sandbox.world.next_user_id, _highest_telegram_id(data_dir / "sandbox.db") + 1
        )
    try:
        await sandbox.start()
    except PortInUse:
        print(
            f"leadline: port {port} is already in use (is another sandbox running?); "
            f"choose another with --port {port + 1}.",
            file=sys.stderr,
        )
        raise SystemExit(2) from None
    sandbox.set_flood_limits(flood)
    settings = Settings.model_validate(
        {
            "telegram": {
                "token": token,
                "base_url": sandbox.base_url,
                "base_file_url": sandbox.base_file_url,
            },
            "database": {"url": f"sqlite+aiosqlite:///{data_dir / 'sandbox.db'}"},
            "email": {"smtp_host": sandbox.smtp_host, "smtp_port": sandbox.smtp_port},
            # The sandbox takes any provider token: buyers pay by (pretend) invoice there.
            "payments": {"provider_token": SANDBOX_PROVIDER_TOKEN},
        }
    )
    bot = await start_bot(settings)
    print(f"\nLeadline sandbox is running. Open {sandbox.web_url} in your browser.")
    print(
        f"Data: {data_dir}, the bot's and the simulated people's (delete it to start afresh)."
        " Stop with Ctrl+C.\n",
        flush=True,
    )
    try:
        await until_stopped()
    finally:
        await bot.stop()
        await sandbox.stop()


def _highest_telegram_id(database: Path) -> int:
    """The highest Telegram id in the sandbox's database (0: none, or no database)."""
    if not database.exists():
        return 0
    try:
        with closing(sqlite3.connect(database)) as connection:
            row = connection.execute("SELECT max(telegram_id) FROM users").fetchone()
    except sqlite3.Error:
        return 0
    return int(row[0] or 0)


def sandbox(host: str, port: int, data_dir: str, flood: bool) -> None:
    """Runs the local Bot API stand-in, the mail sink, the web chat page and the bot."""
    configure_logging()
    directory = Path(data_dir).resolve()
    directory.mkdir(parents=True, exist_ok=True)
    asyncio.run(_sandbox(host, port, directory, flood))


def db_backup(config: str, target: str) -> None:
    """Makes an online copy of the SQLite database; a failure is one sentence."""
    settings = _settings(config)
    configure_logging()
    try:
        size = backup(settings.database.url, Path(target))
    except BackupError as error:
        print(f"leadline: {error}", file=sys.stderr)
        raise SystemExit(2) from None
    print(f"Backed up the database to {target} ({size:,} bytes).")


def db_copy(config: str, target: str) -> None:
    """Copies the configured (SQLite) database into an empty one; a refusal is one sentence."""
    settings = _settings(config)
    configure_logging()
    try:
        copied = asyncio.run(copy_database(settings.database.url, target))
    except CopyError as error:
        print(f"leadline: {error}", file=sys.stderr)
        raise SystemExit(2) from None
    rows = sum(copied.values())
    print(f"Copied {rows:,} rows in {len(copied)} tables. Now set database.url to the new one.")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="leadline", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    run_parser = commands.add_parser("run", help="run the bot")
    run_parser.add_argument("-c", "--config", default="config.toml")
    sandbox_parser = commands.add_parser("sandbox", help="try the bot offline in a browser")
    sandbox_parser.add_argument("--host", default="127.0.0.1")
    sandbox_parser.add_argument("--port", type=int, default=8765)
    sandbox_parser.add_argument("--data", default="sandbox-data")
    sandbox_parser.add_argument("--flood-limits", action="store_true")
    db_parser = commands.add_parser("db", help="database maintenance")
    db_commands = db_parser.add_subparsers(dest="db_command", required=True)
    upgrade_parser = db_commands.add_parser("upgrade", help="apply migrations")
    upgrade_parser.add_argument("-c", "--config", default="config.toml")
    backup_parser = db_commands.add_parser("backup", help="copy the SQLite database, online")
    backup_parser.add_argument("file", help="the new file to write the copy to")
    backup_parser.add_argument("-c", "--config", default="config.toml")
    copy_parser = db_commands.add_parser("copy", help="copy the database into an empty one")
    copy_parser.add_argument("--to", required=True, help="postgresql+asyncpg://… (empty)")
    copy_parser.add_argument("-c", "--config", default="config.toml")
    args = parser.parse_args(argv)
    if args.command == "run":
        run(args.config)
    elif args.command == "sandbox":
        sandbox(args.host, args.port, args.data, args.flood_limits)
    elif args.db_command == "copy":
        db_copy(args.config, args.to)
    elif args.db_command == "backup":
        db_backup(args.config, args.file)
    else:
        db_upgrade(args.config)


if __name__ == "__main__":
    main()
