"""The confirmation email as it travels: links intact in the raw message."""

from __future__ import annotations

from bot.mailer import Mailer
from bot.settings import EmailSettings
from handlers.signup import emails


def test_the_raw_message_carries_the_deep_link_unbroken() -> None:
    draft = emails.confirmation("leadline_bot", "ann@example.org", "e_" + "A1b2-C3d4_" * 3)
    link = "https://t.me/leadline_bot?start=e_" + "A1b2-C3d4_" * 3
    raw = Mailer(EmailSettings())._message(draft.to, draft.subject, draft.text, draft.html)
    source = raw.as_string()
    # Once in the text, twice in the HTML (href and label), neither split nor =3D-encoded.
    assert source.count(link) == 3
    assert "quoted-printable" not in source and "base64" not in source


def test_non_ascii_bodies_still_travel_safely() -> None:
    raw = Mailer(EmailSettings())._message("a@example.org", "Hi", "Zoë ✓", "<p>Zoë ✓</p>")
    assert raw.get_body(("plain",)).get_content().strip() == "Zoë ✓"  # type: ignore[union-attr]
