"""The tick-box category picker shared by signup and profile editing."""

from __future__ import annotations

from telegram import Update

from domain import profiles
from domain.errors import DomainError
from handlers.core import keyboards, texts
from handlers.core.common import answer_query, edit_markup, telegram_id
from handlers.core.context import LeadlineContext


async def toggle(
    update: Update, context: LeadlineContext, index: int, picker: keyboards.CategoryPicker
) -> None:
    """Ticks or unticks the tapped category and redraws the picker in place."""
    names = await profiles.category_names(context.uow())
    if index >= len(names):
        await answer_query(update, context, texts.STALE_BUTTON)
        return
    try:
        user = await profiles.toggle_category(context.uow(), telegram_id(update), names[index])
    except DomainError as error:
        await answer_query(update, context, error.sentence)
        return
    await answer_query(update, context)
    await edit_markup(
        update,
        context,
        keyboards.category_picker(names, user.profile.categories, picker),
    )
