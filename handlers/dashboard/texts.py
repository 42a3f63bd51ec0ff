"""What the dashboard and its lists say; user text is always HTML-escaped here."""

from __future__ import annotations

from html import escape

from domain.dashboard import Dashboard, LeadList, LeadListing
from domain.leads import Lead
from domain.lifecycle import LeadStatus
from domain.model import User
from domain.negotiation import OfferStatus
from domain.reviews import Review, ReviewSide, aspects
from domain.skills import skill_key
from handlers.core.limits import button_label, clip
from handlers.deals import texts as deal_texts
from handlers.reviews import texts as review_texts

BACK = "⬅️ Dashboard"
POST_LEAD, FIND_PROVIDERS, FIND_LEADS = "➕ Post a lead", "🧑‍💻 Find providers", "🔎 Find leads"
UNTITLED = "Untitled draft"
# What the summary counts, each label with the statuses it adds up.
COUNT_LABELS: dict[str, tuple[LeadStatus, ...]] = {
    "draft": (LeadStatus.DRAFT,),
    "open": (LeadStatus.OPEN,),
    "in progress": (LeadStatus.IN_PROGRESS, LeadStatus.DELIVERED, LeadStatus.DISPUTED),
    "completed": (LeadStatus.COMPLETED,),
    "cancelled": (LeadStatus.CANCELLED,),
    "withdrawn": (LeadStatus.WITHDRAWN,),
}
# A lead's status in a list line (the summary's words).
STATUS_WORDS = {status: label for label, group in COUNT_LABELS.items() for status in group}
STATUS_WORDS[LeadStatus.DELIVERED] = "delivered"
STATUS_WORDS[LeadStatus.DISPUTED] = "in dispute"
TITLES = {
    LeadList.MINE: "My leads",
    LeadList.IN_PROGRESS: "Leads in progress",
    LeadList.REQUESTED: "Requested leads",
    LeadList.COMPLETED: "Completed leads",
}
MARKS = {
    LeadStatus.IN_PROGRESS: "✅ ",
    LeadStatus.DELIVERED: "📦 ",
    LeadStatus.COMPLETED: "🏁 ",
    LeadStatus.CANCELLED: "✖️ ",
    LeadStatus.DRAFT: "📝 ",
    LeadStatus.WITHDRAWN: "🗑 ",
}
REVIEW = "⭐ Review"
# What the Completed list shows of a title and of a review, so five leads fit one message.
SHOWN_TITLE, SHOWN_REVIEW = 80, 240


def summary(board: Dashboard) -> str:
    lines = [f"📊 <b>Dashboard</b> — {escape(board.user.name)}"]
    if board.user.is_buyer:
        counts = " · ".join(
            f"{sum(board.counts.get(status, 0) for status in statuses)} {label}"
            for label, statuses in COUNT_LABELS.items()
        )
        lines.append(f"📌 My leads: {counts}")
        if board.buyer_rating is not None:
            rating = board.buyer_rating
            given = review_texts.tally(rating) if rating.count else "not rated yet"
            lines.append(f"🤝 My rating as a buyer: {given}")
    if board.user.is_seller and board.reputation is not None:
        reputation = board.reputation
        lines.append(f"🛠 Hired work under way: {board.working}")
        lines.append(f"📨 Requested leads: {board.requested}")
        lines.append(f"🏁 Completed leads as a seller: {reputation.completed}")
        # The profile's skills, then others the seller earned stars in on leads.
        skills = list(board.user.profile.skills)
        mine = {skill_key(skill) for skill in skills}
        skills += [skill for skill in reputation.rated() if skill_key(skill) not in mine]
        stars = " · ".join(
            f"{escape(skill)}: {review_texts.tally(reputation.of(skill))}" for skill in skills
        )
        lines.append(f"⭐ My stars: {stars or 'no skills yet'}")
    return "\n".join(lines)


def list_header(kind: LeadList, listing: LeadListing) -> str:
    page = listing.page
    if page.total == 0:
        return f"<b>{TITLES[kind]}</b>: none yet."
    last = min(page.offset + page.size, page.total)
    return f"<b>{TITLES[kind]}</b>: {page.offset + 1}–{last} of {page.total}"


def lead_line(lead: Lead, listing: LeadListing, viewer: User, *, status: bool = False) -> str:
    """A lead's button label: its mark, its title, and what is going on with it (with
    ``status``, its status first, as in My leads)."""
    missed = _missed(lead, listing)
    note = missed or _note(lead.id or 0, listing, viewer)
    # A lead that went to someone else is no success of the viewer's: no ✅.
    mark = "" if missed else MARKS.get(lead.status, "")
    # The status first, so that a long title cut to fit the button never hides it.
    said = f"{STATUS_WORDS[lead.status]} · " if status else ""
    after = f" — {note}" if note else ""
    return button_label(lead.title or UNTITLED, before=f"{mark}{said}", after=after)


def _missed(lead: Lead, listing: LeadListing) -> str | None:
    """What became of a lead a seller bid on and was not hired for, or None."""
    offer = listing.offers.get(lead.id or 0)
    if offer is None or offer.status is OfferStatus.ACCEPTED:
        return None
    if lead.status is LeadStatus.WITHDRAWN:
        return "withdrawn by the buyer"
    if lead.status in (LeadStatus.OPEN, LeadStatus.DRAFT):
        return None
    return "went to another seller"


def _note(lead_id: int, listing: LeadListing, viewer: User) -> str | None:
    offer = listing.offers.get(lead_id)
    if offer is not None:
        who = "your offer" if offer.author_id == viewer.id else "their offer"
        return f"{who} {offer.amount.format()}, {deal_texts.offer_state(offer.status)}"
    due = listing.due.get(lead_id)
    return f"due {due:%d %b %Y}" if due is not None else None


def completed_lines(listing: LeadListing, viewer: User) -> list[str]:
    """Each completed or cancelled lead: with whom, and the stars given and received."""
    lines: list[str] = []
    for lead in listing.page.items:
        other = listing.others.get(lead.key)
        who = f", with {escape(other.name)}" if other is not None else ""
        state = "completed" if lead.status is LeadStatus.COMPLETED else "cancelled"
        title = f"<b>{escape(clip(lead.title or '', SHOWN_TITLE))}</b>"
        lines.append(f"{MARKS.get(lead.status, '')}{title} — {state}{who}")
        if lead.status is not LeadStatus.COMPLETED:
            continue
        lines.append(f"   ⭐ You gave: {_review(listing.given.get(lead.key), lead)}")
        lines.append(f"   ⭐ You got: {_review(listing.received.get(lead.key), lead)}")
    return lines


def _review(review: Review | None, lead: Lead) -> str:
    """What a review gave (Python 5★ · Django 4★ “Great”), cut so that five leads always fit
    one message."""
    if review is None:
        return "not yet"
    if review.side is ReviewSide.SELLER:
        stars = " · ".join(f"{value}★" for value in review.stars.values())
    else:
        rated = [skill for skill in aspects(lead, review.side) if skill in review.stars]
        stars = " · ".join(f"{skill} {review.stars[skill]}★" for skill in rated)
    comment = f" “{review.comment}”" if review.comment else ""
    return escape(clip(stars + comment, SHOWN_REVIEW))


def review_button(lead: Lead) -> str:
    return button_label(lead.title or "", before=f"{REVIEW}: ")
