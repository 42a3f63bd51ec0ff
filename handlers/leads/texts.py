"""Sentences and cards of the leads part; user text is always HTML-escaped here."""

from __future__ import annotations

from html import escape

from telegram.helpers import create_deep_linked_url

from domain.deals import Bid
from domain.leads import MAX_ATTACHMENTS, Lead, LeadChange
from domain.lifecycle import LeadStatus, describe
from domain.model import User
from domain.money import Money
from domain.search import MAX_QUERY
from handlers.core.limits import button_label, clip
from handlers.core.texts import plural
from handlers.deals import texts as deal_texts

TITLE_QUESTION = (
    "What is the title of your lead? A few words, e.g. “Logo for a coffee shop” "
    "(up to 120 characters)."
)
DESCRIPTION_QUESTION = (
    "Describe the work: what you need, what you have already, and what done looks like "
    "(up to 4000 characters)."
)
CATEGORY_QUESTION = "Which category fits the lead best?"
SKILLS_QUESTION = "Which skills should the seller have? Send 1–10, separated by commas."
ATTACHMENT_QUESTION = (
    f"Attach a brief or a picture if you have one (up to {MAX_ATTACHMENTS}), or tap Skip."
)
RESUME_DRAFT = "You have an unfinished lead. Continue where you left off, or start over?"
CANCELLED = "Cancelled. Your draft is kept: send /newlead to continue it."
DISCARDED = "The draft is thrown away."
SEND_FILE = "Please send a document or a photo."
TAP_RESUME = "Please tap Continue or Start over."
TAP_CATEGORY = "Please tap one of the categories."
TAP_FIELD = "Please tap the part you want to change."
TAP_PREVIEW = "Please tap Publish, Edit or Cancel under the preview."
WHICH_FIELD = "Which part do you want to change?"
WITHDRAWN = "The lead is withdrawn; sellers can no longer find it."
NO_BIDS = "No bids yet. Matching sellers have been told; you can also invite some via /providers."
MY_LEADS = "📌 My leads"
BUYER_SEARCH_HINT = (
    "Search open leads with a few words, e.g. /leads logo design "
    "(“exact words” in quotes, -word to leave out). Your own leads are under My leads."
)
NO_LEADS = "No open leads match yet. Try /leads with a few words, e.g. /leads logo design."
NO_MATCHING_SELLERS = "No sellers match this lead yet."
MUTE_ON = "🔕 New-lead alerts are off. You can still find leads with /leads."
MUTE_OFF = "🔔 New-lead alerts are on."
NO_SUCH_LEAD = "That lead does not exist."
WITHDRAW_QUESTION = "Withdraw this lead? Sellers will no longer see it."
SKILL_FILTER_QUESTION = "Filter by which skill?"
OPEN_IN_LEADLINE = "Open in Leadline"
INLINE_UNTITLED = "Lead"
EDIT, WITHDRAW, BIDS = "✏️ Edit", "🗑 Withdraw", "📨 Bids"
MATCHING_SELLERS, CONNECT, VIEW = "👥 Matching sellers", "🤝 Connect", "👀 View"
YES_WITHDRAW, KEEP_OPEN = "Yes, withdraw", "Keep it open"
PUBLISH, CANCEL = "🚀 Publish", "✖️ Cancel"
CONTINUE, START_OVER = "Continue", "Start over"
DONE, SKIP = "Done", "Skip"
PREVIOUS, NEXT = "◀️ Prev", "Next ▶️"
FILTER_CATEGORY, FILTER_SKILL, CLEAR_FILTERS = "🗂 Category", "🛠 Skill", "✖️ Clear"
ALERTS_MAX_DESCRIPTION = 300
CARD_MAX_DESCRIPTION = 3000

FIELD_NAMES = {
    "title": "Title",
    "description": "Description",
    "category": "Category",
    "skills": "Skills",
    "budget": "Budget",
    "attachments": "Attachments",
}


