"""/settings: the user's switches (new-lead alerts for now)."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from domain import accounts, lead_cases
from domain.model import User
from handlers.core import texts
from handlers.core.common import answer_query, edit_text, identity, say, telegram_id
from handlers.core.context import LeadlineContext
from handlers.core.keyboards import button, rows
from handlers.leads import texts as lead_texts
from handlers.profile.buttons import Alerts, SettingsAlerts


def _text(user: User) -> str:
    state = "off 🔕" if user.alerts_muted else "on 🔔"
    return f"⚙️ <b>Settings</b>\n\nNew-lead alerts: <b>{state}</b>"


def _keyboard(user: User) -> InlineKeyboardMarkup:
    if user.alerts_muted:
        return rows(button("🔔 Turn alerts on", SettingsAlerts(Alerts.ON)))
    return rows(button("🔕 Mute new-lead alerts", SettingsAlerts(Alerts.OFF)))


async def show(update: Update, context: LeadlineContext) -> None:
    """Shows the settings with a switch for new-lead alerts."""
    await answer_query(update, context)
    user = await accounts.open_account(context.uow(), identity(update), context.now())
    if not user.signed_up:
        await say(update, context, texts.NOT_SIGNED_UP)
        return
    await say(update, context, _text(user), _keyboard(user))


async def toggle_alerts(update: Update, context: LeadlineContext) -> None:
    """Turns new-lead alerts on or off."""
    switch = SettingsAlerts.of(update).switch
    current = await accounts.get_user(context.uow(), telegram_id(update))
    if current is None or not current.signed_up:
        await answer_query(update, context, texts.NOT_SIGNED_UP)
        return
    muted = switch is Alerts.OFF
    user = await context.turn.run(lead_cases.set_alerts_muted, lead_cases.MuteAlerts(muted))
    await answer_query(update, context, lead_texts.MUTE_ON if muted else lead_texts.MUTE_OFF)
    await edit_text(update, context, _text(user), _keyboard(user))
