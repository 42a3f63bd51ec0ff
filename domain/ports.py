"""What the domain needs from the outside world, as Protocols that storage implements."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Generic, Protocol, Self, TypeVar

from domain.audit import LATEST, AuditEntry
from domain.billing import Payment
from domain.chat import RelayedMessage
from domain.contact import ContactConversation, ContactMessage
from domain.contracts import ContractStep
from domain.credentials import Credentials, Education, PortfolioLink, ProfileDocument
from domain.digests import Digest
from domain.disputes import Dispute
from domain.events import Event
from domain.leads import Lead, SellerCounts, SellerMatch
from domain.lifecycle import LeadStatus
from domain.limits import Limits, Usage
from domain.model import EmailToken, OutboxMessage, User
from domain.moderation import ConsoleCounts, Flagged, Suspension, UserQuery
from domain.negotiation import Contract, Offer, OfferDraft, OfferStatus, Thread
from domain.nudges import Claim, Nudge, NudgeKind, Window
from domain.reviews import Reputation, Review, StarTally
from domain.search import SearchQuery
from domain.skills import SkillName, SkillSearch

T = TypeVar("T")


class UserRepository(Protocol):
    async def get(self, user_id: int) -> User | None: ...

    async def get_many(self, user_ids: Collection[int]) -> dict[int, User]:
        """The users with these ids, by id, in a constant number of queries."""
        ...

    async def get_by_telegram_id(self, telegram_id: int) -> User | None: ...

    async def add(self, user: User) -> User: ...

    async def save(self, user: User) -> None: ...

    async def set_writing_in(self, user_id: int, thread_id: int | None) -> None:
        """Records the thread the user is writing in (None: none)."""
        ...


class SkillRepository(Protocol):
    async def resolve(self, names: Sequence[SkillName]) -> list[str]:
        """Returns the canonical display names, creating skills not seen before."""
        ...

    async def popular(self, limit: int, category: str | None = None) -> list[str]:
        """The skills most people use, at least two each: on the profiles of the sellers in
        ``category`` and in its leads, or everywhere when it has none (or none is given)."""
        ...


class CategoryRepository(Protocol):
    async def names(self) -> list[str]:
        """The categories offered, in their configured order."""
        ...

    async def sync(self, names: Sequence[str]) -> None: ...


class EmailTokenRepository(Protocol):
    async def add(self, token: EmailToken) -> None: ...

    async def get_by_hash(self, token_hash: str) -> EmailToken | None: ...

    async def save(self, token: EmailToken) -> None: ...

    async def latest_for_user(self, user_id: int) -> EmailToken | None: ...

    async def count_since(self, user_id: int, since: datetime) -> int: ...

    async def revoke_open_tokens(self, user_id: int, now: datetime) -> None: ...

    async def forget(self, user_id: int) -> None:
        """Deletes every link (and the addresses they went to) of a deleted account."""
        ...


class OutboxRepository(Protocol):
    async def add(self, message: OutboxMessage) -> None: ...

    async def add_many(self, messages: Sequence[OutboxMessage]) -> None:
        """Queues several messages at once (one statement, not one per message)."""
        ...


class NudgeRepository(Protocol):
    @property
    def kinds(self) -> tuple[NudgeKind, ...]:
        """The kinds of nudges this storage derives (one query each)."""
        ...

    async def swept_until(self) -> dict[NudgeKind, datetime]:
        """Where the last sweep of each kind stopped, in anchor time."""
        ...

    async def claim(self, window: Window, limit: int) -> list[Claim]:
        """Claims, oldest anchor first, up to ``limit`` nudges of the window's kind whose
        reason holds now, that were never claimed, for active users who did not mute the
        kind; the check and the claim are one statement."""
        ...

    async def mark_swept(self, marks: Mapping[NudgeKind, datetime]) -> None: ...

    async def described(self, nudge_ids: Sequence[int]) -> list[Nudge]:
        """The claimed nudges with the people and leads they name, in one query, in the
        order of ``nudge_ids``."""
        ...

    async def muted(self, user_id: int) -> frozenset[NudgeKind]: ...

    async def set_muted(self, user_id: int, kind: NudgeKind, muted: bool) -> None: ...


class DigestRepository(Protocol):
    async def take_due(self, now: datetime, limit: int) -> list[Digest]:
        """The digests of up to ``limit`` sellers whose oldest held lead waited their
        interval: their open leads, best match first. Every held lead of theirs is marked
        digested (also the withdrawn or filled ones, which are left out), so none is taken
        twice."""
        ...


class UpdateLog(Protocol):
    async def mark_handled(self, key: str, now: datetime) -> bool:
        """Marks an update handled; False when it was handled before (a re-delivery)."""
        ...

    async def forget_before(self, when: datetime) -> int: ...


class UnitOfWork(Protocol):
    """One transaction; leaving it without ``commit()`` rolls everything back."""

    users: UserRepository
    skills: SkillRepository
    categories: CategoryRepository
    email_tokens: EmailTokenRepository
    outbox: OutboxRepository
    updates: UpdateLog
    leads: LeadRepository
    sellers: SellerRepository
    threads: ThreadRepository
    reviews: ReviewRepository
    contracts: ContractRepository
    nudges: NudgeRepository
    digests: DigestRepository
    contact: ContactRepository
    usage: UsageRepository
    # The abuse limits the use cases enforce (bot/ sets them from the configuration).
    limits: Limits
    disputes: DisputeRepository
    audit: AuditRepository
    admin: AdminRepository

    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...

    def record(self, event: Event) -> None:
        """Notes what happened; rolled back with the transaction."""
        ...

    def collect_events(self) -> list[Event]:
        """Hands over (and forgets) the events recorded since the last collection."""
        ...


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    total: int
    offset: int
    size: int
    # The total is a floor: there are more than ``total`` (a search stops counting there).
    more: bool = False

    @property
    def has_previous(self) -> bool:
        return self.offset > 0

    @property
    def has_next(self) -> bool:
        return self.offset + self.size < self.total


class LeadRepository(Protocol):
    async def add(self, lead: Lead) -> Lead: ...

    async def get(self, lead_id: int) -> Lead | None: ...

    async def get_many(self, lead_ids: Collection[int]) -> dict[int, Lead]:
        """The leads with these ids, by id, in a constant number of queries."""
        ...

    async def save(self, lead: Lead) -> None:
        """Writes the lead if nobody changed it since it was read; else raises Conflict."""
        ...

    async def draft_of(self, buyer_id: int) -> Lead | None: ...

    async def of_buyer(
        self, buyer_id: int, statuses: Sequence[LeadStatus], offset: int, size: int
    ) -> Page[Lead]:
        """The buyer's leads in these statuses, grouped in their order, the latest first."""
        ...

    async def status_counts(self, buyer_id: int) -> dict[LeadStatus, int]: ...

    async def matching_sellers(self, lead: Lead, limit: int) -> list[SellerMatch]:
        """The best-matching alertable sellers, best first."""
        ...

    async def record_matches(self, lead: Lead, now: datetime) -> int:
        """Records every matching seller for an alert (once per lead, ever); returns how
        many were recorded now."""
        ...

    async def mark_opened(self, lead_id: int, seller_id: int, now: datetime) -> None: ...

    async def search_open(
        self,
        query: SearchQuery,
        category: str | None,
        skill: str | None,
        offset: int,
        size: int,
    ) -> Page[Lead]:
        """Open leads matching the query and the filters: the best match first (title over
        skills over description), then the newest; every open lead when the query is empty."""
        ...

    async def matching_open_for(self, seller_id: int, offset: int, size: int) -> Page[Lead]: ...

    async def requested_for(self, seller_id: int, offset: int, size: int) -> Page[Lead]:
        """Leads the seller opened from an alert or a search, or was invited to."""
        ...

    async def seller_counts(self, seller_id: int, working: Collection[LeadStatus]) -> SellerCounts:
        """How many leads the seller was asked about (``requested_for``), works on (hired,
        the lead in one of ``working``) and completed, counted together."""
        ...


