"""Who may see what is private (domain/privacy.py), admins included."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from domain import privacy
from domain.credentials import Credentials, DocumentKind, PortfolioLink, ProfileDocument
from domain.errors import NotAllowed
from domain.leads import Lead
from domain.lifecycle import LeadStatus
from domain.model import Role, SignupStage, User

NOW = datetime(2026, 12, 1, tzinfo=UTC)
OWNER = 1


def person(user_id: int, *roles: Role, signed_up: bool = True) -> User:
    stage = SignupStage.DONE if signed_up else SignupStage.TERMS
    return User(user_id, "X", NOW, id=user_id, roles=set(roles), signup_stage=stage)


CREDENTIALS = Credentials(
    documents=[
        ProfileDocument(DocumentKind.RESUME, "cv.pdf", "f1", id=1),
        ProfileDocument(DocumentKind.CERTIFICATE, "Passport", "f2", id=2),
    ],
    links=[PortfolioLink("https://example.org")],
)
OWNER_USER = person(OWNER, Role.SELLER)
BUYER = person(2, Role.BUYER)
SELLER = person(3, Role.SELLER)
STRANGER = person(4, signed_up=False)
UNFINISHED_BUYER = person(5, Role.BUYER, signed_up=False)


@pytest.mark.parametrize(
    ("viewer", "admin", "resume", "documents"),
    [
        (OWNER_USER, False, True, True),
        (BUYER, False, True, False),
        (SELLER, False, False, False),
        (STRANGER, False, False, False),
        (UNFINISHED_BUYER, False, False, False),
        (STRANGER, True, True, True),
    ],
)
def test_files_and_portfolio_by_viewer(
    viewer: User, admin: bool, resume: bool, documents: bool
) -> None:
    for wanted, allowed, title in ((True, resume, "cv.pdf"), (False, documents, "Passport")):
        if allowed:
            [file] = privacy.files_for(CREDENTIALS, viewer, OWNER, admin, resume=wanted)
            assert file.title == title
        else:
            with pytest.raises(NotAllowed):
                privacy.files_for(CREDENTIALS, viewer, OWNER, admin, resume=wanted)
    shown = privacy.visible_credentials(CREDENTIALS, viewer, OWNER, admin)
    assert bool(shown.links) is resume


@pytest.mark.parametrize(
    "status", [LeadStatus.WITHDRAWN, LeadStatus.COMPLETED, LeadStatus.CANCELLED]
)
def test_a_closed_lead_is_for_those_who_were_in_it(status: LeadStatus) -> None:
    lead = Lead(buyer_id=OWNER, created_at=NOW, status=status, id=9)
    assert privacy.may_see_lead(lead, OWNER_USER, in_talks=False, admin=False)
    assert privacy.may_see_lead(lead, SELLER, in_talks=True, admin=False)
    assert privacy.may_see_lead(lead, STRANGER, in_talks=False, admin=True)
    assert not privacy.may_see_lead(lead, SELLER, in_talks=False, admin=False)
    assert not privacy.may_see_lead(lead, None, in_talks=False, admin=False)


def test_an_open_lead_is_anyones() -> None:
    lead = Lead(buyer_id=OWNER, created_at=NOW, status=LeadStatus.OPEN, id=9)
    assert privacy.may_see_lead(lead, None, in_talks=False, admin=False)
