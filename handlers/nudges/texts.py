"""What each kind of nudge says, and the reminders part of /settings."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime, timedelta
from html import escape
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from domain.nudges import MUTABLE, Nudge, NudgeKind, Person

CONVERSATION = "💬 Conversation"
OPEN_OFFER = "💬 See the offer"
CANCEL_LEAD = "✖️ Cancel lead"
EXTEND = "📅 Extend"
FIND_PROVIDERS = "🔎 Find providers"
VIEW_LEAD = "📄 View lead"
RATE = "⭐ Rate now"
RESEND_EMAIL = "📨 Resend email"
MUTE_HINT = "<i>You can mute reminders like this one in /settings.</i>"

# The names of the kinds users may mute, as /settings lists them.
KIND_NAMES = {
    NudgeKind.OFFER_UNANSWERED: "Offers waiting for your answer",
    NudgeKind.LEAD_WITHOUT_BIDS: "Open leads without bids",
    NudgeKind.REVIEW_PENDING: "Reviews still to give",
}
SHORT_NAMES = {
    NudgeKind.OFFER_UNANSWERED: "offers waiting",
    NudgeKind.LEAD_WITHOUT_BIDS: "leads without bids",
    NudgeKind.REVIEW_PENDING: "reviews to give",
}
ESSENTIAL_NOTE = (
    "Reminders about a contract under way (a deadline near or passed, a delivery waiting "
    "for approval) always come: the other side is waiting on you, and payment depends on them."
)


def _units(count: int, unit: str) -> str:
    return f"{count} {unit}" if count == 1 else f"{count} {unit}s"


def span(length: timedelta) -> str:
    """A duration as people say it, rounded: "90 seconds", "5 minutes", "24 hours", "3 days"."""
    seconds = max(0, round(length.total_seconds()))
    if seconds >= 2 * 86400:
        return _units(round(seconds / 86400), "day")
    if seconds >= 3600:
        return _units(round(seconds / 3600), "hour")
    if seconds >= 120:
        return _units(round(seconds / 60), "minute")
    return _units(seconds, "second")


def moment(at: datetime, person: Person) -> str:
    """A date and time in the person's timezone, naming the zone."""
    zone_name = person.timezone or "UTC"
    try:
        zone = ZoneInfo(zone_name)
    except (ZoneInfoNotFoundError, ValueError):
        zone, zone_name = ZoneInfo("UTC"), "UTC"
    return f"{at.astimezone(zone):%d %b %Y, %H:%M} {escape(zone_name)}"


def _title(nudge: Nudge) -> str:
    return escape(nudge.lead.title or "") if nudge.lead is not None else ""


def _other(nudge: Nudge) -> str:
    return escape(nudge.other.name) if nudge.other is not None else "the other side"


def deadline_near(nudge: Nudge, now: datetime) -> str:
    left = span(nudge.anchor_at - now)
    due = moment(nudge.anchor_at, nudge.recipient)
    if not nudge.to_buyer:
        return (
            f"⏰ <b>Deadline in {left}</b>\n"
            f"<b>{_title(nudge)}</b> for {_other(nudge)} is due {due}.\n"
            f"Deliver before then, or ask {_other(nudge)} for more time in your conversation."
        )
    return f"⏰ <b>Deadline in {left}</b>\n<b>{_title(nudge)}</b> by {_other(nudge)} is due {due}."


def deadline_passed(nudge: Nudge, now: datetime) -> str:
    return (
        f"⌛ <b>The deadline has passed</b>\n"
        f"<b>{_title(nudge)}</b> was due {moment(nudge.anchor_at, nudge.recipient)}, and "
        f"{_other(nudge)} has not delivered it.\n"
        f"You may cancel the lead (no payment is due), or give {_other(nudge)} more time."
    )


def delivery_waiting(nudge: Nudge, now: datetime) -> str:
    return (
        f"📦 <b>A delivery is waiting for your approval</b>\n"
        f"{_other(nudge)} delivered <b>{_title(nudge)}</b> {span(now - nudge.anchor_at)} ago. "
        "Approve it, or request changes, in your conversation."
    )


def review_pending(nudge: Nudge, now: datetime) -> str:
    what = (
        f"award {_other(nudge)} stars for each skill"
        if nudge.to_buyer
        else f"rate {_other(nudge)} as a buyer"
    )
    return (
        f"⭐ <b>How did it go?</b>\n"
        f"<b>{_title(nudge)}</b> was completed {span(now - nudge.anchor_at)} ago. "
        f"You can still {what}: it helps everyone choose.\n\n{MUTE_HINT}"
    )


def offer_unanswered(nudge: Nudge, now: datetime) -> str:
    return (
        f"💼 <b>An offer is waiting for your answer</b>\n"
        f"{_other(nudge)}'s offer on <b>{_title(nudge)}</b> has waited "
        f"{span(now - nudge.anchor_at)}. Accept, counter or decline it, so that "
        f"{_other(nudge)} knows where things stand.\n\n{MUTE_HINT}"
    )


def lead_without_bids(nudge: Nudge, now: datetime) -> str:
    return (
        f"📭 <b>Still no bids</b>\n"
        f"Your lead <b>{_title(nudge)}</b> has been open for {span(now - nudge.anchor_at)} "
        "without a bid. Invite sellers who fit it: they hear of it at once.\n\n"
        f"{MUTE_HINT}"
    )


def email_unconfirmed(nudge: Nudge, now: datetime) -> str:
    address = escape(nudge.recipient.email or "")
    return (
        f"📧 <b>Your email address is not confirmed yet</b>\n"
        f"I sent the confirmation link to {address} {span(now - nudge.anchor_at)} ago; "
        "open it to finish signing up. No email? Check the spam folder, or tap Resend for "
        "a fresh link."
    )


def settings_section(muted: Collection[NudgeKind], kinds: Sequence[NudgeKind] = MUTABLE) -> str:
    """The reminders part of /settings: each kind that may be muted, on or off."""
    lines = ["🔔 <b>Reminders</b>"]
    for kind in kinds:
        state = "off 🔕" if kind in muted else "on 🔔"
        lines.append(f"{KIND_NAMES[kind]}: <b>{state}</b>")
    return "\n".join([*lines, f"<i>{ESSENTIAL_NOTE}</i>"])


def mute_button(kind: NudgeKind, muted: bool) -> str:
    return f"🔔 Remind: {SHORT_NAMES[kind]}" if muted else f"🔕 Mute: {SHORT_NAMES[kind]}"


def mute_answer(kind: NudgeKind, muted: bool) -> str:
    name = KIND_NAMES[kind]
    return f"Muted: {name.lower()}." if muted else f"On again: {name.lower()}."
