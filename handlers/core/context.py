"""The services handlers reach through ``context``, and the typed context itself."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol, cast

from telegram import Update
from telegram.ext import Application, CallbackContext

from domain.leads import LeadMinimums
from domain.ports import UnitOfWork
from domain.terms import TermsDocument
from handlers.core.notify import Notifier
from handlers.core.outgoing import AnswersInFlight, LeadlineBot

if TYPE_CHECKING:
    from handlers.core.turn import Turn

TURN_KEY = "leadline.turn"  # turn_state: the Turn of the update being handled


class TurnUnitOfWork(UnitOfWork, Protocol):
    """The unit of work of one update, with what the Telegram layer stores in it."""

    async def save_conversation(
        self, name: str, key: tuple[int, ...], state: object | None
    ) -> None: ...

    async def save_user_data(self, user_id: int, data: dict[str, Any]) -> None: ...

    def joined(self) -> UnitOfWork: ...

    def queued_outbox(self) -> bool: ...


# Runs before each handler, in its turn: True when it answered the update itself (the
# handler is then not called).
Gate = Callable[[Update, "LeadlineContext"], Awaitable[bool]]


@dataclass
class Services:
    """Long-lived collaborators, built by ``bot/`` and kept in (unpersisted) bot_data."""

    uow: Callable[[], TurnUnitOfWork]
    # The one clock (bot/ builds it): handlers and use cases are told the time.
    clock: Callable[[], datetime]
    # Turns the events a use case recorded into outbox rows.
    notifier: Notifier = field(default_factory=Notifier)
    kick_outbox: Callable[[], None] = lambda: None
    # Chats whose turn is replying; the outbox waits for them (handlers.core.outgoing).
    answering: AnswersInFlight = field(default_factory=AnswersInFlight)
    admin_ids: frozenset[int] = field(default_factory=frozenset)
    currency: str = "USD"
    categories: tuple[str, ...] = ()
    lead_minimums: LeadMinimums = field(default_factory=LeadMinimums)
    # Closing a contract: the platform's fee on top of the agreed amount, and the payment
    # provider's token (empty: buyers confirm paying per the agreed terms themselves).
    service_fee_percent: float = 10.0
    payment_provider_token: str = ""
    # The terms of service (marketplace.terms_file); an empty version asks nobody to accept.
    terms: TermsDocument = field(default_factory=lambda: TermsDocument("", ""))
    gates: tuple[Gate, ...] = ()


Data = dict[Any, Any]


class LeadlineContext(CallbackContext[LeadlineBot, Data, Data, Data]):
    def __init__(
        self, application: Any, chat_id: int | None = None, user_id: int | None = None
    ) -> None:
        super().__init__(application, chat_id, user_id)
        # What the update path keeps while one update is handled (see handlers.core.turn).
        self.turn_state: dict[str, object] = {}

    @property
    def services(self) -> Services:
        return cast(Services, self.bot_data["services"])

    @property
    def turn(self) -> Turn:
        """The update being handled: its unit of work, its user, its time (handlers.core.turn)."""
        turn = self.turn_state.get(TURN_KEY)
        assert turn is not None, "handlers run inside a turn"
        return cast("Turn", turn)

    def uow(self) -> UnitOfWork:
        """A unit of work of its own, for a scheduled job (an update has its turn's)."""
        assert TURN_KEY not in self.turn_state, "inside an update, use context.turn.uow"
        return self.services.uow()

    def now(self) -> datetime:
        return self.services.clock()


LeadlineApp = Application[Any, LeadlineContext, dict[Any, Any], dict[Any, Any], dict[Any, Any], Any]
