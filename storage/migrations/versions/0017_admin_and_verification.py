"""admin console: suspensions with their reason, who and when; verified sellers

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-10 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("users", sa.Column("suspension_reason", sa.Text(), nullable=True))
    op.add_column("users", sa.Column("verified_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index(
        "ix_users_suspended",
        "users",
        ["id"],
        sqlite_where=sa.text("status = 'suspended'"),
        postgresql_where=sa.text("status = 'suspended'"),
    )
    op.create_table(
        "suspensions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("suspended_by_id", sa.Integer(), nullable=True),
        sa.Column("suspended_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lifted_by_id", sa.Integer(), nullable=True),
        sa.Column("lifted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_suspensions_user_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["suspended_by_id"],
            ["users.id"],
            name=op.f("fk_suspensions_suspended_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["lifted_by_id"],
            ["users.id"],
            name=op.f("fk_suspensions_lifted_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_suspensions")),
    )
    op.create_index(op.f("ix_suspensions_user_id"), "suspensions", ["user_id"])
    op.create_table(
        "verification_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("admin_id", sa.Integer(), nullable=True),
        sa.Column("verified", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_verification_decisions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["profile_documents.id"],
            name=op.f("fk_verification_decisions_document_id_profile_documents"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["admin_id"],
            ["users.id"],
            name=op.f("fk_verification_decisions_admin_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_verification_decisions")),
        sa.UniqueConstraint("document_id", name=op.f("uq_verification_decisions_document_id")),
    )
    op.create_index(
        op.f("ix_verification_decisions_user_id"), "verification_decisions", ["user_id"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_verification_decisions_user_id"), table_name="verification_decisions")
    op.drop_table("verification_decisions")
    op.drop_index(op.f("ix_suspensions_user_id"), table_name="suspensions")
    op.drop_table("suspensions")
    op.drop_index("ix_users_suspended", table_name="users")
    # Plain ALTER TABLE … DROP COLUMN (SQLite 3.35+): a batch copy of ``users`` would drop
    # the old table, and its ON DELETE CASCADE would take every lead with it.
    op.drop_column("users", "verified_at")
    op.drop_column("users", "suspension_reason")
