"""What a digest says: how many leads, then the best ones, each with its budget."""

from __future__ import annotations

from html import escape

from domain.digests import Digest, DigestLead
from domain.model import DigestInterval
from handlers.core.limits import clip_words, units, visible
from handlers.core.texts import plural

# Leads a digest lists (each with its button); the others are counted, found in /leads.
LISTED = 10
# Telegram takes 4096 UTF-16 units of visible text; the rest of the room is the footer's.
TEXT_ROOM = 3800
TITLE_ROOM = 200
ALL_LEADS = "🔎 All matching leads"
FOOTER = "<i>Gathered here because you reached the day's alerts; change how often in /settings.</i>"

INTERVAL_NAMES = {
    DigestInterval.HOURLY: "every hour",
    DigestInterval.EVERY_3_HOURS: "every 3 hours",
    DigestInterval.DAILY: "daily",
    DigestInterval.OFF: "off",
}
INTERVAL_BUTTONS = {
    DigestInterval.HOURLY: "Hourly",
    DigestInterval.EVERY_3_HOURS: "Every 3 h",
    DigestInterval.DAILY: "Daily",
    DigestInterval.OFF: "Off",
}


def _line(number: int, lead: DigestLead) -> str:
    title = escape(clip_words(lead.title or "Untitled lead", TITLE_ROOM))
    budget = f" — 💰 {lead.budget.format()}" if lead.budget else ""
    return f"{number}. <b>{title}</b>{budget}"


def listed(digest: Digest) -> tuple[DigestLead, ...]:
    """The leads the digest names, best first: as many as fit (at most LISTED)."""
    lines = [header(digest)]
    shown: list[DigestLead] = []
    for lead in digest.leads[:LISTED]:
        lines.append(_line(len(shown) + 1, lead))
        if units(visible("\n".join(lines))) > TEXT_ROOM:
            break
        shown.append(lead)
    return tuple(shown)


def header(digest: Digest) -> str:
    count = len(digest.leads)
    verb = "matches" if count == 1 else "match"
    return f"📬 <b>{plural(count, 'new lead')} {verb} your skills</b>"


def digest(digest: Digest) -> str:
    """ "5 new leads match your skills", the best ones listed, "…and 3 more" for the rest."""
    shown = listed(digest)
    lines = [header(digest), ""]
    lines += [_line(number, lead) for number, lead in enumerate(shown, 1)]
    rest = len(digest.leads) - len(shown)
    if rest:
        lines.append(f"…and {rest:,} more in /leads.")
    return "\n".join([*lines, "", FOOTER])


def lead_button(number: int) -> str:
    return f"{number}. "


def settings_section(interval: DigestInterval) -> str:
    """The digest's line in /settings."""
    return f"Digest of the leads beyond your daily alerts: <b>{INTERVAL_NAMES[interval]}</b>"


def interval_answer(interval: DigestInterval) -> str:
    if interval is DigestInterval.OFF:
        return "No digest: leads beyond your daily alerts are in /leads."
    return f"Digest: {INTERVAL_NAMES[interval]}."
