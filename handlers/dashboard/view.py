"""/dashboard: My Leads, Leads in Progress, Requested Leads, Completed Leads, My stars."""

from __future__ import annotations

from html import escape
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from domain import dashboard
from domain.dashboard import Dashboard, LeadList, LeadListing
from domain.errors import DomainError
from domain.leads import Lead
from domain.lifecycle import LeadStatus
from handlers.core import texts
from handlers.core.common import answer_query, say, telegram_id
from handlers.core.context import LeadlineContext
from handlers.core.keyboards import button
from handlers.dashboard.buttons import DashboardList, DashboardOpen
from handlers.leads.buttons import LeadView

COUNT_LABELS = {
    LeadStatus.DRAFT: "draft",
    LeadStatus.OPEN: "open",
    LeadStatus.IN_PROGRESS: "in progress",
    LeadStatus.COMPLETED: "completed",
}
TITLES = {
    LeadList.MINE: "My leads",
    LeadList.IN_PROGRESS: "Leads in progress",
    LeadList.REQUESTED: "Requested leads",
    LeadList.COMPLETED: "Completed leads",
}


def _summary(board: Dashboard) -> str:
    lines = [f"📊 <b>Dashboard</b> — {escape(board.user.name)}"]
    if board.user.is_buyer:
        counts = " · ".join(
            f"{board.counts.get(status, 0)} {label}" for status, label in COUNT_LABELS.items()
        )
        lines.append(f"📌 My leads: {counts}")
    if board.user.is_seller:
        lines.append(f"📨 Requested leads: {board.requested}")
        stars = " · ".join(f"{escape(skill)} {count}★" for skill, count in board.stars.items())
        lines.append(f"⭐ My stars: {stars or 'no skills yet'}")
    return "\n".join(lines)


def _menu(board: Dashboard) -> InlineKeyboardMarkup:
    kinds = []
    if board.user.is_buyer:
        kinds.append(LeadList.MINE)
    kinds.append(LeadList.IN_PROGRESS)
    if board.user.is_seller:
        kinds.append(LeadList.REQUESTED)
    kinds.append(LeadList.COMPLETED)
    buttons = [button(TITLES[kind], DashboardList(kind, 0)) for kind in kinds]
    return InlineKeyboardMarkup([buttons[i : i + 2] for i in range(0, len(buttons), 2)])


def _list_keyboard(kind: LeadList, listing: LeadListing) -> InlineKeyboardMarkup:
    page = listing.page
    keyboard: list[list[InlineKeyboardButton]] = []
    for lead in page.items:
        note = listing.notes.get(lead.id or 0)
        label = f"{_mark(lead)}{lead.title or 'Untitled draft'}" + (f" — {note}" if note else "")
        keyboard.append([button(label[:64], LeadView(lead.id or 0))])
    nav = []
    if page.has_previous:
        nav.append(button("◀️ Prev", DashboardList(kind, max(page.offset - page.size, 0))))
    if page.has_next:
        nav.append(button("Next ▶️", DashboardList(kind, page.offset + page.size)))
    if nav:
        keyboard.append(nav)
    keyboard.append([button("⬅️ Dashboard", DashboardOpen())])
    return InlineKeyboardMarkup(keyboard)


def _mark(lead: Lead) -> str:
    return {LeadStatus.IN_PROGRESS: "✅ ", LeadStatus.DRAFT: "📝 ", LeadStatus.WITHDRAWN: "🗑 "}.get(
        lead.status, ""
    )


async def show(update: Update, context: LeadlineContext) -> None:
    """Shows the dashboard summary with a button per list."""
    await answer_query(update, context)
    try:
        board = await dashboard.dashboard(context.uow(), telegram_id(update))
    except DomainError as error:
        await say(update, context, escape(error.sentence))
        return
    if not board.user.signed_up:
        await say(update, context, texts.NOT_SIGNED_UP)
        return
    await say(update, context, _summary(board), _menu(board))


async def show_list(update: Update, context: LeadlineContext) -> None:
    """Shows one page of a dashboard list; each lead opens its card with its actions."""
    pressed = DashboardList.of(update)
    await answer_query(update, context)
    kind = pressed.kind
    listing = await dashboard.lead_list(context.uow(), telegram_id(update), kind, pressed.offset)
    page = listing.page
    if page.total == 0:
        text = f"<b>{TITLES[kind]}</b>: none yet."
    else:
        last = min(page.offset + page.size, page.total)
        text = f"<b>{TITLES[kind]}</b>: {page.offset + 1}–{last} of {page.total}"
    await say(update, context, text, _list_keyboard(kind, listing))


def handlers() -> list[BaseHandler[Update, LeadlineContext, Any]]:
    return [
        CommandHandler("dashboard", show),
        CallbackQueryHandler(show, DashboardOpen.matches),
        CallbackQueryHandler(show_list, DashboardList.matches),
    ]
