"""The tick-box category picker shared by signup and profile editing."""

from __future__ import annotations

from telegram import Update

from domain import profiles
from handlers.core import keyboards
from handlers.core.common import answer_query, edit_markup
from handlers.core.context import LeadlineContext


async def toggle(
    update: Update, context: LeadlineContext, index: int, picker: keyboards.CategoryPicker
) -> None:
    """Ticks or unticks the tapped category and redraws the picker in place."""
    at_signup = picker is keyboards.SIGNUP_CATEGORIES
    command = profiles.ToggleCategory(index, at_signup=at_signup)
    choice = await context.turn.run(profiles.toggle_category, command)
    await answer_query(update, context)
    markup = keyboards.category_picker(choice.categories, choice.user.profile.categories, picker)
    await edit_markup(update, context, markup)
