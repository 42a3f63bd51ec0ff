"""Entities of the account and profile part of Leadline, as plain dataclasses."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from domain.errors import NotAllowed

# How a person who deleted their account is named wherever they used to be.
DELETED_NAME = "a deleted user"


class Role(StrEnum):
    BUYER = "buyer"
    SELLER = "seller"


class AccountType(StrEnum):
    INDIVIDUAL = "individual"
    ORGANIZATION = "organization"


class UserStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"


class DigestInterval(StrEnum):
    """How often a seller gets the digest of the matching leads beyond their daily alerts
    (``alerts.daily_cap``); OFF: those leads are only found in /leads."""

    HOURLY = "1h"
    EVERY_3_HOURS = "3h"
    DAILY = "1d"
    OFF = "off"

    @property
    def period(self) -> timedelta | None:
        """The least time between two digests (None: no digest)."""
        return _PERIODS.get(self)


_PERIODS = {
    DigestInterval.HOURLY: timedelta(hours=1),
    DigestInterval.EVERY_3_HOURS: timedelta(hours=3),
    DigestInterval.DAILY: timedelta(days=1),
}


# Said to whoever may not act yet: one who answered nothing, one who left signup half way.
NOT_STARTED = "Please send /start to sign up first."
NOT_FINISHED = "Please finish signing up first: send /start to continue where you left off."


class SignupStage(StrEnum):
    """Where a newcomer is in signup; stored so that any restart resumes at the same question."""

    TERMS = "terms"
    ROLE = "role"
    ACCOUNT_TYPE = "account_type"
    ORGANIZATION = "organization"
    EMAIL = "email"
    CONFIRM_EMAIL = "confirm_email"
    DISPLAY_NAME = "display_name"
    HEADLINE = "headline"
    SKILLS = "skills"
    CATEGORIES = "categories"
    LOCATION = "location"
    DONE = "done"


@dataclass
class Profile:
    display_name: str | None = None
    headline: str | None = None
    location: str | None = None
    timezone: str = "UTC"
    skills: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)


@dataclass
class User:
    telegram_id: int
    first_name: str
    created_at: datetime
    username: str | None = None
    id: int | None = None
    roles: set[Role] = field(default_factory=set)
    account_type: AccountType | None = None
    organization_name: str | None = None
    email: str | None = None
    email_verified_at: datetime | None = None
    terms_accepted_at: datetime | None = None
    # The version of the terms of service accepted last (None: none recorded yet).
    terms_version: str | None = None
    status: UserStatus = UserStatus.ACTIVE
    reachable: bool = True
    alerts_muted: bool = False
    # The digest of the leads beyond the daily alerts (/settings).
    digest: DigestInterval = DigestInterval.DAILY
    signup_stage: SignupStage = SignupStage.TERMS
    profile: Profile = field(default_factory=Profile)
    # Set when the person deleted their account: the row stays, nameless, so that the
    # other side of past conversations keeps them (domain/account_cases.py).
    deleted_at: datetime | None = None
    # Why an admin suspended the user (told to them whenever they try to act).
    suspension_reason: str | None = None
    # When an admin verified the seller's documents: the badge on their cards.
    verified_at: datetime | None = None
    # The thread the user is writing in (the chat flow), if any: what is relayed there is
    # read as it arrives and needs no Reply button. Kept by the update path, not by save().
    writing_in: int | None = None

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def is_seller(self) -> bool:
        return Role.SELLER in self.roles

    @property
    def is_buyer(self) -> bool:
        return Role.BUYER in self.roles

    @property
    def signed_up(self) -> bool:
        return self.signup_stage is SignupStage.DONE

    @property
    def deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def suspended(self) -> bool:
        return self.status is UserStatus.SUSPENDED

    @property
    def verified(self) -> bool:
        return self.verified_at is not None

    @property
    def name(self) -> str:
        """The name other people see: the chosen display name, else the Telegram name."""
        if self.deleted:
            return DELETED_NAME
        return self.profile.display_name or self.first_name

    @property
    def key(self) -> int:
        """The database id of a stored user (every loaded user has one)."""
        assert self.id is not None, "the user is not stored yet"
        return self.id

    def ensure_signed_up(self) -> None:
        if self.signed_up:
            return
        if self.signup_stage is SignupStage.TERMS:
            # Nothing answered yet: perhaps never sent /start at all (any message opens
            # the account), so there is nothing to finish.
            raise NotAllowed(NOT_STARTED)
        raise NotAllowed(NOT_FINISHED)

    def accepted_terms(self, version: str) -> bool:
        """Whether the user accepted this version of the terms of service."""
        return self.terms_version == version

    def ensure_seller(self) -> None:
        if not self.is_seller:
            raise NotAllowed("Only sellers can do this; add the seller role in /profile.")

    def ensure_present(self) -> None:
        """Refuses writing to someone who deleted their account (their record stays)."""
        if self.deleted:
            raise NotAllowed(
                "This person deleted their account, so nothing more can be sent to them; "
                "the conversation stays for your records."
            )

    def ensure_active(self, doing: str) -> None:
        """Refuses a suspended user, naming what they tried (``doing``: "make offers") and
        why they are suspended: the one guard every use case that changes anything calls."""
        if self.status is UserStatus.SUSPENDED:
            reason = f" ({self.suspension_reason})" if self.suspension_reason else ""
            raise NotAllowed(
                f"Your account is suspended{reason}, so you cannot {doing}; "
                "you can still read your data, /terms and write to us with /contact."
            )

    def ensure_available(self) -> None:
        """Refuses dealing with this user (the other side) while they are suspended."""
        if self.status is UserStatus.SUSPENDED:
            raise NotAllowed(f"{self.name} is not available for now.")

    def suspend(self, reason: str) -> None:
        """Suspends the user: every action but reading refused, their leads hidden."""
        if self.suspended:
            raise NotAllowed(f"{self.name} is already suspended.")
        self.status, self.suspension_reason = UserStatus.SUSPENDED, reason

    def unsuspend(self) -> None:
        if not self.suspended:
            raise NotAllowed(f"{self.name} is not suspended.")
        self.status, self.suspension_reason = UserStatus.ACTIVE, None


@dataclass
class EmailToken:
    """A one-time email confirmation token; only its hash is stored."""

    user_id: int
    email: str
    token_hash: str
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = None
    id: int | None = None


class OutboxKind(StrEnum):
    TELEGRAM = "telegram"
    EMAIL = "email"
    # One row standing for many alerts: the dispatcher turns it into Telegram messages in
    # batches, in the background, so publishing stays quick however many sellers match.
    ALERT_FANOUT = "alert_fanout"
    # One row standing for an admin's announcement to every user (or one role), expanded
    # in batches the same way.
    ANNOUNCEMENT = "announcement"


@dataclass
class OutboxMessage:
    """Something the bot sends on its own, written in the same transaction as the change."""

    kind: OutboxKind
    recipient: str
    payload: dict[str, object]
    created_at: datetime
    dedupe_key: str | None = None
    user_id: int | None = None
    # A relayed message whose delivered Telegram id must be recorded (for reply routing).
    relay_message_id: int | None = None
    id: int | None = None
