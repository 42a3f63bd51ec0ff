"""Settings: TOML file, environment overrides, one-sentence refusals, a secret token."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.logging_setup import RedactSecrets
from bot.settings import ConfigError, load_settings
from tests.unit.settings_files import TOKEN, write


def test_the_example_file_has_every_section_and_only_lacks_a_token(tmp_path: Path) -> None:
    example = (Path(__file__).resolve().parents[2] / "config.example.toml").read_text()
    config = write(tmp_path, example.replace('token = ""', f'token = "{TOKEN}"', 1))
    settings = load_settings(config)
    assert settings.telegram.token.get_secret_value() == TOKEN
    assert settings.telegram.base_url == "https://api.telegram.org/bot"
    assert settings.email.smtp_port == 25
    assert settings.marketplace.currency == "USD"
    assert settings.admins.telegram_ids == []
    assert settings.payments.provider_token.get_secret_value() == ""
    assert settings.alerts.daily_cap == 20


def test_a_payment_provider_token_is_a_secret_from_the_file_or_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    provider = "284685063:TEST:provider-secret"
    config = write(
        tmp_path, f'[telegram]\ntoken = "{TOKEN}"\n[payments]\nprovider_token = "{provider}"\n'
    )
    settings = load_settings(config)
    assert settings.payments.provider_token.get_secret_value() == provider
    assert provider not in repr(settings) and provider not in str(settings.payments)
    monkeypatch.setenv("LEADLINE_PAYMENTS__PROVIDER_TOKEN", "from-env")
    assert load_settings(config).payments.provider_token.get_secret_value() == "from-env"
    typo = write(tmp_path, f'[telegram]\ntoken = "{TOKEN}"\n[payments]\nprovider = "x"\n')
    with pytest.raises(ConfigError, match=r"Unknown configuration key payments\.provider in"):
        load_settings(typo)


def test_environment_overrides_a_key_of_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = write(tmp_path, f'[telegram]\ntoken = "{TOKEN}"\n[email]\nsmtp_port = 25\n')
    monkeypatch.setenv("LEADLINE_EMAIL__SMTP_PORT", "2525")
    monkeypatch.setenv("LEADLINE_ADMINS__TELEGRAM_IDS", "[1, 2]")
    settings = load_settings(config)
    assert settings.email.smtp_port == 2525
    assert settings.admins.telegram_ids == [1, 2]
    assert settings.telegram.token.get_secret_value() == TOKEN


def test_token_can_come_from_the_environment_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LEADLINE_TELEGRAM__TOKEN", TOKEN)
    settings = load_settings(write(tmp_path, '[database]\nurl = "sqlite+aiosqlite:///x.db"\n'))
    assert settings.telegram.token.get_secret_value() == TOKEN


@pytest.mark.parametrize(
    ("body", "names"),
    [
        ('[telegram]\ntoken = ""\n', "telegram.token"),
        (f'[telegram]\ntoken = "{TOKEN}"\n[email]\nsmtp_port = "abc"\n', "email.smtp_port"),
        (f'[telegram]\ntoken = "{TOKEN}"\n[database]\nurl = "mysql://x"\n', "database.url"),
        (f'[telegram]\ntoken = "{TOKEN}"\ntokne = "typo"\n', "telegram.tokne"),
        (f'[telegram]\ntoken = "{TOKEN}"\n[marketplace]\ncurrency = "dollars"\n', "currency"),
        (f'[telegram]\ntoken = "{TOKEN}"\nmode = "carrier-pigeon"\n', "telegram.mode"),
        ("[telegram\ntoken = 1", "not valid TOML"),
        ('[database]\nurl = "sqlite+aiosqlite:///x.db"\n', "telegram.token is missing"),
        ('[telegram]\nmode = "polling"\n', "telegram.token is missing"),
    ],
)
def test_bad_configuration_is_one_sentence_naming_key_and_file(
    tmp_path: Path, body: str, names: str
) -> None:
    config = write(tmp_path, body)
    with pytest.raises(ConfigError) as caught:
        load_settings(config)
    sentence = str(caught.value)
    assert names in sentence and str(config) in sentence
    assert "\n" not in sentence.strip() and TOKEN not in sentence


def test_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(tmp_path / "nope.toml")


def test_token_never_shows_in_repr_or_logs(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = load_settings(write(tmp_path, f'[telegram]\ntoken = "{TOKEN}"\n'))
    assert TOKEN not in repr(settings) and TOKEN not in str(settings.model_dump())
    logger = logging.getLogger("test.redact")
    logger.addFilter(RedactSecrets(TOKEN))
    with caplog.at_level(logging.INFO, logger="test.redact"):
        logger.info("POST https://api.telegram.org/bot%s/getMe", TOKEN)
        try:
            raise RuntimeError(f"failed https://api.telegram.org/bot{TOKEN}/getUpdates")
        except RuntimeError:
            logger.exception("boom")
    text = caplog.text + "".join(r.exc_text or "" for r in caplog.records)
    assert TOKEN not in text and "<redacted>" in text


def test_webhook_mode_needs_an_address_and_a_secret_telegram_accepts(tmp_path: Path) -> None:
    head = f'[telegram]\ntoken = "{TOKEN}"\nmode = "webhook"\n'
    settings = load_settings(write(tmp_path, head))
    assert settings.telegram.webhook_problem() == (
        "telegram.webhook_url is required in webhook mode."
    )
    head += 'webhook_url = "https://bot.example.org/telegram"\n'
    settings = load_settings(write(tmp_path, head))
    problem = settings.telegram.webhook_problem()
    assert problem is not None and problem.startswith("telegram.webhook_secret is required")
    settings = load_settings(write(tmp_path, head + 'webhook_secret = "Ab_9-x"\n'))
    assert settings.telegram.webhook_problem() is None
    with pytest.raises(
        ConfigError, match=r"telegram\.webhook_secret is invalid: must be up to 256"
    ):
        load_settings(write(tmp_path, head + 'webhook_secret = "has:colon"\n'))
    polling = load_settings(write(tmp_path, f'[telegram]\ntoken = "{TOKEN}"\n'))
    assert polling.telegram.webhook_problem() is None