def budget_question(currency: str) -> str:
    return f"What is your budget in {currency}? For example 500 or 1,200.50."


def skills_question(popular: list[str]) -> str:
    if not popular:
        return SKILLS_QUESTION
    return f"{SKILLS_QUESTION}\nPopular: <i>{escape(', '.join(popular))}</i>"


def attachment_added(name: str, count: int, captioned: bool = False) -> str:
    # A lead keeps its files, not their captions: the description is where words go.
    dropped = " Its caption is not kept; put what it says in the description." if captioned else ""
    return (
        f"📎 Added {escape(name)} ({count}/{MAX_ATTACHMENTS}).{dropped} Send another, or tap Done."
    )


def files_question(count: int) -> str:
    """The attachment question: Skip while nothing is attached, Done once something is."""
    if not count:
        return ATTACHMENT_QUESTION
    return f"📎 {count}/{MAX_ATTACHMENTS} attached. Send another, or tap Done."


def share_link(bot_username: str, lead: Lead) -> str:
    return create_deep_linked_url(bot_username, f"lead_{lead.id}")


def _short(text: str, limit: int) -> str:
    return clip(text, limit)


def lead_card(
    lead: Lead, buyer: User | None, bot_username: str, *, full: bool = True, party: bool = True
) -> str:
    """The lead as people read it; its length stays well under Telegram's 4096. The ✅ of
    a hire is for its ``party`` (the buyer, the hired seller), not for a seller who lost."""
    mark = "✅ " if lead.status is LeadStatus.IN_PROGRESS and party else ""
    lines = [f"{mark}📌 <b>{escape(lead.title or 'Untitled lead')}</b>"]
    if lead.budget:
        lines.append(f"💰 Budget: <b>{lead.budget.format()}</b>")
    if lead.category:
        lines.append(f"🗂 {escape(lead.category)}")
    if lead.skills:
        lines.append(f"🛠 {escape(', '.join(lead.skills))}")
    if lead.description:
        limit = CARD_MAX_DESCRIPTION if full else ALERTS_MAX_DESCRIPTION
        lines += ["", escape(_short(lead.description, limit))]
    if lead.attachments:
        lines += ["", f"📎 {plural(len(lead.attachments), 'attachment')}"]
    # A card's label, not a sentence: "Status: draft" (describe says "a draft").
    footer = f"Status: {describe(lead.status).removeprefix('a ')}"
    if buyer is not None:
        footer += f" · by {escape(buyer.name)}"
    if lead.published_at:
        footer += f" · {lead.published_at:%d %b %Y}"
    lines += ["", f"<i>{footer}</i>"]
    if lead.status is LeadStatus.OPEN and lead.id is not None:
        lines.append(f"🔗 Share: {share_link(bot_username, lead)}")
    return "\n".join(lines)


def preview(lead: Lead, bot_username: str) -> str:
    return "<b>Preview</b> — this is how sellers will see your lead:\n\n" + lead_card(
        lead, None, bot_username
    )


def attachment_caption(lead: Lead, number: int) -> str:
    """ "📎 Logo for a bakery — file 2 of 3" under a lead's file."""
    total = len(lead.attachments)
    title = escape(clip(lead.title or "Untitled lead", 200))
    return f"📎 {title}" + (f" — file {number} of {total}" if total > 1 else "")


def alert(lead: Lead, bot_username: str) -> str:
    return "🔔 <b>New lead for your skills</b>\n\n" + lead_card(
        lead, None, bot_username, full=False
    )


def published(count: int) -> str:
    if count == 0:
        return "✅ Published. No seller has these skills yet; sellers can find it with /leads."
    # Told, not "alerted": a seller past the daily alert cap hears of it in their digest.
    sellers = "seller" if count == 1 else "sellers"
    return f"✅ Published. {count} matching {sellers} will hear of it."


