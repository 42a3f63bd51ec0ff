"""The largest cards users can cause still fit Telegram's limits (4096 text, 1024 caption)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

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
from handlers.chat import texts as chat_texts
from handlers.chat import views as chat_views
from handlers.core.limits import clip, split, units, visible
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
    for kind, text in (
        (MessageKind.TEXT, "<&" * 2048),
        (MessageKind.TEXT, "😀" * 4000),
        (MessageKind.TEXT, "word " * 819 + "x"),  # the longest text Telegram lets a user send
        (MessageKind.TEXT, "short"),
        (MessageKind.PHOTO, "<&" * 512),
        (MessageKind.PHOTO, "😀" * 1000),
        (MessageKind.PHOTO, "line\n" * 800),  # Premium users' captions run to 4096
        (MessageKind.PHOTO, "caption"),
    ):
        message = RelayedMessage(9, 1, 2, kind, NOW, 5, text=text, file_id="f", flagged=True)
        relay = Relay(biggest_lead(), biggest_user(), biggest_user())
        original = RelayedMessage(9, 1, 2, kind, NOW, 4, recipient_message_id=8, id=3)
        for payloads in (
            chat_views.relayed(message, relay),
            chat_views.edited(message, original, relay),
            chat_views.edited(message, RelayedMessage(9, 1, 2, kind, NOW, 4, id=3), relay),
        ):
            for payload in payloads:
                if "caption" in payload:
                    assert length(str(payload["caption"])) <= 1024
                else:
                    assert length(str(payload["text"])) <= 4096
            # Nothing is cut: every character arrives, in order, across the parts.
            received = "".join(_body(payload) for payload in payloads)
            assert received == text


def _body(payload: dict[str, object]) -> str:
    """The user's text in one relayed payload: what follows the header's blank line."""
    shown = visible(str(payload.get("text") or payload.get("caption") or ""))
    body = shown.partition("\n\n")[2]
    # An edited caption ends "(edited)", after the body and before the flag.
    return body.removesuffix("\n\n" + visible(chat_texts.FLAG)).removesuffix(" (edited)")


@given(st.text(min_size=1, max_size=3000), st.integers(min_value=2, max_value=400))
def test_split_keeps_every_character_within_the_limit(text: str, limit: int) -> None:
    pieces = split(text, limit)
    assert "".join(pieces) == text
    assert all(0 < units(piece) <= limit for piece in pieces)


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


def test_a_button_label_clips_the_title_at_a_word_and_keeps_its_tail() -> None:
    from handlers.core.limits import BUTTON_LABEL, button_label, units

    title = "Django shop for a family bakery with online ordering and 🚀 delivery"
    label = button_label(title, before="✅ ", after=" — due 11 Dec 2026")
    assert label == "✅ Django shop for a family bakery with… — due 11 Dec 2026"
    assert units(label) <= BUTTON_LABEL
    one_word = button_label("x" * 80, before="📄 ", after=" — Bob")
    assert one_word.endswith("x… — Bob") and units(one_word) == BUTTON_LABEL
    assert button_label("Logo", before="📄 ", after=" — Bob") == "📄 Logo — Bob"
    # A tail that fits keeps every word (the state of an offer is what tells lines apart).
    assert button_label("Shop backend", after=" — your offer 300 USD, withdrawn") == (
        "Shop backend — your offer 300 USD, withdrawn"
    )
