"""The one gate in front of every action: a signed-up user who has not accepted the current
terms of service accepts them first. Their own data stays in reach — /profile, /dashboard,
/messages and the cards they open — and so do /terms, /help, /menu and Contact Us.

Called by the update path (``handlers.core.turn``) before each handler, with the acting user
already loaded, so it costs no query.
"""

from __future__ import annotations

from telegram import Update

from handlers.chat.buttons import ThreadOpen, ThreadPage, ThreadTranscript
from handlers.contact.buttons import CONTACT
from handlers.core.callbacks import Button
from handlers.core.common import answer_query, say
from handlers.core.context import LeadlineContext
from handlers.core.flows import FLOW
from handlers.dashboard.buttons import DASHBOARD
from handlers.menu.buttons import (
    MenuContact,
    MenuDashboard,
    MenuHelp,
    MenuMessages,
    MenuOpen,
    MenuProfile,
)
from handlers.terms import texts, views
from handlers.terms.buttons import TERMS
from handlers.terms.flow import must_accept

# Reading one's own data, the terms, help, and writing to (or answering from) Contact Us.
OPEN_COMMANDS = frozenset(
    {
        "start",
        "menu",
        "help",
        "terms",
        "contact",
        "cancel",
        "done",
        "profile",
        "dashboard",
        "messages",
        "mydata",
    }
)
OPEN_AREAS = frozenset({TERMS, CONTACT, DASHBOARD})
OPEN_BUTTONS: tuple[type[Button], ...] = (
    MenuOpen,
    MenuHelp,
    MenuProfile,
    MenuDashboard,
    MenuMessages,
    MenuContact,
    ThreadOpen,
    ThreadPage,
    ThreadTranscript,
)
# Flows whose plain messages are not actions on the marketplace.
OPEN_FLOWS = frozenset({"contact", "contact_reply"})


def _open(update: Update, context: LeadlineContext) -> bool:
    """Whether this update may go on before the new terms are accepted."""
    query = update.callback_query
    if query is not None:
        pressed = Button.decode(query.data)
        if pressed is None:
            return True  # a stale button: its own sentence
        return pressed.area in OPEN_AREAS or isinstance(pressed, OPEN_BUTTONS)
    message = update.message
    if message is None or message.successful_payment is not None:
        # Edits, inline searches, payments Telegram has taken, chat member changes.
        return True
    text = message.text or ""
    if text.startswith("/"):
        command = text[1:].split(maxsplit=1)[0].partition("@")[0].lower() if text[1:] else ""
        return command in OPEN_COMMANDS
    flow = context.user_data.get(FLOW) if context.user_data is not None else None
    return flow in OPEN_FLOWS


async def terms_gate(update: Update, context: LeadlineContext) -> bool:
    """True when it answered the update itself: the new terms must be accepted first."""
    if not must_accept(context) or _open(update, context):
        return False
    await answer_query(update, context, texts.MUST_ACCEPT_ALERT, alert=True)
    await say(
        update, context, texts.MUST_ACCEPT, views.read_and_accept(context.services.terms.version)
    )
    return True
