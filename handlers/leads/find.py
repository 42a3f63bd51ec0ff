"""Finding and opening leads: /leads with search and filters, lead cards and their actions,
share deep links and inline mode."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import datetime
from functools import partial
from html import escape
from typing import Any, TypeVar
from uuid import uuid4

from telegram import InlineQueryResultArticle, InputTextMessageContent, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, InlineQueryHandler

from domain import contract_cases, deals, lead_cases
from domain.contract_cases import OpenLeadContract
from domain.errors import NotAllowed
from domain.lead_cases import Choices, FindLeads, OpenLead, OwnLead, SearchPublic
from domain.model import User
from domain.ports import UnitOfWork
from handlers.contracts import history as contract_history
from handlers.contracts import views as contract_views
from handlers.core import outgoing, texts
from handlers.core.callbacks import StaleButton
from handlers.core.common import answer_query, edit_markup, is_admin, later, say
from handlers.core.context import LeadlineContext
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

SEARCH = "lead_search"  # user_data: {"words": [...], "category": str|None, "skill": str|None}
SKILL_CHOICES = "lead_skill_choices"
CATEGORY_CHOICES = "lead_category_choices"
INLINE_RESULTS = 10
DEEP_LINK = re.compile(r"^lead_([0-9]{1,12})$")
OFFSET = re.compile(r"[0-9]{1,6}")

C = TypeVar("C")
R = TypeVar("R")


def _search(context: LeadlineContext) -> dict[str, Any]:
    assert context.user_data is not None
    search = context.user_data.setdefault(SEARCH, {"words": [], "category": None, "skill": None})
    assert isinstance(search, dict)
    return search


async def _as_anyone(
    context: LeadlineContext,
    use_case: Callable[[UnitOfWork, User | None, C, datetime], Awaitable[R]],
    command: C,
) -> R:
    """Runs a use case that anyone may use, even someone who has not sent /start yet."""
    turn = context.turn
    return await use_case(turn.uow, turn.user, command, turn.now)


async def _signed_up(update: Update, context: LeadlineContext) -> bool:
    user = context.turn.user
    if user is None or not user.signed_up:
        await answer_query(update, context)
        await say(update, context, texts.not_signed_up(user))
        return False
    return True


async def show_results(update: Update, context: LeadlineContext, offset: int) -> None:
    """Sends one page of open leads for the current search."""
    search = _search(context)
    command = FindLeads(search["words"], offset, search["category"], search["skill"])
    page = await context.turn.run(lead_cases.find_leads, command)
    filters = [f for f in (search["category"], search["skill"]) if f]
    header = lead_texts.results_header_with_filters(
        search["words"], filters, page.total, page.offset, page.size, page.more
    )
    await say(update, context, header, lead_views.results(page))


async def find_leads(update: Update, context: LeadlineContext) -> None:
    """/leads [words]: the seller's matching open leads, or a search."""
    if not await _signed_up(update, context):
        return
    words = list(context.args or [])
    if not words and not context.turn.actor.is_seller:
        await _search_hint(update, context)
        return
    _search(context).update(words=words, category=None, skill=None)
    await show_results(update, context, 0)


async def _search_hint(update: Update, context: LeadlineContext) -> None:
    """A buyer has no skills to match: how to search, and their own leads."""
    await say(update, context, lead_texts.BUYER_SEARCH_HINT, lead_views.buyer_search_hint())


async def from_menu(update: Update, context: LeadlineContext) -> None:
    """The menu's Find leads button: the user's matches."""
    await answer_query(update, context)
    if not await _signed_up(update, context):
        return
    if not context.turn.actor.is_seller:
        await _search_hint(update, context)
        return
    _search(context).update(words=[], category=None, skill=None)
    await show_results(update, context, 0)


async def page(update: Update, context: LeadlineContext) -> None:
    """Prev / Next under a result list."""
    await answer_query(update, context)
    await show_results(update, context, LeadPage.of(update).offset)


async def choose_category_filter(update: Update, context: LeadlineContext) -> None:
    """Shows the categories to filter by."""
    names = await context.turn.run(lead_cases.category_choices, Choices())
    await answer_query(update, context)
    assert context.user_data is not None
    context.user_data[CATEGORY_CHOICES] = names
    await say(
        update, context, lead_texts.CATEGORY_QUESTION, lead_views.categories(names, LeadCategory)
    )


async def category_filter(update: Update, context: LeadlineContext) -> None:
    """Filters the search by the tapped category."""
    assert context.user_data is not None
    choices = list(context.user_data.get(CATEGORY_CHOICES, []))
    index = LeadCategory.of(update).index
    if index >= len(choices):
        raise StaleButton()
    await answer_query(update, context)
    _search(context)["category"] = choices[index]
    await show_results(update, context, 0)


async def choose_skill_filter(update: Update, context: LeadlineContext) -> None:
    """Shows skills to filter by: the user's own first, then popular ones."""
    choices = await context.turn.run(lead_cases.skill_choices, Choices())
    await answer_query(update, context)
    assert context.user_data is not None
    context.user_data[SKILL_CHOICES] = choices
    if not choices:
        await say(update, context, lead_texts.NO_LEADS)
        return
    await say(update, context, lead_texts.SKILL_FILTER_QUESTION, lead_views.skill_filter(choices))


