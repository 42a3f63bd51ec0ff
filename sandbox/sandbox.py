"""The Sandbox facade: one object that owns the world, the HTTP server and the SMTP sink."""

from __future__ import annotations

import errno
import json
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType

from aiohttp import web

from sandbox import actions, payments
from sandbox.errors import PortInUse, SandboxError, SandboxTimeout
from sandbox.keeping import Keeper
from sandbox.models import JSON, ApiError, CallbackQuery, Email, Payment
from sandbox.outage import FailedRequest
from sandbox.server import build_app
from sandbox.simuser import SimUser
from sandbox.smtp_sink import SmtpSink
from sandbox.webhook import Delivery
from sandbox.world import World


class Sandbox:
    """An offline Telegram for one bot. No global state: several can run side by side."""

    def __init__(
        self,
        bot_token: str = "123456:TEST",
        bot_username: str = "leadline_bot",
        *,
        bot_name: str = "Leadline",
        host: str = "127.0.0.1",
        port: int = 0,
        smtp_port: int | None = 0,
        default_timeout: float = 10.0,
        strict_html_ampersand: bool = True,
        provider_token: str | None = None,
        pre_checkout_timeout: float = 10.0,
        state_file: Path | None = None,
    ) -> None:
        """``state_file``: where the simulated people are kept across restarts (None: in
        memory only, as tests want)."""
        self.world = World(bot_token, bot_username, bot_name)
        self.world.strict_html_ampersand = strict_html_ampersand
        self.world.provider_token = provider_token
        self.world.pre_checkout_timeout = pre_checkout_timeout
        self.host = host
        self.port = port
        self.default_timeout = default_timeout
        self._smtp = SmtpSink(self.world, host, smtp_port) if smtp_port is not None else None
        self._runner: web.AppRunner | None = None
        self._users: dict[int, SimUser] = {}
        self._mail_cursor: set[int] = set()
        self._keeper = Keeper(self.world, state_file) if state_file is not None else None

    # -- lifecycle -----------------------------------------------------------------------

    async def start(self) -> None:
        # handler_cancellation: a long poll whose client went away must stop, or it would
        # later be reported as a getUpdates conflict.
        self._runner = web.AppRunner(
            build_app(self.world), handler_cancellation=True, access_log=None
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        try:
            await site.start()
        except OSError as error:
            await self._runner.cleanup()
            self._runner = None
            if error.errno == errno.EADDRINUSE:
                raise PortInUse(self.host, self.port) from None
            raise
        if self._keeper is not None:
            self._keeper.start()
        if self.port == 0:
            self.port = int(self._runner.addresses[0][1])
        if self._smtp is not None:
            await self._smtp.start()

    async def stop(self) -> None:
        if self._keeper is not None:
            await self._keeper.stop()
        payments.cancel_timers(self.world)
        await self.world.webhook.close()
        if self._smtp is not None:
            await self._smtp.stop()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Sandbox:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    # -- addresses -----------------------------------------------------------------------

    @property
    def bot_token(self) -> str:
        return self.world.token

    @property
    def bot_username(self) -> str:
        return str(self.world.bot_user["username"])

    @property
    def base_url(self) -> str:
        """PTB's base_url (PTB appends the token)."""
        return f"http://{self.host}:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://{self.host}:{self.port}/file/bot"

    @property
    def web_url(self) -> str:
        return f"http://{self.host}:{self.port}/"

    @property
    def smtp_host(self) -> str:
        return self.host

    @property
    def smtp_port(self) -> int:
        if self._smtp is None:
            raise SandboxError("this sandbox was created without an SMTP sink")
        return self._smtp.port

    # -- users ---------------------------------------------------------------------------

    def create_user(
        self,
        first_name: str,
        last_name: str | None = None,
        *,
        username: str | None = None,
        language_code: str | None = "en",
        user_id: int | None = None,
    ) -> SimUser:
        state = self.world.create_user(first_name, last_name, username, language_code, user_id)
        return self.user(int(state.user["id"]))

    def user(self, user_id: int) -> SimUser:
        if user_id not in self.world.chats:
            raise SandboxError(f"no simulated user {user_id}")
        if user_id not in self._users:
            self._users[user_id] = SimUser(
                self.world, self.world.chats[user_id], self.default_timeout
            )
        return self._users[user_id]

    @property
    def users(self) -> list[SimUser]:
        return [self.user(uid) for uid in self.world.chats]

    def deep_link(self, payload: str) -> str:
        return f"https://t.me/{self.bot_username}?start={payload}"

    def is_deep_link(self, url: str) -> bool:
        return actions.deep_link_payload(self.world, url) is not None

    # -- observations ----------------------------------------------------------------------

    @property
    def emails(self) -> list[Email]:
        return list(self.world.emails)

    async def wait_for_email(
        self,
        to: str | None = None,
        *,
        subject_contains: str | None = None,
        timeout: float | None = None,
    ) -> Email:
        """The oldest matching mail not yet returned by an earlier wait_for_email."""

        def probe() -> Email | None:
            for email in self.world.emails:
                if email.id in self._mail_cursor:
                    continue
                if to is not None and to.lower() not in {r.lower() for r in email.recipients}:
                    continue
                if subject_contains is not None and subject_contains not in email.subject:
                    continue
                self._mail_cursor.add(email.id)
                return email
            return None

        wait = self.default_timeout if timeout is None else timeout
        found = await self.world.wait_for(probe, wait)
        if found is None:
            seen = [f"{e.recipients} {e.subject!r}" for e in self.world.emails]
            raise SandboxTimeout(f"No email to {to!r} within {wait} s. Mails so far: {seen}")
        return found

    async def wait_for_poller(self, timeout: float | None = None) -> None:
        """Wait until the bot has a getUpdates long poll pending (it is up and listening)."""
        wait = self.default_timeout if timeout is None else timeout
        if not await self.world.updates.wait_for_poller(wait):
            raise SandboxTimeout(f"No getUpdates request arrived within {wait} s.")

    async def wait_for_webhook(self, timeout: float | None = None) -> str:
        """Wait until the bot has set a webhook (it is up and listening); returns its URL."""
        wait = self.default_timeout if timeout is None else timeout
        hook = await self.world.wait_for(lambda: self.world.updates.webhook, wait)
        if hook is None:
            raise SandboxTimeout(f"No setWebhook request arrived within {wait} s.")
        return str(hook["url"])

    def webhook_info(self) -> JSON:
        """What getWebhookInfo would answer now."""
        return self.world.webhook.info()

    @property
    def webhook_deliveries(self) -> list[Delivery]:
        """Every POST to the webhook so far, oldest first, with how it ended."""
        return list(self.world.webhook.deliveries)

    def lose_webhook_answers(self, count: int = 1) -> None:
        """The next ``count`` successful webhook answers are lost on the way back: the bot
        got the update, Telegram thinks it did not, and sends it again."""
        self.world.webhook.lost_answers += count

    def set_webhook_retry(self, first: float = 0.1, longest: float = 2.0) -> None:
        """Backoff between attempts to deliver a chat's update: ``first``, doubled per
        failure, at most ``longest`` seconds (Telegram's own are far longer)."""
        self.world.webhook.retry_initial, self.world.webhook.retry_max = first, longest

    @property
    def api_errors(self) -> list[ApiError]:
        return list(self.world.errors)

    def clear_api_errors(self) -> None:
        self.world.errors.clear()

    @property
    def callback_queries(self) -> list[CallbackQuery]:
        return list(self.world.callbacks.values())

    def unanswered_callback_queries(self) -> list[CallbackQuery]:
        return [q for q in self.world.callbacks.values() if not q.answered]

    def set_flood_limits(
        self,
        enabled: bool,
        *,
        per_chat_rate: float = 1.0,
        per_chat_burst: float = 3.0,
        global_rate: float = 30.0,
        global_burst: float = 30.0,
    ) -> None:
        self.world.flood.configure(
            enabled,
            per_chat_rate=per_chat_rate,
            per_chat_burst=per_chat_burst,
            global_rate=global_rate,
            global_burst=global_burst,
        )

    def fail_requests(
        self,
        status: int = 502,
        seconds: float | None = 10.0,
        *,
        methods: Iterable[str] | None = None,
        get_updates: bool = False,
    ) -> None:
        """An outage of Telegram's front: for ``seconds`` (None: until ``end_outage()``) the
        Bot API answers ``status`` (a 5xx, JSON body like ``{"ok": false, "error_code": 502,
        "description": "Bad Gateway"}``) and does nothing. ``methods`` limits it to some
        methods (names as in the Bot API); getUpdates keeps working unless ``get_updates``."""
        self.world.outage.start(status, seconds, methods, get_updates)

    def end_outage(self) -> None:
        self.world.outage.end()

    @property
    def outage_active(self) -> bool:
        return self.world.outage.active

    @property
    def failed_requests(self) -> list[FailedRequest]:
        """Calls answered with the outage's status (not in ``api_errors``: not the bot's fault)."""
        return list(self.world.outage.failed)

    def sent_count(self, chat_id: int) -> int:
        state = self.world.chats.get(chat_id)
        return sum(1 for m in state.messages.values() if m.from_bot) if state else 0

    @property
    def pending_updates(self) -> list[JSON]:
        return list(self.world.updates.pending)

    async def wait_until_delivered(self, timeout: float | None = None) -> None:
        """Wait until the bot has taken every queued update: confirmed by a later getUpdates
        or answered 2xx by its webhook. (Taken is not handled: PTB confirms a batch when it
        asks for the next one; a reply of the bot is the sign it has handled something.)"""
        wait = self.default_timeout if timeout is None else timeout
        updates = self.world.updates
        if await self.world.wait_for(lambda: None if updates.pending else True, wait) is None:
            raise SandboxTimeout(
                f"The bot has not taken {len(updates.pending)} updates within {wait} s."
            )

    def repeat_update(self, update_id: int, *, new_id: bool = False) -> JSON:
        """Telegram sends an update the bot already had once more (say, the
        successful_payment message of ``payment.update_id``), as it does when the bot's
        confirmation was lost: unchanged, same update_id, by getUpdates (even if already
        confirmed) or the webhook. ``new_id=True``: the same content under the next
        update_id, which update-id bookkeeping cannot recognise. Returns the update."""
        if update_id not in self.world.updates.history:
            raise SandboxError(f"no update {update_id} was ever queued")
        repeated = self.world.updates.repeat(update_id, new_id)
        if repeated is None:
            raise SandboxError(f"the bot's allowed_updates excludes the type of update {update_id}")
        return repeated

    # -- payments --------------------------------------------------------------------------

    @property
    def payments(self) -> list[Payment]:
        """Every press of Pay so far (all users), oldest first, with its outcome."""
        return list(self.world.payments.values())

    @property
    def pre_checkout_timeout(self) -> float:
        """Seconds the bot has to answer a pre_checkout_query (Telegram: 10)."""
        return self.world.pre_checkout_timeout

    @pre_checkout_timeout.setter
    def pre_checkout_timeout(self, seconds: float) -> None:
        self.world.pre_checkout_timeout = seconds

    def commands(self) -> list[JSON]:
        """The bot's default-scope commands as set with setMyCommands."""
        key = json.dumps([{"type": "default"}, ""], sort_keys=True)
        return self.world.commands.get(key, [])
