"""A Bot API outage on demand: Telegram's front answers 5xx for a while, as it sometimes does."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from http import HTTPStatus

from sandbox.models import JSON

UPDATES_METHOD = "getupdates"


@dataclass(frozen=True)
class FailedRequest:
    """A Bot API call the sandbox failed on purpose (not a rule the bot broke)."""

    method: str
    status: int
    time: float


@dataclass
class Outage:
    """Off by default. While on, the chosen methods answer ``status`` and do nothing."""

    status: int = 0
    until: float = 0.0
    methods: frozenset[str] | None = None  # lower-case names; None: every method
    get_updates: bool = False
    failed: list[FailedRequest] = field(default_factory=list)

    def start(
        self,
        status: int,
        seconds: float | None,
        methods: Iterable[str] | None,
        get_updates: bool,
    ) -> None:
        if not 500 <= status <= 599:
            raise ValueError(f"an outage answers a 5xx status, not {status}")
        self.status = status
        self.until = float("inf") if seconds is None else time.monotonic() + seconds
        self.methods = None if methods is None else frozenset(m.lower() for m in methods)
        self.get_updates = get_updates

    def end(self) -> None:
        self.until = 0.0

    @property
    def active(self) -> bool:
        return time.monotonic() < self.until

    def hits(self, method: str) -> bool:
        """Whether a call of ``method`` fails now (and is counted as failed)."""
        name = method.lower()
        if not self.active:
            return False
        if name == UPDATES_METHOD:
            hit = self.get_updates
        else:
            hit = self.methods is None or name in self.methods
        if hit:
            self.failed.append(FailedRequest(method, self.status, time.time()))
        return hit

    def body(self) -> JSON:
        try:
            description = HTTPStatus(self.status).phrase
        except ValueError:
            description = "Internal Server Error"
        return {"ok": False, "error_code": self.status, "description": description}
