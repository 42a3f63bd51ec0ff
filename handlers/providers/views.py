"""The keyboards of the provider search, of a seller's public card and of an invitation."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from domain.leads import Lead
from domain.model import User
from domain.negotiation import Thread
from domain.ports import Page
from domain.sellers import PublicProfile
from handlers.chat.buttons import ThreadMessage, ThreadOffer
from handlers.core import texts as common_texts
from handlers.core.keyboards import button, rows
from handlers.leads.buttons import LeadView
from handlers.menu.buttons import MenuOpen
from handlers.providers import texts
from handlers.providers.buttons import (
    ProviderDocuments,
    ProviderInvite,
    ProviderInviteTo,
    ProviderPage,
    ProviderResume,
    ProviderView,
)


def card_actions(profile: PublicProfile, viewer: User) -> InlineKeyboardMarkup | None:
    seller = profile.user.id or 0
    buttons = []
    if profile.credentials.resume and profile.resume_shared:
        buttons.append(button(texts.RESUME, ProviderResume(seller)))
    if profile.credentials.verification and profile.documents_shared:
        buttons.append(button(texts.DOCUMENTS, ProviderDocuments(seller)))
    if viewer.is_buyer and viewer.id != profile.user.id:
        buttons.append(button(texts.INVITE, ProviderInvite(seller)))
    # A way back: to the last results, or to the menu.
    buttons.append(button(texts.BACK_TO_RESULTS, ProviderPage(0)))
    buttons.append(button(common_texts.BACK_TO_MENU, MenuOpen()))
    return rows(*buttons)


def results(page: Page[User]) -> InlineKeyboardMarkup:
    keyboard: list[list[InlineKeyboardButton]] = [
        [button(texts.seller_button(user), ProviderView(user.id or 0))] for user in page.items
    ]
    nav = []
    if page.has_previous:
        previous = ProviderPage(max(page.offset - page.size, 0))
        nav.append(button(common_texts.PREVIOUS_PAGE, previous))
    if page.has_next:
        nav.append(button(common_texts.NEXT_PAGE, ProviderPage(page.offset + page.size)))
    if nav:
        keyboard.append(nav)
    keyboard.append([button(common_texts.BACK_TO_MENU, MenuOpen())])
    return InlineKeyboardMarkup(keyboard)


def lead_choice(seller_id: int, leads: list[Lead]) -> InlineKeyboardMarkup:
    """One button per open lead, and Cancel: back to the seller's card."""
    return rows(
        *(
            button(texts.lead_button(lead.title), ProviderInviteTo(seller_id, lead.id or 0))
            for lead in leads
        ),
        button(texts.CANCEL, ProviderView(seller_id)),
        width=1,
    )


def invitation_actions(lead: Lead, thread: Thread) -> InlineKeyboardMarkup:
    """What an invited seller may do: read the lead, bid, or write to the buyer."""
    return rows(
        button(texts.VIEW_LEAD, LeadView(lead.id or 0)),
        button(texts.MAKE_OFFER, ThreadOffer(thread.id or 0)),
        button(texts.MESSAGE, ThreadMessage(thread.id or 0)),
    )
