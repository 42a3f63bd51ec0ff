"""Which flow a user is in: starting one flow sets aside any other left unfinished.

PTB keeps one state per conversation, so a flow abandoned mid-way (a lead half written,
an offer not sent) would otherwise take the user's next messages even after they moved
on. Each flow's message handlers carry ``in_flow(name)``, true only while that flow is
the user's latest; the latest is kept in (persisted) user_data.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from telegram import Update
from telegram.ext import filters

from handlers.core.context import LeadlineContext

FLOW = "flow"  # user_data key: the name of the flow the user entered last


class _ActiveFlow(filters.UpdateFilter):
    """True while ``name`` is the flow the update's user entered last (or none is known)."""

    # Bound to the Application's user_data when handlers are registered.
    user_data: Mapping[int, Mapping[str, Any]] = {}

    def __init__(self, name: str) -> None:
        super().__init__(name=f"in_flow({name})")
        self.flow = name

    def filter(self, update: Update) -> bool:
        user = update.effective_user
        if user is None:
            return True
        return bool(self.user_data.get(user.id, {}).get(FLOW, self.flow) == self.flow)


def bind(user_data: Mapping[int, Mapping[str, Any]]) -> None:
    _ActiveFlow.user_data = user_data


def in_flow(name: str) -> filters.UpdateFilter:
    return _ActiveFlow(name)


def enter(context: LeadlineContext, name: str) -> None:
    """Makes ``name`` the user's current flow (called by each flow's entry points)."""
    if context.user_data is not None:
        context.user_data[FLOW] = name
