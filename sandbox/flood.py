"""Token-bucket flood control resembling Telegram's limits for bots."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

from sandbox.errors import BotApiError


@dataclass
class _Bucket:
    tokens: float
    stamp: float = field(default_factory=time.monotonic)

    def refill(self, rate: float, burst: float, now: float) -> None:
        self.tokens = min(burst, self.tokens + (now - self.stamp) * rate)
        self.stamp = now


class FloodLimiter:
    """Off by default so tests that do not care about pacing stay fast."""

    def __init__(self) -> None:
        self.enabled = False
        self.per_chat_rate = 1.0
        self.per_chat_burst = 3.0
        self.global_rate = 30.0
        self.global_burst = 30.0
        self._chats: dict[int, _Bucket] = {}
        self._global = _Bucket(self.global_burst)

    def configure(
        self,
        enabled: bool,
        *,
        per_chat_rate: float = 1.0,
        per_chat_burst: float = 3.0,
        global_rate: float = 30.0,
        global_burst: float = 30.0,
    ) -> None:
        self.enabled = enabled
        self.per_chat_rate, self.per_chat_burst = per_chat_rate, per_chat_burst
        self.global_rate, self.global_burst = global_rate, global_burst
        self._chats.clear()
        self._global = _Bucket(global_burst)

    def check(self, chat_id: int) -> None:
        """Consume one message for chat_id or raise 429 with the wait Telegram would ask."""
        if not self.enabled:
            return
        now = time.monotonic()
        chat = self._chats.setdefault(chat_id, _Bucket(self.per_chat_burst, now))
        chat.refill(self.per_chat_rate, self.per_chat_burst, now)
        self._global.refill(self.global_rate, self.global_burst, now)
        waits = []
        if chat.tokens < 1:
            waits.append((1 - chat.tokens) / self.per_chat_rate)
        if self._global.tokens < 1:
            waits.append((1 - self._global.tokens) / self.global_rate)
        if waits:
            retry_after = max(1, math.ceil(max(waits)))
            raise BotApiError(
                429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after}
            )
        chat.tokens -= 1
        self._global.tokens -= 1