class SellerRepository(Protocol):
    async def credentials(self, user_id: int) -> Credentials: ...

    async def add_education(self, user_id: int, entry: Education) -> None: ...

    async def add_document(self, user_id: int, document: ProfileDocument) -> None:
        """Adds a document; a new resume replaces the old one."""
        ...

    async def add_link(self, user_id: int, link: PortfolioLink) -> None: ...

    async def remove(self, user_id: int, kind: str, entry_id: int) -> bool:
        """Removes one of the user's own entries ("education", "document" or "link")."""
        ...

    async def set_skill_years(self, user_id: int, years: dict[str, int]) -> None: ...

    async def invite(self, lead_id: int, seller_id: int, now: datetime) -> bool:
        """Records an invitation; False when the seller was invited to the lead before."""
        ...

    async def find(
        self, skills: SkillSearch, category: str | None, exclude: int, offset: int, size: int
    ) -> Page[int]:
        """Seller user ids, best match first (those with a skill named exactly first)."""
        ...


@dataclass(frozen=True)
class ThreadSummary:
    thread: Thread
    lead_title: str
    other_id: int
    other_name: str
    last_message: RelayedMessage | None
    unread: int


class ThreadRepository(Protocol):
    async def open(self, lead_id: int, buyer_id: int, seller_id: int, now: datetime) -> Thread:
        """The thread of (lead, seller), created on first contact."""
        ...

    async def get(self, thread_id: int) -> Thread | None: ...

    async def save(self, thread: Thread) -> None: ...

    async def of_lead(self, lead_id: int) -> list[Thread]: ...

    async def threads_of_seller(
        self, seller_id: int, lead_ids: Collection[int]
    ) -> dict[int, Thread]:
        """The seller's threads on these leads, by lead id."""
        ...

    async def open_thread(self, lead_id: int, seller_id: int) -> Thread | None:
        """The seller's thread on a lead, if there is one (never creates it)."""
        ...

    async def unread(self, user_id: int) -> int:
        """How many messages to the user are not read yet, in all their threads."""
        ...

    async def of_user(self, user_id: int, offset: int, size: int) -> Page[ThreadSummary]: ...

    async def add_offer(self, offer: Offer) -> Offer: ...

    async def get_offer(self, offer_id: int) -> Offer | None: ...

    async def latest_offer(self, thread_id: int) -> Offer | None: ...

    async def latest_offers(self, thread_ids: Collection[int]) -> dict[int, Offer]:
        """The latest offer of each of these threads that has one, by thread id."""
        ...

    async def offers(self, thread_id: int) -> list[Offer]: ...

    async def decide(self, offer_id: int, status: OfferStatus, now: datetime) -> bool:
        """Moves an open offer to ``status``; False if it was no longer open."""
        ...

    async def supersede_open_offers(self, lead_id: int, now: datetime) -> int:
        """Marks every offer still open on the lead superseded; returns how many."""
        ...

    async def add_contract(self, contract: Contract) -> Contract:
        """Raises Conflict if the lead already has a contract."""
        ...

    async def contract_of_lead(self, lead_id: int) -> Contract | None: ...

    async def contracts_of(self, user_id: int) -> list[Contract]: ...

    async def add_message(self, message: RelayedMessage) -> RelayedMessage: ...

    async def message_delivered_as(
        self, recipient_id: int, telegram_message_id: int
    ) -> RelayedMessage | None: ...

    async def message_sent_as(
        self, sender_id: int, telegram_message_id: int
    ) -> RelayedMessage | None: ...

    async def messages(self, thread_id: int) -> list[RelayedMessage]: ...

    async def draft(self, user_id: int) -> OfferDraft | None: ...

    async def save_draft(self, user_id: int, draft: OfferDraft, now: datetime) -> None: ...

    async def drop_draft(self, user_id: int) -> None: ...


