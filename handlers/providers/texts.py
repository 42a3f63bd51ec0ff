"""What the provider search, a seller's public card and an invitation say; user text is
always HTML-escaped here."""

from __future__ import annotations

from html import escape

from domain.credentials import Credentials
from domain.model import User
from domain.reviews import Reputation, StarTally
from domain.search import MAX_QUERY
from domain.sellers import Found, PublicProfile, Search
from domain.skills import skill_key
from handlers.core.limits import button_label, clip
from handlers.reviews.texts import NO_STARS, tally

ASK = (
    "Which skills are you looking for? Send <code>/providers logo design</code> (commas "
    "separate several skills: <code>/providers logo design, figma</code>), or pick a category:"
)
RESUME = "📄 Resume"
DOCUMENTS = "🏅 Documents"
INVITE = "✉️ Invite to lead"
BACK_TO_RESULTS = "⬅️ Results"
CANCEL = "✖️ Cancel"
WHICH_LEAD = "Invite to which lead?"
NO_OPEN_LEAD = "You have no open lead to invite to."
INVITED_ALERT = "Invitation sent."
INVITED_BEFORE = "You invited this seller already."
INVITED = "✉️ Invitation sent. The seller sees it under Requested leads."
VIEW_LEAD, MAKE_OFFER, MESSAGE = "👀 View", "💼 Make offer", "💬 Message"
VERIFIED_BADGE = "✔️ Verified"
SHOWN_SKILLS = 10
SHOWN_ENTRIES = 4


def _asked(search: Search) -> str:
    return escape(clip(", ".join(search.skills) or search.category or "", MAX_QUERY))


def badge(user: User) -> str:
    """ " · ✔️ Verified" after the name of a seller an admin verified."""
    return f" · {VERIFIED_BADGE}" if user.verified else ""


def completed(count: int) -> str:
    return f"{count} completed lead" + ("" if count == 1 else "s")


def found(result: Found) -> str:
    """The page of sellers, best first, each with their stars in what was asked."""
    search, page = result.search, result.page
    if page.total == 0:
        if not search.skills:
            return f"No sellers found for “{_asked(search)}” yet."
        return (
            f"No sellers found for “{_asked(search)}” yet; try one word of the skill "
            "(<code>/providers logo</code>), and separate several skills with commas "
            "(<code>/providers logo design, figma</code>)."
        )
    last = min(page.offset + page.size, page.total)
    lines = [f"Sellers for “{_asked(search)}”: {page.offset + 1}–{last} of {page.total}"]
    for user in page.items:
        reputation = result.reputations.get(user.key, Reputation())
        lines.append(f"• <b>{escape(user.name)}</b>{badge(user)} — {_stars_in(reputation, search)}")
    return "\n".join(lines)


def _stars_in(reputation: Reputation, search: Search) -> str:
    """The seller's stars in each asked skill they have some in (for a category, in their
    three most rated skills), and their completed leads."""
    rated = reputation.rated()
    skills = [s for asked in search.skills for s in rated if skill_key(s) == skill_key(asked)]
    if not search.skills:
        skills = rated[:3]
    stars = ", ".join(f"{escape(skill)} {tally(reputation.of(skill))}" for skill in skills)
    return f"{stars or NO_STARS} · {completed(reputation.completed)}"


def seller_button(user: User) -> str:
    return button_label(user.name, before="👤 ")


def lead_button(title: str | None) -> str:
    return button_label(title or "", before="📌 ")


def invited(buyer: User, title: str | None, rating: StarTally) -> str:
    """What the invited seller reads, with what sellers said of the buyer."""
    return (
        f"📨 <b>{escape(buyer.name)}</b> invited you to a lead: <b>{escape(title or '')}</b>\n"
        f"{buyer_rating(buyer, rating)}"
    )


def buyer_rating(buyer: User, rating: StarTally) -> str:
    """⭐ Bella as a buyer: 4.5★ (2) — what sellers who worked for them gave."""
    given = tally(rating) if rating.count else "not rated yet"
    return f"⭐ {escape(buyer.name)} as a buyer: {given}"


def public_card(profile: PublicProfile) -> str:
    """What a buyer sees of a seller; well under 4096 characters."""
    user, credentials = profile.user, profile.credentials
    lines = [f"👤 <b>{escape(user.name)}</b>{badge(user)}"]
    if user.profile.headline:
        lines.append(f"<i>{escape(user.profile.headline)}</i>")
    if user.organization_name:
        lines.append(f"🏢 {escape(user.organization_name)}")
    lines.append("")
    reputation = profile.reputation
    skills = _card_skills(user.profile.skills, reputation)
    if skills:
        lines.append("<b>Skills</b>")
        for skill in skills[:SHOWN_SKILLS]:
            years = credentials.skill_years.get(skill)
            experience = f" · {years} yr" if years is not None else ""
            lines.append(f"• {escape(skill)} — {tally(reputation.of(skill))}{experience}")
        hidden = len(skills) - SHOWN_SKILLS
        if hidden > 0:
            lines.append(f"… and {hidden} more")
    if user.profile.categories:
        lines.append(f"🗂 {escape(', '.join(user.profile.categories))}")
    lines += _credentials(credentials)
    lines.append("")
    verified = "✅ email verified" if user.email_verified else "email not verified"
    place = f" · 📍 {escape(user.profile.location)}" if user.profile.location else ""
    lines.append(f"Completed leads: {reputation.completed} · {verified}{place}")
    lines.append(f"<i>Member since {user.created_at:%B %Y}</i>")
    return "\n".join(lines)


def _card_skills(profile_skills: list[str], reputation: Reputation) -> list[str]:
    """The skills a card lists: those with stars first (the most rated first, the profile's
    and others the seller earned stars in on leads), then the profile's other skills."""
    rated = reputation.rated()
    keys = {skill_key(skill) for skill in rated}
    return rated + [skill for skill in profile_skills if skill_key(skill) not in keys]


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