def results_header(words: list[str], total: int, offset: int, size: int, more: bool = False) -> str:
    """ "Open leads for “logo”: 1–5 of 12" ("of 500+" when a search stopped counting)."""
    what = f"“{escape(clip(' '.join(words), MAX_QUERY))}”" if words else "your skills"
    if total == 0:
        return f"No open leads for {what}."
    last = min(offset + size, total)
    return f"Open leads for {what}: {offset + 1}–{last} of {total:,}{'+' if more else ''}"


def results_header_with_filters(
    words: list[str], filters: list[str], total: int, offset: int, size: int, more: bool = False
) -> str:
    """The line above a result list; an empty list without a search gets a hint."""
    if total == 0 and not words and not filters:
        return NO_LEADS
    header = results_header(words, total, offset, size, more)
    if filters:
        header += f"\nFilters: {escape(' · '.join(filters))}"
    return header


def result_button(lead: Lead) -> str:
    return button_label(lead.title or "Untitled", before="📌 ")


def inline_description(lead: Lead) -> str:
    return (lead.budget.format() + " · " if lead.budget else "") + ", ".join(lead.skills)


def changed(lead: Lead, change: LeadChange, bot_username: str) -> str:
    """Tells a seller already in talks what the buyer changed, then the lead as it is now."""
    return f"✏️ <b>The buyer changed {what_changed(change)}</b>\n\n" + lead_card(
        lead, None, bot_username, full=False
    )


def what_changed(change: LeadChange) -> str:
    """ "the budget: 1,200 USD → 2,000 USD", "the skills: added Go; removed Rust"."""
    before, after = change.before, change.after
    if isinstance(before, Money | None) and isinstance(after, Money):
        was = before.format() if before else "none"
        return f"the budget: {was} → {after.format()}"
    if isinstance(before, list) and isinstance(after, list):
        added = [name for name in after if name not in before]
        removed = [name for name in before if name not in after]
        parts = [f"added {escape(', '.join(added))}"] if added else []
        parts += [f"removed {escape(', '.join(removed))}"] if removed else []
        return f"the skills: {'; '.join(parts) or 'reordered'}"
    if change.part == "title":
        return f"the title: “{escape(str(before or ''))}” → “{escape(str(after))}”"
    if change.part == "category":
        return f"the category: {escape(str(before or 'none'))} → {escape(str(after))}"
    return f"the {escape(change.part)} (below)"


def withdrawn_notice(lead: Lead) -> str:
    """Tells a seller in talks that the buyer withdrew the lead."""
    return (
        f"🗑 The buyer withdrew the lead <b>{escape(lead.title or '')}</b>; "
        "open offers on it have lapsed."
    )


def bids(found: list[Bid]) -> str:
    lines = ["📨 <b>Bids</b>"]
    for bid in found:
        if bid.hired:
            state = "✅ hired"
        elif (latest := bid.latest) is not None:
            days = plural(latest.days, "day")
            state = f"{latest.amount.format()} in {days}, {deal_texts.offer_state(latest.status)}"
        else:
            state = "no offer yet"
        lines.append(f"• <b>{escape(bid.seller.name)}</b> — {state}")
    return "\n".join(lines)


def bid_button(bid: Bid) -> str:
    return button_label(bid.seller.name, before="💬 ")


def matching_sellers(sellers: list[User]) -> str:
    lines = ["👥 <b>Matching sellers</b>, best first:"]
    for seller in sellers:
        # Short lines: ten sellers must fit in one message.
        headline = seller.profile.headline or ""
        headline = f" — {escape(headline[:60])}" if headline else ""
        skills = escape(", ".join(seller.profile.skills[:4]))
        lines.append(f"• <b>{escape(seller.name)}</b>{headline}\n  🛠 {skills}")
    return "\n".join(lines)


def seller_button(seller: User) -> str:
    return button_label(seller.name, before="👤 ")
