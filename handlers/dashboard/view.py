"""/dashboard: My Leads, Leads in Progress, Requested Leads, Completed Leads, My stars."""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from domain import dashboard
from domain.dashboard import Dashboard, LeadList, LeadListing, ListLeads
from domain.model import User
from handlers.core import texts as common_texts
from handlers.core.common import answer_query, say
from handlers.core.context import LeadlineContext
from handlers.core.keyboards import button
from handlers.dashboard import texts
from handlers.dashboard.buttons import DashboardList, DashboardOpen
from handlers.leads.buttons import LeadView
from handlers.menu.buttons import MenuLeads, MenuNewLead, MenuOpen, MenuProviders
from handlers.reviews.buttons import ReviewStart


def _menu(board: Dashboard) -> InlineKeyboardMarkup:
    kinds = []
    if board.user.is_buyer:
        kinds.append(LeadList.MINE)
    kinds.append(LeadList.IN_PROGRESS)
    if board.user.is_seller:
        kinds.append(LeadList.REQUESTED)
    kinds.append(LeadList.COMPLETED)
    buttons = [button(texts.TITLES[kind], DashboardList(kind, 0)) for kind in kinds]
    keyboard = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    # A way on from here: what the user's roles do next, and back to the menu.
    ways = []
    if board.user.is_buyer:
        ways += [
            button(texts.POST_LEAD, MenuNewLead()),
            button(texts.FIND_PROVIDERS, MenuProviders()),
        ]
    if board.user.is_seller:
        ways.append(button(texts.FIND_LEADS, MenuLeads()))
    ways.append(button(common_texts.BACK_TO_MENU, MenuOpen()))
    keyboard += [ways[i : i + 2] for i in range(0, len(ways), 2)]
    return InlineKeyboardMarkup(keyboard)


def _list_keyboard(kind: LeadList, listing: LeadListing, viewer: User) -> InlineKeyboardMarkup:
    page = listing.page
    keyboard: list[list[InlineKeyboardButton]] = []
    for lead in page.items:
        label = texts.lead_line(lead, listing, viewer, status=kind is LeadList.MINE)
        row = [button(label, LeadView(lead.key))]
        if lead.key in listing.reviewable:
            row.append(button(texts.REVIEW, ReviewStart(lead.key)))
        keyboard.append(row)
    nav = []
    if page.has_previous:
        previous = DashboardList(kind, max(page.offset - page.size, 0))
        nav.append(button(common_texts.PREVIOUS_PAGE, previous))
    if page.has_next:
        nav.append(button(common_texts.NEXT_PAGE, DashboardList(kind, page.offset + page.size)))
    if nav:
        keyboard.append(nav)
    keyboard.append([button(texts.BACK, DashboardOpen())])
    return InlineKeyboardMarkup(keyboard)


async def show(update: Update, context: LeadlineContext) -> None:
    """Shows the dashboard summary with a button per list."""
    board = await context.turn.run(dashboard.dashboard, None)
    await answer_query(update, context)
    await say(update, context, texts.summary(board), _menu(board))


async def show_list(update: Update, context: LeadlineContext) -> None:
    """Shows one page of a dashboard list; each lead opens its card with its actions."""
    pressed = DashboardList.of(update)
    listing = await context.turn.run(dashboard.lead_list, ListLeads(pressed.kind, pressed.offset))
    await answer_query(update, context)
    viewer = context.turn.actor
    lines = [texts.list_header(pressed.kind, listing)]
    if pressed.kind is LeadList.COMPLETED:
        lines += texts.completed_lines(listing, viewer)
    await say(update, context, "\n".join(lines), _list_keyboard(pressed.kind, listing, viewer))


def handlers() -> list[BaseHandler[Update, LeadlineContext, Any]]:
    return [
        CommandHandler("dashboard", show),
        CallbackQueryHandler(show, DashboardOpen.matches),
        CallbackQueryHandler(show_list, DashboardList.matches),
    ]
