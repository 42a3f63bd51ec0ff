"""The update path: every handler runs inside one turn.

A turn is one unit of work for one update. It marks the update handled in the same
transaction as everything the handler changes (so a re-delivery is recognised, and a
crash before the commit leaves the update to be handled again), loads the acting user
once, writes the conversation's new position and the user's flow data in that same
transaction (so a restart never resumes on a dead button), turns a ``DomainError`` into
one sentence, commits once, wakes the outbox if it queued anything, and only then talks
to Telegram: the button's answer first (exactly once), then the replies, each retried if
Telegram or the network fails for a moment. PTB has no middleware, so ``through_turns`` wraps every
registered callback, conversations included, when the handlers are registered.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
import json
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Coroutine, Iterable
from copy import deepcopy
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from html import escape
from time import monotonic
from typing import Any, TypeVar

from telegram import Update
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter
from telegram.ext import BaseHandler, ConversationHandler

from domain import accounts
from domain.accounts import TelegramIdentity
from domain.errors import DomainError, NotFound
from domain.model import User
from domain.ports import UnitOfWork
from handlers.core import texts
from handlers.core.context import TURN_KEY, LeadlineContext, TurnUnitOfWork
from handlers.core.flows import writing_in

log = logging.getLogger(__name__)

Callback = Callable[[Update, LeadlineContext], Coroutine[Any, Any, Any]]
BotCall = Callable[[], Awaitable[object]]

C = TypeVar("C")
R = TypeVar("R")
# How long a Bot API call is retried while Telegram or the network fails for a moment. A
# reply is still wanted half a minute late; a button's answer is refused by Telegram once the
# press is about 15 s old (after a restart, say), so it is not worth retrying past that.
REPLY_PATIENCE = 30.0
ANSWER_PATIENCE = 15.0
# The longest the outbox waits for a turn's replies to one chat: the turn and the patience
# of its answer and of one reply; past it something is stuck, and the outbox goes on.
TURN_PATIENCE = 60.0
# The longest a turn's replies wait for the poller to confirm its update to Telegram: the
# poller does so as soon as the batch is in the database, so this only bounds a stuck one.
CONFIRM_PATIENCE = 5.0
# Waits between attempts: 0.5, 1, 2, then every 3 s (an outage ends, the reply follows soon).
FIRST_BACKOFF, MAX_BACKOFF = 0.5, 3.0
STALE_QUERY = ("query is too old", "query id is invalid")
CLAIMED_KEY = "leadline.claimed"


@dataclass
class Answer:
    text: str | None = None
    alert: bool = False


@dataclass
class Turn:
    """What one update's handling holds: its transaction, its user, what it will say."""

    uow: TurnUnitOfWork
    user: User | None
    now: datetime
    answer: Answer | None = None
    calls: list[BotCall] = field(default_factory=list)

    @property
    def actor(self) -> User:
        """The user acting, who must have started with /start."""
        if self.user is None:
            raise NotFound(texts.UNKNOWN_USER)
        return self.user

    async def run(
        self, use_case: Callable[[UnitOfWork, User, C, datetime], Awaitable[R]], command: C
    ) -> R:
        """Calls one use case in this turn, as the acting user."""
        return await use_case(self.uow, self.actor, command, self.now)

    async def attempt(
        self, use_case: Callable[[UnitOfWork, User, C, datetime], Awaitable[R]], command: C
    ) -> R:
        """Like ``run``, for a handler that catches the use case's DomainError and goes on:
        a failure takes back only what this use case wrote (a savepoint)."""
        async with self.uow.joined() as uow:
            result = await use_case(uow, self.actor, command, self.now)
            await uow.commit()
            return result

    def say_later(self, call: BotCall) -> None:
        """Queues a Bot API call for after the commit, in order."""
        self.calls.append(call)

    def answer_button(self, text: str | None = None, alert: bool = False) -> None:
        """Sets the button's answer: the first one with words wins over a silent one."""
        if self.answer is None or (self.answer.text is None and text is not None):
            self.answer = Answer(text, alert)


