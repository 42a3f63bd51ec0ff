"""leads and alerts

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 06:56:56.832787
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "leads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("buyer_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=120), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("category_id", sa.Integer(), nullable=True),
        sa.Column("budget_minor", sa.BigInteger(), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("search_seq", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["buyer_id"], ["users.id"], name=op.f("fk_leads_buyer_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["category_id"], ["categories.id"], name=op.f("fk_leads_category_id_categories")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_leads")),
        sa.UniqueConstraint("search_seq", name=op.f("uq_leads_search_seq")),
    )
    with op.batch_alter_table("leads", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_leads_buyer_id"), ["buyer_id"], unique=False)
        batch_op.create_index("ix_leads_status_published_at", ["status", "published_at"])

    op.create_table(
        "lead_alerts",
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("seller_id", sa.Integer(), nullable=False),
        sa.Column("alerted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("rank", sa.Integer(), nullable=True),
        sa.Column("queued_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["lead_id"], ["leads.id"], name=op.f("fk_lead_alerts_lead_id_leads"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["seller_id"],
            ["users.id"],
            name=op.f("fk_lead_alerts_seller_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("lead_id", "seller_id", name=op.f("pk_lead_alerts")),
        sqlite_with_rowid=False,
    )
    op.create_index(
        "ix_lead_alerts_opened_by_seller",
        "lead_alerts",
        ["seller_id"],
        sqlite_where=sa.text("opened_at IS NOT NULL"),
        postgresql_where=sa.text("opened_at IS NOT NULL"),
    )

    op.create_table(
        "lead_attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("file_id", sa.String(length=256), nullable=False),
        sa.Column("file_name", sa.String(length=256), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["lead_id"],
            ["leads.id"],
            name=op.f("fk_lead_attachments_lead_id_leads"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lead_attachments")),
    )
    with op.batch_alter_table("lead_attachments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lead_attachments_lead_id"), ["lead_id"], unique=False)

    op.create_table(
        "lead_skills",
        sa.Column("lead_id", sa.Integer(), nullable=False),
        sa.Column("skill_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["lead_id"], ["leads.id"], name=op.f("fk_lead_skills_lead_id_leads"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["skill_id"], ["skills.id"], name=op.f("fk_lead_skills_skill_id_skills")
        ),
        sa.PrimaryKeyConstraint("lead_id", "skill_id", name=op.f("pk_lead_skills")),
    )
    with op.batch_alter_table("lead_skills", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lead_skills_skill_id"), ["skill_id"], unique=False)

    with op.batch_alter_table("profile_categories", schema=None) as batch_op:
        batch_op.create_index(
            "ix_profile_categories_category_user", ["category_id", "user_id"], unique=False
        )

    with op.batch_alter_table("profile_skills", schema=None) as batch_op:
        batch_op.create_index("ix_profile_skills_skill_user", ["skill_id", "user_id"], unique=False)

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("alerts_muted", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(
            sa.Column("alertable", sa.Boolean(), server_default=sa.false(), nullable=False)
        )

    op.create_index(
        "ix_users_alertable",
        "users",
        ["id"],
        sqlite_where=sa.text("alertable = 1"),
        postgresql_where=sa.text("alertable"),
    )
    op.execute(
        "UPDATE users SET alertable = (status = 'active' AND reachable AND NOT alerts_muted "
        "AND signup_stage = 'done' "
        "AND id IN (SELECT user_id FROM user_roles WHERE role = 'seller'))"
    )
    if op.get_bind().dialect.name == "sqlite":
        # Full-text search over open leads (rowid = leads.search_seq); the lead
        # repository keeps it in step.
        op.execute(
            "CREATE VIRTUAL TABLE leads_fts USING fts5("
            "title, description, skills, tokenize = 'unicode61 remove_diacritics 2')"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE leads_fts")
    op.drop_index("ix_users_alertable", table_name="users")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("alertable")
        batch_op.drop_column("alerts_muted")

    with op.batch_alter_table("profile_skills", schema=None) as batch_op:
        batch_op.drop_index("ix_profile_skills_skill_user")

    with op.batch_alter_table("profile_categories", schema=None) as batch_op:
        batch_op.drop_index("ix_profile_categories_category_user")

    with op.batch_alter_table("lead_skills", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lead_skills_skill_id"))

    op.drop_table("lead_skills")
    with op.batch_alter_table("lead_attachments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lead_attachments_lead_id"))

    op.drop_table("lead_attachments")
    op.drop_index("ix_lead_alerts_opened_by_seller", table_name="lead_alerts")

    op.drop_table("lead_alerts")
    with op.batch_alter_table("leads", schema=None) as batch_op:
        batch_op.drop_index("ix_leads_status_published_at")
        batch_op.drop_index(batch_op.f("ix_leads_buyer_id"))

    op.drop_table("leads")
