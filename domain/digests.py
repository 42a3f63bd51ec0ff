"""Digests: the matching leads a seller was not alerted to one by one, because the alerts
they got in the last day reached ``alerts.daily_cap``, gathered into one message."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from domain.money import Money

# The cap counts the alerts pushed to a seller in this sliding window (from the database,
# so a restart changes nothing), not in a calendar day: no midnight burst.
CAP_WINDOW = timedelta(hours=24)
# Sellers whose digest one sweep gathers; the others' are due still at the next sweep.
DIGESTS_PER_SWEEP = 200


@dataclass(frozen=True)
class DigestLead:
    """A lead in a digest: what a seller needs to decide to open it."""

    lead_id: int
    title: str
    budget: Money | None


@dataclass(frozen=True)
class Digest:
    """The open leads held back for one seller, best match first."""

    seller_id: int
    telegram_id: int
    leads: tuple[DigestLead, ...]

    @property
    def key(self) -> str:
        """Names this digest once, ever: a (lead, seller) pair is held once."""
        return f"digest:{self.seller_id}:{min(lead.lead_id for lead in self.leads)}"