# Keys of updates in flight, by object: the inbox's key is the one to mark handled, even
# for an update rebuilt from its stored form after a restart. The entry holds the update
# itself: an update that never finishes (still queued when the app stopped, or its turn
# died) keeps its entry, and while it does no other object can be given its id, which
# would hand that object the dead update's key (and the inbox would drop it as a repeat).
_keys_in_flight: dict[int, tuple[Update, str]] = {}


def update_key(update: Update, payload: dict[str, Any] | None = None) -> str:
    """The update id plus a digest of its content: a re-delivery has both the same.
    ``payload`` is ``update.to_dict()`` when the caller has it already."""
    known = _keys_in_flight.get(id(update))
    if known is not None and known[0] is update:
        return known[1]
    payload = update.to_dict() if payload is None else payload
    content = json.dumps(payload, sort_keys=True, default=str)
    return f"{update.update_id}:{hashlib.sha256(content.encode()).hexdigest()[:32]}"


def expect(update: Update, key: str) -> None:
    """Notes the inbox key of an update about to be handled."""
    _keys_in_flight[id(update)] = (update, key)


@dataclass
class Handover:
    """An update the poller handed to the handlers before storing it: the turn says when
    the database records it as handled; the poller says when it confirms it to Telegram."""

    recorded: asyncio.Future[None]
    confirmed: asyncio.Future[None]


# By inbox key, while the poller has not yet confirmed the update to Telegram.
_handovers: dict[str, Handover] = {}


def hand_over(key: str) -> Handover:
    """Notes that the poller waits for this update's turn, and the turn for the poller."""
    handover = _handovers.get(key)
    if handover is None:
        loop = asyncio.get_running_loop()
        handover = _handovers[key] = Handover(loop.create_future(), loop.create_future())
    return handover


def confirmed(key: str) -> None:
    """The poller is telling Telegram it has the update (the next getUpdates' offset)."""
    handover = _handovers.pop(key, None)
    if handover is not None and not handover.confirmed.done():
        handover.confirmed.set_result(None)


def _recorded(key: str) -> None:
    """The update's turn committed (or found it handled before)."""
    handover = _handovers.get(key)
    if handover is not None and not handover.recorded.done():
        handover.recorded.set_result(None)


# Buttons this process has answered, by inbox key, the latest few thousand: Telegram may send
# an update again that the restart's replay already handled and answered.
_answered: OrderedDict[str, None] = OrderedDict()
ANSWERED_REMEMBERED = 10_000


def _remember_answered(key: str) -> None:
    _answered[key] = None
    if len(_answered) > ANSWERED_REMEMBERED:
        _answered.popitem(last=False)


async def _until_confirmed(update: Update, key: str) -> None:
    """For a button, waits before answering until the poller confirms the update: had the
    process died after the answer but before that, Telegram would send the update again and
    the button would be answered twice (a repeat's replies are not sent again; its answer
    is, for the turn that died before giving it)."""
    handover = _handovers.get(key)
    if handover is not None and update.callback_query is not None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.shield(handover.confirmed), CONFIRM_PATIENCE)


def current(context: LeadlineContext) -> Turn | None:
    """The turn the update being handled is in, if any."""
    turn = context.turn_state.get(TURN_KEY)
    return turn if isinstance(turn, Turn) else None


def claimed(context: LeadlineContext) -> bool:
    """True once a turn has handled (or skipped) this context's update."""
    return bool(context.turn_state.get(CLAIMED_KEY))


def in_turn(callback: Callback, conversation: str | None = None) -> Callback:
    """Wraps a handler callback so that it runs as one turn (nested calls join it)."""

    @functools.wraps(callback)
    async def turn(update: Update, context: LeadlineContext) -> Any:
        if current(context) is not None:
            return await callback(update, context)
        return await _run(callback, conversation, update, context)

    turn.on_update_path = True  # type: ignore[attr-defined]
    return turn


