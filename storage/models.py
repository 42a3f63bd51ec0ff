"""The database tables; ORM rows never leave ``storage/``."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
    true,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


# Row ids are INTEGER columns: 32 bits on PostgreSQL.
MAX_ID = 2**31 - 1


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC in and out, also on SQLite, which stores datetimes without a zone."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime; Leadline stores aware UTC times only")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# Every relationship is lazy="raise": a repository names what each query loads
# (selectinload / joinedload), so no attribute access ever issues a hidden query.
class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UtcDateTime(), dict[str, Any]: JSON}


class UserRow(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    telegram_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    first_name: Mapped[str] = mapped_column(String(256))
    username: Mapped[str | None] = mapped_column(String(64))
    account_type: Mapped[str | None] = mapped_column(String(16))
    organization_name: Mapped[str | None] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(254))
    email_verified_at: Mapped[datetime | None]
    terms_accepted_at: Mapped[datetime | None]
    terms_version: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default="active")
    reachable: Mapped[bool] = mapped_column(Boolean, default=True)
    signup_stage: Mapped[str] = mapped_column(String(24), default="terms")
    alerts_muted: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # How often the leads beyond the daily alerts come as a digest (domain DigestInterval).
    digest: Mapped[str] = mapped_column(String(8), default="1d", server_default="1d")
    # Derived, kept by the user repository: an active, reachable, unmuted, signed-up seller.
    # One column instead of four conditions and a join keeps matching fast at scale.
    alertable: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # The person deleted their account (domain/account_cases.py): the row stays, erased.
    deleted_at: Mapped[datetime | None]
    # Why the user is suspended, shown to them (who and when: ``suspensions``).
    suspension_reason: Mapped[str | None] = mapped_column(Text)
    # An admin checked the seller's verification documents (the badge; history:
    # ``verification_decisions``).
    verified_at: Mapped[datetime | None]
    # The thread the user is writing in (the chat flow), mirrored from their flow data by
    # the update path. No foreign key: an id that names no thread means "not writing".
    writing_in_thread_id: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (
        Index(
            "ix_users_alertable",
            "id",
            sqlite_where=text("alertable = 1"),
            postgresql_where=text("alertable"),
        ),
        # Searches leave out the leads of the few suspended users, read through this index.
        Index(
            "ix_users_suspended",
            "id",
            sqlite_where=text("status = 'suspended'"),
            postgresql_where=text("status = 'suspended'"),
        ),
    )
    created_at: Mapped[datetime]

    roles: Mapped[list[UserRoleRow]] = relationship(cascade="all, delete-orphan", lazy="raise")
    profile: Mapped[ProfileRow | None] = relationship(
        cascade="all, delete-orphan", lazy="raise", uselist=False
    )


class UserRoleRow(Base):
    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(16), primary_key=True)


class ProfileRow(Base):
    __tablename__ = "profiles"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    display_name: Mapped[str | None] = mapped_column(String(64))
    headline: Mapped[str | None] = mapped_column(String(120))
    location: Mapped[str | None] = mapped_column(String(100))
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")

    skills: Mapped[list[ProfileSkillRow]] = relationship(
        cascade="all, delete-orphan", lazy="raise", order_by="ProfileSkillRow.position"
    )
    categories: Mapped[list[ProfileCategoryRow]] = relationship(
        cascade="all, delete-orphan", lazy="raise", order_by="ProfileCategoryRow.position"
    )


class SkillRow(Base):
    __tablename__ = "skills"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(40))


class SkillAliasRow(Base):
    __tablename__ = "skill_aliases"

    alias_key: Mapped[str] = mapped_column(String(40), primary_key=True)
    skill_id: Mapped[int] = mapped_column(ForeignKey("skills.id", ondelete="CASCADE"))


class ProfileSkillRow(Base):
    __tablename__ = "profile_skills"
    # Covering index: matching reads user ids by skill without touching the table.
    __table_args__ = (Index("ix_profile_skills_skill_user", "skill_id", "user_id"),)

    user_id: Mapped[int] = mapped_column(
        ForeignKey("profiles.user_id", ondelete="CASCADE"), primary_key=True
    )
    skill_id: Mapped[int] = mapped_column(ForeignKey("skills.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    years: Mapped[int | None] = mapped_column(Integer)

    skill: Mapped[SkillRow] = relationship(lazy="raise")


class CategoryRow(Base):
    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    # Categories dropped from the configuration stay (leads refer to them) but are not offered.
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())


class ProfileCategoryRow(Base):
    __tablename__ = "profile_categories"
    __table_args__ = (Index("ix_profile_categories_category_user", "category_id", "user_id"),)

    user_id: Mapped[int] = mapped_column(
        ForeignKey("profiles.user_id", ondelete="CASCADE"), primary_key=True
    )
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    category: Mapped[CategoryRow] = relationship(lazy="raise")


class EmailTokenRow(Base):
    __tablename__ = "email_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # Indexed for the nudge sweep, which reads the links sent in a window of time.
    created_at: Mapped[datetime] = mapped_column(index=True)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class OutboxRow(Base):
    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_status_next_attempt_at", "status", "next_attempt_at"),
        # A claim looks for a chat's older open messages (storage/outbox.py).
        Index("ix_outbox_recipient_status_id", "recipient", "status", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    recipient: Mapped[str] = mapped_column(String(254))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    payload: Mapped[dict[str, Any]]
    dedupe_key: Mapped[str | None] = mapped_column(String(128), unique=True)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime]
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    # A relayed message: once delivered, its Telegram id is stored on the message, so a
    # reply to it finds its thread.
    relay_message_id: Mapped[int | None] = mapped_column(
        ForeignKey("messages.id", ondelete="SET NULL", use_alter=True)
    )


class InboxRow(Base):
    """An update from Telegram, stored before Telegram is told it arrived and marked handled
    in the transaction of its handler. Keyed by the update id and a digest of its content:
    ids alone repeat when a Bot API server starts counting afresh."""

    __tablename__ = "inbox"

    key: Mapped[str] = mapped_column(String(96), primary_key=True)
    update_id: Mapped[int] = mapped_column(BigInteger, index=True)
    # None for an update that reached a handler without passing the poller (webhook mode).
    payload: Mapped[dict[str, Any] | None]
    received_at: Mapped[datetime] = mapped_column(index=True)
    handled_at: Mapped[datetime | None] = mapped_column(index=True)


class PersistenceRow(Base):
    """PTB persistence: one row per (kind, key), kind being user_data, chat_data, bot_data…"""

    __tablename__ = "ptb_persistence"
    __table_args__ = (UniqueConstraint("kind", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    key: Mapped[str] = mapped_column(String(64))
    data: Mapped[dict[str, Any]]


class ConversationRow(Base):
    """PTB conversation states: one row per (conversation name, key)."""

    __tablename__ = "ptb_conversations"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    state: Mapped[dict[str, Any]]


class LeadRow(Base):
    __tablename__ = "leads"
    __table_args__ = (Index("ix_leads_status_published_at", "status", "published_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    buyer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    title: Mapped[str | None] = mapped_column(String(120))
    description: Mapped[str | None] = mapped_column(Text)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id"))
    budget_minor: Mapped[int | None] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(16), default="draft")
    version: Mapped[int] = mapped_column(Integer, default=0)
    # The lead's row id in the full-text index, given in publishing order, so the newest
    # matches come straight from the index.
    search_seq: Mapped[int | None] = mapped_column(Integer, unique=True)
    created_at: Mapped[datetime]
    published_at: Mapped[datetime | None]
    updated_at: Mapped[datetime]

    category: Mapped[CategoryRow | None] = relationship(lazy="raise")
    skills: Mapped[list[LeadSkillRow]] = relationship(
        cascade="all, delete-orphan", lazy="raise", order_by="LeadSkillRow.position"
    )
    attachments: Mapped[list[LeadAttachmentRow]] = relationship(
        cascade="all, delete-orphan", lazy="raise", order_by="LeadAttachmentRow.position"
    )


class SearchNumberRow(Base):
    """Hands out ``leads.search_seq``: each lead entering the full-text index takes the next
    number the database gives (AUTOINCREMENT on SQLite never gives one twice)."""

    __tablename__ = "search_numbers"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)


class LeadSkillRow(Base):
    __tablename__ = "lead_skills"

    lead_id: Mapped[int] = mapped_column(
        ForeignKey("leads.id", ondelete="CASCADE"), primary_key=True
    )
    skill_id: Mapped[int] = mapped_column(ForeignKey("skills.id"), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    skill: Mapped[SkillRow] = relationship(lazy="raise")


class LeadAttachmentRow(Base):
    __tablename__ = "lead_attachments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    file_id: Mapped[str] = mapped_column(String(256))
    file_name: Mapped[str | None] = mapped_column(String(256))
    position: Mapped[int] = mapped_column(Integer, default=0)


class LeadAlertRow(Base):
    """A seller matched a lead (alerted once, ever) or opened it; ``rank`` scores the match
    (2 per shared skill, 1 for the category), ``queued_at`` says the alert was dealt with:
    pushed as a message of its own (``pushed_at``, what ``alerts.daily_cap`` counts), held
    for the seller's digest (``held_at``, cleared when digested at ``digested_at``), or
    neither (the seller could not be alerted, the lead closed first, or opened already)."""

    __tablename__ = "lead_alerts"
    # Publishing writes one row per matching seller (thousands), so the table is clustered
    # on its key and the only other index holds just the opened rows.
    __table_args__ = (
        Index(
            "ix_lead_alerts_opened_by_seller",
            "seller_id",
            sqlite_where=text("opened_at IS NOT NULL"),
            postgresql_where=text("opened_at IS NOT NULL"),
        ),
        # The daily cap counts a seller's pushes of the last day; the digest sweep reads the
        # held rows. Each index holds only its own rows, so publishing writes neither.
        Index(
            "ix_lead_alerts_pushed_by_seller",
            "seller_id",
            "pushed_at",
            sqlite_where=text("pushed_at IS NOT NULL"),
            postgresql_where=text("pushed_at IS NOT NULL"),
        ),
        Index(
            "ix_lead_alerts_held_by_seller",
            "seller_id",
            "held_at",
            sqlite_where=text("held_at IS NOT NULL"),
            postgresql_where=text("held_at IS NOT NULL"),
        ),
        {"sqlite_with_rowid": False},
    )

    # No foreign keys: PostgreSQL would lock each row's user and lead to check them, which
    # cost as much as the insert; leads and users are never deleted (migration 0012).
    lead_id: Mapped[int] = mapped_column(primary_key=True)
    seller_id: Mapped[int] = mapped_column(primary_key=True)
    alerted_at: Mapped[datetime]
    opened_at: Mapped[datetime | None]
    rank: Mapped[int | None] = mapped_column(Integer)
    queued_at: Mapped[datetime | None]
    pushed_at: Mapped[datetime | None]
    held_at: Mapped[datetime | None]
    digested_at: Mapped[datetime | None]


class EducationRow(Base):
    __tablename__ = "education"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    degree: Mapped[str] = mapped_column(String(120))
    school: Mapped[str] = mapped_column(String(120))
    year: Mapped[int | None] = mapped_column(Integer)


class ProfileDocumentRow(Base):
    """A resume or a verification document (certificate, award, reference)."""

    __tablename__ = "profile_documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(80))
    file_id: Mapped[str] = mapped_column(String(256))
    file_name: Mapped[str | None] = mapped_column(String(256))


class PortfolioLinkRow(Base):
    __tablename__ = "portfolio_links"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(300))
    title: Mapped[str | None] = mapped_column(String(80))


class LeadInvitationRow(Base):
    """A buyer invited a seller to a lead (once)."""

    __tablename__ = "lead_invitations"

    lead_id: Mapped[int] = mapped_column(
        ForeignKey("leads.id", ondelete="CASCADE"), primary_key=True
    )
    seller_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    invited_at: Mapped[datetime]


class ThreadRow(Base):
    __tablename__ = "threads"
    __table_args__ = (UniqueConstraint("lead_id", "seller_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"))
    buyer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    seller_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime]
    buyer_read_up_to: Mapped[int] = mapped_column(Integer, default=0)
    seller_read_up_to: Mapped[int] = mapped_column(Integer, default=0)
    buyer_reminded: Mapped[bool] = mapped_column(Boolean, default=False)
    seller_reminded: Mapped[bool] = mapped_column(Boolean, default=False)


class OfferRow(Base):
    __tablename__ = "offers"
    # The nudge sweep reads the open offers made in a window of time; the bids limit
    # reads an author's latest.
    __table_args__ = (
        Index("ix_offers_status_created_at", "status", "created_at"),
        Index("ix_offers_author_id_created_at", "author_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    days: Mapped[int] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="open")
    created_at: Mapped[datetime]
    decided_at: Mapped[datetime | None]


class ContractRow(Base):
    """The accepted offer; one per lead, which the unique lead_id makes certain."""

    __tablename__ = "contracts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"), unique=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"))
    offer_id: Mapped[int] = mapped_column(ForeignKey("offers.id", ondelete="CASCADE"))
    buyer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    seller_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    days: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime]
    # Indexed for the nudge sweep, which reads the contracts due in a window of time.
    due_at: Mapped[datetime] = mapped_column(index=True)
    # The latest delivery, the buyer's approval of it, and how the contract ended.
    # Indexed, like due_at, for the nudge sweep.
    delivered_at: Mapped[datetime | None] = mapped_column(index=True)
    approved_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None] = mapped_column(index=True)
    cancelled_at: Mapped[datetime | None]
    # Every change of the contract is written only at the version it was read.
    version: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))


class ContractStepRow(Base):
    """What happened to a contract, append-only: deliveries, requests for changes, the
    approval, proposals of a new due date or of a cancellation and their answers, the end."""

    __tablename__ = "contract_steps"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contract_id: Mapped[int] = mapped_column(
        ForeignKey("contracts.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(24))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime]
    note: Mapped[str | None] = mapped_column(Text)
    due_at: Mapped[datetime | None]


class ContractPaymentRow(Base):
    """A payment of a contract: confirmed by the buyer, or reported by Telegram with both
    charge ids. Telegram may repeat a payment's update; its charge id is recorded once."""

    __tablename__ = "contract_payments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contract_id: Mapped[int] = mapped_column(
        ForeignKey("contracts.id", ondelete="CASCADE"), index=True
    )
    method: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(String(200))
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    fee_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    paid_at: Mapped[datetime]
    telegram_payment_charge_id: Mapped[str | None] = mapped_column(String(255), unique=True)
    provider_payment_charge_id: Mapped[str | None] = mapped_column(String(255))


