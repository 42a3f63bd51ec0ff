"""How many updates are handled at once, as configuration: default, override, bad values."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.ordering import OrderedUpdateProcessor
from bot.settings import ConfigError, load_settings
from tests.unit.settings_files import HEAD, write


def test_sixteen_at_once_unless_configured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert load_settings(write(tmp_path, HEAD)).telegram.concurrent_updates == 16
    config = write(tmp_path, HEAD + "concurrent_updates = 4\n")
    assert load_settings(config).telegram.concurrent_updates == 4
    monkeypatch.setenv("LEADLINE_TELEGRAM__CONCURRENT_UPDATES", "1")
    assert load_settings(config).telegram.concurrent_updates == 1


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("concurrent_updates = 0", "from 1 to 256"),
        ("concurrent_updates = 1000", "from 1 to 256"),
        ('concurrent_updates = "many"', "integer"),
        ("concurrent_updates = 2.5", "integer"),
    ],
)
def test_a_bad_concurrency_is_one_sentence_naming_the_key(
    tmp_path: Path, line: str, reason: str
) -> None:
    config = write(tmp_path, HEAD + line + "\n")
    with pytest.raises(ConfigError) as caught:
        load_settings(config)
    sentence = str(caught.value)
    assert "telegram.concurrent_updates" in sentence and reason in sentence
    assert str(config) in sentence and "\n" not in sentence.strip()


def test_the_processor_needs_at_least_one_slot() -> None:
    with pytest.raises(ValueError, match="at least one"):
        OrderedUpdateProcessor(0)
