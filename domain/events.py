"""What happened, as the use cases record it; the Telegram layer decides who hears of it.

A use case records events on its unit of work (``uow.record``); when the update's
transaction is about to commit, a notifier turns each event into outbox rows in that same
transaction, so the news and the change it reports are written together or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from domain.billing import Payment
from domain.chat import Relay, RelayedMessage
from domain.contact import ContactMessage
from domain.contracts import ContractStep, Engagement
from domain.credentials import ProfileDocument
from domain.digests import Digest
from domain.disputes import Dispute
from domain.leads import Lead, LeadChange
from domain.model import User
from domain.negotiation import Contract, Deal, Thread
from domain.nudges import Nudge
from domain.reviews import Reputation, ReviewCard, StarTally


@dataclass(frozen=True)
class Event:
    """Base of every domain event."""


# Deals: offers, counters and hiring (domain/deals.py).


@dataclass(frozen=True)
class OfferMade(Event):
    """A bid, or a counter to the other side's open offer. The card shows the author's
    record: a seller's ``reputation``, or a buyer's ``buyer_rating`` (sellers' ratings)."""

    deal: Deal
    counter: bool
    reputation: Reputation | None = None
    buyer_rating: StarTally | None = None


@dataclass(frozen=True)
class Hired(Event):
    """An offer was accepted: the lead has its seller and a contract."""

    deal: Deal
    contract: Contract


@dataclass(frozen=True)
class LeadFilled(Event):
    """Sellers who were talking about a lead that went to someone else."""

    lead: Lead
    sellers: tuple[User, ...]


@dataclass(frozen=True)
class OfferDeclined(Event):
    deal: Deal


@dataclass(frozen=True)
class OfferWithdrawn(Event):
    deal: Deal


# Contracts: delivery, payment and closing (domain/contract_cases.py).


@dataclass(frozen=True)
class LeadCompleted(Event):
    """The buyer paid and closed the lead (or an admin resolved its dispute as completed):
    both sides may now review each other."""

    lead: Lead
    contract: Contract


@dataclass(frozen=True)
class WorkDelivered(Event):
    """The seller delivered (their message and files went before, as chat): the buyer
    approves the work or asks for changes."""

    engagement: Engagement


@dataclass(frozen=True)
class ChangesRequested(Event):
    """The buyer sent the delivery back with a note; the lead is in progress again."""

    engagement: Engagement
    note: str


@dataclass(frozen=True)
class DeliveryApproved(Event):
    """The buyer approved the delivery; the payment is next."""

    engagement: Engagement


@dataclass(frozen=True)
class ContractPaid(Event):
    """The buyer confirmed the payment (or Telegram reported it): the lead is completed.
    Recorded just before LeadCompleted."""

    engagement: Engagement
    payment: Payment


@dataclass(frozen=True)
class ContractCancelled(Event):
    """The lead was cancelled: by the buyer after the due date passed without a delivery,
    or by ``by`` agreeing to the other side's proposal (``agreed``). No payment is due."""

    engagement: Engagement
    by: User
    agreed: bool


@dataclass(frozen=True)
class ExtensionProposed(Event):
    """The buyer proposed a new due date (``proposal.due_at``); the seller answers."""

    engagement: Engagement
    proposal: ContractStep


@dataclass(frozen=True)
class ExtensionAnswered(Event):
    """The seller accepted or declined the new due date the buyer proposed."""

    engagement: Engagement
    proposal: ContractStep
    accepted: bool


@dataclass(frozen=True)
class CancellationProposed(Event):
    """``by`` proposed cancelling by mutual agreement; the other side answers."""

    engagement: Engagement
    proposal: ContractStep
    by: User


@dataclass(frozen=True)
class CancellationRefused(Event):
    """``by`` refused the other side's proposal to cancel; the contract goes on."""

    engagement: Engagement
    proposal: ContractStep
    by: User


# Disputes: opened by either side, settled by an administrator (domain/dispute_cases.py).


@dataclass(frozen=True)
class DisputeOpened(Event):
    """``by`` opened a dispute: the other side is told, and every administrator (their
    Telegram ids, ``admins``) gets the dispute card."""

    engagement: Engagement
    dispute: Dispute
    by: User
    admins: tuple[int, ...]


@dataclass(frozen=True)
class SupportMessaged(Event):
    """An administrator wrote to one side of a disputed contract (logged in the thread)."""

    engagement: Engagement
    recipient: User
    text: str


@dataclass(frozen=True)
class DisputeResolved(Event):
    """An administrator settled the dispute; both sides hear the outcome and the note."""

    engagement: Engagement
    dispute: Dispute
    payment: Payment | None


# Reviews: stars per skill and the seller's rating of the buyer (domain/review_cases.py).


@dataclass(frozen=True)
class ReviewsOpened(Event):
    """A completed lead's reviews are open: the buyer is asked for stars, the seller for a
    rating of the buyer."""

    by_buyer: ReviewCard
    by_seller: ReviewCard


@dataclass(frozen=True)
class ReviewGiven(Event):
    """A review was submitted (``first``) or changed within its 48 hours."""

    card: ReviewCard
    first: bool


@dataclass(frozen=True)
class ReviewCommented(Event):
    card: ReviewCard


# Nudges: reminders the scheduled sweep derived from the database (domain/nudge_cases.py).


@dataclass(frozen=True)
class NudgeDue(Event):
    """A reminder fell due and was claimed (once, ever) while its reason held."""

    nudge: Nudge


@dataclass(frozen=True)
class DigestDue(Event):
    """A seller's held-back leads were gathered (once, ever) into a digest to send."""

    digest: Digest


# Chat: messages relayed between buyer and seller (domain/relay.py).


@dataclass(frozen=True)
class MessageRelayed(Event):
    """A message stored in a thread, to be delivered to the other side.

    ``quote`` is the id, in the recipient's chat, of the message it replies to; ``live``:
    the recipient is writing in this thread, so they read it as it arrives (no Reply button).
    """

    message: RelayedMessage
    relay: Relay
    quote: int | None = None
    live: bool = False


@dataclass(frozen=True)
class MessageEdited(Event):
    """A relayed message was edited: ``version`` is the new text, ``original`` the first."""

    version: RelayedMessage
    original: RelayedMessage
    relay: Relay
    live: bool = False  # the recipient is writing in this thread


# Providers: finding sellers and inviting them to a lead (domain/sellers.py).


@dataclass(frozen=True)
class SellerInvited(Event):
    """A buyer invited a seller to one of their open leads; the conversation is open."""

    buyer: User
    seller: User
    lead: Lead
    thread: Thread
    # What sellers who worked for the buyer said of them.
    buyer_rating: StarTally = field(default_factory=StarTally)


# Leads: publishing, changing and withdrawing a lead (domain/lead_cases.py).


@dataclass(frozen=True)
class LeadPublished(Event):
    """A lead went live; ``alerted`` matching sellers were recorded to be told of it."""

    lead: Lead
    alerted: int


@dataclass(frozen=True)
class LeadChanged(Event):
    """The buyer changed an open lead; the sellers already talking about it should know
    what changed."""

    lead: Lead
    sellers_in_talks: tuple[User, ...]
    change: LeadChange


@dataclass(frozen=True)
class LeadWithdrawn(Event):
    """The buyer took a lead off the market; its open offers lapsed."""

    lead: Lead
    sellers: tuple[User, ...]


# Signup and profile: confirming an email address (domain/accounts.py).


@dataclass(frozen=True)
class ConfirmationEmailRequested(Event):
    """A one-time confirmation link is to be mailed to ``email``. ``token`` is the payload
    the link carries: it lives only in this event and the email; the database keeps its hash."""

    user: User
    email: str
    token: str


# Contact Us (domain/contact_cases.py).


@dataclass(frozen=True)
class ContactWritten(Event):
    """A user wrote to the Leadline team; every admin (``admins``: Telegram ids) is told."""

    message: ContactMessage
    sender: User
    admins: tuple[int, ...]


@dataclass(frozen=True)
class ContactAnswered(Event):
    """An admin answered a user's Contact Us message."""

    message: ContactMessage
    user: User
    admin: User


# Admin console: suspensions, announcements and verified sellers (domain/admin_cases.py).


@dataclass(frozen=True)
class UserSuspended(Event):
    """An admin suspended ``user`` with ``reason``: they are told why."""

    user: User
    reason: str


@dataclass(frozen=True)
class UserUnsuspended(Event):
    """An admin lifted the suspension of ``user``: they are told."""

    user: User


@dataclass(frozen=True)
class AnnouncementMade(Event):
    """An admin's announcement to everyone, or to the users of one role (``role``:
    "buyer", "seller" or None), queued as one fan-out row paced like alerts."""

    text: str
    role: str | None


@dataclass(frozen=True)
class VerificationSubmitted(Event):
    """A seller uploaded a verification document: every admin gets it to Verify or Reject."""

    seller: User
    document: ProfileDocument


@dataclass(frozen=True)
class VerificationDecided(Event):
    """An admin verified the seller (the badge) or rejected a document with ``reason``."""

    seller: User
    document: ProfileDocument
    verified: bool
    reason: str | None = None
