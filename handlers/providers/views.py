"""The public profile card of a seller and the keyboards around it."""

from __future__ import annotations

from html import escape

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from domain.credentials import Credentials
from domain.leads import Lead
from domain.model import User
from domain.ports import Page
from domain.sellers import PublicProfile
from handlers.chat.buttons import ThreadMessage, ThreadOffer
from handlers.core.keyboards import button, rows
from handlers.leads.buttons import LeadView
from handlers.providers.buttons import (
    ProviderDocuments,
    ProviderInvite,
    ProviderInviteTo,
    ProviderPage,
    ProviderResume,
    ProviderView,
)

SHOWN_SKILLS = 10
SHOWN_ENTRIES = 4


def public_card(profile: PublicProfile) -> str:
    """What a buyer sees of a seller; user text escaped, well under 4096 characters."""
    user, credentials = profile.user, profile.credentials
    lines = [f"👤 <b>{escape(user.name)}</b>"]
    if user.profile.headline:
        lines.append(f"<i>{escape(user.profile.headline)}</i>")
    if user.organization_name:
        lines.append(f"🏢 {escape(user.organization_name)}")
    lines.append("")
    if user.profile.skills:
        lines.append("<b>Skills</b>")
        for skill in user.profile.skills[:SHOWN_SKILLS]:
            years = credentials.skill_years.get(skill)
            experience = f" · {years} yr" if years is not None else ""
            lines.append(f"• {escape(skill)} — {profile.stars.get(skill, 0)}★{experience}")
    if user.profile.categories:
        lines.append(f"🗂 {escape(', '.join(user.profile.categories))}")
    lines += _credentials(credentials)
    lines.append("")
    verified = "✅ email verified" if user.email_verified else "email not verified"
    place = f" · 📍 {escape(user.profile.location)}" if user.profile.location else ""
    lines.append(f"Completed leads: {profile.completed} · {verified}{place}")
    lines.append(f"<i>Member since {user.created_at:%B %Y}</i>")
    return "\n".join(lines)


def _more(total: int) -> list[str]:
    hidden = total - SHOWN_ENTRIES
    return [f"… and {hidden} more"] if hidden > 0 else []


def _credentials(credentials: Credentials) -> list[str]:
    """At most four entries of each kind, so the card stays under Telegram's 4096."""
    lines: list[str] = []
    if credentials.education:
        lines += ["", "<b>Education</b>"]
        for entry in credentials.education[:SHOWN_ENTRIES]:
            year = f", {entry.year}" if entry.year else ""
            lines.append(f"🎓 {escape(entry.degree)} — {escape(entry.school)}{year}")
        lines += _more(len(credentials.education))
    if credentials.links:
        lines += ["", "<b>Portfolio</b>"]
        for link in credentials.links[:SHOWN_ENTRIES]:
            title = f"{escape(link.title)}: " if link.title else ""
            url = link.url if len(link.url) <= 80 else link.url[:79] + "…"
            lines.append(f"🔗 {title}{escape(url)}")
        lines += _more(len(credentials.links))
    if credentials.verification:
        lines += ["", "<b>Verification documents</b>"]
        shown = credentials.verification[:SHOWN_ENTRIES]
        lines += [f"🏅 {escape(d.title)} ({d.kind.value})" for d in shown]
        lines += _more(len(credentials.verification))
    if credentials.resume:
        lines += ["", "📄 Resume attached"]
    return lines


def card_actions(profile: PublicProfile, viewer: User) -> InlineKeyboardMarkup | None:
    seller = profile.user.id or 0
    buttons = []
    if profile.credentials.resume:
        buttons.append(button("📄 Resume", ProviderResume(seller)))
    if profile.credentials.verification:
        buttons.append(button("🏅 Documents", ProviderDocuments(seller)))
    if viewer.is_buyer and viewer.id != profile.user.id:
        buttons.append(button("✉️ Invite to lead", ProviderInvite(seller)))
    return rows(*buttons) if buttons else None


def results(page: Page[User]) -> InlineKeyboardMarkup:
    keyboard: list[list[InlineKeyboardButton]] = [
        [button(f"👤 {user.name}"[:60], ProviderView(user.id or 0))] for user in page.items
    ]
    nav = []
    if page.has_previous:
        nav.append(button("◀️ Prev", ProviderPage(max(page.offset - page.size, 0))))
    if page.has_next:
        nav.append(button("Next ▶️", ProviderPage(page.offset + page.size)))
    if nav:
        keyboard.append(nav)
    return InlineKeyboardMarkup(keyboard)


def lead_choice(seller_id: int, leads: list[Lead]) -> InlineKeyboardMarkup:
    return rows(
        *(
            button(f"📌 {lead.title}"[:60], ProviderInviteTo(seller_id, lead.id or 0))
            for lead in leads
        ),
        width=1,
    )


def invitation(buyer: User, lead_id: int, title: str, thread_id: int) -> dict[str, object]:
    """The outbox payload telling a seller about an invitation."""
    actions = rows(
        button("👀 View", LeadView(lead_id)),
        button("💼 Make offer", ThreadOffer(thread_id)),
        button("💬 Message", ThreadMessage(thread_id)),
    )
    return {
        "method": "sendMessage",
        "text": f"📨 <b>{escape(buyer.name)}</b> invited you to a lead: <b>{escape(title)}</b>",
        "parse_mode": "HTML",
        "reply_markup": actions.to_dict(),
    }
