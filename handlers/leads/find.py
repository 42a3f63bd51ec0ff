"""Finding and opening leads: /leads with search and filters, lead cards and their actions,
share deep links and inline mode."""

from __future__ import annotations

import re
from functools import partial
from html import escape
from typing import Any
from uuid import uuid4

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    Update,
)
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, InlineQueryHandler

from domain import accounts, deals, lead_cases, profiles
from domain.errors import DomainError
from domain.leads import AttachmentKind
from handlers.chat.buttons import ThreadOpen
from handlers.core import texts
from handlers.core.common import answer_query, edit_markup, identity, later, say, telegram_id
from handlers.core.context import LeadlineContext
from handlers.core.keyboards import button, rows
from handlers.leads import texts as lead_texts
from handlers.leads import views as lead_views
from handlers.leads.buttons import (
    LeadBids,
    LeadCategory,
    LeadClearFilters,
    LeadFilterCategories,
    LeadFilterSkills,
    LeadMatchingSellers,
    LeadPage,
    LeadSkill,
    LeadView,
    LeadWithdraw,
    LeadWithdrawConfirmed,
)
from handlers.providers.buttons import ProviderView

SEARCH = "lead_search"  # user_data: {"words": [...], "category": str|None, "skill": str|None}
SKILL_CHOICES = "lead_skill_choices"
INLINE_RESULTS = 10
DEEP_LINK = re.compile(r"^lead_(\d{1,12})$")


def _search(context: LeadlineContext) -> dict[str, Any]:
    assert context.user_data is not None
    search = context.user_data.setdefault(SEARCH, {"words": [], "category": None, "skill": None})
    assert isinstance(search, dict)
    return search


async def _signed_up(update: Update, context: LeadlineContext) -> bool:
    user = await accounts.open_account(context.uow(), identity(update), context.now())
    if not user.signed_up:
        await answer_query(update, context)
        await say(update, context, texts.NOT_SIGNED_UP)
    return user.signed_up


async def show_results(update: Update, context: LeadlineContext, offset: int) -> None:
    """Sends one page of open leads for the current search."""
    search = _search(context)
    page = await lead_cases.find_leads(
        context.uow(),
        telegram_id(update),
        search["words"],
        offset,
        search["category"],
        search["skill"],
    )
    header = lead_texts.results_header(search["words"], page.total, page.offset, page.size)
    filters = [f for f in (search["category"], search["skill"]) if f]
    if filters:
        header += f"\nFilters: {escape(' · '.join(filters))}"
    if page.total == 0 and not search["words"] and not filters:
        header = lead_texts.NO_LEADS
    await say(update, context, header, lead_views.results(page))


async def find_leads(update: Update, context: LeadlineContext) -> None:
    """/leads [words]: the seller's matching open leads, or a search."""
    if not await _signed_up(update, context):
        return
    _search(context).update(words=list(context.args or []), category=None, skill=None)
    await show_results(update, context, 0)


async def from_menu(update: Update, context: LeadlineContext) -> None:
    """The menu's Find leads button: the user's matches."""
    await answer_query(update, context)
    if await _signed_up(update, context):
        _search(context).update(words=[], category=None, skill=None)
        await show_results(update, context, 0)


async def page(update: Update, context: LeadlineContext) -> None:
    """Prev / Next under a result list."""
    await answer_query(update, context)
    await show_results(update, context, LeadPage.of(update).offset)


async def choose_category_filter(update: Update, context: LeadlineContext) -> None:
    """Shows the categories to filter by."""
    await answer_query(update, context)
    names = await profiles.category_names(context.uow())
    await say(
        update, context, lead_texts.CATEGORY_QUESTION, lead_views.categories(names, LeadCategory)
    )


async def category_filter(update: Update, context: LeadlineContext) -> None:
    """Filters the search by the tapped category."""
    names = await profiles.category_names(context.uow())
    index = LeadCategory.of(update).index
    if index >= len(names):
        await answer_query(update, context, texts.STALE_BUTTON)
        return
    await answer_query(update, context)
    _search(context)["category"] = names[index]
    await show_results(update, context, 0)


