"""The update path: every handler runs in a turn; replies are retried, never repeated."""

from __future__ import annotations

import asyncio
import logging

import pytest
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import BaseHandler, ConversationHandler

from bot.app import build_application
from bot.settings import Settings
from handlers.core import turn
from handlers.core.turn import Answer, Turn, on_update_path


def _callbacks(handler: BaseHandler[object, object, object]) -> list[object]:
    if isinstance(handler, ConversationHandler):
        steps = [*handler.entry_points, *handler.fallbacks]
        for handlers in handler.states.values():
            steps.extend(handlers)
        return [callback for step in steps for callback in _callbacks(step)]
    return [handler.callback]


def test_every_registered_handler_runs_in_a_turn() -> None:
    settings = Settings.model_validate(
        {"telegram": {"token": "1:T"}, "database": {"url": "sqlite+aiosqlite://"}}
    )
    app = build_application(settings)
    group = app.handlers[0]
    callbacks = [callback for handler in group for callback in _callbacks(handler)]
    assert len(callbacks) > 50
    unwrapped = [c for c in callbacks if not on_update_path(c)]
    assert unwrapped == []


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Waits are recorded and pass at once, on a clock of their own."""
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    monkeypatch.setattr(asyncio, "sleep", sleep)
    monkeypatch.setattr(turn, "monotonic", lambda: sum(waits))
    return waits


class Flaky:
    """A Bot API call that fails with ``errors`` (in order) before it goes through."""

    def __init__(self, *errors: Exception) -> None:
        self.errors = list(errors)
        self.calls = 0

    async def __call__(self) -> object:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return True


async def test_a_reply_is_retried_through_bad_gateways_and_timeouts(
    no_waiting: list[float],
) -> None:
    call = Flaky(NetworkError("Bad Gateway"), TimedOut(), NetworkError("Bad Gateway"))
    assert await turn._send(call, "reply", turn.REPLY_PATIENCE)
    assert call.calls == 4
    assert no_waiting == [0.5, 1.0, 2.0]


async def test_a_flood_limit_waits_as_long_as_telegram_asks(no_waiting: list[float]) -> None:
    call = Flaky(RetryAfter(3))
    assert await turn._send(call, "reply", turn.REPLY_PATIENCE)
    assert call.calls == 2 and no_waiting == [3.0]


async def test_a_reply_is_given_up_after_half_a_minute(
    no_waiting: list[float], caplog: pytest.LogCaptureFixture
) -> None:
    call = Flaky(*[NetworkError("Bad Gateway")] * 100)
    with caplog.at_level(logging.ERROR):
        await turn._send(call, "reply", turn.REPLY_PATIENCE)
    assert 25 <= sum(no_waiting) <= turn.REPLY_PATIENCE
    assert "Gave up sending a reply" in caplog.text
    answer = Flaky(*[NetworkError("Bad Gateway")] * 100)
    no_waiting.clear()
    await turn._send(answer, "answer", turn.ANSWER_PATIENCE)
    assert sum(no_waiting) <= turn.ANSWER_PATIENCE


async def test_refusals_are_not_retried(caplog: pytest.LogCaptureFixture) -> None:
    blocked = Flaky(Forbidden("Forbidden: bot was blocked by the user"))
    assert not await turn._send(blocked, "reply", turn.REPLY_PATIENCE)
    assert blocked.calls == 1
    old = Flaky(BadRequest("Query is too old and response timeout expired or query id is invalid"))
    with caplog.at_level(logging.ERROR):
        assert await turn._send(old, "answer", turn.ANSWER_PATIENCE)
    # (Only the turn's own errors: other tests' background tasks may log meanwhile.)
    errors = [r for r in caplog.records if r.name == turn.__name__ and r.levelno >= logging.ERROR]
    assert old.calls == 1 and errors == []


def test_a_button_answer_with_words_wins_over_a_silent_one() -> None:
    pressed = Turn(uow=None, user=None, now=None)  # type: ignore[arg-type]
    pressed.answer_button()
    pressed.answer_button("Hired!")
    pressed.answer_button("Something else")
    assert pressed.answer == Answer("Hired!", alert=False)
