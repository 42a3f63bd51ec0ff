"""What the provider search, a seller's public card and an invitation say; user text is
always HTML-escaped here."""

from __future__ import annotations

from html import escape

from domain.credentials import Credentials
from domain.model import User
from domain.ports import Page
from domain.sellers import PublicProfile, Search

ASK = (
    "Which skills are you looking for? Send <code>/providers logo design, figma</code>, "
    "or pick a category:"
)
RESUME = "📄 Resume"
DOCUMENTS = "🏅 Documents"
INVITE = "✉️ Invite to lead"
WHICH_LEAD = "Invite to which lead?"
NO_OPEN_LEAD = "You have no open lead to invite to."
INVITED_ALERT = "Invitation sent."
INVITED_BEFORE = "You invited this seller already."
INVITED = "✉️ Invitation sent. The seller sees it under Requested leads."
VIEW_LEAD, MAKE_OFFER, MESSAGE = "👀 View", "💼 Make offer", "💬 Message"
SHOWN_SKILLS = 10
SHOWN_ENTRIES = 4


def _asked(search: Search) -> str:
    return escape(", ".join(search.skills) or search.category or "")


def found(search: Search, page: Page[User]) -> str:
    if page.total == 0:
        return f"No sellers found for “{_asked(search)}” yet."
    last = min(page.offset + page.size, page.total)
    return f"Sellers for “{_asked(search)}”: {page.offset + 1}–{last} of {page.total}"


def seller_button(user: User) -> str:
    return f"👤 {user.name}"[:60]


def lead_button(title: str | None) -> str:
    return f"📌 {title}"[:60]


def invited(buyer: User, title: str | None) -> str:
    """What the invited seller reads."""
    return f"📨 <b>{escape(buyer.name)}</b> invited you to a lead: <b>{escape(title or '')}</b>"


def public_card(profile: PublicProfile) -> str:
    """What a buyer sees of a seller; well under 4096 characters."""
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
