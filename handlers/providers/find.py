"""Finding providers (/providers), their public cards, and inviting them to a lead."""

from __future__ import annotations

from functools import partial
from html import escape
from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from domain import accounts, lead_cases, profiles, sellers
from domain.credentials import DocumentKind
from domain.errors import DomainError
from handlers.core import texts
from handlers.core.common import answer_query, identity, later, say, telegram_id
from handlers.core.context import LeadlineContext
from handlers.leads import views as lead_views
from handlers.providers import views as provider_views
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
ASK = (
    "Which skills are you looking for? Send <code>/providers logo design, figma</code>, "
    "or pick a category:"
)


def _skills(args: list[str]) -> list[str]:
    """ "/providers logo design, figma" → two skills; without commas every word is one."""
    text = " ".join(args)
    parts = text.split(",") if "," in text else text.split()
    return [part.strip() for part in parts if part.strip()][:10]


async def show_results(update: Update, context: LeadlineContext, offset: int) -> None:
    assert context.user_data is not None
    search = context.user_data.get(SEARCH) or {"skills": [], "category": None}
    page = await sellers.find_providers(
        context.uow(), telegram_id(update), search["skills"], search["category"], offset
    )
    asked = ", ".join(search["skills"]) or search["category"] or ""
    if page.total == 0:
        await say(update, context, f"No sellers found for “{escape(asked)}” yet.")
        return
    last = min(page.offset + page.size, page.total)
    header = f"Sellers for “{escape(asked)}”: {page.offset + 1}–{last} of {page.total}"
    await say(update, context, header, provider_views.results(page))


async def find(update: Update, context: LeadlineContext) -> None:
    """/providers [skills]: sellers by skill, or a category picker."""
    await answer_query(update, context)
    user = await accounts.open_account(context.uow(), identity(update), context.now())
    if not user.signed_up:
        await say(update, context, texts.NOT_SIGNED_UP)
        return
    skills = _skills(list(context.args or []))
    if not skills:
        names = await profiles.category_names(context.uow())
        await say(update, context, ASK, lead_views.categories(names, ProviderCategory))
        return
    assert context.user_data is not None
    context.user_data[SEARCH] = {"skills": skills, "category": None}
    await show_results(update, context, 0)


async def by_category(update: Update, context: LeadlineContext) -> None:
    """Sellers of the tapped category."""
    names = await profiles.category_names(context.uow())
    index = ProviderCategory.of(update).index
    if index >= len(names):
        await answer_query(update, context, texts.STALE_BUTTON)
        return
    await answer_query(update, context)
    assert context.user_data is not None
    context.user_data[SEARCH] = {"skills": [], "category": names[index]}
    await show_results(update, context, 0)


async def page(update: Update, context: LeadlineContext) -> None:
    """Prev / Next under the providers."""
    await answer_query(update, context)
    await show_results(update, context, ProviderPage.of(update).offset)


async def send_card(update: Update, context: LeadlineContext, seller_id: int) -> None:
    """Sends a seller's public card with what the viewer may do."""
    try:
        profile = await sellers.public_profile(context.uow(), seller_id)
    except DomainError as error:
        await say(update, context, escape(error.sentence))
        return
    viewer = await accounts.open_account(context.uow(), identity(update), context.now())
    await say(
        update,
        context,
        provider_views.public_card(profile),
        provider_views.card_actions(profile, viewer),
    )


async def view(update: Update, context: LeadlineContext) -> None:
    """Opens a seller's public card."""
    await answer_query(update, context)
    await send_card(update, context, ProviderView.of(update).seller_id)


async def send_documents(update: Update, context: LeadlineContext) -> None:
    """Sends a seller's resume or verification documents as files."""
    pressed = ProviderFiles.of(update)
    try:
        profile = await sellers.public_profile(context.uow(), pressed.seller_id)
    except DomainError as error:
        await answer_query(update, context, error.sentence)
        return
    await answer_query(update, context)
    wanted = [
        d
        for d in profile.credentials.documents
        if (d.kind is DocumentKind.RESUME) == isinstance(pressed, ProviderResume)
    ]
    chat = update.effective_chat
    assert chat is not None
    bot = context.bot
    for document in wanted:
        caption = escape(document.title)
        later(context, partial(bot.send_document, chat.id, document.file_id, caption=caption))


async def choose_lead(update: Update, context: LeadlineContext) -> None:
    """Invite: asks which of the buyer's open leads the seller is invited to."""
    seller = ProviderInvite.of(update).seller_id
    leads = await context.turn.run(lead_cases.open_leads_of, None)
    if not leads:
        await answer_query(update, context, "You have no open lead to invite to.", alert=True)
        return
    await answer_query(update, context)
    await say(update, context, "Invite to which lead?", provider_views.lead_choice(seller, leads))


async def invite(update: Update, context: LeadlineContext) -> None:
    """Records the invitation and tells the seller through the outbox."""
    pressed = ProviderInviteTo.of(update)
    try:
        fresh = await sellers.invite(
            context.uow(),
            telegram_id(update),
            pressed.lead_id,
            pressed.seller_id,
            context.now(),
            provider_views.invitation,
        )
    except DomainError as error:
        await answer_query(update, context, error.sentence, alert=True)
        return
    context.services.kick_outbox()
    await answer_query(
        update, context, "Invitation sent." if fresh else "You invited this seller already."
    )
    if fresh:
        await say(update, context, "✉️ Invitation sent. The seller sees it under Requested leads.")


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
