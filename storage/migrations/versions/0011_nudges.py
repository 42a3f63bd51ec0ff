"""nudges: each reason and object nudged once

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 18:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "nudges",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("recipient_id", sa.Integer(), nullable=False),
        sa.Column("anchor_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=True),
        sa.Column("thread_id", sa.Integer(), nullable=True),
        sa.Column("other_id", sa.Integer(), nullable=True),
        sa.Column("queued_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["recipient_id"],
            ["users.id"],
            name=op.f("fk_nudges_recipient_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["lead_id"], ["leads.id"], name=op.f("fk_nudges_lead_id_leads"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["thread_id"],
            ["threads.id"],
            name=op.f("fk_nudges_thread_id_threads"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["other_id"], ["users.id"], name=op.f("fk_nudges_other_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_nudges")),
        sa.UniqueConstraint(
            "kind", "subject_id", "recipient_id", "anchor_at", name=op.f("uq_nudges_kind")
        ),
    )
    op.create_index(op.f("ix_nudges_recipient_id"), "nudges", ["recipient_id"])
    op.create_table(
        "nudge_sweeps",
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("swept_until", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("kind", name=op.f("pk_nudge_sweeps")),
    )
    op.create_table(
        "nudge_mutes",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_nudge_mutes_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "kind", name=op.f("pk_nudge_mutes")),
    )
    # The sweep reads each kind's anchors in a window of time, through these indexes.
    op.create_index(op.f("ix_contracts_due_at"), "contracts", ["due_at"])
    op.create_index(op.f("ix_contracts_delivered_at"), "contracts", ["delivered_at"])
    op.create_index(op.f("ix_contracts_completed_at"), "contracts", ["completed_at"])
    op.create_index(op.f("ix_offers_status_created_at"), "offers", ["status", "created_at"])
    op.create_index(op.f("ix_email_tokens_created_at"), "email_tokens", ["created_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_email_tokens_created_at"), table_name="email_tokens")
    op.drop_index(op.f("ix_offers_status_created_at"), table_name="offers")
    op.drop_index(op.f("ix_contracts_completed_at"), table_name="contracts")
    op.drop_index(op.f("ix_contracts_delivered_at"), table_name="contracts")
    op.drop_index(op.f("ix_contracts_due_at"), table_name="contracts")
    op.drop_table("nudge_mutes")
    op.drop_table("nudge_sweeps")
    op.drop_index(op.f("ix_nudges_recipient_id"), table_name="nudges")
    op.drop_table("nudges")
