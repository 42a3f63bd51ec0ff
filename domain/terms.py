"""The terms of service: one Markdown document the operator edits, and its version.

The version is the document's own ``Version:`` line when it has one (so fixing a typo does
not make everyone accept again), else a digest of its text. Signup records the version
accepted; once it changes, a signed-up user accepts the new one before doing anything else.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime

from domain.errors import NotAllowed
from domain.model import User
from domain.ports import UnitOfWork

# "Version: 2026-12-01" on a line of its own (a heading or emphasis around it is fine).
_VERSION_LINE = re.compile(r"^[#*_\s]*version\s*:\s*([^\s*_]{1,40})[*_\s]*$", re.I | re.M)


@dataclass(frozen=True)
class TermsDocument:
    text: str  # Markdown
    version: str


def terms_document(text: str) -> TermsDocument:
    """The document with its version: its ``Version:`` line, else a digest of its text."""
    found = _VERSION_LINE.search(text)
    if found is not None:
        return TermsDocument(text, found.group(1))
    digest = hashlib.sha256(text.strip().encode()).hexdigest()[:12]
    return TermsDocument(text, digest)


@dataclass(frozen=True)
class AcceptNewTerms:
    version: str


async def accept_new_terms(
    uow: UnitOfWork, me: User, command: AcceptNewTerms, now: datetime
) -> bool:
    """Records that a signed-up user accepted this version; False if they had already."""
    me.ensure_signed_up()
    if not command.version:
        raise NotAllowed("There are no terms to accept right now.")
    if me.accepted_terms(command.version):
        return False
    me.terms_version, me.terms_accepted_at = command.version, now
    await uow.users.save(me)
    return True
