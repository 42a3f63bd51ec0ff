"""Exceptions shared by the sandbox modules."""

from __future__ import annotations

from typing import Any


class BotApiError(Exception):
    """An error answered to the bot exactly as Telegram would word it."""

    def __init__(
        self, error_code: int, description: str, parameters: dict[str, Any] | None = None
    ) -> None:
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.parameters = parameters


def bad_request(detail: str) -> BotApiError:
    return BotApiError(400, f"Bad Request: {detail}")


def forbidden(detail: str) -> BotApiError:
    return BotApiError(403, f"Forbidden: {detail}")


class EntityParseError(Exception):
    """Raised by the text parsers; the API layer prefixes "can't parse entities"."""


class SandboxError(Exception):
    """The Python scripting API was used in a way the simulated world cannot honour."""


class SandboxTimeout(AssertionError):
    """A wait ran out; an AssertionError so pytest shows the helpful message as a failure."""


class PortInUse(SandboxError):
    """Another program (another sandbox, say) listens on the port asked for."""

    def __init__(self, host: str, port: int) -> None:
        super().__init__(f"Port {port} on {host} is already in use")
        self.host, self.port = host, port
