"""Keyboards of the admin console."""

from __future__ import annotations

from html import unescape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from domain.admin_cases import UserCard
from domain.contact import ContactConversation
from domain.moderation import Flagged
from handlers.admin import texts
from handlers.admin.buttons import (
    AdminAnnounce,
    AdminAnnounceDrop,
    AdminAnnounceSend,
    AdminAudience,
    AdminContacts,
    AdminCounts,
    AdminDisputes,
    AdminFind,
    AdminFlagged,
    AdminReject,
    AdminSuspend,
    AdminTranscript,
    AdminUnsuspend,
    AdminUser,
    AdminVerify,
    AudienceChoice,
)
from handlers.contact.buttons import ContactReply
from handlers.core.keyboards import button, rows
from handlers.core.limits import button_label


def console() -> InlineKeyboardMarkup:
    return rows(
        button(texts.FIND, AdminFind()),
        button(texts.ANNOUNCE, AdminAnnounce()),
        button(texts.FLAGGED, AdminFlagged()),
        button(texts.DISPUTES, AdminDisputes()),
        button(texts.CONTACTS, AdminContacts()),
        button(texts.REFRESH, AdminCounts()),
    )


def contacts(conversations: list[ContactConversation]) -> InlineKeyboardMarkup:
    """Reply to each exchange that waits for an answer, then back to the console."""
    keyboard = [
        [button(texts.contact_button(item), ContactReply(item.latest.id or 0))]
        for item in conversations
        if item.waiting
    ]
    keyboard.append([button(texts.CONSOLE, AdminCounts())])
    return InlineKeyboardMarkup(keyboard)


def user_card(card: UserCard) -> InlineKeyboardMarkup:
    keyboard: list[list[InlineKeyboardButton]] = [
        [button(texts.transcript_button(s), AdminTranscript(s.thread.id or 0))]
        for s in card.threads.items
    ]
    user_id = card.user.key
    if not card.admin:
        if card.user.suspended:
            keyboard.append([button(texts.UNSUSPEND, AdminUnsuspend(user_id))])
        else:
            keyboard.append([button(texts.SUSPEND, AdminSuspend(user_id))])
    keyboard.append([button(texts.CONSOLE, AdminCounts())])
    return InlineKeyboardMarkup(keyboard)


def suspended(user_id: int) -> InlineKeyboardMarkup:
    """Under "X is suspended": back to their card, where Unsuspend is."""
    return rows(button(texts.USER_CARD, AdminUser(user_id)), button(texts.CONSOLE, AdminCounts()))


def flagged(found: list[Flagged]) -> InlineKeyboardMarkup:
    """One Transcript button per thread the flagged messages are in."""
    threads: dict[int, str] = {}
    for item in found:
        threads.setdefault(item.message.thread_id, unescape(texts.lead_title(item.lead_title)))
    keyboard = [
        [button(button_label(title, before="📄 "), AdminTranscript(thread_id))]
        for thread_id, title in threads.items()
    ]
    keyboard.append([button(texts.CONSOLE, AdminCounts())])
    return InlineKeyboardMarkup(keyboard)


def audiences() -> InlineKeyboardMarkup:
    return rows(
        button(texts.EVERYONE, AdminAudience(AudienceChoice.EVERYONE)),
        button(texts.BUYERS, AdminAudience(AudienceChoice.BUYERS)),
        button(texts.SELLERS, AdminAudience(AudienceChoice.SELLERS)),
        width=3,
    )


def confirm_announcement() -> InlineKeyboardMarkup:
    return rows(button(texts.SEND, AdminAnnounceSend()), button(texts.DROP, AdminAnnounceDrop()))


def verification(document_id: int) -> InlineKeyboardMarkup:
    return rows(
        button(texts.VERIFY, AdminVerify(document_id)),
        button(texts.REJECT, AdminReject(document_id)),
    )
