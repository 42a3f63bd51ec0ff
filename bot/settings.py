"""Settings from a TOML file, each key overridable as LEADLINE_<SECTION>__<KEY>."""

from __future__ import annotations

import re
import tomllib
from datetime import timedelta
from pathlib import Path
from typing import ClassVar, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from domain.leads import MAX_DESCRIPTION, MAX_TITLE, MIN_DESCRIPTION, MIN_TITLE, LeadMinimums
from domain.limits import Limits
from domain.nudges import NudgeTimings
from domain.taxonomy import DEFAULT_CATEGORIES

ENV_PREFIX = "LEADLINE_"
# The terms of service shipped with Leadline, used unless marketplace.terms_file names others.
DEFAULT_TERMS_FILE = Path(__file__).with_name("terms.md")


class ConfigError(Exception):
    """The configuration cannot be used; the message is one sentence naming key and file."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TelegramSettings(_Section):
    token: SecretStr = SecretStr("")
    base_url: str = "https://api.telegram.org/bot"
    base_file_url: str = "https://api.telegram.org/file/bot"
    mode: Literal["polling", "webhook"] = "polling"
    webhook_url: str = ""
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = Field(default=8443, ge=1, le=65535)
    webhook_secret: SecretStr = SecretStr("")
    # The whole bot's messages a second (Telegram's broadcast limit is 30), the share of
    # them kept for answers to people while bulk deliveries are waiting, and whether bulk
    # deliveries are paid broadcasts (up to 1,000 a second, at the operator's cost in Stars).
    max_messages_per_second: float = 30
    reply_share: float = 0.5
    paid_broadcast: bool = False
    # New messages a second to one chat, answers and bulk alike, after a burst of two
    # (Telegram: about one). Only a Bot API server without per-chat limits (the sandbox
    # with its flood limits off) warrants more.
    chat_messages_per_second: float = 1.0
    # How many updates are handled at once (each person's still one after another, in order).
    concurrent_updates: int = 16

    @field_validator("max_messages_per_second")
    @classmethod
    def _sensible_rate(cls, value: float) -> float:
        if not 1 <= value <= 1000:
            raise ValueError("must be a number of messages a second from 1 to 1000 (Telegram: 30)")
        return value

    @field_validator("chat_messages_per_second")
    @classmethod
    def _chat_rate(cls, value: float) -> float:
        if not 0.1 <= value <= 1000:
            raise ValueError("must be a number of messages a second from 0.1 to 1000 (Telegram: 1)")
        return value

    @field_validator("reply_share")
    @classmethod
    def _share(cls, value: float) -> float:
        if not 0 < value <= 1:
            raise ValueError("must be a share above 0 and at most 1, such as 0.5")
        return value

    @field_validator("concurrent_updates")
    @classmethod
    def _concurrency(cls, value: int) -> int:
        if not 1 <= value <= 256:
            raise ValueError("must be a whole number of updates from 1 to 256, such as 16")
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _secret_telegram_accepts(cls, value: SecretStr) -> SecretStr:
        if not re.fullmatch(r"[A-Za-z0-9_-]{0,256}", value.get_secret_value()):
            raise ValueError("must be up to 256 of the characters A-Z a-z 0-9 _ -")
        return value

    def webhook_problem(self) -> str | None:
        """Why webhook mode cannot start with these settings, as one sentence."""
        if self.mode != "webhook":
            return None
        if not self.webhook_url:
            return "telegram.webhook_url is required in webhook mode."
        if not self.webhook_secret.get_secret_value():
            return (
                "telegram.webhook_secret is required in webhook mode: "
                "without it anyone who finds the address can forge updates."
            )
        return None

    @field_validator("token")
    @classmethod
    def _token_present(cls, value: SecretStr) -> SecretStr:
        token = value.get_secret_value().strip()
        if not token or any(c.isspace() for c in token):
            raise ValueError("must be the bot token from @BotFather")
        return SecretStr(token)


class DatabaseSettings(_Section):
    url: str = "sqlite+aiosqlite:///leadline.db"

    @field_validator("url")
    @classmethod
    def _supported(cls, value: str) -> str:
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError("must start with sqlite+aiosqlite:// or postgresql+asyncpg://")
        return value


class EmailSettings(_Section):
    smtp_host: str = "localhost"
    smtp_port: int = Field(default=25, ge=1, le=65535)
    sender: str = "Leadline <no-reply@example.org>"
    username: str = ""
    password: SecretStr = SecretStr("")
    starttls: bool = False


class MarketplaceSettings(_Section):
    currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$")
    service_fee_percent: float = Field(default=10, ge=0, le=100)
    categories: list[str] = Field(default_factory=lambda: list(DEFAULT_CATEGORIES))
    # A Markdown file the operator edits; empty: the terms shipped with Leadline.
    terms_file: str = ""

    @field_validator("terms_file")
    @classmethod
    def _readable_terms(cls, value: str) -> str:
        if not value.strip():
            return ""
        path = Path(value).expanduser()
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise ValueError(f"the file {path} does not exist") from None
        except (OSError, UnicodeDecodeError) as error:
            raise ValueError(f"the file {path} cannot be read as UTF-8 text ({error})") from None
        if not text.strip():
            raise ValueError(f"the file {path} is empty")
        return str(path)

    def terms_path(self) -> Path:
        return Path(self.terms_file) if self.terms_file else DEFAULT_TERMS_FILE

    # A lead's title and description need at least these many characters.
    min_title_length: int = Field(default=MIN_TITLE, ge=1, le=MAX_TITLE)
    min_description_length: int = Field(default=MIN_DESCRIPTION, ge=1, le=MAX_DESCRIPTION)

    @field_validator("categories")
    @classmethod
    def _usable_categories(cls, value: list[str]) -> list[str]:
        names = [" ".join(name.split()) for name in value]
        if not names or any(not n or len(n) > 64 for n in names) or len(set(names)) != len(names):
            raise ValueError("must be a list of distinct names of 1 to 64 characters")
        return names

    def lead_minimums(self) -> LeadMinimums:
        return LeadMinimums(self.min_title_length, self.min_description_length)


class PaymentSettings(_Section):
    # From @BotFather's Payments; set, buyers pay by Telegram invoice.
    provider_token: SecretStr = SecretStr("")


class LimitSettings(_Section):
    """Abuse limits, counted in the database over a sliding window."""

    leads_per_day: int = Field(default=10, ge=1, le=100_000)  # new leads a buyer publishes
    bids_per_hour: int = Field(default=20, ge=1, le=100_000)  # bids a seller makes
    # Messages a user sends in conversations; one a second on average.
    messages_per_minute: int = Field(default=60, ge=1, le=100_000)
    contact_messages_per_day: int = Field(default=10, ge=1, le=100_000)  # to Contact Us

    def limits(self) -> Limits:
        return Limits(
            leads_per_day=self.leads_per_day,
            bids_per_hour=self.bids_per_hour,
            messages_per_minute=self.messages_per_minute,
            contact_messages_per_day=self.contact_messages_per_day,
        )


class AdminSettings(_Section):
    telegram_ids: list[int] = Field(default_factory=list)


_DURATION = re.compile(r"(?:[0-9]+[smhd])+")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}
DURATION_EXAMPLE = '"90s", "30m", "2h" or "1d"'


def parse_duration(text: str) -> timedelta:
    """ "90s", "30m", "2h", "1d" (or several: "1h30m") as a timedelta; ValueError otherwise."""
    compact = text.strip().lower()
    if not _DURATION.fullmatch(compact):
        raise ValueError(f"must be a duration such as {DURATION_EXAMPLE}")
    parts = re.findall(r"([0-9]+)([smhd])", compact)
    try:
        return sum((timedelta(**{_UNITS[unit]: int(n)}) for n, unit in parts), timedelta())
    except OverflowError:
        raise ValueError(f"must be a duration such as {DURATION_EXAMPLE}") from None


def format_duration(span: timedelta) -> str:
    """The shortest way to write ``span`` in configuration terms ("90s", "2h", "1d")."""
    seconds = int(span.total_seconds())
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds and seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


class NudgeSettings(_Section):
    """When reminders fall due; each a duration such as "90s", "30m", "2h" or "1d"."""

    sweep_interval: timedelta = timedelta(seconds=60)
    deadline_warning_before: timedelta = timedelta(hours=24)
    delivery_approval_after: timedelta = timedelta(hours=48)
    review_reminder_after: timedelta = timedelta(hours=24)
    offer_reminder_after: timedelta = timedelta(hours=48)
    stale_lead_after: timedelta = timedelta(days=7)
    email_reminder_after: timedelta = timedelta(hours=24)

    # A sweep at least hourly keeps nudges on time; a reminder at most a year away.
    BOUNDS: ClassVar[dict[str, tuple[timedelta, timedelta]]] = {
        "sweep_interval": (timedelta(seconds=1), timedelta(hours=1)),
    }
    REMINDER_BOUNDS: ClassVar[tuple[timedelta, timedelta]] = (
        timedelta(seconds=1),
        timedelta(days=365),
    )

    @field_validator("*", mode="before")
    @classmethod
    def _duration(cls, value: object, info: ValidationInfo) -> timedelta:
        if isinstance(value, timedelta):
            span = value
        elif isinstance(value, str):
            span = parse_duration(value)
        else:
            raise ValueError(f"must be a duration in quotes, such as {DURATION_EXAMPLE}")
        low, high = cls.BOUNDS.get(str(info.field_name), cls.REMINDER_BOUNDS)
        if not low <= span <= high:
            raise ValueError(
                f"must be from {format_duration(low)} to {format_duration(high)}, "
                f"not {format_duration(span)}"
            )
        return span

    def timings(self) -> NudgeTimings:
        return NudgeTimings(
            deadline_warning_before=self.deadline_warning_before,
            delivery_approval_after=self.delivery_approval_after,
            review_reminder_after=self.review_reminder_after,
            offer_reminder_after=self.offer_reminder_after,
            stale_lead_after=self.stale_lead_after,
            email_reminder_after=self.email_reminder_after,
        )


class AlertSettings(_Section):
    """New-lead alerts: how many one seller is pushed a day (the rest come in the digest
    each seller times in /settings) and how often due digests are looked for."""

    daily_cap: int = Field(default=20, ge=1, le=1000)
    digest_sweep_interval: timedelta = timedelta(seconds=60)

    @field_validator("digest_sweep_interval", mode="before")
    @classmethod
    def _sweep_interval(cls, value: object) -> timedelta:
        if isinstance(value, timedelta):
            span = value
        elif isinstance(value, str):
            span = parse_duration(value)
        else:
            raise ValueError(f"must be a duration in quotes, such as {DURATION_EXAMPLE}")
        # At least every hour: the shortest digest interval a seller may pick is an hour.
        if not timedelta(seconds=1) <= span <= timedelta(hours=1):
            raise ValueError(f"must be from 1s to 1h, not {format_duration(span)}")
        return span


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX, env_nested_delimiter="__", extra="forbid", case_sensitive=False
    )

    telegram: TelegramSettings = Field(default_factory=TelegramSettings)
    database: DatabaseSettings = Field(default_factory=DatabaseSettings)
    email: EmailSettings = Field(default_factory=EmailSettings)
    marketplace: MarketplaceSettings = Field(default_factory=MarketplaceSettings)
    admins: AdminSettings = Field(default_factory=AdminSettings)
    payments: PaymentSettings = Field(default_factory=PaymentSettings)
    nudges: NudgeSettings = Field(default_factory=NudgeSettings)
    limits: LimitSettings = Field(default_factory=LimitSettings)
    alerts: AlertSettings = Field(default_factory=AlertSettings)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml_file = settings_cls.model_config.get("toml_file")
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        if toml_file is not None:
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=toml_file))
        return tuple(sources)


def _describe(error: ValidationError, path: Path) -> str:
    first = error.errors()[0]
    key = ".".join(str(part) for part in first["loc"])
    env = ENV_PREFIX + "__".join(str(part) for part in first["loc"]).upper()
    if first["type"] == "extra_forbidden":
        return f"Unknown configuration key {key} in {path}."
    if first["type"] == "missing":
        return f"Configuration key {key} is missing in {path} (or set {env})."
    reason = first["msg"].removeprefix("Value error, ")
    return f"Configuration key {key} is invalid: {reason} (set in {path} or as {env})."


def load_settings(path: Path) -> Settings:
    """Reads and validates the configuration, refusing it with one sentence."""
    if not path.is_file():
        raise ConfigError(
            f"The configuration file {path} does not exist; copy config.example.toml."
        )
    try:
        tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"The configuration file {path} is not valid TOML: {error}.") from None

    class FileSettings(Settings):
        model_config = SettingsConfigDict(toml_file=path)

    try:
        settings = FileSettings()
    except ValidationError as error:
        raise ConfigError(_describe(error, path)) from None
    if not settings.telegram.token.get_secret_value():
        # Defaults are not validated, so an absent token is caught here.
        raise ConfigError(
            f"Configuration key telegram.token is missing in {path} "
            f"(or set {ENV_PREFIX}TELEGRAM__TOKEN)."
        )
    return settings