def on_update_path(callback: object) -> bool:
    """True for a callback wrapped by ``in_turn``."""
    return bool(getattr(callback, "on_update_path", False))


async def _run(
    callback: Callback, conversation: str | None, update: Update, context: LeadlineContext
) -> Any:
    services = context.services
    key = update_key(update)
    now = services.clock()
    context.turn_state[CLAIMED_KEY] = True
    chat = update.effective_chat
    # From before the commit until the replies are out, the outbox holds what this turn
    # queued for the same chat: the answer to the person's action comes first.
    with services.answering.answering(chat.id) if chat else contextlib.nullcontext():
        async with services.uow() as uow:
            handled = await _handle(callback, conversation, update, context, uow, key, now)
        await _until_confirmed(update, key)
        if handled is None:
            # A repeat: answered (its button, say) once the transaction is over, like any other.
            log.info("Skipping update %s: it was handled before", update.update_id)
            if key not in _answered:
                # The turn that handled it may have died before answering its button.
                await _deliver(update, Turn(uow, None, now))
                if update.callback_query is not None:
                    _remember_answered(key)  # a further copy finds it answered
            return None
        turn, result = handled
        if uow.queued_outbox():
            services.kick_outbox()
        await _deliver(update, turn)
        if update.callback_query is not None:
            _remember_answered(key)
        return result


async def _handle(
    callback: Callback,
    conversation: str | None,
    update: Update,
    context: LeadlineContext,
    uow: TurnUnitOfWork,
    key: str,
    now: datetime,
) -> tuple[Turn, Any] | None:
    """The transaction of one update; None when the update was handled before."""
    if not await uow.updates.mark_handled(key, now):
        _recorded(key)  # recorded before
        return None
    sender = update.effective_user
    user = await uow.users.get_by_telegram_id(sender.id) if sender else None
    if user is not None and sender is not None:
        # The name others see follows the Telegram account's; whoever writes is reachable.
        who = TelegramIdentity(sender.id, sender.first_name, sender.username)
        user = await accounts.open_account(uow, who, now, known=user)
    turn = Turn(uow, user, now)
    flow_data = deepcopy(context.user_data) if context.user_data is not None else None
    context.turn_state[TURN_KEY] = turn
    try:
        result = None if await _gated(update, context) else await callback(update, context)
        await context.services.notifier.publish(
            uow, uow.collect_events(), now, context.bot.username
        )
        await _save_position(uow, conversation, update, context, result, flow_data)
        await _save_presence(uow, turn.user, context, flow_data)
        await uow.commit()
        _recorded(key)
    except DomainError as error:
        # Nothing the handler wrote stays; the update still counts as handled.
        await _close_after_failure(uow, key, now)
        _restore(context, flow_data)
        result, turn.calls = None, []
        _tell(update, context, turn, error.sentence)
    except Exception:
        # A bug: handling it again after a restart would fail the same way.
        await _close_after_failure(uow, key, now)
        _restore(context, flow_data)
        raise
    finally:
        context.turn_state.pop(TURN_KEY, None)
    return turn, result


async def _gated(update: Update, context: LeadlineContext) -> bool:
    """True when a gate (accept the new terms first, say) answered the update instead of
    the handler."""
    for gate in context.services.gates:
        if await gate(update, context):
            return True
    return False


async def _close_after_failure(uow: TurnUnitOfWork, key: str, now: datetime) -> None:
    await uow.rollback()
    await uow.updates.mark_handled(key, now)
    await uow.commit()
    _recorded(key)


def _restore(context: LeadlineContext, flow_data: dict[Any, Any] | None) -> None:
    """Takes back the flow data a failed handler changed."""
    if context.user_data is not None and flow_data is not None:
        context.user_data.clear()
        context.user_data.update(flow_data)


def _tell(update: Update, context: LeadlineContext, turn: Turn, sentence: str) -> None:
    """A rule the user broke: an alert on the button, or one sentence in the chat."""
    if update.callback_query is not None:
        turn.answer = Answer(sentence, alert=True)
        return
    chat = update.effective_chat
    if chat is None or update.effective_message is None:
        return
    bot = context.bot
    turn.say_later(lambda: bot.send_text(chat.id, escape(sentence)))


