"""Use cases of the admin console: counts, finding a user and their card, suspending and
lifting a suspension, announcements, flagged messages, transcripts, verifying sellers.

Every command names the administrators (``admins``, Telegram ids, from the settings) and
every use case checks the acting user is one of them, whatever the handler checked before.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, time

from domain import relay
from domain.audit import AuditEntry, Subject, Who
from domain.credentials import DocumentKind, ProfileDocument
from domain.errors import NotAllowed, NotFound
from domain.events import (
    AnnouncementMade,
    UserSuspended,
    UserUnsuspended,
    VerificationDecided,
)
from domain.model import Role, User
from domain.moderation import (
    ConsoleCounts,
    Flagged,
    Suspension,
    parse_user_query,
    validate_announcement,
    validate_reason,
)
from domain.ports import Page, ThreadSummary, UnitOfWork

FLAGGED_SHOWN = 10
THREADS_SHOWN = 10
HISTORY_SHOWN = 5  # audit entries on a user's card
# What a non-admin hears if they reach an admin use case at all (the handlers answer such a
# user as if the command or button did not exist; this is the guard behind them).
NOT_FOUND = "That does not exist."


@dataclass(frozen=True)
class AsAdmin:
    admins: frozenset[int]


@dataclass(frozen=True)
class FindUser(AsAdmin):
    text: str


@dataclass(frozen=True)
class OpenUser(AsAdmin):
    user_id: int


@dataclass(frozen=True)
class Suspend(AsAdmin):
    user_id: int
    reason: str


@dataclass(frozen=True)
class Unsuspend(AsAdmin):
    user_id: int


@dataclass(frozen=True)
class Announce(AsAdmin):
    text: str
    role: Role | None  # None: everyone


@dataclass(frozen=True)
class OpenTranscript(AsAdmin):
    thread_id: int


@dataclass(frozen=True)
class OpenDocument(AsAdmin):
    document_id: int


@dataclass(frozen=True)
class DecideVerification(AsAdmin):
    document_id: int
    verified: bool
    reason: str | None = None


@dataclass(frozen=True)
class UserCard:
    """What an admin sees of a user: the account, the latest suspension, their threads."""

    user: User
    suspension: Suspension | None
    threads: Page[ThreadSummary]
    admin: bool
    # The latest entries of the audit log about the user, newest first, with what they
    # name: the titles of their leads and the names of the people (by account id).
    history: tuple[AuditEntry, ...] = ()
    titles: Mapping[int, str | None] = field(default_factory=dict)
    names: Mapping[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Submission:
    """A verification document with its seller, for the admin's card."""

    seller: User
    document: ProfileDocument


def ensure_admin(me: User, command: AsAdmin) -> None:
    if me.telegram_id not in command.admins:
        raise NotFound(NOT_FOUND)


async def console(uow: UnitOfWork, me: User, command: AsAdmin, now: datetime) -> ConsoleCounts:
    """The marketplace's counts; messages are those relayed since midnight UTC."""
    ensure_admin(me, command)
    midnight = datetime.combine(now.date(), time(), tzinfo=now.tzinfo)
    return await uow.admin.counts(midnight)


async def find_user(uow: UnitOfWork, me: User, command: FindUser, now: datetime) -> UserCard | None:
    """The card of the user with this @username, Telegram id or email; None if nobody."""
    ensure_admin(me, command)
    query = parse_user_query(command.text)
    user_id = await uow.admin.find_user(query)
    if user_id is None:
        impossible = query.impossible()
        if impossible is not None:
            raise impossible
        return None
    return await user_card(uow, me, OpenUser(command.admins, user_id), now)


async def user_card(uow: UnitOfWork, me: User, command: OpenUser, now: datetime) -> UserCard:
    ensure_admin(me, command)
    user = await uow.users.get(command.user_id)
    if user is None:
        raise NotFound("That user does not exist.")
    suspension = await uow.admin.latest_suspension(user.key)
    threads = await uow.threads.of_user(user.key, 0, THREADS_SHOWN)
    history = tuple(await uow.audit.latest_for_user(user.key, HISTORY_SHOWN))
    leads = await uow.leads.get_many(
        {entry.subject_id for entry in history if entry.subject is Subject.LEAD}
    )
    people = {entry.who.user_id for entry in history if entry.who.user_id is not None}
    people |= {entry.subject_id for entry in history if entry.subject is Subject.USER}
    found = await uow.users.get_many(people)
    return UserCard(
        user,
        suspension,
        threads,
        user.telegram_id in command.admins,
        history,
        {key: lead.title for key, lead in leads.items()},
        {key: person.name for key, person in found.items()},
    )


