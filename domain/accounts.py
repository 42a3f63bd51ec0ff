"""Use cases of signup and profile: each loads the user, applies one rule, commits."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from domain import validation
from domain.errors import InvalidInput, NotAllowed
from domain.model import (
    AccountType,
    EmailDraft,
    EmailToken,
    OutboxKind,
    OutboxMessage,
    Role,
    SignupStage,
    User,
)
from domain.onboarding import answer, load_user, require_editable, require_stage
from domain.ports import UnitOfWork

TOKEN_LIFETIME = timedelta(hours=24)
# Resending is for lost mail, not for flooding an inbox: a short pause, and a cap per hour.
RESEND_COOLDOWN = timedelta(seconds=5)
MAX_EMAILS_PER_HOUR = 5
TOKEN_PREFIX = "e_"

ComposeEmail = Callable[[str, str], EmailDraft]
"""Builds the confirmation email from (address, deep-link payload)."""


@dataclass(frozen=True)
class TelegramIdentity:
    telegram_id: int
    first_name: str
    username: str | None = None


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def is_confirmation_payload(payload: str) -> bool:
    return payload.startswith(TOKEN_PREFIX)


async def open_account(uow: UnitOfWork, who: TelegramIdentity, now: datetime) -> User:
    """Returns the user for a Telegram account, creating it on first contact."""
    async with uow:
        user = await uow.users.get_by_telegram_id(who.telegram_id)
        if user is None:
            user = await uow.users.add(
                User(
                    telegram_id=who.telegram_id,
                    first_name=who.first_name,
                    username=who.username,
                    created_at=now,
                )
            )
        elif (
            user.first_name != who.first_name or user.username != who.username or not user.reachable
        ):
            user.first_name, user.username, user.reachable = who.first_name, who.username, True
            await uow.users.save(user)
        await uow.commit()
        return user


async def get_user(uow: UnitOfWork, telegram_id: int) -> User | None:
    async with uow:
        return await uow.users.get_by_telegram_id(telegram_id)


async def accept_terms(uow: UnitOfWork, telegram_id: int, now: datetime) -> User:
    async with uow:
        user = await load_user(uow, telegram_id)
        require_stage(user, SignupStage.TERMS)
        user.terms_accepted_at = now
        answer(user, SignupStage.TERMS)
        await uow.users.save(user)
        await uow.commit()
        return user


async def choose_role(uow: UnitOfWork, telegram_id: int, role: Role) -> User:
    async with uow:
        user = await load_user(uow, telegram_id)
        require_stage(user, SignupStage.ROLE)
        user.roles = {role}
        answer(user, SignupStage.ROLE)
        await uow.users.save(user)
        await uow.commit()
        return user


async def choose_account_type(uow: UnitOfWork, telegram_id: int, account_type: AccountType) -> User:
    async with uow:
        user = await load_user(uow, telegram_id)
        # At the organization-name question one may still change one's mind.
        require_stage(user, SignupStage.ACCOUNT_TYPE, SignupStage.ORGANIZATION)
        user.account_type = account_type
        if account_type is AccountType.ORGANIZATION:
            user.signup_stage = SignupStage.ORGANIZATION
        else:
            user.organization_name = None
            user.signup_stage = SignupStage.EMAIL
        await uow.users.save(user)
        await uow.commit()
        return user


async def set_organization_name(uow: UnitOfWork, telegram_id: int, text: str) -> User:
    name = validation.validate_organization_name(text)
    async with uow:
        user = await load_user(uow, telegram_id)
        require_editable(user, SignupStage.ORGANIZATION)
        if user.account_type is not AccountType.ORGANIZATION:
            raise NotAllowed("Only organization accounts have an organization name.")
        user.organization_name = name
        answer(user, SignupStage.ORGANIZATION)
        await uow.users.save(user)
        await uow.commit()
        return user


async def _send_confirmation(
    uow: UnitOfWork, user: User, address: str, now: datetime, compose: ComposeEmail
) -> None:
    assert user.id is not None
    await uow.email_tokens.revoke_open_tokens(user.id, now)
    token = secrets.token_urlsafe(24)
    await uow.email_tokens.add(
        EmailToken(
            user_id=user.id,
            email=address,
            token_hash=hash_token(token),
            created_at=now,
            expires_at=now + TOKEN_LIFETIME,
        )
    )
    draft = compose(address, TOKEN_PREFIX + token)
    await uow.outbox.add(
        OutboxMessage(
            kind=OutboxKind.EMAIL,
            recipient=address,
            payload={"subject": draft.subject, "text": draft.text, "html": draft.html},
            created_at=now,
            user_id=user.id,
        )
    )


async def submit_email(
    uow: UnitOfWork, telegram_id: int, text: str, now: datetime, compose: ComposeEmail
) -> User:
    """Records the address and queues a confirmation email with a one-time link."""
    address = validation.validate_email(text)
    async with uow:
        user = await load_user(uow, telegram_id)
        require_stage(user, SignupStage.EMAIL, SignupStage.CONFIRM_EMAIL, SignupStage.DONE)
        if user.signup_stage is not SignupStage.DONE:
            # During signup the address is the account's, unconfirmed; a verified user keeps
            # the old address until the new one is confirmed.
            user.email, user.email_verified_at = address, None
            user.signup_stage = SignupStage.CONFIRM_EMAIL
        elif user.email == address and user.email_verified:
            raise InvalidInput("That address is already confirmed on your account.")
        await _send_confirmation(uow, user, address, now, compose)
        await uow.users.save(user)
        await uow.commit()
        return user


async def resend_confirmation(
    uow: UnitOfWork, telegram_id: int, now: datetime, compose: ComposeEmail
) -> str:
    """Sends a fresh link for the address awaiting confirmation; returns that address."""
    async with uow:
        user = await load_user(uow, telegram_id)
        assert user.id is not None
        latest = await uow.email_tokens.latest_for_user(user.id)
        waiting = latest is not None and latest.used_at is None and latest.expires_at > now
        if user.signup_stage is SignupStage.CONFIRM_EMAIL and user.email is not None:
            address = user.email
        elif user.signed_up and waiting and latest is not None:
            address = latest.email  # a new address given in /profile
        else:
            raise NotAllowed("There is no email waiting for confirmation.")
        if latest is not None and now - latest.created_at < RESEND_COOLDOWN:
            wait = int((RESEND_COOLDOWN - (now - latest.created_at)).total_seconds()) + 1
            raise NotAllowed(f"I just sent one; please wait {wait} seconds before asking again.")
        if (
            await uow.email_tokens.count_since(user.id, now - timedelta(hours=1))
            >= MAX_EMAILS_PER_HOUR
        ):
            raise NotAllowed("I sent several emails in the last hour; please try again later.")
        await _send_confirmation(uow, user, address, now, compose)
        await uow.commit()
        return address


async def change_signup_email(uow: UnitOfWork, telegram_id: int, now: datetime) -> User:
    """Goes back from waiting for confirmation to the email question."""
    async with uow:
        user = await load_user(uow, telegram_id)
        require_stage(user, SignupStage.CONFIRM_EMAIL)
        assert user.id is not None
        await uow.email_tokens.revoke_open_tokens(user.id, now)
        user.signup_stage = SignupStage.EMAIL
        await uow.users.save(user)
        await uow.commit()
        return user


async def confirm_email(uow: UnitOfWork, telegram_id: int, payload: str, now: datetime) -> User:
    """Confirms the address of a one-time link opened by its own account."""
    token = payload.removeprefix(TOKEN_PREFIX)
    async with uow:
        user = await load_user(uow, telegram_id)
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
        await uow.commit()
        return user


UPDATE_MEMORY = timedelta(days=7)


async def forget_old_updates(uow: UnitOfWork, now: datetime) -> int:
    """Telegram re-delivers within a day at most; older records only take space."""
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