async def choose_skill_filter(update: Update, context: LeadlineContext) -> None:
    """Shows skills to filter by: the user's own first, then popular ones."""
    await answer_query(update, context)
    user = await accounts.get_user(context.uow(), telegram_id(update))
    own = user.profile.skills if user else []
    popular = await lead_cases.popular_skills(context.uow(), 12)
    choices = list(dict.fromkeys(own + popular))[:12]
    assert context.user_data is not None
    context.user_data[SKILL_CHOICES] = choices
    if not choices:
        await say(update, context, lead_texts.NO_LEADS)
        return
    await say(update, context, "Filter by which skill?", lead_views.skill_filter(choices))


async def skill_filter(update: Update, context: LeadlineContext) -> None:
    """Filters the search by the tapped skill."""
    assert context.user_data is not None
    choices = list(context.user_data.get(SKILL_CHOICES, []))
    index = LeadSkill.of(update).index
    if index >= len(choices):
        await answer_query(update, context, texts.STALE_BUTTON)
        return
    await answer_query(update, context)
    _search(context)["skill"] = choices[index]
    await show_results(update, context, 0)


async def clear_filters(update: Update, context: LeadlineContext) -> None:
    """Drops words and filters: back to the user's matches."""
    await answer_query(update, context)
    _search(context).update(words=[], category=None, skill=None)
    await show_results(update, context, 0)


async def send_lead(update: Update, context: LeadlineContext, lead_id: int) -> None:
    """Sends the full lead card with the actions this user may take, then its files."""
    try:
        view = await lead_cases.view_lead(
            context.uow(), telegram_id(update), lead_id, context.now()
        )
    except DomainError as error:
        await say(update, context, escape(error.sentence))
        return
    lead = view.lead
    actions = lead_views.owner_actions(lead) if view.own else lead_views.seller_actions(lead)
    await say(
        update, context, lead_texts.lead_card(lead, view.buyer, context.bot.username), actions
    )
    chat = update.effective_chat
    assert chat is not None
    bot = context.bot
    for item in lead.attachments:
        send = bot.send_photo if item.kind is AttachmentKind.PHOTO else bot.send_document
        later(context, partial(send, chat.id, item.file_id))


async def view(update: Update, context: LeadlineContext) -> None:
    """View on a lead button: opens its card."""
    await answer_query(update, context)
    await send_lead(update, context, LeadView.of(update).lead_id)


async def _own_lead_id(update: Update, context: LeadlineContext, lead_id: int) -> int | None:
    """The lead id of the tapped button if the presser owns that lead (data can be forged)."""
    try:
        view = await lead_cases.view_lead(
            context.uow(), telegram_id(update), lead_id, context.now()
        )
    except DomainError:
        return None
    return lead_id if view.own else None


async def ask_withdraw(update: Update, context: LeadlineContext) -> None:
    """Asks the buyer to confirm withdrawing the lead."""
    lead_id = await _own_lead_id(update, context, LeadWithdraw.of(update).lead_id)
    if lead_id is None:
        await answer_query(update, context, texts.STALE_BUTTON)
        return
    await answer_query(update, context)
    view = await lead_cases.view_lead(context.uow(), telegram_id(update), lead_id, context.now())
    await say(
        update,
        context,
        "Withdraw this lead? Sellers will no longer see it.",
        lead_views.confirm_withdraw(view.lead),
    )


async def withdraw(update: Update, context: LeadlineContext) -> None:
    """Withdraws the lead."""
    lead_id = LeadWithdrawConfirmed.of(update).lead_id
    try:
        await lead_cases.withdraw(
            context.uow(),
            telegram_id(update),
            lead_id,
            lead_views.withdrawn_payload,
        )
    except DomainError as error:
        await answer_query(update, context, error.sentence, alert=True)
        return
    context.services.kick_outbox()
    await answer_query(update, context)
    await edit_markup(update, context, None)
    await say(update, context, lead_texts.WITHDRAWN)


