"""Finding providers (/providers), their public cards, and inviting them to a lead."""

from __future__ import annotations

from functools import partial
from html import escape
from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from domain import sellers
from domain.sellers import (
    FindInCategory,
    FindSellers,
    Found,
    Invite,
    Search,
    SellerFiles,
    ViewSeller,
)
from domain.validation import is_blank, trimmed
from handlers.core import texts as common_texts
from handlers.core.common import answer_query, is_admin, later, say
from handlers.core.context import LeadlineContext
from handlers.leads import views as lead_views
from handlers.providers import texts, views
from handlers.providers.buttons import (
    ProviderCategory,
    ProviderFiles,
    ProviderInvite,
    ProviderInviteTo,
    ProviderPage,
    ProviderResume,
    ProviderView,
)

SEARCH = "provider_search"  # user_data: {"skills": [...], "category": str | None}


def _skills(args: list[str]) -> tuple[str, ...]:
    """ "/providers logo design, figma" → two skills; without commas the text is one
    ("logo design"), whose words the search reads as well (domain/skills.search_keys).
    A part of only invisible characters is no part."""
    text = " ".join(" ".join(args).split())
    return tuple(trimmed(part) for part in text.split(",") if not is_blank(part))[:10]


async def _show(update: Update, context: LeadlineContext, found: Found) -> None:
    """Shows a page of sellers and remembers the search, for Prev / Next."""
    assert context.user_data is not None
    search = found.search
    context.user_data[SEARCH] = {"skills": list(search.skills), "category": search.category}
    markup = views.results(found.page)
    await say(update, context, texts.found(found), markup)


async def find(update: Update, context: LeadlineContext) -> None:
    """/providers [skills]: sellers by skill, or a category picker."""
    await answer_query(update, context)
    skills = _skills(list(context.args or []))
    if not skills:
        names = await context.turn.run(sellers.categories_to_search, None)
        await say(update, context, texts.ASK, lead_views.categories(names, ProviderCategory))
        return
    await _show(update, context, await context.turn.run(sellers.find, FindSellers(Search(skills))))


async def by_category(update: Update, context: LeadlineContext) -> None:
    """Sellers of the tapped category."""
    command = FindInCategory(ProviderCategory.of(update).index)
    found = await context.turn.run(sellers.find_in_category, command)
    if found is None:
        await answer_query(update, context, common_texts.STALE_BUTTON)
        return
    await answer_query(update, context)
    await _show(update, context, found)


async def page(update: Update, context: LeadlineContext) -> None:
    """Prev / Next under the providers."""
    assert context.user_data is not None
    asked = context.user_data.get(SEARCH) or {"skills": [], "category": None}
    search = Search(tuple(asked["skills"]), asked["category"])
    command = FindSellers(search, ProviderPage.of(update).offset)
    found = await context.turn.run(sellers.find, command)
    await answer_query(update, context)
    await _show(update, context, found)


async def view(update: Update, context: LeadlineContext) -> None:
    """Opens a seller's public card, with what the viewer may do."""
    command = ViewSeller(ProviderView.of(update).seller_id, admin=is_admin(update, context))
    profile = await context.turn.run(sellers.public_profile, command)
    await answer_query(update, context)
    actions = views.card_actions(profile, context.turn.actor)
    await say(update, context, texts.public_card(profile), actions)


async def send_documents(update: Update, context: LeadlineContext) -> None:
    """Sends a seller's resume or verification documents as files, to those who may have
    them (anyone else gets one sentence)."""
    pressed = ProviderFiles.of(update)
    resume = isinstance(pressed, ProviderResume)
    command = SellerFiles(pressed.seller_id, resume, admin=is_admin(update, context))
    wanted = await context.turn.run(sellers.seller_files, command)
    await answer_query(update, context)
    chat = update.effective_chat
    assert chat is not None
    bot = context.bot
    for document in wanted:
        caption = escape(document.title)
        later(context, partial(bot.send_document, chat.id, document.file_id, caption=caption))


async def choose_lead(update: Update, context: LeadlineContext) -> None:
    """Invite: asks which of the buyer's open leads the seller is invited to."""
    seller = ProviderInvite.of(update).seller_id
    leads = await context.turn.run(sellers.leads_to_invite_to, None)
    if not leads:
        await answer_query(update, context, texts.NO_OPEN_LEAD, alert=True)
        return
    await answer_query(update, context)
    await say(update, context, texts.WHICH_LEAD, views.lead_choice(seller, leads))


async def invite(update: Update, context: LeadlineContext) -> None:
    """Invites the seller to the chosen lead; the seller hears of it through the outbox."""
    pressed = ProviderInviteTo.of(update)
    fresh = await context.turn.run(sellers.invite, Invite(pressed.seller_id, pressed.lead_id))
    await answer_query(update, context, texts.INVITED_ALERT if fresh else texts.INVITED_BEFORE)
    if fresh:
        await say(update, context, texts.INVITED)


def handlers() -> list[BaseHandler[Update, LeadlineContext, Any]]:
    return [
        CommandHandler("providers", find),
        CallbackQueryHandler(by_category, ProviderCategory.matches),
        CallbackQueryHandler(page, ProviderPage.matches),
        CallbackQueryHandler(view, ProviderView.matches),
        CallbackQueryHandler(send_documents, ProviderFiles.matches),
        CallbackQueryHandler(choose_lead, ProviderInvite.matches),
        CallbackQueryHandler(invite, ProviderInviteTo.matches),
    ]
