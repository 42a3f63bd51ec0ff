"""Use cases of a seller's credentials: education, resume and verification documents,
portfolio links and years per skill.

Each runs inside the update's unit of work (the caller commits) as the acting user, takes
one small command, and returns the credentials as they now are, to be shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from domain.credentials import (
    Credentials,
    DocumentKind,
    ProfileDocument,
    check_room,
    parse_education,
    parse_skill_years,
    validate_document_title,
    validate_link,
)
from domain.errors import NotFound
from domain.events import VerificationSubmitted
from domain.model import User
from domain.onboarding import TextAnswer
from domain.ports import UnitOfWork

REMOVABLE = frozenset({"education", "document", "link"})


@dataclass(frozen=True)
class UploadDocument:
    """A resume (which replaces the old one) or a verification document, with its title."""

    kind: DocumentKind
    title: str
    file_id: str
    file_name: str | None = None


@dataclass(frozen=True)
class RemoveEntry:
    kind: str
    entry_id: int


async def credentials_of(uow: UnitOfWork, user: User, _: object, now: datetime) -> Credentials:
    user.ensure_signed_up()
    return await uow.sellers.credentials(user.key)


async def start_adding(uow: UnitOfWork, user: User, _: object, now: datetime) -> None:
    """An Add or Upload button of the credentials: refuses a suspended user at the tap,
    before the question."""
    user.ensure_signed_up()
    user.ensure_active("change your credentials")


async def add_education(
    uow: UnitOfWork, user: User, command: TextAnswer, now: datetime
) -> Credentials:
    entry = parse_education(command.text)
    user.ensure_signed_up()
    user.ensure_active("change your credentials")
    check_room(list((await uow.sellers.credentials(user.key)).education), "education entries")
    await uow.sellers.add_education(user.key, entry)
    return await uow.sellers.credentials(user.key)


async def add_link(uow: UnitOfWork, user: User, command: TextAnswer, now: datetime) -> Credentials:
    link = validate_link(command.text)
    user.ensure_signed_up()
    user.ensure_active("change your credentials")
    check_room(list((await uow.sellers.credentials(user.key)).links), "portfolio links")
    await uow.sellers.add_link(user.key, link)
    return await uow.sellers.credentials(user.key)


async def set_skill_years(
    uow: UnitOfWork, user: User, command: TextAnswer, now: datetime
) -> Credentials:
    user.ensure_signed_up()
    user.ensure_active("change your credentials")
    years = parse_skill_years(command.text, user.profile.skills)
    await uow.sellers.set_skill_years(user.key, years)
    return await uow.sellers.credentials(user.key)


async def upload_document(
    uow: UnitOfWork, user: User, command: UploadDocument, now: datetime
) -> Credentials:
    """Stores a resume (replacing the old one) or a verification document with its title."""
    title = validate_document_title(command.title)
    user.ensure_signed_up()
    user.ensure_active("change your credentials")
    if command.kind is not DocumentKind.RESUME:
        check_room(list((await uow.sellers.credentials(user.key)).verification), "documents")
    document = ProfileDocument(command.kind, title, command.file_id, command.file_name)
    await uow.sellers.add_document(user.key, document)
    credentials = await uow.sellers.credentials(user.key)
    if command.kind is not DocumentKind.RESUME:
        # The newest of the seller's documents with this file goes to the admins to check.
        stored = max(
            (d for d in credentials.verification if d.file_id == command.file_id),
            key=lambda d: d.id or 0,
        )
        uow.record(VerificationSubmitted(user, stored))
    return credentials


async def remove_entry(
    uow: UnitOfWork, user: User, command: RemoveEntry, now: datetime
) -> Credentials:
    if command.kind not in REMOVABLE:
        raise NotFound("That entry does not exist.")
    user.ensure_signed_up()
    user.ensure_active("change your credentials")
    if not await uow.sellers.remove(user.key, command.kind, command.entry_id):
        raise NotFound("That entry was already removed.")
    return await uow.sellers.credentials(user.key)