class ReviewRepository(Protocol):
    async def get(self, lead_id: int, author_id: int) -> Review | None: ...

    async def open(self, review: Review) -> Review:
        """The review of this side of the lead: the stored one, else ``review`` stored as a
        draft (so there is never more than one per side, whoever asks at once)."""
        ...

    async def save(self, review: Review, now: datetime) -> None:
        """Writes the stars, the comment and when it was submitted."""
        ...

    async def of_leads(self, lead_ids: Collection[int]) -> list[Review]:
        """Every review (drafts too) of these leads."""
        ...

    async def stars_of(self, seller_id: int) -> dict[str, StarTally]:
        """The seller's stars per skill (submitted reviews)."""
        ...

    async def reputations(self, seller_ids: Collection[int]) -> dict[int, Reputation]:
        """Each seller's stars per skill (submitted reviews) and completed leads; a seller
        with neither has an empty reputation."""
        ...

    async def buyer_ratings(self, buyer_ids: Collection[int]) -> dict[int, StarTally]:
        """What sellers rated each buyer (submitted reviews); no entry for a buyer never rated."""
        ...


class ContractRepository(Protocol):
    """Contracts after hiring (a contract is made by ``ThreadRepository.add_contract``)."""

    async def get(self, contract_id: int) -> Contract | None: ...

    async def save(self, contract: Contract) -> Contract:
        """Writes the contract if nobody changed it since it was read (else Conflict);
        returns it at its new version."""
        ...

    async def add_step(self, step: ContractStep) -> ContractStep: ...

    async def get_step(self, step_id: int) -> ContractStep | None: ...

    async def steps(self, contract_id: int) -> list[ContractStep]:
        """The contract's history, oldest first."""
        ...

    async def add_payment(self, payment: Payment) -> Payment | None:
        """Records a payment; None when its Telegram charge id was recorded before."""
        ...

    async def payments(self, contract_id: int) -> list[Payment]: ...


