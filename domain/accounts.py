"""Use cases of the account: opening it on /start, the signup questions up to the email,
and confirming the email address by a one-time link.

Each runs inside the update's unit of work (the caller commits) as the acting user and takes
one small command; a confirmation email is recorded as an event, which the Telegram layer
composes and queues.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from domain import validation
from domain.errors import InvalidInput, NotAllowed
from domain.events import ConfirmationEmailRequested
from domain.model import AccountType, EmailToken, Role, SignupStage, User
from domain.onboarding import (
    Progress,
    TextAnswer,
    answer,
    progress,
    require_editable,
    require_stage,
)
from domain.ports import UnitOfWork

TOKEN_LIFETIME = timedelta(hours=24)
# Resending is for lost mail, not for flooding an inbox: a short pause, and a cap per hour.
RESEND_COOLDOWN = timedelta(seconds=5)
MAX_EMAILS_PER_HOUR = 5
TOKEN_PREFIX = "e_"
UPDATE_MEMORY = timedelta(days=7)


@dataclass(frozen=True)
class TelegramIdentity:
    telegram_id: int
    first_name: str
    username: str | None = None


@dataclass(frozen=True)
class Start:
    """/start, with the deep-link payload it carried ("" for none)."""

    who: TelegramIdentity
    payload: str = ""


@dataclass(frozen=True)
class Arrival:
    """The user after /start, and whether the payload confirmed their email address."""

    progress: Progress
    confirmed: bool = False

    @property
    def user(self) -> User:
        return self.progress.user


@dataclass(frozen=True)
class AcceptTerms:
    """The terms shown were accepted; ``version`` is theirs (None where none is known)."""

    version: str | None = None


@dataclass(frozen=True)
class ChooseRole:
    role: Role


@dataclass(frozen=True)
class ChooseAccountType:
    kind: AccountType


@dataclass(frozen=True)
class ResendEmail:
    pass


@dataclass(frozen=True)
class ChangeEmail:
    pass


@dataclass(frozen=True)
class ConfirmEmail:
    """The payload of a confirmation link (``e_`` and the token)."""

    payload: str


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def is_confirmation_payload(payload: str) -> bool:
    return payload.startswith(TOKEN_PREFIX)


async def open_account(
    uow: UnitOfWork, who: TelegramIdentity, now: datetime, known: User | None = None
) -> User:
    """The user of a Telegram account, created on first contact; the Telegram name and
    reachability are kept current. ``known`` is the user already loaded, if any.

    The exception to the use-case shape: there may be no user yet to act as."""
    user = known or await uow.users.get_by_telegram_id(who.telegram_id)
    if user is None:
        return await uow.users.add(
            User(
                telegram_id=who.telegram_id,
                first_name=who.first_name,
                username=who.username,
                created_at=now,
            )
        )
    if user.first_name != who.first_name or user.username != who.username or not user.reachable:
        user.first_name, user.username, user.reachable = who.first_name, who.username, True
        await uow.users.save(user)
    return user


async def start(uow: UnitOfWork, known: User | None, command: Start, now: datetime) -> Arrival:
    """/start: opens the account (or brings it up to date) and, for a confirmation link,
    confirms the address. ``known`` is the user the update came from, if stored."""
    user = await open_account(uow, command.who, now, known)
    if is_confirmation_payload(command.payload):
        after = await confirm_email(uow, user, ConfirmEmail(command.payload), now)
        return Arrival(after, confirmed=True)
    return Arrival(await progress(uow, user))


async def get_user(uow: UnitOfWork, telegram_id: int) -> User | None:
    """The user of a Telegram account, for callers outside an update (tests, tools)."""
    async with uow:
        return await uow.users.get_by_telegram_id(telegram_id)


async def accept_terms(
    uow: UnitOfWork, user: User, command: AcceptTerms, now: datetime
) -> Progress:
    require_stage(user, SignupStage.TERMS)
    user.terms_accepted_at, user.terms_version = now, command.version
    answer(user, SignupStage.TERMS)
    await uow.users.save(user)
    return await progress(uow, user)


async def choose_role(uow: UnitOfWork, user: User, command: ChooseRole, now: datetime) -> Progress:
    require_stage(user, SignupStage.ROLE)
    user.roles = {command.role}
    answer(user, SignupStage.ROLE)
    await uow.users.save(user)
    return await progress(uow, user)


async def choose_account_type(
    uow: UnitOfWork, user: User, command: ChooseAccountType, now: datetime
) -> Progress:
    # At the organization-name question one may still change one's mind.
    require_stage(user, SignupStage.ACCOUNT_TYPE, SignupStage.ORGANIZATION)
    user.account_type = command.kind
    if command.kind is AccountType.ORGANIZATION:
        user.signup_stage = SignupStage.ORGANIZATION
    else:
        user.organization_name = None
        user.signup_stage = SignupStage.EMAIL
    await uow.users.save(user)
    return await progress(uow, user)


async def set_organization_name(
    uow: UnitOfWork, user: User, command: TextAnswer, now: datetime
) -> Progress:
    name = validation.validate_organization_name(command.text)
    require_editable(user, SignupStage.ORGANIZATION)
    if user.account_type is not AccountType.ORGANIZATION:
        raise NotAllowed("Only organization accounts have an organization name.")
    user.organization_name = name
    answer(user, SignupStage.ORGANIZATION)
    await uow.users.save(user)
    return await progress(uow, user)


async def _send_confirmation(uow: UnitOfWork, user: User, address: str, now: datetime) -> None:
    """Replaces any open link with a new one-time link for ``address``."""
    await uow.email_tokens.revoke_open_tokens(user.key, now)
    token = secrets.token_urlsafe(24)
    await uow.email_tokens.add(
        EmailToken(
            user_id=user.key,
            email=address,
            token_hash=hash_token(token),
            created_at=now,
            expires_at=now + TOKEN_LIFETIME,
        )
    )
    uow.record(ConfirmationEmailRequested(user, address, TOKEN_PREFIX + token))


async def submit_email(uow: UnitOfWork, user: User, command: TextAnswer, now: datetime) -> Progress:
    """Records the address and sends a confirmation email with a one-time link."""
    address = validation.validate_email(command.text)
    require_stage(user, SignupStage.EMAIL, SignupStage.CONFIRM_EMAIL, SignupStage.DONE)
    if user.signup_stage is not SignupStage.DONE:
        # During signup the address is the account's, unconfirmed; a verified user keeps
        # the old address until the new one is confirmed.
        user.email, user.email_verified_at = address, None
        user.signup_stage = SignupStage.CONFIRM_EMAIL
    elif user.email == address and user.email_verified:
        raise InvalidInput("That address is already confirmed on your account.")
    await _send_confirmation(uow, user, address, now)
    await uow.users.save(user)
    return await progress(uow, user)


async def resend_confirmation(
    uow: UnitOfWork, user: User, command: ResendEmail, now: datetime
) -> str:
    """Sends a fresh link for the address awaiting confirmation; returns that address."""
    latest = await uow.email_tokens.latest_for_user(user.key)
    waiting = latest is not None and latest.used_at is None and latest.expires_at > now
    if user.signup_stage is SignupStage.CONFIRM_EMAIL and user.email is not None:
        address = user.email
    elif user.signed_up and waiting and latest is not None:
        # A new address given in /profile: changing it needs an active account, and so
        # does making the bot write to it again.
        user.ensure_active("ask for another confirmation email")
        address = latest.email
    else:
        raise NotAllowed("There is no email waiting for confirmation.")
    if latest is not None and now - latest.created_at < RESEND_COOLDOWN:
        wait = int((RESEND_COOLDOWN - (now - latest.created_at)).total_seconds()) + 1
        raise NotAllowed(f"I just sent one; please wait {wait} seconds before asking again.")
    if await uow.email_tokens.count_since(user.key, now - timedelta(hours=1)) >= (
        MAX_EMAILS_PER_HOUR
    ):
        raise NotAllowed("I sent several emails in the last hour; please try again later.")
    await _send_confirmation(uow, user, address, now)
    return address


async def change_signup_email(
    uow: UnitOfWork, user: User, command: ChangeEmail, now: datetime
) -> Progress:
    """Goes back from waiting for confirmation to the email question."""
    require_stage(user, SignupStage.CONFIRM_EMAIL)
    await uow.email_tokens.revoke_open_tokens(user.key, now)
    user.signup_stage = SignupStage.EMAIL
    await uow.users.save(user)
    return await progress(uow, user)


async def confirm_email(
    uow: UnitOfWork, user: User, command: ConfirmEmail, now: datetime
) -> Progress:
    """Confirms the address of a one-time link opened by its own account."""
    token = command.payload.removeprefix(TOKEN_PREFIX)
    record = await uow.email_tokens.get_by_hash(hash_token(token))
    if record is None:
        raise InvalidInput("This confirmation link is not valid; please use the newest email.")
    if record.user_id != user.id:
        raise NotAllowed("This confirmation link belongs to another account.")
    if record.used_at is not None:
        raise NotAllowed("This confirmation link was already used.")
    if record.expires_at <= now:
        raise NotAllowed(
            "This confirmation link has expired or was replaced by a newer one; "
            "please ask for a new email."
        )
    record.used_at = now
    await uow.email_tokens.save(record)
    user.email, user.email_verified_at = record.email, now
    answer(user, SignupStage.CONFIRM_EMAIL)
    await uow.users.save(user)
    return await progress(uow, user)


async def forget_old_updates(uow: UnitOfWork, now: datetime) -> int:
    """Hourly job: Telegram re-delivers within a day at most; older records only take space."""
    async with uow:
        count = await uow.updates.forget_before(now - UPDATE_MEMORY)
        await uow.commit()
        return count


@dataclass(frozen=True)
class SetReachable:
    reachable: bool


async def set_reachable(uow: UnitOfWork, user: User, command: SetReachable, now: datetime) -> None:
    """Records that the user blocked the bot (or came back), so nothing is sent in vain."""
    if user.reachable != command.reachable:
        user.reachable = command.reachable
        await uow.users.save(user)