class MessageRow(Base):
    """A relayed message, append-only; edits are new rows pointing at the original."""

    __tablename__ = "messages"
    __table_args__ = (
        Index("ix_messages_recipient_message", "recipient_id", "recipient_message_id"),
        Index("ix_messages_sender_message", "sender_id", "sender_message_id"),
        # The messages limit reads a sender's latest.
        Index("ix_messages_sender_id_created_at", "sender_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"), index=True)
    sender_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    recipient_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str | None] = mapped_column(Text)
    file_id: Mapped[str | None] = mapped_column(String(256))
    file_name: Mapped[str | None] = mapped_column(String(256))
    file_size: Mapped[int | None] = mapped_column(BigInteger)
    flagged: Mapped[bool] = mapped_column(Boolean, default=False)
    sender_message_id: Mapped[int] = mapped_column(BigInteger)
    recipient_message_id: Mapped[int | None] = mapped_column(BigInteger)
    original_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime]


class OfferDraftRow(Base):
    """An offer being written: kept in the database so a restart loses none of it."""

    __tablename__ = "offer_drafts"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"))
    amount_minor: Mapped[int | None] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    days: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime]


class ReviewRow(Base):
    """One side's review of the other on a completed lead: a draft until ``submitted_at``.
    The buyer's stars are rows of ``review_stars``; the seller's rating of the buyer is
    ``rating``."""

    __tablename__ = "reviews"
    __table_args__ = (
        # One review per side per lead.
        UniqueConstraint("lead_id", "side"),
        CheckConstraint("side IN ('buyer', 'seller')", name="side"),
        CheckConstraint("rating BETWEEN 1 AND 5", name="rating"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"))
    side: Mapped[str] = mapped_column(String(8))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    rating: Mapped[int | None] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    submitted_at: Mapped[datetime | None]


class ReviewStarRow(Base):
    """The buyer's stars in one skill of the lead."""

    __tablename__ = "review_stars"
    __table_args__ = (CheckConstraint("stars BETWEEN 1 AND 5", name="stars"),)

    review_id: Mapped[int] = mapped_column(
        ForeignKey("reviews.id", ondelete="CASCADE"), primary_key=True
    )
    skill_id: Mapped[int] = mapped_column(ForeignKey("skills.id"), primary_key=True, index=True)
    stars: Mapped[int] = mapped_column(Integer)


class NudgeRow(Base):
    """A nudge a sweep claimed and queued: its key makes each reason (kind, subject,
    recipient, anchor) nudge once, ever. ``anchor_at`` is in the key so that a moved due
    date, or a second delivery, is a reason of its own."""

    __tablename__ = "nudges"
    __table_args__ = (UniqueConstraint("kind", "subject_id", "recipient_id", "anchor_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(24))
    subject_id: Mapped[int] = mapped_column(Integer)
    recipient_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    anchor_at: Mapped[datetime]
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"))
    thread_id: Mapped[int | None] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"))
    other_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    queued_at: Mapped[datetime]


class NudgeSweepRow(Base):
    """Where the last sweep of a kind stopped, in anchor time (so that a changed duration
    neither skips nor repeats a nudge)."""

    __tablename__ = "nudge_sweeps"

    kind: Mapped[str] = mapped_column(String(24), primary_key=True)
    swept_until: Mapped[datetime]


class NudgeMuteRow(Base):
    """A kind of nudge a user muted in /settings."""

    __tablename__ = "nudge_mutes"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(24), primary_key=True)


class ContactMessageRow(Base):
    """A Contact Us message: a user's to the team ("in"), or an admin's answer ("out")."""

    __tablename__ = "contact_messages"
    __table_args__ = (
        CheckConstraint("direction IN ('in', 'out')", name="direction"),
        # A user's exchange, and the contact limit counting their latest.
        Index("ix_contact_messages_user_id_at", "user_id", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    direction: Mapped[str] = mapped_column(String(3))
    text: Mapped[str | None] = mapped_column(Text)
    # [{"kind": "photo", "file_id": "...", "file_name": "..."}, ...]
    files: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    at: Mapped[datetime] = mapped_column(index=True)
    admin_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class DisputeRow(Base):
    """A contract's dispute (one per contract): why it was opened, and how an administrator
    resolved it (resolved_by_telegram_id: administrators may have no account)."""

    __tablename__ = "disputes"
    __table_args__ = (Index("ix_disputes_status_opened_at", "status", "opened_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contract_id: Mapped[int] = mapped_column(
        ForeignKey("contracts.id", ondelete="CASCADE"), unique=True
    )
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"), index=True)
    opened_by: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    opened_at: Mapped[datetime]
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
    outcome: Mapped[str | None] = mapped_column(String(16))
    paid_minor: Mapped[int | None] = mapped_column(BigInteger)
    currency: Mapped[str | None] = mapped_column(String(3))
    note: Mapped[str | None] = mapped_column(Text)
    resolved_at: Mapped[datetime | None]
    resolved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    resolved_by_telegram_id: Mapped[int | None] = mapped_column(BigInteger)
    files: Mapped[list[DisputeFileRow]] = relationship(
        order_by="DisputeFileRow.position", lazy="raise", cascade="all, delete-orphan"
    )


class DisputeFileRow(Base):
    """A photo or document sent with a dispute (kept like relayed messages' files)."""

    __tablename__ = "dispute_files"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dispute_id: Mapped[int] = mapped_column(
        ForeignKey("disputes.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    file_id: Mapped[str] = mapped_column(String(256))
    file_name: Mapped[str | None] = mapped_column(String(256))


class AuditRow(Base):
    """The audit log, append-only: who (a user, an administrator's Telegram id, or neither:
    the system) did what to which object, when and why."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_subject", "subject_kind", "subject_id", "id"),
        Index("ix_audit_log_actor", "actor_id", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime]
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    actor_telegram_id: Mapped[int | None] = mapped_column(BigInteger)
    action: Mapped[str] = mapped_column(String(40))
    subject_kind: Mapped[str] = mapped_column(String(16))
    subject_id: Mapped[int] = mapped_column(Integer)
    detail: Mapped[str | None] = mapped_column(Text)


class SuspensionRow(Base):
    """A suspension: why, by which admin, when, and when and by whom it was lifted."""

    __tablename__ = "suspensions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    suspended_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    suspended_at: Mapped[datetime]
    lifted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    lifted_at: Mapped[datetime | None]


class VerificationDecisionRow(Base):
    """An admin's decision on one verification document: verified, or rejected with a
    reason. One decision per document."""

    __tablename__ = "verification_decisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[int | None] = mapped_column(
        ForeignKey("profile_documents.id", ondelete="SET NULL"), unique=True
    )
    admin_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    verified: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime]
