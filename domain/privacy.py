"""Who may see what is private: a seller's verification documents, resume and portfolio, and
a lead that is off the market. The use cases that show these ask here, so every way in (a
card, a forged button, a share link) obeys the same rules.

``admin`` is whether the viewer is one of the configured administrators; the Telegram layer
knows that from the configuration and says so in the command.
"""

from __future__ import annotations

from domain.credentials import Credentials, DocumentKind, ProfileDocument
from domain.errors import NotAllowed
from domain.leads import Lead
from domain.lifecycle import LeadStatus
from domain.model import User

# A lead no longer on the market: only the people who were in it may still read it.
CLOSED = frozenset({LeadStatus.WITHDRAWN, LeadStatus.COMPLETED, LeadStatus.CANCELLED})

DOCUMENTS_REFUSED = "Verification documents are seen only by their owner and the Leadline team."
RESUME_REFUSED = "Resumes are shared only with signed-up buyers."
LEAD_REFUSED = (
    "This lead is closed; only its buyer and the sellers who talked about it can open it."
)


def may_see_verification(viewer: User, owner_id: int, admin: bool) -> bool:
    """A passport scan or a certificate: its owner and the administrators."""
    return admin or viewer.id == owner_id


def may_see_resume(viewer: User, owner_id: int, admin: bool) -> bool:
    """A resume and portfolio links: signed-up buyers weighing whom to hire, the owner, the
    administrators."""
    return admin or viewer.id == owner_id or (viewer.signed_up and viewer.is_buyer)


def visible_credentials(
    credentials: Credentials, viewer: User, owner_id: int, admin: bool
) -> Credentials:
    """What of a seller's credentials the viewer may read on the card: portfolio links only
    if they may see the resume too. The titles of documents are what the seller shows of
    them; the files themselves go out only through ``files_for``."""
    resume = may_see_resume(viewer, owner_id, admin)
    return Credentials(
        education=list(credentials.education),
        documents=list(credentials.documents),
        links=list(credentials.links) if resume else [],
        skill_years=dict(credentials.skill_years),
    )


def files_for(
    credentials: Credentials, viewer: User, owner_id: int, admin: bool, resume: bool
) -> list[ProfileDocument]:
    """The resume (``resume``) or the verification documents, if the viewer may have them;
    else one sentence saying who may."""
    if resume and not may_see_resume(viewer, owner_id, admin):
        raise NotAllowed(RESUME_REFUSED)
    if not resume and not may_see_verification(viewer, owner_id, admin):
        raise NotAllowed(DOCUMENTS_REFUSED)
    return [d for d in credentials.documents if (d.kind is DocumentKind.RESUME) == resume]


def may_see_lead(lead: Lead, viewer: User | None, in_talks: bool, admin: bool) -> bool:
    """An open or running lead is anyone's to read; a withdrawn or closed one only its
    buyer's, the sellers' who had a conversation on it (``in_talks``) and the admins'."""
    if lead.status not in CLOSED:
        return True
    own = viewer is not None and viewer.id == lead.buyer_id
    return own or in_talks or admin
