"""Keyboards of lead cards, alerts, previews and result lists."""

from __future__ import annotations

from collections.abc import Callable

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from domain.dashboard import LeadList
from domain.deals import Bid
from domain.leads import AttachmentKind, Lead
from domain.lifecycle import LeadStatus
from domain.model import User
from domain.ports import Page
from handlers.chat.buttons import ThreadOpen
from handlers.core import outgoing
from handlers.core import texts as common_texts
from handlers.core.callbacks import Button
from handlers.core.keyboards import button, rows
from handlers.dashboard.buttons import DashboardList
from handlers.leads import texts
from handlers.leads.buttons import (
    LeadBids,
    LeadClearFilters,
    LeadConnect,
    LeadFilterCategories,
    LeadFilterSkills,
    LeadMatchingSellers,
    LeadPage,
    LeadSkill,
    LeadStartEdit,
    LeadView,
    LeadWithdraw,
    LeadWithdrawConfirmed,
    NewLeadAttachmentsDone,
    NewLeadDiscard,
    NewLeadEdit,
    NewLeadField,
    NewLeadPublish,
    NewLeadRestart,
    NewLeadResume,
)
from handlers.menu.buttons import MenuOpen
from handlers.providers.buttons import ProviderView

FILE_KINDS: dict[AttachmentKind, outgoing.FileKind] = {
    AttachmentKind.DOCUMENT: "document",
    AttachmentKind.PHOTO: "photo",
}


def attachment(lead: Lead, number: int) -> outgoing.Payload:
    """The lead's file ``number`` (from 1), sent after its card, captioned with the title."""
    item = lead.attachments[number - 1]
    caption = texts.attachment_caption(lead, number)
    return outgoing.file(FILE_KINDS[item.kind], item.file_id, caption)


def owner_actions(lead: Lead) -> InlineKeyboardMarkup:
    lead_id = lead.id or 0
    buttons = []
    if lead.editable:
        buttons.append(button(texts.EDIT, LeadStartEdit(lead_id)))
    if lead.status is LeadStatus.OPEN:
        buttons.append(button(texts.WITHDRAW, LeadWithdraw(lead_id)))
    buttons.append(button(texts.BIDS, LeadBids(lead_id)))
    # Sellers to invite only while the lead takes offers.
    if lead.status is LeadStatus.OPEN:
        buttons.append(button(texts.MATCHING_SELLERS, LeadMatchingSellers(lead_id)))
    buttons.append(button(common_texts.BACK_TO_MENU, MenuOpen()))
    return rows(*buttons)


def seller_actions(lead: Lead) -> InlineKeyboardMarkup:
    menu = button(common_texts.BACK_TO_MENU, MenuOpen())
    if lead.status is not LeadStatus.OPEN:
        return rows(menu)
    return rows(button(texts.CONNECT, LeadConnect(lead.id or 0)), menu)


def alert_actions(lead: Lead) -> InlineKeyboardMarkup:
    lead_id = lead.id or 0
    return rows(button(texts.VIEW, LeadView(lead_id)), button(texts.CONNECT, LeadConnect(lead_id)))


def view_button(lead: Lead) -> InlineKeyboardMarkup:
    return rows(button(texts.VIEW, LeadView(lead.id or 0)))


def confirm_withdraw(lead: Lead) -> InlineKeyboardMarkup:
    lead_id = lead.id or 0
    return rows(
        button(texts.YES_WITHDRAW, LeadWithdrawConfirmed(lead_id)),
        button(texts.KEEP_OPEN, LeadView(lead_id)),
    )


def bids(found: list[Bid]) -> InlineKeyboardMarkup:
    return rows(
        *(button(texts.bid_button(bid), ThreadOpen(bid.thread.id or 0)) for bid in found), width=1
    )


def matching_sellers(sellers: list[User]) -> InlineKeyboardMarkup:
    return rows(
        *(button(texts.seller_button(seller), ProviderView(seller.id or 0)) for seller in sellers),
        width=1,
    )


def share(lead: Lead, bot_username: str) -> InlineKeyboardMarkup:
    """The button under a lead shared in another chat through inline mode."""
    link = texts.share_link(bot_username, lead)
    return InlineKeyboardMarkup([[InlineKeyboardButton(texts.OPEN_IN_LEADLINE, url=link)]])


def categories(names: list[str], choice: Callable[[int], Button]) -> InlineKeyboardMarkup:
    return rows(*(button(name, choice(i)) for i, name in enumerate(names)))


def field_chooser(include_attachments: bool) -> InlineKeyboardMarkup:
    fields = [f for f in texts.FIELD_NAMES if include_attachments or f != "attachments"]
    return rows(*(button(texts.FIELD_NAMES[f], NewLeadField(f)) for f in fields))


def preview_actions() -> InlineKeyboardMarkup:
    return rows(
        button(texts.PUBLISH, NewLeadPublish()),
        button(texts.EDIT, NewLeadEdit()),
        button(texts.CANCEL, NewLeadDiscard()),
        width=3,
    )


def resume_or_restart() -> InlineKeyboardMarkup:
    return rows(button(texts.CONTINUE, NewLeadResume()), button(texts.START_OVER, NewLeadRestart()))


def attachments_done(count: int) -> InlineKeyboardMarkup:
    return rows(button(texts.DONE if count else texts.SKIP, NewLeadAttachmentsDone()))


def results(page: Page[Lead]) -> InlineKeyboardMarkup:
    """One button per lead on the page, then Prev / Next and the filters."""
    keyboard: list[list[InlineKeyboardButton]] = [
        [button(texts.result_button(lead), LeadView(lead.id or 0))] for lead in page.items
    ]
    nav = []
    if page.has_previous:
        nav.append(button(texts.PREVIOUS, LeadPage(max(page.offset - page.size, 0))))
    if page.has_next:
        nav.append(button(texts.NEXT, LeadPage(page.offset + page.size)))
    if nav:
        keyboard.append(nav)
    keyboard.append(
        [
            button(texts.FILTER_CATEGORY, LeadFilterCategories()),
            button(texts.FILTER_SKILL, LeadFilterSkills()),
            button(texts.CLEAR_FILTERS, LeadClearFilters()),
        ]
    )
    keyboard.append([button(common_texts.BACK_TO_MENU, MenuOpen())])
    return InlineKeyboardMarkup(keyboard)


def skill_filter(skills: list[str]) -> InlineKeyboardMarkup:
    return rows(*(button(name[:40], LeadSkill(i)) for i, name in enumerate(skills)))


def buyer_search_hint() -> InlineKeyboardMarkup:
    """Where a buyer's own leads are, and the way back."""
    return InlineKeyboardMarkup(
        [
            [button(texts.MY_LEADS, DashboardList(LeadList.MINE, 0))],
            [button(common_texts.BACK_TO_MENU, MenuOpen())],
        ]
    )


def back_to_menu() -> InlineKeyboardMarkup:
    return rows(button(common_texts.BACK_TO_MENU, MenuOpen()))
