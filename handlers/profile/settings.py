"""/settings: the user's switches (new-lead alerts for now)."""

from __future__ import annotations

from telegram import Update

from domain import profiles
from handlers.core.common import answer_query, edit_text, say
from handlers.core.context import LeadlineContext
from handlers.leads import texts as lead_texts
from handlers.profile import texts, views
from handlers.profile.buttons import Alerts, SettingsAlerts


async def show(update: Update, context: LeadlineContext) -> None:
    """Shows the settings with a switch for new-lead alerts."""
    user = context.turn.actor
    user.ensure_signed_up()
    await answer_query(update, context)
    await say(update, context, texts.settings(user), views.settings(user))


async def toggle_alerts(update: Update, context: LeadlineContext) -> None:
    """Turns new-lead alerts on or off."""
    muted = SettingsAlerts.of(update).switch is Alerts.OFF
    user = await context.turn.run(profiles.set_alerts, profiles.SetAlerts(muted))
    await answer_query(update, context, lead_texts.MUTE_ON if muted else lead_texts.MUTE_OFF)
    await edit_text(update, context, texts.settings(user), views.settings(user))
