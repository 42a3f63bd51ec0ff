"""The tick-box category picker shared by signup and profile editing."""

from __future__ import annotations

from telegram import Update

from domain import profiles
from domain.errors import DomainError
from handlers.core import keyboards, texts
from handlers.core.callbacks import Callback
from handlers.core.common import answer_query, edit_markup, telegram_id
from handlers.core.context import LeadlineContext


async def toggle(update: Update, context: LeadlineContext, area: str, *, skippable: bool) -> None:
    """Ticks or unticks the tapped category and redraws the picker in place."""
    query = update.callback_query
    assert query is not None
    decoded = Callback.decode(query.data)
    index = decoded.argument if decoded else ""
    names = await profiles.category_names(context.uow())
    if not index.isdigit() or int(index) >= len(names):
        await answer_query(update, context, texts.STALE_BUTTON)
        return
    try:
        user = await profiles.toggle_category(context.uow(), telegram_id(update), names[int(index)])
    except DomainError as error:
        await answer_query(update, context, error.sentence)
        return
    await answer_query(update, context)
    await edit_markup(
        update,
        context,
        keyboards.category_picker(names, user.profile.categories, area, skippable=skippable),
    )
