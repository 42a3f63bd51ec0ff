"""Builds the PTB Application with its persistence, rate limiter, services and handlers."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol, cast

from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.ext import Application, ApplicationBuilder, ContextTypes, Defaults

from bot.dispatcher import OutboxDispatcher
from bot.lanes import LaneRateLimiter
from bot.mailer import Mailer
from bot.ordering import OrderedUpdateProcessor
from bot.poller import InboxPoller
from bot.settings import AlertSettings, NudgeSettings, Settings
from bot.telegram_http import AiohttpRequest
from bot.webhook import WebhookReceiver
from domain.profiles import sync_categories
from domain.terms import TermsDocument, terms_document
from handlers.core.context import LeadlineApp, LeadlineContext, Services
from handlers.core.outgoing import AnswersInFlight, LeadlineBot
from handlers.digests.job import send_digests
from handlers.menu.general import forget_old_updates
from handlers.nudges.job import sweep_nudges
from handlers.setup import BOT_COMMANDS, GATES, notifier, register
from storage.db import create_engine, session_factory
from storage.inbox import InboxStore
from storage.outbox import OutboxStore
from storage.persistence import SqlPersistence
from storage.uow import SqlUnitOfWork

log = logging.getLogger(__name__)

# PTB's persistence loop; it writes nothing (each turn stores its own position and data).
PERSISTENCE_INTERVAL_SECONDS = 1.0
NUDGES_FIRST_SWEEP = timedelta(seconds=1)


class Receiver(Protocol):
    """Where updates come from: stored in the inbox, then put on the update queue."""

    async def start(self) -> int: ...

    async def stop(self) -> None: ...


@dataclass
class Runtime:
    """What one running bot owns; ``bot_data['runtime']`` holds it for shutdown."""

    engine: AsyncEngine
    dispatcher: OutboxDispatcher | None = None
    # Long polling or webhook: either way each update passes the inbox first.
    receiver: Receiver | None = None
    nudges: NudgeSettings = field(default_factory=NudgeSettings)
    alerts: AlertSettings = field(default_factory=AlertSettings)


def utc_now() -> datetime:
    """The time everything in Leadline is told (tests may build the app with another)."""
    return datetime.now(UTC)


def load_terms(settings: Settings) -> TermsDocument:
    """The terms of service of marketplace.terms_file (read once, at start)."""
    return terms_document(settings.marketplace.terms_path().read_text(encoding="utf-8"))


def build_application(settings: Settings) -> LeadlineApp:
    """Wires settings, storage and handlers into an Application that is ready to run."""
    engine = create_engine(settings.database.url, one_writer=True)
    sessions = session_factory(engine)
    telegram = settings.telegram
    bot = LeadlineBot(
        telegram.token.get_secret_value(),
        base_url=telegram.base_url,
        base_file_url=telegram.base_file_url,
        # The Bot API over aiohttp: a third of httpx's CPU per call (bot.telegram_http).
        request=AiohttpRequest(),
        get_updates_request=AiohttpRequest(1),
        rate_limiter=LaneRateLimiter(
            telegram.max_messages_per_second,
            telegram.reply_share,
            paid_broadcast=telegram.paid_broadcast,
            chat_rate=telegram.chat_messages_per_second,
        ),
        defaults=Defaults(
            parse_mode=ParseMode.HTML,
            link_preview_options=LinkPreviewOptions(is_disabled=True),
        ),
    )
    # No PTB updater in either mode: ours store each update in the inbox first.
    app = cast(
        LeadlineApp,
        ApplicationBuilder()
        .bot(bot)
        .updater(None)
        # Different people's updates at once, each person's in order (bot.ordering).
        .concurrent_updates(OrderedUpdateProcessor(telegram.concurrent_updates))
        .persistence(SqlPersistence(sessions, update_interval=PERSISTENCE_INTERVAL_SECONDS))
        .context_types(ContextTypes(context=LeadlineContext))
        .post_init(_post_init)
        .post_stop(_post_stop)
        .post_shutdown(_post_shutdown)
        .build(),
    )
    mailer = Mailer(settings.email)
    answering = AnswersInFlight()
    dispatcher = OutboxDispatcher(
        OutboxStore(sessions, daily_cap=settings.alerts.daily_cap),
        app.bot,
        mailer,
        utc_now,
        paid_broadcast=telegram.paid_broadcast,
        answering=answering,
    )
    inbox = InboxStore(sessions)
    receiver: Receiver
    if telegram.mode == "webhook":
        receiver = WebhookReceiver(
            app.bot,
            inbox,
            app.update_queue,
            utc_now,
            url=telegram.webhook_url,
            secret=telegram.webhook_secret.get_secret_value(),
            listen=telegram.webhook_listen,
            port=telegram.webhook_port,
        )
    else:
        receiver = InboxPoller(app.bot, inbox, app.update_queue, utc_now)
    app.bot_data["runtime"] = Runtime(
        engine=engine,
        dispatcher=dispatcher,
        receiver=receiver,
        nudges=settings.nudges,
        alerts=settings.alerts,
    )
    limits = settings.limits.limits()
    app.bot_data["services"] = Services(
        uow=lambda: SqlUnitOfWork(sessions, limits),
        clock=utc_now,
        notifier=notifier(frozenset(settings.admins.telegram_ids)),
        kick_outbox=dispatcher.kick,
        answering=answering,
        admin_ids=frozenset(settings.admins.telegram_ids),
        currency=settings.marketplace.currency,
        categories=tuple(settings.marketplace.categories),
        lead_minimums=settings.marketplace.lead_minimums(),
        service_fee_percent=settings.marketplace.service_fee_percent,
        payment_provider_token=settings.payments.provider_token.get_secret_value(),
        terms=load_terms(settings),
        gates=GATES,
    )
    register(app)
    return app


def _runtime(app: Application[Any, Any, Any, Any, Any, Any]) -> Runtime:
    return cast(Runtime, app.bot_data["runtime"])


async def _post_init(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    await app.bot.set_my_commands(BOT_COMMANDS)
    services = app.bot_data["services"]
    if services.categories:
        await sync_categories(services.uow(), list(services.categories))
    runtime = _runtime(app)
    if app.job_queue is not None:
        app.job_queue.run_repeating(forget_old_updates, interval=3600, first=60)
        # Nudges are derived from the database, so the first sweep right after a start
        # sends what fell due while the bot was stopped.
        app.job_queue.run_repeating(
            sweep_nudges,
            interval=runtime.nudges.sweep_interval,
            first=NUDGES_FIRST_SWEEP,
            data=runtime.nudges.timings(),
            name="nudges",
        )
        # Digests too: one that fell due while the bot was stopped goes out after the start.
        app.job_queue.run_repeating(
            send_digests,
            interval=runtime.alerts.digest_sweep_interval,
            first=NUDGES_FIRST_SWEEP,
            name="digests",
        )
    if runtime.dispatcher is not None:
        await runtime.dispatcher.start()
    if runtime.receiver is not None:
        await runtime.receiver.start()
    log.info("Leadline is running as @%s", app.bot.username)


async def _post_stop(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    runtime = _runtime(app)
    if runtime.receiver is not None:
        await runtime.receiver.stop()
    if runtime.dispatcher is not None:
        await runtime.dispatcher.stop()


async def _post_shutdown(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    await _runtime(app).engine.dispose()