async def _audit(
    uow: UnitOfWork, me: User, action: str, user: User, now: datetime, why: str | None = None
) -> None:
    """Notes what an admin did to a user in the audit log."""
    await uow.audit.add(AuditEntry(now, action, Subject.USER, user.key, Who.of(me), why))


async def _user(uow: UnitOfWork, command: AsAdmin, user_id: int) -> User:
    user = await uow.users.get(user_id)
    if user is None:
        raise NotFound("That user does not exist.")
    if user.telegram_id in command.admins:
        raise NotAllowed("An administrator cannot be suspended.")
    return user


async def suspend(uow: UnitOfWork, me: User, command: Suspend, now: datetime) -> User:
    """Suspends the user with a reason (stored with who and when); they are told why. Their
    open leads leave search and alerts, and they stop receiving alerts."""
    ensure_admin(me, command)
    reason = validate_reason(command.reason)
    user = await _user(uow, command, command.user_id)
    user.suspend(reason)
    await uow.users.save(user)
    await uow.admin.record_suspension(user.key, reason, me.key, now)
    await _audit(uow, me, "admin.suspend", user, now, reason)
    uow.record(UserSuspended(user, reason))
    return user


async def unsuspend(uow: UnitOfWork, me: User, command: Unsuspend, now: datetime) -> User:
    """Lifts the suspension (who and when are stored); the user is told."""
    ensure_admin(me, command)
    user = await _user(uow, command, command.user_id)
    user.unsuspend()
    await uow.users.save(user)
    await uow.admin.record_lift(user.key, me.key, now)
    await _audit(uow, me, "admin.unsuspend", user, now)
    uow.record(UserUnsuspended(user))
    return user


def check_announcement(command: Announce) -> str:
    """The announcement's text, checked (InvalidInput), for the preview."""
    return validate_announcement(command.text)


async def announce(uow: UnitOfWork, me: User, command: Announce, now: datetime) -> str:
    """Queues the announcement for everyone or one role: one fan-out row, expanded in
    paced batches like lead alerts."""
    ensure_admin(me, command)
    text = check_announcement(command)
    audience = command.role.value if command.role else None
    await uow.audit.add(
        AuditEntry(
            now,
            "admin.announce",
            Subject.USER,
            me.key,
            Who.of(me),
            f"to {audience or 'everyone'}: {text}",
        )
    )
    uow.record(AnnouncementMade(text, audience))
    return text


async def flagged(uow: UnitOfWork, me: User, command: AsAdmin, now: datetime) -> list[Flagged]:
    """The latest messages flagged as taking a deal off the platform."""
    ensure_admin(me, command)
    return await uow.admin.flagged(FLAGGED_SHOWN)


async def transcript(
    uow: UnitOfWork, me: User, command: OpenTranscript, now: datetime
) -> relay.Transcript:
    """Any thread's whole record, for an admin."""
    ensure_admin(me, command)
    thread = await uow.threads.get(command.thread_id)
    if thread is None:
        raise NotFound("That conversation does not exist.")
    lead = await uow.leads.get(thread.lead_id)
    assert lead is not None
    return await relay.record_of(uow, thread, lead, me)


async def submission(uow: UnitOfWork, me: User, command: OpenDocument, now: datetime) -> Submission:
    """A verification document and its seller (an admin may see it; nobody else but them)."""
    ensure_admin(me, command)
    found = await uow.admin.document(command.document_id)
    if found is None:
        raise NotFound("That document was removed.")
    seller_id, document = found
    seller = await uow.users.get(seller_id)
    if seller is None or document.kind is DocumentKind.RESUME:
        raise NotFound("That document was removed.")
    return Submission(seller, document)


async def decide_verification(
    uow: UnitOfWork, me: User, command: DecideVerification, now: datetime
) -> Submission:
    """Verifies the seller on a document (the badge), or rejects it with a reason; the seller
    is told either way. A document is decided once, by whichever admin comes first."""
    found = await submission(uow, me, OpenDocument(command.admins, command.document_id), now)
    reason = None if command.verified else validate_reason(command.reason or "")
    seller = found.seller
    if not await uow.admin.decide_verification(
        seller.key, command.document_id, me.key, command.verified, reason, now
    ):
        raise NotAllowed("That document was decided already.")
    action = "admin.verify" if command.verified else "admin.reject_document"
    await _audit(uow, me, action, seller, now, reason)
    if command.verified and not seller.verified:
        seller.verified_at = now
        await uow.users.save(seller)
    uow.record(VerificationDecided(seller, found.document, command.verified, reason))
    return found
