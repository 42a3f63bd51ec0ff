"""The largest cards users can cause still fit Telegram's limits (4096 text, 1024 caption)."""

from __future__ import annotations

from datetime import UTC, datetime

from domain.chat import MessageKind, Relay, RelayedMessage
from domain.credentials import (
    Credentials,
    DocumentKind,
    Education,
    PortfolioLink,
    ProfileDocument,
)
from domain.leads import Attachment, AttachmentKind, Lead
from domain.lifecycle import LeadStatus
from domain.model import Profile, Role, User
from domain.money import Money
from domain.negotiation import Deal, Offer, Thread
from domain.sellers import PublicProfile
from handlers.chat import views as chat_views
from handlers.core.limits import clip, units, visible
from handlers.deals import texts as deal_texts
from handlers.leads import texts as lead_texts
from handlers.providers import texts as provider_texts

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
    card = provider_texts.public_card(PublicProfile(biggest_user(), credentials, {}, 999))
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
    assert length(deal_texts.bid_card(deal, counter=True)) <= 4096
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
