"""What happened, as the use cases record it; the Telegram layer decides who hears of it.

A use case records events on its unit of work (``uow.record``); when the update's
transaction is about to commit, a notifier turns each event into outbox rows in that same
transaction, so the news and the change it reports are written together or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Event:
    """Base of every domain event."""
