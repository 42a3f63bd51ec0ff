"""What a digest says: a count in words, the best leads escaped, "and N more" for the rest,
always within Telegram's limits; and its buttons, one per lead it lists."""

from __future__ import annotations

from domain.digests import Digest, DigestLead
from domain.leads import MAX_TITLE
from domain.model import DigestInterval
from domain.money import Money
from handlers.core.callbacks import Button
from handlers.core.limits import units, visible
from handlers.digests import texts, views
from handlers.digests.buttons import SettingsDigest
from handlers.leads.buttons import LeadView
from handlers.menu.buttons import MenuLeads

TELEGRAM_TEXT = 4096


def digest_of(*leads: DigestLead) -> Digest:
    return Digest(seller_id=7, telegram_id=70, leads=leads)


def lead(number: int, title: str | None = None, budget: int | None = 50_000) -> DigestLead:
    money = Money(budget, "USD") if budget is not None else None
    return DigestLead(number, title or f"Lead {number}", money)


def buttons(digest: Digest) -> list[Button | None]:
    keyboard = views.digest(digest).inline_keyboard
    return [Button.decode(str(b.callback_data)) for row in keyboard for b in row]


def test_one_lead_is_counted_in_the_singular_and_user_text_is_escaped() -> None:
    digest = digest_of(lead(5, "Logo <b>bold</b> & <3", budget=None))
    text = texts.digest(digest)
    assert text.startswith("📬 <b>1 new lead matches your skills</b>")
    assert "1. <b>Logo &lt;b&gt;bold&lt;/b&gt; &amp; &lt;3</b>" in text
    assert "more" not in text and "/settings" in text
    assert buttons(digest) == [LeadView(5), MenuLeads()]


def test_leads_are_listed_in_the_order_given_with_their_budget() -> None:
    digest = digest_of(lead(9, "Best"), lead(3, "Next", budget=120_050))
    text = texts.digest(digest)
    assert text.startswith("📬 <b>2 new leads match your skills</b>")
    best, second = "1. <b>Best</b> — 💰 500 USD", "2. <b>Next</b> — 💰 1,200.50 USD"
    assert text.index(best) < text.index(second)
    assert buttons(digest) == [LeadView(9), LeadView(3), MenuLeads()]


def test_beyond_ten_the_rest_are_counted_as_and_n_more() -> None:
    digest = digest_of(*(lead(n) for n in range(1, 26)))
    text = texts.digest(digest)
    assert text.startswith("📬 <b>25 new leads match your skills</b>")
    assert "10. <b>Lead 10</b>" in text and "Lead 11" not in text
    assert "…and 15 more in /leads." in text
    assert buttons(digest) == [*(LeadView(n) for n in range(1, 11)), MenuLeads()]


def test_the_longest_titles_full_of_escaped_characters_still_fit() -> None:
    worst = "<&>🎉" * (MAX_TITLE // 4)
    digest = digest_of(*(lead(n, worst, budget=10**15) for n in range(1, 1001)))
    text = texts.digest(digest)
    assert units(visible(text)) <= TELEGRAM_TEXT
    shown = len(texts.listed(digest))
    assert 1 <= shown <= texts.LISTED
    assert f"…and {1000 - shown:,} more in /leads." in text
    assert len(buttons(digest)) == shown + 1
    for row in views.digest(digest).inline_keyboard:
        assert all(units(b.text) <= 64 for b in row)


def test_settings_name_the_interval_and_mark_the_current_one() -> None:
    assert "every 3 hours" in texts.settings_section(DigestInterval.EVERY_3_HOURS)
    [row] = views.interval_switches(DigestInterval.HOURLY)
    assert [b.text for b in row] == ["✓ Hourly", "Every 3 h", "Daily", "Off"]
    assert [Button.decode(str(b.callback_data)) for b in row] == [
        SettingsDigest(interval) for interval in DigestInterval
    ]
    assert "/leads" in texts.interval_answer(DigestInterval.OFF)
