"""What the admin console says: the audit log in words, naming the lead and who acted."""

from __future__ import annotations

from datetime import UTC, datetime

from domain.admin_cases import UserCard
from domain.audit import AuditEntry, Subject, Who
from domain.chat import MessageKind, RelayedMessage
from domain.model import User
from domain.moderation import Flagged
from domain.ports import Page
from handlers.admin import texts

AT = datetime(2026, 12, 1, 21, 13, tzinfo=UTC)
BEA = User(telegram_id=11, first_name="Bea", created_at=AT, id=1)


def card(*entries: AuditEntry) -> UserCard:
    return UserCard(
        BEA,
        None,
        Page([], 0, 0, 10),
        False,
        entries,
        {7: "Django <shop>", 8: "Logo"},
        {1: "Bea", 2: "Ada"},
    )


def line(entry: AuditEntry) -> str:
    return texts.audit_line(entry, card(entry))


def test_a_lead_move_names_the_lead_and_its_states() -> None:
    publish = AuditEntry(
        AT, "lead.publish", Subject.LEAD, 7, Who(1, 11), "draft → open by the buyer"
    )
    assert line(publish) == "01 Dec 21:13 UTC · published “Django &lt;shop&gt;” (draft → open)"
    withdraw = AuditEntry(
        AT, "lead.withdraw", Subject.LEAD, 8, Who(1, 11), "open → withdrawn by the buyer: gone"
    )
    assert line(withdraw) == "01 Dec 21:13 UTC · withdrew “Logo” (open → withdrawn): gone"
    hire = AuditEntry(
        AT, "lead.hire", Subject.LEAD, 8, Who(1, 11), "open → in_progress by the buyer"
    )
    assert "(open → in progress)" in line(hire)


def test_disputes_and_admin_actions_name_who_acted() -> None:
    opened = AuditEntry(
        AT, "dispute.opened", Subject.LEAD, 7, Who(1, 11), "dispute #3 by the buyer: silent"
    )
    assert line(opened) == "01 Dec 21:13 UTC · opened dispute #3 on “Django &lt;shop&gt;”: silent"
    suspend = AuditEntry(AT, "admin.suspend", Subject.USER, 1, Who(2, 99), "Fake leads")
    assert line(suspend) == "01 Dec 21:13 UTC · Ada suspended Bea: Fake leads"
    # An administrator without an account is named as such.
    lift = AuditEntry(AT, "admin.unsuspend", Subject.USER, 1, Who(None, 99))
    assert line(lift) == "01 Dec 21:13 UTC · an administrator lifted the suspension of Bea"
    # An action the console has no words for reads as stored, escaped.
    odd = AuditEntry(AT, "lead.teleport", Subject.LEAD, 7, Who(1, 11), "<x>")
    assert line(odd) == "01 Dec 21:13 UTC · lead.teleport: &lt;x&gt;"


def test_flagged_messages_say_their_time_is_utc() -> None:
    said = RelayedMessage(1, 1, 2, MessageKind.TEXT, AT, 5, "call me", flagged=True)
    shown = texts.flagged([Flagged(said, "Bea", "Logo")])
    assert "• 2026-12-01 21:13 UTC <b>Bea</b> on “Logo”: call me" in shown