class ContactRepository(Protocol):
    """Contact Us messages, append-only."""

    async def add(self, message: ContactMessage) -> ContactMessage: ...

    async def get(self, message_id: int) -> ContactMessage | None: ...

    async def of_user(self, user_id: int) -> list[ContactMessage]:
        """The user's exchange with the team, oldest first."""
        ...

    async def latest_conversations(self, limit: int) -> list[ContactConversation]:
        """The users who wrote to (or were answered by) the team, the most recent exchange
        first, each with its latest message and how many there are."""
        ...


class UsageRepository(Protocol):
    async def recent(
        self, usage: Usage, user_id: int, since: datetime, until: datetime, limit: int
    ) -> list[datetime]:
        """When the user did ``usage`` after ``since`` and up to ``until``, newest first, at
        most ``limit`` times (counted from the rows each use leaves: leads, offers...)."""


class DisputeRepository(Protocol):
    """Disputes of contracts, with the files their openers sent (one per contract)."""

    async def add(self, dispute: Dispute) -> Dispute: ...

    async def get(self, dispute_id: int) -> Dispute | None: ...

    async def of_contract(self, contract_id: int) -> Dispute | None: ...

    async def resolve(self, dispute: Dispute) -> None:
        """Writes the resolution if the dispute is still open (else Conflict)."""
        ...

    async def open(self, limit: int) -> list[Dispute]:
        """Open disputes, oldest first."""
        ...


class AuditRepository(Protocol):
    """The audit log, append-only."""

    async def add(self, entry: AuditEntry) -> None: ...

    async def latest_for_lead(self, lead_id: int, limit: int = LATEST) -> list[AuditEntry]:
        """What happened to a lead, newest first."""
        ...

    async def latest_for_user(self, user_id: int, limit: int = LATEST) -> list[AuditEntry]:
        """What a user did and what was done to them, newest first."""


class AdminRepository(Protocol):
    """What the admin console reads and records (suspensions, verification decisions)."""

    async def counts(self, since: datetime) -> ConsoleCounts:
        """Users by role, leads by status, contracts, messages relayed since ``since``,
        the outbox's backlog and failures."""
        ...

    async def find_user(self, query: UserQuery) -> int | None:
        """The id of the user with this @username, Telegram id or email."""
        ...

    async def record_suspension(
        self, user_id: int, reason: str, admin_id: int, now: datetime
    ) -> None: ...

    async def record_lift(self, user_id: int, admin_id: int, now: datetime) -> None:
        """Notes who lifted the user's open suspension, and when."""
        ...

    async def latest_suspension(self, user_id: int) -> Suspension | None: ...

    async def flagged(self, limit: int) -> list[Flagged]:
        """The latest flagged relayed messages, newest first."""
        ...

    async def document(self, document_id: int) -> tuple[int, ProfileDocument] | None:
        """A verification document and the id of the seller it belongs to."""
        ...

    async def decide_verification(
        self,
        user_id: int,
        document_id: int,
        admin_id: int,
        verified: bool,
        reason: str | None,
        now: datetime,
    ) -> bool:
        """Records the decision on a document; False when it was decided before."""
        ...
