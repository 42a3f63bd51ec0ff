"""contact us messages, the accepted terms version, indexes for the abuse limits

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 20:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "contact_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("direction", sa.String(length=3), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("files", sa.JSON(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("admin_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "direction IN ('in', 'out')", name=op.f("ck_contact_messages_direction")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_contact_messages_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["admin_id"],
            ["users.id"],
            name=op.f("fk_contact_messages_admin_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact_messages")),
    )
    op.create_index(op.f("ix_contact_messages_at"), "contact_messages", ["at"])
    op.create_index(op.f("ix_contact_messages_user_id_at"), "contact_messages", ["user_id", "at"])
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(sa.Column("terms_version", sa.String(length=64), nullable=True))
    # The limits count a user's latest bids and messages through these.
    op.create_index(op.f("ix_offers_author_id_created_at"), "offers", ["author_id", "created_at"])
    op.create_index(
        op.f("ix_messages_sender_id_created_at"), "messages", ["sender_id", "created_at"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_messages_sender_id_created_at"), table_name="messages")
    op.drop_index(op.f("ix_offers_author_id_created_at"), table_name="offers")
    # Plain ALTER TABLE … DROP COLUMN (SQLite 3.35+): a batch copy would drop the old
    # table, and the ON DELETE CASCADE of the tables referring to it would empty them.
    op.drop_column("users", "terms_version")
    op.drop_index(op.f("ix_contact_messages_user_id_at"), table_name="contact_messages")
    op.drop_index(op.f("ix_contact_messages_at"), table_name="contact_messages")
    op.drop_table("contact_messages")
