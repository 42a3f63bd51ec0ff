"""The largest cards users can cause still fit Telegram's limits (4096 text, 1024 caption)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from domain.chat import MessageKind, Relay, RelayedMessage
from domain.credentials import (
    Credentials,
    DocumentKind,
    Education,
    PortfolioLink,
    ProfileDocument,
)
from domain.dashboard import LeadList, LeadListing
from domain.leads import Attachment, AttachmentKind, Lead
from domain.lifecycle import LeadStatus
from domain.model import Profile, Role, User
from domain.money import Money
from domain.negotiation import Deal, Offer, Thread
from domain.ports import Page
from domain.reviews import Reputation, Review, ReviewCard, ReviewSide, StarTally
from domain.sellers import PublicProfile
from handlers.chat import views as chat_views
from handlers.core.limits import clip, units, visible
from handlers.dashboard import texts as dashboard_texts
from handlers.deals import texts as deal_texts
from handlers.leads import texts as lead_texts
from handlers.providers import texts as provider_texts
from handlers.reviews import texts as review_texts
from handlers.reviews import views as review_views

NOW = datetime(2026, 11, 26, tzinfo=UTC)


def length(html: str) -> int:
    """Telegram counts UTF-16 code units (an emoji is two) of the text after parsing."""
    return units(visible(html))


def biggest_user() -> User:
    return User(
        telegram_id=1,
        first_name="F" * 64,
        created_at=NOW,
        id=1,
        roles={Role.SELLER},
        organization_name="&" * 120,
        profile=Profile(
            display_name="<" * 64,
            headline="&" * 120,
            location="L" * 100,
            skills=[f"Skill <{i}> " + "s" * 30 for i in range(30)],
            categories=["C" * 64] * 5,
        ),
    )


def biggest_lead() -> Lead:
    return Lead(
        buyer_id=1,
        created_at=NOW,
        id=123456,
        title="<" * 120,
        description="&" * 4000,
        category="C" * 64,
        skills=["S" * 40] * 10,
        budget=Money(10**9, "USD"),
        attachments=[Attachment(AttachmentKind.DOCUMENT, "f")] * 5,
        status=LeadStatus.OPEN,
        published_at=NOW,
    )


def test_public_card_fits() -> None:
    credentials = Credentials(
        education=[Education("D" * 120, "<" * 120, 2020)] * 10,
        documents=[ProfileDocument(DocumentKind.CERTIFICATE, "&" * 80, "f")] * 10,
        links=[PortfolioLink("https://x.org/" + "p" * 280, "T" * 80)] * 10,
        skill_years={f"Skill <{i}> " + "s" * 30: 60 for i in range(30)},
    )
    earned = {f"Earned <{i}> " + "e" * 28: StarTally(5 * 99_999, 99_999) for i in range(30)}
    reputation = Reputation(earned, completed=99_999)
    card = provider_texts.public_card(PublicProfile(biggest_user(), credentials, reputation))
    assert length(card) <= 4096


def test_clip_counts_utf16_units() -> None:
    assert clip("😀" * 10, 7) == "😀😀😀…"
    assert units(clip("a😀" * 100, 51)) <= 51
    assert clip("short", 10) == "short"


def test_lead_cards_fit() -> None:
    lead = biggest_lead()
    lead.description = "😀" * 4000
    for card in (
        lead_texts.lead_card(lead, biggest_user(), "b" * 32),
        lead_texts.preview(lead, "b" * 32),
        lead_texts.alert(lead, "b" * 32),
    ):
        assert length(card) <= 4096


def test_bid_card_and_relayed_messages_fit() -> None:
    thread = Thread(lead_id=1, buyer_id=2, seller_id=1, created_at=NOW, id=9)
    offer = Offer(9, 1, Money(10**9, "USD"), 365, NOW, note="<" * 1000, id=7)
    deal = Deal(biggest_lead(), thread, offer, biggest_user(), biggest_user())
    earned = Reputation({"S" * 40: StarTally(5 * 99_999, 99_999)}, completed=99_999)
    assert length(deal_texts.bid_card(deal, counter=True, reputation=earned)) <= 4096
    buyer = replace(deal, thread=replace(thread, seller_id=2))
    rating = StarTally(5 * 99_999, 99_999)
    assert length(deal_texts.bid_card(buyer, counter=True, buyer_rating=rating)) <= 4096
    for kind, text, limit, field in (
        (MessageKind.TEXT, "<&" * 2048, 4096, "text"),
        (MessageKind.TEXT, "😀" * 4000, 4096, "text"),
        (MessageKind.PHOTO, "<&" * 512, 1024, "caption"),
        (MessageKind.PHOTO, "😀" * 1000, 1024, "caption"),
    ):
        message = RelayedMessage(9, 1, 2, kind, NOW, 5, text=text, file_id="f", flagged=True)
        relay = Relay(biggest_lead(), biggest_user(), biggest_user())
        original = RelayedMessage(9, 1, 2, kind, NOW, 4, recipient_message_id=8, id=3)
        for payload in (
            chat_views.relayed(message, relay),
            chat_views.edited(message, original, relay),
            chat_views.edited(message, RelayedMessage(9, 1, 2, kind, NOW, 4, id=3), relay),
        ):
            assert length(str(payload[field])) <= limit


def test_review_cards_and_notices_fit() -> None:
    lead = biggest_lead()
    lead.skills = [f"<{i}>" + "s" * 37 for i in range(10)]
    for side in ReviewSide:
        stars = {skill: 5 for skill in lead.skills} if side is ReviewSide.BUYER else {}
        review = Review(lead.key, side, 1, 1, NOW, stars=stars, comment="<" * 1000)
        review.submitted_at = NOW
        if side is ReviewSide.SELLER:
            review.stars = {"as a buyer": 5}
        card = ReviewCard(review, lead, biggest_user(), biggest_user())
        for text in (
            review_texts.card(card, "Europe/Berlin"),
            review_texts.summary(card, "America/Argentina/ComodRivadavia"),
            review_texts.awarded(card, first=False),
            review_texts.comment_notice(card),
            review_texts.comment_question(card),
        ):
            assert length(text) <= 4096
        keyboard = review_views.card(card).inline_keyboard
        assert sum(len(row) for row in keyboard) <= 100  # Telegram's most buttons


def test_the_completed_list_fits() -> None:
    leads = []
    for index in range(5):
        lead = biggest_lead()
        lead.id, lead.status = index + 1, LeadStatus.COMPLETED
        leads.append(lead)
    comment = "<" * 1000
    given = {
        lead.key: Review(
            lead.key,
            ReviewSide.BUYER,
            1,
            2,
            NOW,
            stars=dict.fromkeys(lead.skills, 5),
            comment=comment,
            submitted_at=NOW,
        )
        for lead in leads
    }
    received = {
        lead.key: Review(
            lead.key,
            ReviewSide.SELLER,
            2,
            1,
            NOW,
            stars={"as a buyer": 4},
            comment=comment,
            submitted_at=NOW,
        )
        for lead in leads
    }
    listing = LeadListing(
        Page(leads, 999, 0, 5),
        others={lead.key: biggest_user() for lead in leads},
        given=given,
        received=received,
    )
    lines = [dashboard_texts.list_header(LeadList.COMPLETED, listing)]
    lines += dashboard_texts.completed_lines(listing, biggest_user())
    assert length("\n".join(lines)) <= 4096
