"""What the dashboard and its lists say; user text is always HTML-escaped here."""

from __future__ import annotations

from html import escape

from domain.dashboard import Dashboard, LeadList, LeadListing
from domain.leads import Lead
from domain.lifecycle import LeadStatus
from domain.model import User

BACK = "⬅️ Dashboard"
UNTITLED = "Untitled draft"
# What the summary counts, each label with the statuses it adds up.
COUNT_LABELS: dict[str, tuple[LeadStatus, ...]] = {
    "draft": (LeadStatus.DRAFT,),
    "open": (LeadStatus.OPEN,),
    "in progress": (LeadStatus.IN_PROGRESS, LeadStatus.DELIVERED, LeadStatus.DISPUTED),
    "completed": (LeadStatus.COMPLETED,),
    "cancelled": (LeadStatus.CANCELLED,),
}
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


def summary(board: Dashboard) -> str:
    lines = [f"📊 <b>Dashboard</b> — {escape(board.user.name)}"]
    if board.user.is_buyer:
        counts = " · ".join(
            f"{sum(board.counts.get(status, 0) for status in statuses)} {label}"
            for label, statuses in COUNT_LABELS.items()
        )
        lines.append(f"📌 My leads: {counts}")
    if board.user.is_seller:
        lines.append(f"📨 Requested leads: {board.requested}")
        stars = " · ".join(f"{escape(skill)} {count}★" for skill, count in board.stars.items())
        lines.append(f"⭐ My stars: {stars or 'no skills yet'}")
    return "\n".join(lines)


def list_header(kind: LeadList, listing: LeadListing) -> str:
    page = listing.page
    if page.total == 0:
        return f"<b>{TITLES[kind]}</b>: none yet."
    last = min(page.offset + page.size, page.total)
    return f"<b>{TITLES[kind]}</b>: {page.offset + 1}–{last} of {page.total}"


def lead_line(lead: Lead, listing: LeadListing, viewer: User) -> str:
    """A lead's button label: its mark, its title, and what is going on with it."""
    note = _note(lead.id or 0, listing, viewer)
    title = f"{MARKS.get(lead.status, '')}{lead.title or UNTITLED}"
    return title + (f" — {note}" if note else "")


def _note(lead_id: int, listing: LeadListing, viewer: User) -> str | None:
    offer = listing.offers.get(lead_id)
    if offer is not None:
        who = "your offer" if offer.author_id == viewer.id else "their offer"
        return f"{who} {offer.amount.format()}, {offer.status.value}"
    due = listing.due.get(lead_id)
    return f"due {due:%d %b %Y}" if due is not None else None
