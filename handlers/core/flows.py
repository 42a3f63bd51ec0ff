"""Which flow a user is in: starting one flow sets aside any other left unfinished.

PTB keeps one state per conversation, so a flow abandoned mid-way (a lead half written,
an offer not sent) would otherwise take the user's next messages even after they moved
on. Each flow's message handlers carry ``flows.only(name)``, true only while that flow is
the user's latest; the latest is kept in (persisted) user_data, which ``Flows`` reads from
the Application it was made for.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from telegram import Update
from telegram.ext import filters

from handlers.core.context import LeadlineContext

FLOW = "flow"  # user_data key: the name of the flow the user entered last
CHAT, THREAD = "chat", "chat_thread"  # the relayed chat's flow, and the thread it is in

UserData = Mapping[int, Mapping[str, Any]]


class _ActiveFlow(filters.UpdateFilter):
    """True while ``name`` is the flow the update's user entered last (or none is known)."""

    def __init__(self, user_data: UserData, name: str) -> None:
        super().__init__(name=f"in_flow({name})")
        self._user_data = user_data
        self.flow = name

    def filter(self, update: Update) -> bool:
        user = update.effective_user
        if user is None:
            return True
        return bool(self._user_data.get(user.id, {}).get(FLOW, self.flow) == self.flow)


class Flows:
    """Makes the "only in this flow" filters of one Application."""

    def __init__(self, user_data: UserData) -> None:
        self._user_data = user_data

    def only(self, name: str) -> filters.UpdateFilter:
        return _ActiveFlow(self._user_data, name)


def enter(context: LeadlineContext, name: str) -> None:
    """Makes ``name`` the user's current flow (called by each flow's entry points)."""
    if context.user_data is not None:
        context.user_data[FLOW] = name


def writing_in(user_data: Mapping[str, Any] | None) -> int | None:
    """The thread the user is writing in: the chat is their latest flow, on that thread.

    The update path mirrors it into the database whenever it changes, so that whoever
    writes to them knows they read it live (domain/relay.py)."""
    if not user_data or user_data.get(FLOW) != CHAT:
        return None
    thread = user_data.get(THREAD)
    return int(thread) if thread else None
