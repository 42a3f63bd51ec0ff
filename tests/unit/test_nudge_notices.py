"""What each kind of nudge says: every kind has a renderer, user text is escaped, plurals
are right, the card fits Telegram, and each button is one the callback codec can carry."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from domain.events import NudgeDue
from domain.nudges import MUTABLE, LeadRef, Nudge, NudgeKind, Person
from handlers.core.callbacks import Button
from handlers.core.limits import units, visible
from handlers.core.notify import Telling
from handlers.nudges import notices, texts, views

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


BUYER = Person(1, 1001, "<Bea & Co>", "Europe/Berlin", "bea@example.org")
SELLER = Person(2, 1002, "Sol <3", "Europe/Berlin", "sol@example.org")
LEAD = LeadRef(42, "Shop <rebuild> & more " + "x" * 98, buyer_id=1)


def nudge(kind: NudgeKind, recipient: Person = BUYER, anchor: timedelta = -timedelta(0)) -> Nudge:
    other = SELLER if recipient is BUYER else BUYER
    return Nudge(
        id=7,
        kind=kind,
        subject_id=99,
        recipient=recipient,
        anchor_at=NOW + anchor,
        lead=LEAD if kind is not NudgeKind.EMAIL_UNCONFIRMED else None,
        thread_id=5 if kind is not NudgeKind.LEAD_WITHOUT_BIDS else None,
        other=other if kind is not NudgeKind.EMAIL_UNCONFIRMED else None,
    )


def rendered(item: Nudge) -> tuple[str, list[Button]]:
    [message] = notices.nudge_due(NudgeDue(item), Telling(NOW, "bot"))
    assert message.dedupe_key == "nudge:7" and message.recipient == str(item.recipient.telegram_id)
    payload = message.payload
    markup = payload["markup"] or {"inline_keyboard": []}
    pressed = [Button.decode(b["callback_data"]) for row in markup["inline_keyboard"] for b in row]
    assert all(p is not None for p in pressed)
    return str(payload["text"]), [p for p in pressed if p is not None]


@pytest.mark.parametrize("kind", list(NudgeKind))
def test_every_kind_renders_escaped_and_within_limits(kind: NudgeKind) -> None:
    for recipient in (BUYER, SELLER):
        body, _ = rendered(nudge(kind, recipient, timedelta(hours=-30)))
        assert "<Bea" not in body and "Sol <3" not in body and "<rebuild>" not in body
        assert 0 < units(visible(body)) <= 4096
        assert re.search(r"&(?!amp;|lt;|gt;|quot;)", body) is None


def test_every_kind_has_a_renderer() -> None:
    assert set(notices.RENDERERS) == set(NudgeKind)


def test_the_deadline_reads_in_the_recipients_timezone() -> None:
    body, pressed = rendered(nudge(NudgeKind.DEADLINE_NEAR, SELLER, timedelta(hours=24)))
    assert "Deadline in 24 hours" in body and "27 Nov 2026, 13:00 Europe/Berlin" in body
    # 12:00 UTC is 13:00 in Berlin; the seller is told to deliver, the buyer only told.
    assert "Deliver before then" in body
    buyer_body, _ = rendered(nudge(NudgeKind.DEADLINE_NEAR, BUYER, timedelta(hours=24)))
    assert "Deliver" not in buyer_body and "by Sol &lt;3" in buyer_body
    assert [type(p).__name__ for p in pressed] == ["ThreadOpen"]


def test_a_passed_deadline_offers_cancel_and_extend_of_its_contract() -> None:
    _, pressed = rendered(nudge(NudgeKind.DEADLINE_PASSED))
    assert [(type(p).__name__, getattr(p, "contract_id", None)) for p in pressed] == [
        ("ContractCancel", 99),
        ("ContractExtend", 99),
        ("ThreadOpen", None),
    ]


@pytest.mark.parametrize(
    ("kind", "button"),
    [
        (NudgeKind.LEAD_WITHOUT_BIDS, "LeadMatchingSellers"),
        (NudgeKind.REVIEW_PENDING, "ReviewStart"),
        (NudgeKind.OFFER_UNANSWERED, "ThreadOpen"),
        (NudgeKind.EMAIL_UNCONFIRMED, "SignupResendEmail"),
        (NudgeKind.DELIVERY_WAITING, "ThreadOpen"),
    ],
)
def test_each_kind_points_at_what_to_do(kind: NudgeKind, button: str) -> None:
    _, pressed = rendered(nudge(kind))
    assert type(pressed[0]).__name__ == button


@pytest.mark.parametrize(
    ("ago", "words"),
    [
        (timedelta(seconds=1), "1 second"),
        (timedelta(seconds=90), "90 seconds"),
        (timedelta(minutes=5), "5 minutes"),
        (timedelta(hours=1), "1 hour"),
        (timedelta(hours=48), "2 days"),
        (timedelta(days=7), "7 days"),
    ],
)
def test_waiting_times_read_as_people_say_them(ago: timedelta, words: str) -> None:
    body, _ = rendered(nudge(NudgeKind.OFFER_UNANSWERED, anchor=-ago))
    assert f"has waited {words}." in body


def test_only_the_mutable_kinds_say_they_can_be_muted() -> None:
    for kind in NudgeKind:
        body, _ = rendered(nudge(kind))
        assert ("/settings" in body) == (kind in MUTABLE)


def test_the_settings_section_lists_each_mutable_kind_with_its_switch() -> None:
    muted = {NudgeKind.REVIEW_PENDING}
    section = texts.settings_section(muted)
    assert "Reviews still to give: <b>off 🔕</b>" in section
    assert "Open leads without bids: <b>on 🔔</b>" in section
    assert "always come" in section
    switches = [row[0] for row in views.mute_switches(muted)]
    assert [b.text for b in switches] == [
        "🔕 Mute: offers waiting",
        "🔕 Mute: leads without bids",
        "🔔 Remind: reviews to give",
    ]
    for b in switches:
        assert isinstance(b.callback_data, str) and len(b.callback_data.encode()) <= 64