async def bids(update: Update, context: LeadlineContext) -> None:
    """The sellers in talks on one of the buyer's leads, with their latest offers."""
    found = await context.turn.run(deals.bids_of, deals.ListBids(LeadBids.of(update).lead_id))
    await answer_query(update, context)
    if not found:
        await say(update, context, lead_texts.NO_BIDS)
        return
    lines, cards = ["📨 <b>Bids</b>"], []
    for bid in found:
        if bid.hired:
            state = "✅ hired"
        elif (latest := bid.latest) is not None:
            state = f"{latest.amount.format()} in {latest.days} day(s), {latest.status.value}"
        else:
            state = "no offer yet"
        lines.append(f"• <b>{escape(bid.seller.name)}</b> — {state}")
        cards.append(button(f"💬 {bid.seller.name}"[:60], ThreadOpen(bid.thread.id or 0)))
    await say(update, context, "\n".join(lines), rows(*cards, width=1))


async def matching_sellers(update: Update, context: LeadlineContext) -> None:
    """Lists the sellers who match one of the buyer's leads."""
    lead_id = await _own_lead_id(update, context, LeadMatchingSellers.of(update).lead_id)
    if lead_id is None:
        await answer_query(update, context, texts.STALE_BUTTON)
        return
    await answer_query(update, context)
    sellers = await lead_cases.matching_sellers_of(context.uow(), telegram_id(update), lead_id)
    if not sellers:
        await say(update, context, lead_texts.NO_MATCHING_SELLERS)
        return
    lines = ["👥 <b>Matching sellers</b>, best first:"]
    for seller in sellers:
        # Short lines: ten sellers must fit in one message.
        headline = seller.profile.headline or ""
        headline = f" — {escape(headline[:60])}" if headline else ""
        skills = escape(", ".join(seller.profile.skills[:4]))
        lines.append(f"• <b>{escape(seller.name)}</b>{headline}\n  🛠 {skills}")
    cards = [button(f"👤 {seller.name}"[:60], ProviderView(seller.id or 0)) for seller in sellers]
    await say(update, context, "\n".join(lines), rows(*cards, width=1))


async def inline_search(update: Update, context: LeadlineContext) -> None:
    """Inline mode (@bot words): open leads as results anyone can share."""
    query = update.inline_query
    assert query is not None
    words = query.query.split()[:8]
    offset = int(query.offset) if query.offset.isdigit() and len(query.offset) < 7 else 0
    page = await lead_cases.search_public(context.uow(), words, offset, INLINE_RESULTS)
    bot_username = context.bot.username
    results = [
        InlineQueryResultArticle(
            id=str(lead.id or uuid4()),
            title=lead.title or "Lead",
            description=(lead.budget.format() + " · " if lead.budget else "")
            + ", ".join(lead.skills),
            input_message_content=InputTextMessageContent(
                lead_texts.lead_card(lead, None, bot_username, full=False)
            ),
            reply_markup=InlineKeyboardMarkup(
                [
                    [
                        InlineKeyboardButton(
                            "Open in Leadline", url=lead_texts.share_link(bot_username, lead)
                        )
                    ]
                ]
            ),
        )
        for lead in page.items
    ]
    next_offset = str(page.offset + page.size) if page.has_next else ""
    later(
        context,
        lambda: query.answer(results, cache_time=5, is_personal=False, next_offset=next_offset),
    )


def handlers() -> list[BaseHandler[Update, LeadlineContext, Any]]:
    return [
        CommandHandler("leads", find_leads),
        CallbackQueryHandler(view, LeadView.matches),
        CallbackQueryHandler(page, LeadPage.matches),
        CallbackQueryHandler(choose_category_filter, LeadFilterCategories.matches),
        CallbackQueryHandler(category_filter, LeadCategory.matches),
        CallbackQueryHandler(choose_skill_filter, LeadFilterSkills.matches),
        CallbackQueryHandler(skill_filter, LeadSkill.matches),
        CallbackQueryHandler(clear_filters, LeadClearFilters.matches),
        CallbackQueryHandler(ask_withdraw, LeadWithdraw.matches),
        CallbackQueryHandler(withdraw, LeadWithdrawConfirmed.matches),
        CallbackQueryHandler(bids, LeadBids.matches),
        CallbackQueryHandler(matching_sellers, LeadMatchingSellers.matches),
        InlineQueryHandler(inline_search),
    ]
