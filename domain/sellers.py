"""Use cases of the public profile, finding providers and inviting (a seller's credentials:
domain/credential_cases.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from domain import privacy
from domain.credentials import Credentials, ProfileDocument
from domain.errors import NotAllowed, NotFound
from domain.events import SellerInvited
from domain.leads import Lead
from domain.lifecycle import LeadStatus
from domain.model import User
from domain.ports import Page, UnitOfWork
from domain.reviews import Reputation, StarTally
from domain.search import check_length
from domain.skills import search_keys

PAGE_SIZE = 5
INVITABLE_LEADS = 20


@dataclass(frozen=True)
class PublicProfile:
    """What anyone may see of a seller."""

    user: User
    credentials: Credentials
    reputation: Reputation
    # Whether this viewer may have the resume and the verification documents as files.
    resume_shared: bool = False
    documents_shared: bool = False


@dataclass(frozen=True)
class ViewSeller:
    seller_id: int
    # The viewer is an administrator (who may see every credential).
    admin: bool = False


@dataclass(frozen=True)
class SellerFiles:
    """A seller's resume (``resume``) or verification documents, as files."""

    seller_id: int
    resume: bool
    admin: bool = False


@dataclass(frozen=True)
class Search:
    """Sellers with any of ``skills`` (as asked: "logo design", each a phrase), or else in
    ``category``."""

    skills: tuple[str, ...] = ()
    category: str | None = None


@dataclass(frozen=True)
class FindSellers:
    search: Search
    offset: int = 0


@dataclass(frozen=True)
class FindInCategory:
    """The category at ``index`` of the offered list (what a category button carries)."""

    index: int


@dataclass(frozen=True)
class Found:
    search: Search
    page: Page[User]
    # The stars and completed leads of each seller on the page, by user id.
    reputations: dict[int, Reputation] = field(default_factory=dict)


@dataclass(frozen=True)
class Invite:
    seller_id: int
    lead_id: int


async def _seller(uow: UnitOfWork, seller_id: int) -> User:
    user = await uow.users.get(seller_id)
    if user is None or not user.is_seller or not user.signed_up:
        raise NotFound("That seller does not exist.")
    return user


async def public_profile(
    uow: UnitOfWork, viewer: User, command: ViewSeller, now: datetime
) -> PublicProfile:
    """A seller's public card, with the stars per skill and the completed leads, and of the
    credentials what this viewer may see (domain/privacy.py)."""
    user = await _seller(uow, command.seller_id)
    stored = await uow.sellers.credentials(user.key)
    credentials = privacy.visible_credentials(stored, viewer, user.key, command.admin)
    reputation = (await uow.reviews.reputations([user.key]))[user.key]
    return PublicProfile(
        user,
        credentials,
        reputation,
        resume_shared=privacy.may_see_resume(viewer, user.key, command.admin),
        documents_shared=privacy.may_see_verification(viewer, user.key, command.admin),
    )


async def seller_files(
    uow: UnitOfWork, viewer: User, command: SellerFiles, now: datetime
) -> list[ProfileDocument]:
    """A seller's resume or verification documents, for those who may have them; anyone
    else (a forged button, say) gets one sentence and no file."""
    user = await _seller(uow, command.seller_id)
    credentials = await uow.sellers.credentials(user.key)
    return privacy.files_for(credentials, viewer, user.key, command.admin, command.resume)


async def categories_to_search(
    uow: UnitOfWork, viewer: User, _: object, now: datetime
) -> list[str]:
    """The categories a buyer may look for sellers in."""
    viewer.ensure_signed_up()
    return await uow.categories.names()


async def find(uow: UnitOfWork, viewer: User, command: FindSellers, now: datetime) -> Found:
    """One page of the sellers who match, best first (the viewer left out): those with a
    skill named exactly, then stars in the asked skills, then completed leads, then how
    many of the skills they have. A seller whose skill holds an asked word ("logo" in Logo
    Design) matches too (domain/skills.search_keys)."""
    viewer.ensure_signed_up()
    search = command.search
    check_length(", ".join(search.skills))
    keys = search_keys(search.skills)
    page = await uow.sellers.find(keys, search.category, viewer.key, command.offset, PAGE_SIZE)
    found = await uow.users.get_many(page.items)
    users = [found[uid] for uid in page.items if uid in found]
    reputations = await uow.reviews.reputations(page.items)
    return Found(search, Page(users, page.total, page.offset, page.size), reputations)


async def find_in_category(
    uow: UnitOfWork, viewer: User, command: FindInCategory, now: datetime
) -> Found | None:
    """The first page of a category's sellers; None when the category list has changed
    since the button was shown."""
    names = await uow.categories.names()
    if command.index >= len(names):
        return None
    return await find(uow, viewer, FindSellers(Search(category=names[command.index])), now)


async def leads_to_invite_to(uow: UnitOfWork, buyer: User, _: object, now: datetime) -> list[Lead]:
    """The buyer's open leads, newest first: the picker of Invite, refused at the tap to a
    suspended buyer (not after they chose a lead)."""
    buyer.ensure_active("invite sellers")
    return (await uow.leads.of_buyer(buyer.key, [LeadStatus.OPEN], 0, INVITABLE_LEADS)).items


async def invite(uow: UnitOfWork, buyer: User, command: Invite, now: datetime) -> bool:
    """Invites a seller to one of the buyer's open leads, which opens their conversation;
    False when the seller was invited to that lead before (the seller hears of it once)."""
    buyer.ensure_active("invite sellers")
    lead = await uow.leads.get(command.lead_id)
    if lead is None or lead.buyer_id != buyer.id:
        raise NotFound("That lead does not exist or is not yours.")
    if lead.status is not LeadStatus.OPEN:
        raise NotAllowed("Only an open lead can have invitations.")
    seller = await uow.users.get(command.seller_id)
    if seller is None or not seller.is_seller or seller.id == buyer.id:
        raise NotFound("That seller does not exist.")
    seller.ensure_available()
    if not await uow.sellers.invite(command.lead_id, seller.key, now):
        return False
    # An invitation opens the conversation, as a seller's Connect would.
    thread = await uow.threads.open(command.lead_id, lead.buyer_id, seller.key, now)
    rating = (await uow.reviews.buyer_ratings([buyer.key])).get(buyer.key)
    uow.record(SellerInvited(buyer, seller, lead, thread, rating or StarTally()))
    return True
