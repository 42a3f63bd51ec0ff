"""seller credentials and invitations

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 07:06:45.790246
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("categories", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("active", sa.Boolean(), server_default=sa.true(), nullable=False)
        )
    op.create_table(
        "education",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("degree", sa.String(length=120), nullable=False),
        sa.Column("school", sa.String(length=120), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_education_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_education")),
    )
    with op.batch_alter_table("education", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_education_user_id"), ["user_id"], unique=False)

    op.create_table(
        "portfolio_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=300), nullable=False),
        sa.Column("title", sa.String(length=80), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_portfolio_links_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portfolio_links")),
    )
    with op.batch_alter_table("portfolio_links", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_portfolio_links_user_id"), ["user_id"], unique=False)

    op.create_table(
        "profile_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=80), nullable=False),
        sa.Column("file_id", sa.String(length=256), nullable=False),
        sa.Column("file_name", sa.String(length=256), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_profile_documents_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_profile_documents")),
    )
    with op.batch_alter_table("profile_documents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_profile_documents_user_id"), ["user_id"], unique=False)

    op.create_table(
        "lead_invitations",
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("seller_id", sa.Integer(), nullable=False),
        sa.Column("invited_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["lead_id"],
            ["leads.id"],
            name=op.f("fk_lead_invitations_lead_id_leads"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["seller_id"],
            ["users.id"],
            name=op.f("fk_lead_invitations_seller_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("lead_id", "seller_id", name=op.f("pk_lead_invitations")),
    )
    with op.batch_alter_table("lead_invitations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_lead_invitations_seller_id"), ["seller_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("categories", schema=None) as batch_op:
        batch_op.drop_column("active")
    with op.batch_alter_table("lead_invitations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lead_invitations_seller_id"))

    op.drop_table("lead_invitations")
    with op.batch_alter_table("profile_documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_profile_documents_user_id"))

    op.drop_table("profile_documents")
    with op.batch_alter_table("portfolio_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_portfolio_links_user_id"))

    op.drop_table("portfolio_links")
    with op.batch_alter_table("education", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_education_user_id"))

    op.drop_table("education")
