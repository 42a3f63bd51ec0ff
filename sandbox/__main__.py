"""`python -m sandbox`: run only the Bot API stand-in and the SMTP sink (no bot)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging

from sandbox.sandbox import Sandbox


async def _serve(args: argparse.Namespace) -> None:
    sandbox = Sandbox(
        args.token, args.username, host=args.host, port=args.port, smtp_port=args.smtp_port
    )
    await sandbox.start()
    print(f"Web chat:       {sandbox.web_url}")
    print(f"Bot API:        {sandbox.base_url}  (token {sandbox.bot_token})")
    print(f"File API:       {sandbox.base_file_url}")
    print(f"SMTP sink:      {sandbox.smtp_host}:{sandbox.smtp_port}")
    print("Press Ctrl+C to stop.", flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await sandbox.stop()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m sandbox", description=__doc__)
    parser.add_argument("--token", default="123456:TEST")
    parser.add_argument("--username", default="leadline_bot")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--smtp-port", type=int, default=8025)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(args))


if __name__ == "__main__":
    main()
