"""Which database refusals mean "someone else did this at the same moment".

A unique key refusing a second insert is a lost race only where two people (or one person's
re-delivered update) can do the same thing at once; every other integrity error is a bug and
is reported as one, never dressed up as a conflict.
"""

from __future__ import annotations

import logging
import re

from sqlalchemy import UniqueConstraint
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from storage.models import Base

log = logging.getLogger(__name__)

CONFLICT = "Someone else changed this at the same moment; please try again."

# The constraints that refuse the loser of a race (names from the models' naming convention).
LOST_RACE_CONSTRAINTS: frozenset[str] = frozenset(
    {
        "uq_contracts_lead_id",  # one contract per lead: two accepts at once
        "uq_threads_lead_id",  # one thread per (lead, seller): Connect and Invite at once
        "pk_lead_invitations",  # the same seller invited to the same lead twice at once
        "pk_offer_drafts",  # one offer being written per user, started twice at once
        "uq_users_telegram_id",  # one account per Telegram user, opened twice at once
        "uq_skills_key",  # the same new skill typed by two users at once
        "pk_inbox",  # the same update recorded twice at once
        # Telegram's payment reported twice at once (the repository also catches it).
        "uq_contract_payments_telegram_payment_charge_id",
    }
)

# PostgreSQL: SQLSTATEs of a transaction that lost to a concurrent one.
_LOST_RACE_SQLSTATES = {"40001", "40P01"}  # serialization failure, deadlock detected
_SQLITE_MESSAGE = re.compile(
    r"^(?P<kind>UNIQUE|NOT NULL|CHECK|FOREIGN KEY) constraint failed(?:: (?P<what>.+))?$"
)
_PG_MESSAGE = re.compile(r'constraint "(?P<name>[^"]+)"')


def _unique_names() -> dict[tuple[str, tuple[str, ...]], str]:
    """(table, columns) -> the name of its primary key, unique constraint or unique index:
    SQLite names the columns of a failed unique key, not the constraint."""
    names: dict[tuple[str, tuple[str, ...]], str] = {}
    for table in Base.metadata.tables.values():
        keys = [
            table.primary_key,
            *(c for c in table.constraints if isinstance(c, UniqueConstraint)),
        ]
        for key in keys:
            if key.name:
                names[(table.name, tuple(c.name for c in key.columns))] = str(key.name)
        for index in table.indexes:
            if index.unique and index.name:
                names[(table.name, tuple(c.name for c in index.columns))] = str(index.name)
    return names


_UNIQUE_NAMES = _unique_names()


def violated_constraint(error: IntegrityError) -> str:
    """The name of the constraint an integrity error broke, as the models name it; for
    refusals without a name (SQLite's NOT NULL and foreign keys), what the database said."""
    orig = error.orig
    cause = orig.__cause__ if orig is not None else None
    name = getattr(cause, "constraint_name", None) or getattr(orig, "constraint_name", None)
    if name:  # asyncpg names the constraint
        return str(name)
    message = str(orig).strip()
    found = _SQLITE_MESSAGE.match(message)
    if found is None:
        quoted = _PG_MESSAGE.search(message)
        return quoted["name"] if quoted else message
    kind, what = found["kind"], found["what"] or ""
    if kind == "UNIQUE":
        columns = [part.strip().split(".", 1) for part in what.split(",")]
        table = columns[0][0]
        key = (table, tuple(column[-1] for column in columns))
        return _UNIQUE_NAMES.get(key, f"unique {what}")
    if kind == "CHECK":
        return what
    return f"{kind.lower()} {what}".strip()


def lost_race(error: BaseException) -> bool:
    """True if the error means this transaction lost to a concurrent one: a constraint that
    refuses the loser, a PostgreSQL serialization failure or deadlock, or SQLite busy."""
    if isinstance(error, IntegrityError):
        return violated_constraint(error) in LOST_RACE_CONSTRAINTS
    if not isinstance(error, DBAPIError):
        return False
    if getattr(error.orig, "sqlstate", None) in _LOST_RACE_SQLSTATES:
        return True
    if not isinstance(error, OperationalError):
        return False
    text = str(error.orig).lower()  # SQLite refuses a second writer as locked or busy
    return "locked" in text or "busy" in text or "could not serialize" in text


def report_bug(error: IntegrityError) -> None:
    """Logs an integrity error that is not a lost race as the bug it is, once."""
    note = f"Leadline: constraint {violated_constraint(error)} refused a write: a bug, not a race"
    if note in getattr(error, "__notes__", ()):
        return
    error.add_note(note)
    log.error("%s (%s)", note, error.orig)
