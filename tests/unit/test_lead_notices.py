"""What sellers hear about leads is built from events, as outbox payloads without Bot API
method names; a lead that matched nobody queues no fan-out row."""

from __future__ import annotations

from datetime import UTC, datetime

from domain.events import LeadChanged, LeadPublished, LeadWithdrawn
from domain.leads import Lead, LeadChange
from domain.lifecycle import LeadStatus
from domain.model import OutboxKind, User
from domain.money import Money
from handlers.core.notify import Telling
from handlers.leads import notices

NOW = datetime(2026, 11, 26, tzinfo=UTC)
TELL = Telling(NOW, "leadline_bot")


def lead() -> Lead:
    return Lead(buyer_id=1, created_at=NOW, id=42, title="<b>Shop</b>", status=LeadStatus.OPEN)


def test_publishing_queues_one_fanout_row_only_when_someone_matched() -> None:
    assert list(notices.published(LeadPublished(lead(), 0), TELL)) == []
    [row] = notices.published(LeadPublished(lead(), 3), TELL)
    assert row.kind is OutboxKind.ALERT_FANOUT and row.dedupe_key == "alerts:42"
    assert row.payload["lead_id"] == 42
    message = row.payload["message"]
    assert isinstance(message, dict) and message["send"] == "text"
    assert "&lt;b&gt;Shop&lt;/b&gt;" in message["text"]


def test_sellers_in_talks_are_told_of_changes_and_withdrawals() -> None:
    sellers = tuple(User(telegram_id=n, first_name=f"S{n}", created_at=NOW, id=n) for n in (2, 3))
    budget = LeadChange("budget", Money(120000, "USD"), Money(200000, "USD"))
    changed = list(notices.changed(LeadChanged(lead(), sellers, budget), TELL))
    withdrawn = list(notices.withdrawn(LeadWithdrawn(lead(), sellers), TELL))
    assert [m.recipient for m in changed + withdrawn] == ["2", "3", "2", "3"]
    assert all(m.kind is OutboxKind.TELEGRAM and "method" not in m.payload for m in changed)
    assert str(changed[0].payload["text"]).startswith(
        "✏️ <b>The buyer changed the budget: 1,200 USD → 2,000 USD</b>"
    )
    assert [m.dedupe_key for m in withdrawn] == ["withdrawn:42:2", "withdrawn:42:3"]


def test_a_change_names_what_changed_in_a_persons_words() -> None:
    def said(part: str, before: object, after: object) -> str:
        change = LeadChange(part, before, after)
        [row] = notices.changed(LeadChanged(lead(), (lead_seller(),), change), TELL)
        return str(row.payload["text"]).split("</b>")[0]

    assert said("title", "Old <shop>", "New shop") == (
        "✏️ <b>The buyer changed the title: “Old &lt;shop&gt;” → “New shop”"
    )
    assert said("skills", ["Go", "Rust"], ["Go", "Python"]).endswith(
        "the skills: added Python; removed Rust"
    )
    assert said("category", "Writing", "Design & Creative").endswith(
        "the category: Writing → Design &amp; Creative"
    )
    assert said("description", "a", "b").endswith("the description (below)")


def lead_seller() -> User:
    return User(telegram_id=9, first_name="S9", created_at=NOW, id=9)


def test_a_file_in_a_transcript_is_named_with_its_size() -> None:
    from domain.chat import MessageKind, RelayedMessage
    from handlers.chat.texts import file_reference

    def described(kind: MessageKind, name: str | None, size: int | None) -> str:
        message = RelayedMessage(1, 2, 3, kind, NOW, 4, file_id="f", file_name=name, file_size=size)
        return file_reference(message)

    assert described(MessageKind.PHOTO, None, 250_880) == "photo, 245 KB"
    assert described(MessageKind.DOCUMENT, "brief.pdf", 1_258_291) == "document brief.pdf, 1.2 MB"
    assert described(MessageKind.DOCUMENT, "a.txt", 1) == "document a.txt, 1 byte"
    assert described(MessageKind.VOICE, None, None) == "voice"
