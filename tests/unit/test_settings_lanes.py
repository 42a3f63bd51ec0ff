"""Telegram's limits as configuration: defaults, overrides, and one sentence for a bad value."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import ConfigError, load_settings
from tests.unit.settings_files import HEAD, write


def test_defaults_are_telegrams_free_limits_with_half_for_replies(tmp_path: Path) -> None:
    telegram = load_settings(write(tmp_path, HEAD)).telegram
    assert telegram.max_messages_per_second == 30
    assert telegram.reply_share == 0.5
    assert telegram.paid_broadcast is False
    assert telegram.chat_messages_per_second == 1


def test_limits_from_the_file_and_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = HEAD + "max_messages_per_second = 25\nreply_share = 0.8\npaid_broadcast = true\n"
    body += "chat_messages_per_second = 0.5\n"
    telegram = load_settings(write(tmp_path, body)).telegram
    assert (telegram.max_messages_per_second, telegram.reply_share) == (25, 0.8)
    assert telegram.chat_messages_per_second == 0.5
    assert telegram.paid_broadcast is True
    monkeypatch.setenv("LEADLINE_TELEGRAM__REPLY_SHARE", "1")
    assert load_settings(write(tmp_path, body)).telegram.reply_share == 1


@pytest.mark.parametrize(
    ("line", "key", "reason"),
    [
        ("max_messages_per_second = 0", "telegram.max_messages_per_second", "from 1 to 1000"),
        ("max_messages_per_second = 5000", "telegram.max_messages_per_second", "from 1 to 1000"),
        ('max_messages_per_second = "fast"', "telegram.max_messages_per_second", "number"),
        ("reply_share = 0", "telegram.reply_share", "above 0 and at most 1"),
        ("reply_share = 1.5", "telegram.reply_share", "above 0 and at most 1"),
        ("reply_share = -0.2", "telegram.reply_share", "above 0 and at most 1"),
        ('paid_broadcast = "sometimes"', "telegram.paid_broadcast", "boolean"),
        ("chat_messages_per_second = 0", "telegram.chat_messages_per_second", "from 0.1 to 1000"),
        ("reply_shares = 0.5", "telegram.reply_shares", "Unknown configuration key"),
    ],
)
def test_a_bad_limit_is_one_sentence_naming_the_key(
    tmp_path: Path, line: str, key: str, reason: str
) -> None:
    config = write(tmp_path, HEAD + line + "\n")
    with pytest.raises(ConfigError) as caught:
        load_settings(config)
    sentence = str(caught.value)
    assert key in sentence and reason in sentence and str(config) in sentence
    assert "\n" not in sentence.strip()