async def skill_filter(update: Update, context: LeadlineContext) -> None:
    """Filters the search by the tapped skill."""
    assert context.user_data is not None
    choices = list(context.user_data.get(SKILL_CHOICES, []))
    index = LeadSkill.of(update).index
    if index >= len(choices):
        raise StaleButton()
    await answer_query(update, context)
    _search(context)["skill"] = choices[index]
    await show_results(update, context, 0)


async def clear_filters(update: Update, context: LeadlineContext) -> None:
    """Drops words and filters: back to the user's matches."""
    await answer_query(update, context)
    _search(context).update(words=[], category=None, skill=None)
    await show_results(update, context, 0)


async def send_lead(update: Update, context: LeadlineContext, lead_id: int) -> None:
    """Sends the full lead card with the actions this person may take, then its files.

    Anyone may open a lead (a shared link opens before signup), and a missing one is a
    sentence, not a failure: /start goes on signing a newcomer up after it."""
    command = OpenLead(lead_id, admin=is_admin(update, context))
    try:
        view = await _as_anyone(context, lead_cases.view_lead, command)
    except NotAllowed as refusal:
        # A closed lead of someone else's: one sentence, neither card nor files.
        await say(update, context, escape(refusal.sentence))
        return
    if view is None:
        await say(update, context, lead_texts.NO_SUCH_LEAD)
        return
    lead = view.lead
    actions = lead_views.owner_actions(lead) if view.own else lead_views.seller_actions(lead)
    # The two sides of its contract also see the contract: what happened, what they can do
    # (the description is shortened to make room).
    contract = await _as_anyone(context, contract_cases.card_of_lead, OpenLeadContract(lead_id))
    party = view.own or contract is not None
    card = lead_texts.lead_card(
        lead, view.buyer, context.bot.username, full=contract is None, party=party
    )
    if contract is not None:
        card = f"{card}\n\n{contract_history.contract_section(contract)}"
        actions = contract_views.lead_card_actions(contract, actions)
    # Never a dead end: a card with nothing to do here still leads back to the menu.
    await say(update, context, card, actions or lead_views.back_to_menu())
    chat = update.effective_chat
    assert chat is not None
    bot = context.bot
    for number in range(1, len(lead.attachments) + 1):
        later(context, partial(outgoing.send, bot, chat.id, lead_views.attachment(lead, number)))


async def view(update: Update, context: LeadlineContext) -> None:
    """View on a lead button: opens its card."""
    await answer_query(update, context)
    await send_lead(update, context, LeadView.of(update).lead_id)


async def ask_withdraw(update: Update, context: LeadlineContext) -> None:
    """Asks the buyer to confirm withdrawing the lead."""
    lead = await context.turn.run(lead_cases.ask_withdraw, OwnLead(LeadWithdraw.of(update).lead_id))
    await answer_query(update, context)
    await say(update, context, lead_texts.WITHDRAW_QUESTION, lead_views.confirm_withdraw(lead))


async def withdraw(update: Update, context: LeadlineContext) -> None:
    """Withdraws the lead; sellers in talks are told through the outbox."""
    lead_id = LeadWithdrawConfirmed.of(update).lead_id
    await context.turn.run(lead_cases.withdraw, OwnLead(lead_id))
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
    await say(update, context, lead_texts.bids(found), lead_views.bids(found))


async def matching_sellers(update: Update, context: LeadlineContext) -> None:
    """Lists the sellers who match one of the buyer's leads."""
    lead_id = LeadMatchingSellers.of(update).lead_id
    sellers = await context.turn.run(lead_cases.matching_sellers_of, OwnLead(lead_id))
    await answer_query(update, context)
    if not sellers:
        await say(update, context, lead_texts.NO_MATCHING_SELLERS)
        return
    await say(
        update, context, lead_texts.matching_sellers(sellers), lead_views.matching_sellers(sellers)
    )


async def inline_search(update: Update, context: LeadlineContext) -> None:
    """Inline mode (@bot words): open leads as results anyone can share."""
    query = update.inline_query
    assert query is not None
    words = query.query.split()[:8]
    # The offset comes back from the client: ASCII digits only ("²" passes isdigit()).
    offset = int(query.offset) if OFFSET.fullmatch(query.offset) else 0
    command = SearchPublic(words, offset, INLINE_RESULTS)
    page = await _as_anyone(context, lead_cases.search_public, command)
    bot_username = context.bot.username
    results = [
        InlineQueryResultArticle(
            id=str(lead.id or uuid4()),
            title=lead.title or lead_texts.INLINE_UNTITLED,
            description=lead_texts.inline_description(lead),
            input_message_content=InputTextMessageContent(
                lead_texts.lead_card(lead, None, bot_username, full=False)
            ),
            reply_markup=lead_views.share(lead, bot_username),
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
