"""What review cards, questions and notices say; user text is always HTML-escaped here."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo
from html import escape
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from domain.reviews import MAX_STARS, Review, ReviewCard, ReviewSide, StarTally

FULL, EMPTY = "★", "☆"
SUBMIT, SAVE = "✅ Submit", "💾 Save changes"
CHANGE_STARS = "✏️ Change stars"
ADD_COMMENT, CHANGE_COMMENT = "💬 Add a comment", "💬 Change comment"
SKIP = "Skip"
DASHBOARD = "📊 Dashboard"
SUBMITTED_ALERT = "Thank you for your review!"
NO_COMMENT = "Thanks — your review is complete."
CANCELLED = "No comment was added; your stars are saved."
NO_STARS = "no stars yet"


def bar(stars: int) -> str:
    """★★★★☆ for 4."""
    return FULL * stars + EMPTY * (MAX_STARS - stars)


def star_button(value: int, chosen: int | None) -> str:
    """One star of a row: filled up to the stars chosen, numbered so the row reads 1 to 5."""
    return f"{value}{'⭐' if chosen is not None and value <= chosen else EMPTY}"


def tally(counted: StarTally) -> str:
    """4.5★ (2), or "no stars yet"."""
    return f"{counted.average}★ ({counted.count})" if counted.average else NO_STARS


def local(moment: datetime, timezone: str) -> str:
    """A moment in the user's time zone, naming the zone."""
    try:
        zone: tzinfo = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        zone, timezone = UTC, "UTC"
    return f"{moment.astimezone(zone):%d %b %Y, %H:%M} ({timezone})"


def _title(card: ReviewCard) -> str:
    return escape(card.lead.title or "")


def given(review: Review, aspects: tuple[str, ...]) -> str:
    """The stars of a review: "Python ★★★★★ · Django ★★★★☆", or the buyer's one bar."""
    if review.side is ReviewSide.SELLER:
        return " · ".join(bar(stars) for stars in review.stars.values())
    return " · ".join(
        f"{escape(aspect)} {bar(review.stars[aspect])}"
        for aspect in aspects
        if aspect in review.stars
    )


def card(card: ReviewCard, timezone: str) -> str:
    """The review being given: what to tap and until when it may change."""
    name, review = escape(card.subject.name), card.review
    if review.side is ReviewSide.BUYER:
        lines = [
            f"⭐ <b>Rate the work of {name}</b> on <b>{_title(card)}</b>",
            "Tap 1 to 5 stars in the row under each skill of the lead, then Submit.",
        ]
    else:
        lines = [
            f"⭐ <b>Rate {name} as a buyer</b> on <b>{_title(card)}</b>",
            f"Tap 1 to 5 stars, then Submit. Sellers see your rating on {name}'s bids "
            "and invitations.",
        ]
    final_at = review.final_at
    if final_at is None:
        lines.append("<i>You can change the stars until you submit, and for 48 hours after.</i>")
    else:
        lines.append(f"<i>You can change them until {local(final_at, timezone)}.</i>")
    return "\n".join(lines)


def summary(card: ReviewCard, timezone: str) -> str:
    """A given review, as its author sees it."""
    review = card.review
    whom = escape(card.subject.name)
    heading = "Your review of" if review.side is ReviewSide.BUYER else "Your rating of"
    lines = [
        f"✅ <b>{heading} {whom}</b> on <b>{_title(card)}</b>",
        given(review, card.aspects),
    ]
    if review.comment:
        lines.append(f"💬 “{escape(review.comment)}”")
    if review.final_at is not None:
        lines.append(f"<i>You can change it until {local(review.final_at, timezone)}.</i>")
    return "\n".join(lines)


def aspect_hint(aspect: str) -> str:
    """The answer to a tap on a skill's name (an alert: plain text)."""
    return f"Tap 1 to 5 stars in the row under “{aspect}”."


def rated(aspect: str, stars: int) -> str:
    noun = "star" if stars == 1 else "stars"
    return f"{aspect}: {stars} {noun}"


def saved(card: ReviewCard) -> str:
    return f"Saved; {card.subject.name} is told."


def comment_question(card: ReviewCard) -> str:
    return (
        f"💬 Add a comment for <b>{escape(card.subject.name)}</b>? Send it as a message "
        "(up to 1000 characters), or tap Skip."
    )


def commented(card: ReviewCard) -> str:
    return f"💬 Thanks — {escape(card.subject.name)} will read your comment."


def awarded(review_card: ReviewCard, first: bool) -> str:
    """What the reviewed side hears."""
    review, author = review_card.review, escape(review_card.author.name)
    stars = given(review, review_card.aspects)
    if review.side is ReviewSide.BUYER:
        verb = "gave you stars" if first else "changed your stars"
        where = "They show on your public card and on your bids."
    else:
        verb = "rated you as a buyer" if first else "changed their rating of you as a buyer"
        where = "Sellers see it on your counter-offers and invitations."
    return f"⭐ <b>{author}</b> {verb} for <b>{_title(review_card)}</b>:\n{stars}\n{where}"


def comment_notice(review_card: ReviewCard) -> str:
    return (
        f"💬 <b>{escape(review_card.author.name)}</b> commented on "
        f"<b>{_title(review_card)}</b>:\n“{escape(review_card.review.comment or '')}”"
    )
