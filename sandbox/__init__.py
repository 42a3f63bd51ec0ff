"""Offline stand-in for Telegram: Bot API server, web chat page, SMTP sink, scripted users."""

from sandbox.errors import BotApiError, SandboxError, SandboxTimeout
from sandbox.models import (
    ApiError,
    CallbackQuery,
    Email,
    Message,
    MessageVersion,
    Payment,
    TapResult,
)
from sandbox.sandbox import Sandbox
from sandbox.simuser import SimUser

__all__ = [
    "ApiError",
    "BotApiError",
    "CallbackQuery",
    "Email",
    "Message",
    "MessageVersion",
    "Payment",
    "Sandbox",
    "SandboxError",
    "SandboxTimeout",
    "SimUser",
    "TapResult",
]
