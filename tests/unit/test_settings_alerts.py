"""The daily alert cap as configuration: default, overrides, one sentence for a bad value."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.settings import ConfigError, load_settings
from tests.unit.settings_files import HEAD, write


def test_by_default_twenty_alerts_a_day_and_digests_looked_for_every_minute(
    tmp_path: Path,
) -> None:
    alerts = load_settings(write(tmp_path, HEAD)).alerts
    assert alerts.daily_cap == 20
    assert alerts.digest_sweep_interval == timedelta(minutes=1)


def test_the_cap_from_the_file_and_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = HEAD + '[alerts]\ndaily_cap = 5\ndigest_sweep_interval = "30s"\n'
    alerts = load_settings(write(tmp_path, body)).alerts
    assert (alerts.daily_cap, alerts.digest_sweep_interval) == (5, timedelta(seconds=30))
    monkeypatch.setenv("LEADLINE_ALERTS__DAILY_CAP", "50")
    assert load_settings(write(tmp_path, body)).alerts.daily_cap == 50


@pytest.mark.parametrize(
    ("line", "key", "reason"),
    [
        ("daily_cap = 0", "alerts.daily_cap", "greater than or equal to 1"),
        ("daily_cap = 5000", "alerts.daily_cap", "less than or equal to 1000"),
        ('daily_cap = "many"', "alerts.daily_cap", "integer"),
        ('digest_sweep_interval = "2h"', "alerts.digest_sweep_interval", "from 1s to 1h, not 2h"),
        ('digest_sweep_interval = "soon"', "alerts.digest_sweep_interval", "duration"),
        ("digest_sweep_interval = 60", "alerts.digest_sweep_interval", "in quotes"),
        ("daily_limit = 5", "alerts.daily_limit", "Unknown configuration key"),
    ],
)
def test_a_bad_alert_setting_is_one_sentence_naming_the_key(
    tmp_path: Path, line: str, key: str, reason: str
) -> None:
    config = write(tmp_path, HEAD + "[alerts]\n" + line + "\n")
    with pytest.raises(ConfigError) as caught:
        load_settings(config)
    sentence = str(caught.value)
    assert key in sentence and reason in sentence and str(config) in sentence
    assert "\n" not in sentence.strip()
