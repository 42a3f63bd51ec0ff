"""/settings: the user's switches (new-lead alerts, a seller's digest of the leads beyond
their daily alerts, and the reminders they may mute)."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from domain import nudge_cases, profiles
from domain.model import User
from domain.nudges import NudgeKind, mutable_for
from handlers.core.common import answer_query, edit_text, say
from handlers.core.context import LeadlineContext
from handlers.digests import texts as digest_texts
from handlers.digests import views as digest_views
from handlers.digests.buttons import SettingsDigest
from handlers.leads import texts as lead_texts
from handlers.nudges import texts as nudge_texts
from handlers.nudges import views as nudge_views
from handlers.nudges.buttons import NudgeMute, Switch
from handlers.profile import texts, views
from handlers.profile.buttons import Alerts, SettingsAlerts


def _card(user: User, muted: Collection[NudgeKind]) -> tuple[str, InlineKeyboardMarkup]:
    """Only what applies to the user's roles: alerts and the digest are a seller's."""
    text = texts.SETTINGS_TITLE
    keyboard: list[Sequence[InlineKeyboardButton]] = []
    if user.is_seller:
        text += f"\n\n{texts.alerts_setting(user)}\n{digest_texts.settings_section(user.digest)}"
        keyboard += [*views.settings(user).inline_keyboard]
        keyboard += digest_views.interval_switches(user.digest)
    kinds = mutable_for(user.is_buyer)
    text += f"\n\n{nudge_texts.settings_section(muted, kinds)}"
    keyboard += nudge_views.mute_switches(muted, kinds)
    return text, InlineKeyboardMarkup(keyboard)


async def show(update: Update, context: LeadlineContext) -> None:
    """Shows the settings with a switch for new-lead alerts and for each kind of reminder."""
    user = context.turn.actor
    user.ensure_signed_up()
    muted = await context.turn.run(nudge_cases.muted_nudges, None)
    await answer_query(update, context)
    await say(update, context, *_card(user, muted))


async def toggle_alerts(update: Update, context: LeadlineContext) -> None:
    """Turns new-lead alerts on or off."""
    muted = SettingsAlerts.of(update).switch is Alerts.OFF
    user = await context.turn.run(profiles.set_alerts, profiles.SetAlerts(muted))
    muted_nudges = await context.turn.run(nudge_cases.muted_nudges, None)
    await answer_query(update, context, lead_texts.MUTE_ON if muted else lead_texts.MUTE_OFF)
    await edit_text(update, context, *_card(user, muted_nudges))


async def set_digest(update: Update, context: LeadlineContext) -> None:
    """Sets how often the leads beyond the daily alerts come as a digest."""
    interval = SettingsDigest.of(update).interval
    user = await context.turn.run(profiles.set_digest, profiles.SetDigest(interval))
    muted = await context.turn.run(nudge_cases.muted_nudges, None)
    await answer_query(update, context, digest_texts.interval_answer(interval))
    await edit_text(update, context, *_card(user, muted))


async def toggle_nudges(update: Update, context: LeadlineContext) -> None:
    """Mutes or unmutes one kind of reminder."""
    pressed = NudgeMute.of(update)
    command = nudge_cases.MuteNudges(pressed.kind, muted=pressed.switch is Switch.OFF)
    muted = await context.turn.run(nudge_cases.mute_nudges, command)
    await answer_query(update, context, nudge_texts.mute_answer(command.kind, command.muted))
    await edit_text(update, context, *_card(context.turn.actor, muted))