async def _save_position(
    uow: TurnUnitOfWork,
    conversation: str | None,
    update: Update,
    context: LeadlineContext,
    result: object,
    flow_data: dict[Any, Any] | None,
) -> None:
    """Stores where the user is now, with the change that brought them there."""
    user, chat = update.effective_user, update.effective_chat
    if user is None:
        return
    if conversation is not None and chat is not None and result is not None:
        ended = result == ConversationHandler.END
        await uow.save_conversation(conversation, (chat.id, user.id), None if ended else result)
    if context.user_data is not None and context.user_data != flow_data:
        await uow.save_user_data(user.id, deepcopy(context.user_data))


async def _save_presence(
    uow: TurnUnitOfWork,
    user: User | None,
    context: LeadlineContext,
    flow_data: dict[Any, Any] | None,
) -> None:
    """Mirrors the thread the user is writing in (their flow data says) into the database,
    where the other side's relay reads it."""
    if user is None or user.id is None or context.user_data is None:
        return
    if context.user_data == flow_data:
        return
    thread = writing_in(context.user_data)
    if thread != user.writing_in:
        await uow.users.set_writing_in(user.id, thread)
        user.writing_in = thread


async def _deliver(update: Update, turn: Turn) -> None:
    """Answers the button (once, even with nothing to say), then sends the replies in order."""
    query = update.callback_query
    if query is not None:
        answer = turn.answer or Answer()
        await _send(
            lambda: query.answer(answer.text, show_alert=answer.alert), "answer", ANSWER_PATIENCE
        )
    for call in turn.calls:
        if not await _send(call, "reply", REPLY_PATIENCE):
            break


async def _send(call: BotCall, what: str, patience: float) -> bool:
    """Makes one Bot API call, retried with backoff for up to ``patience`` seconds while
    Telegram or the network fails; False when the chat cannot be reached at all."""
    deadline = monotonic() + patience
    attempt = 0
    while True:
        attempt += 1
        try:
            await call()
            return True
        except RetryAfter as error:
            wait = error.retry_after
            seconds = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
            failure: Exception = error
        except Forbidden as error:
            log.info("Could not send a %s: %s", what, error.message)
            return False
        except BadRequest as error:
            if "not modified" not in error.message and not any(
                stale in error.message.lower() for stale in STALE_QUERY
            ):
                log.error("Telegram refused a %s: %s", what, error.message)
            return True
        except NetworkError as error:
            seconds, failure = min(FIRST_BACKOFF * 2 ** (attempt - 1), MAX_BACKOFF), error
        if monotonic() + seconds > deadline:
            log.error("Gave up sending a %s after %d attempts: %s", what, attempt, failure)
            return True
        await asyncio.sleep(seconds)


def through_turns(handlers: Iterable[BaseHandler[Any, Any, Any]]) -> None:
    """Puts every callback (conversation steps included) on the update path."""
    for handler in handlers:
        if isinstance(handler, ConversationHandler):
            name = handler.name
            for step in _steps(handler):
                step.callback = in_turn(step.callback, name)
        else:
            handler.callback = in_turn(handler.callback)


def _steps(conversation: ConversationHandler[Any]) -> list[BaseHandler[Any, Any, Any]]:
    steps = list(conversation.entry_points) + list(conversation.fallbacks)
    for handlers in conversation.states.values():
        steps.extend(handlers)
    return steps


async def close_unclaimed(update: Update, context: LeadlineContext) -> None:
    """Last handler of every update: one no turn claimed is marked handled all the same."""
    try:
        if not claimed(context):
            await in_turn(_nothing)(update, context)
    finally:
        _keys_in_flight.pop(id(update), None)


async def _nothing(update: Update, context: LeadlineContext) -> None:
    """Nothing to do for this update."""
