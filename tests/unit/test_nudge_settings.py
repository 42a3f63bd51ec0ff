"""The [nudges] section: durations such as "90s", "2h", "1d", a bad one named in one sentence."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.settings import ConfigError, format_duration, load_settings, parse_duration
from domain.nudges import NudgeKind, NudgeTimings
from tests.unit.settings_files import TOKEN

ISSUE_SECTION = """
[nudges]
sweep_interval = "60s"
deadline_warning_before = "24h"
delivery_approval_after = "48h"
review_reminder_after = "24h"
offer_reminder_after = "48h"
stale_lead_after = "7d"
email_reminder_after = "24h"
"""


def config(tmp_path: Path, nudges: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(f'[telegram]\ntoken = "{TOKEN}"\n{nudges}', encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("90s", timedelta(seconds=90)),
        ("30m", timedelta(minutes=30)),
        ("2h", timedelta(hours=2)),
        ("1d", timedelta(days=1)),
        ("7d", timedelta(days=7)),
        ("1h30m", timedelta(minutes=90)),
        (" 2H ", timedelta(hours=2)),
        ("1s", timedelta(seconds=1)),
    ],
)
def test_durations_are_read(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "90", "s", "2 h", "1.5h", "-1h", "2w", "1h 30m", "two hours", "1d-", "9" * 30 + "d"],
)
def test_what_is_not_a_duration_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match=r'such as "90s", "30m", "2h" or "1d"'):
        parse_duration(text)


@given(st.integers(min_value=1, max_value=10**7))
def test_a_duration_written_back_reads_the_same(seconds: int) -> None:
    span = timedelta(seconds=seconds)
    assert parse_duration(format_duration(span)) == span


def test_the_section_of_the_issue_is_accepted_exactly_as_written(tmp_path: Path) -> None:
    nudges = load_settings(config(tmp_path, ISSUE_SECTION)).nudges
    assert nudges.sweep_interval == timedelta(seconds=60)
    assert nudges.timings() == NudgeTimings(
        deadline_warning_before=timedelta(hours=24),
        delivery_approval_after=timedelta(hours=48),
        review_reminder_after=timedelta(hours=24),
        offer_reminder_after=timedelta(hours=48),
        stale_lead_after=timedelta(days=7),
        email_reminder_after=timedelta(hours=24),
    )
    # The same values are the defaults, so an older configuration without the section works.
    assert load_settings(config(tmp_path, "")).nudges == nudges


def test_second_long_intervals_for_tests_and_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LEADLINE_NUDGES__SWEEP_INTERVAL", "1s")
    nudges = load_settings(config(tmp_path, '[nudges]\nreview_reminder_after = "2s"\n')).nudges
    assert nudges.sweep_interval == timedelta(seconds=1)
    assert nudges.timings().lag(NudgeKind.REVIEW_PENDING) == timedelta(seconds=2)
    assert nudges.timings().lag(NudgeKind.DEADLINE_NEAR) == -timedelta(hours=24)


@pytest.mark.parametrize(
    ("line", "key", "reason"),
    [
        ('sweep_interval = "soon"', "nudges.sweep_interval", "such as"),
        ("sweep_interval = 60", "nudges.sweep_interval", "in quotes"),
        ('sweep_interval = "0s"', "nudges.sweep_interval", "from 1s to 1h, not 0s"),
        ('sweep_interval = "2h"', "nudges.sweep_interval", "from 1s to 1h, not 2h"),
        ('stale_lead_after = "400d"', "nudges.stale_lead_after", "from 1s to 365d"),
        ('offer_reminder_after = "48 hours"', "nudges.offer_reminder_after", "such as"),
        ('email_reminder_after = ""', "nudges.email_reminder_after", "such as"),
        ('review_reminder_after = "1.5h"', "nudges.review_reminder_after", "such as"),
        ('deadline_warning_before = "-1d"', "nudges.deadline_warning_before", "such as"),
        ('delivery_approval_after = "99999999999999d"', "nudges.delivery_approval_after", "such"),
        ('reminder_after = "1d"', "nudges.reminder_after", "Unknown configuration key"),
    ],
)
def test_a_bad_duration_stops_start_up_with_one_sentence_naming_the_key(
    tmp_path: Path, line: str, key: str, reason: str
) -> None:
    path = config(tmp_path, f"[nudges]\n{line}\n")
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    sentence = str(caught.value)
    assert key in sentence and reason in sentence and str(path) in sentence
    assert "\n" not in sentence and sentence.endswith(".")


def test_a_bad_duration_from_the_environment_names_its_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LEADLINE_NUDGES__STALE_LEAD_AFTER", "a week")
    with pytest.raises(ConfigError, match="LEADLINE_NUDGES__STALE_LEAD_AFTER"):
        load_settings(config(tmp_path, ""))
