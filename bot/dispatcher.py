"""Delivers the outbox in the background: paced, retried with backoff, never lost."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import smtplib
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime, timedelta

from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.mailer import Mailer, PermanentMailError
from domain.model import OutboxKind
from handlers.core import outgoing, texts
from handlers.core.outgoing import AnswersInFlight, LeadlineBot
from handlers.core.turn import TURN_PATIENCE
from storage.outbox import Delivery, OutboxStore

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 12
FANOUT_BATCH = 500
IDLE_POLL_SECONDS = 1.0
PARALLEL_CHATS = 8
# A clean stop waits this long for the messages being sent to be sent and marked.
STOP_PATIENCE = 10.0
# Bulk messages claimed at once: about a second of them at Telegram's pace, because the next
# claim waits for the whole batch, and an answer to a person written meanwhile (a relayed
# message, a bid) is claimed only then.
BULK_CLAIM = 16


def backoff(attempts: int) -> timedelta:
    """2, 4, 8 … seconds, at most ten minutes."""
    return timedelta(seconds=min(2**attempts, 600))


class OutboxDispatcher:
    def __init__(
        self,
        store: OutboxStore,
        bot: LeadlineBot,
        mailer: Mailer,
        clock: Callable[[], datetime],
        *,
        paid_broadcast: bool = False,
        answering: AnswersInFlight | None = None,
    ) -> None:
        self._store, self._bot, self._mailer, self._clock = store, bot, mailer, clock
        # Chats a turn is replying to: their outbox messages wait for those replies.
        self._answering = answering or AnswersInFlight()
        # telegram.paid_broadcast: bulk messages are paid broadcasts (bot/lanes.py).
        self._paid = paid_broadcast
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._slots = asyncio.Semaphore(PARALLEL_CHATS)
        self._stopping = False

    def kick(self) -> None:
        """Wakes the dispatcher at once; use cases just committed something to deliver."""
        self._wake.set()

    async def start(self) -> None:
        """Takes back what a stopped process was sending, then starts delivering."""
        taken = await self._store.take_back()
        if taken:
            log.info("Taking back %d outbox message(s) the last run was sending", taken)
        self._task = asyncio.create_task(self._run(), name="outbox-dispatcher")

    async def stop(self) -> None:
        """Stops once the messages being sent are sent and marked so (cut between Telegram's
        answer and the mark, a message would go again after the restart); those not begun
        stay claimed, and the next start takes them back. Cancels after ``STOP_PATIENCE``."""
        if self._task is not None:
            self._stopping = True
            self._wake.set()
            with contextlib.suppress(TimeoutError, asyncio.CancelledError):
                await asyncio.wait_for(asyncio.shield(self._task), STOP_PATIENCE)
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        while not self._stopping:
            try:
                delivered = await self.deliver_due()
            except Exception:
                log.exception("The outbox dispatcher failed; retrying shortly")
                delivered = 0
            if delivered or self._stopping:
                continue
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), IDLE_POLL_SECONDS)

    async def deliver_due(self) -> int:
        """Claims what is due and delivers it; messages to one chat keep their order."""
        batch = await self._store.claim(self._clock(), bulk_limit=BULK_CLAIM)
        by_recipient: dict[tuple[OutboxKind, str], list[Delivery]] = defaultdict(list)
        for delivery in batch:
            by_recipient[(delivery.kind, delivery.recipient)].append(delivery)
        await asyncio.gather(*(self._deliver_in_order(items) for items in by_recipient.values()))
        return len(batch)

    async def _deliver_in_order(self, deliveries: list[Delivery]) -> None:
        async with self._slots:
            for index, delivery in enumerate(deliveries):
                if self._stopping:
                    return  # still claimed: the next start takes it back
                retry_at = await self._deliver(delivery)
                if retry_at is not None:
                    # Keep the chat's order: later messages wait as long as the one that failed.
                    for later in deliveries[index + 1 :]:
                        await self._store.retry_later(later.id, retry_at, "waiting its turn")
                    return

    async def _deliver(self, delivery: Delivery) -> datetime | None:
        """Sends one message; returns when to try again, or None once it is done with."""
        try:
            if delivery.kind is OutboxKind.ALERT_FANOUT:
                return await self._expand(delivery)
            if delivery.kind is OutboxKind.ANNOUNCEMENT:
                return await self._expand_announcement(delivery)
            if delivery.kind is OutboxKind.EMAIL:
                await self._send_email(delivery)
            else:
                sent = await self._send_telegram(delivery)
                if delivery.relay_message_id is not None and sent is not None:
                    await self._store.record_relay(delivery.relay_message_id, sent)
        except RetryAfter as error:
            wait = error.retry_after
            seconds = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
            at = self._clock() + timedelta(seconds=seconds)
            await self._store.retry_later(delivery.id, at, str(error))
            return at
        except Forbidden as error:
            log.info("Chat %s is unreachable: %s", delivery.recipient, error.message)
            await self._store.mark_chat_unreachable(int(delivery.recipient))
            await self._store.give_up(delivery.id, "unreachable", error.message)
            return None
        except BadRequest as error:
            if "not modified" in error.message:
                # An edit that changes nothing: what the recipient sees is already right.
                await self._store.mark_sent(delivery.id, self._clock())
                return None
            log.error("Outbox message %s was refused: %s", delivery.id, error)
            await self._store.give_up(delivery.id, "failed", str(error))
            return None
        except PermanentMailError as error:
            log.error("The mail server refused outbox message %s: %s", delivery.id, error)
            await self._give_up_email(delivery, str(error))
            return None
        except (NetworkError, TelegramError, OSError, smtplib.SMTPException) as error:
            if delivery.attempts >= MAX_ATTEMPTS:
                log.error("Outbox message %s failed %s times: %s", delivery.id, MAX_ATTEMPTS, error)
                if delivery.kind is OutboxKind.EMAIL:
                    await self._give_up_email(delivery, str(error))
                else:
                    await self._store.give_up(delivery.id, "failed", str(error))
                return None
            if delivery.attempts == 1:
                log.warning(
                    "Could not deliver outbox message %s (%s to %s): %s; retrying with backoff.",
                    delivery.id,
                    delivery.kind.value,
                    delivery.recipient,
                    error,
                )
            at = self._clock() + backoff(delivery.attempts)
            await self._store.retry_later(delivery.id, at, str(error))
            return at
        await self._store.mark_sent(delivery.id, self._clock())
        return None

    async def _give_up_email(self, delivery: Delivery, error: str) -> None:
        """Stops retrying an email and tells its user, so nobody waits for it in vain."""
        await self._store.give_up(delivery.id, "failed", error)
        if delivery.user_id is not None:
            notice = outgoing.text(texts.email_undeliverable(delivery.recipient))
            await self._store.tell_user(delivery.user_id, notice, self._clock())
            self.kick()

    async def _expand(self, delivery: Delivery) -> datetime | None:
        """Queues the next batch of a lead's alerts; done once none are left."""
        now = self._clock()
        if await self._store.expand_alerts(delivery, now, FANOUT_BATCH) == FANOUT_BATCH:
            await self._store.retry_later(delivery.id, now, "more alerts to queue")
            self.kick()
            return now
        await self._store.mark_sent(delivery.id, now)
        self.kick()
        return None

    async def _expand_announcement(self, delivery: Delivery) -> datetime | None:
        """Queues the next batch of an announcement; done once everyone has theirs."""
        now = self._clock()
        if await self._store.expand_announcement(delivery, now, FANOUT_BATCH) == FANOUT_BATCH:
            await self._store.retry_later(delivery.id, now, "more announcements to queue")
            self.kick()
            return now
        await self._store.mark_sent(delivery.id, now)
        self.kick()
        return None

    async def _send_email(self, delivery: Delivery) -> None:
        payload = delivery.payload
        await self._mailer.send(
            delivery.recipient,
            str(payload["subject"]),
            str(payload["text"]),
            str(payload.get("html", "")),
        )

    async def _send_telegram(self, delivery: Delivery) -> int | None:
        await self._answering.wait(int(delivery.recipient), TURN_PATIENCE)
        try:
            return await outgoing.send(
                self._bot,
                int(delivery.recipient),
                delivery.payload,
                bulk=delivery.bulk,
                paid=self._paid,
            )
        except (KeyError, ValueError) as error:
            raise BadRequest(f"Malformed outbox payload: {error}") from error
