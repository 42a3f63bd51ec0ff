"""PostgreSQL searches natively: a weighted tsvector of each open lead, GIN-indexed

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 17:30:00
"""

from collections import defaultdict
from collections.abc import Sequence

from alembic import op

from domain.lifecycle import LeadStatus
from storage.search import SET_VECTOR, vector_words

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # SQLite has searched with FTS5 since 0002.
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE leads ADD COLUMN search_vector tsvector")
    op.execute("CREATE INDEX ix_leads_search_vector ON leads USING gin (search_vector)")
    connection = op.get_bind()
    leads = connection.exec_driver_sql(
        "SELECT id, title, description FROM leads WHERE status = 'open'"
    ).all()
    skills: dict[int, list[str]] = defaultdict(list)
    for lead_id, name in connection.exec_driver_sql(
        "SELECT lead_skills.lead_id, skills.name FROM lead_skills "
        "JOIN skills ON skills.id = lead_skills.skill_id"
    ):
        skills[lead_id].append(name)
    rows = [
        vector_words(lead_id, LeadStatus.OPEN, title, description, skills[lead_id])
        for lead_id, title, description in leads
    ]
    if rows:
        connection.execute(SET_VECTOR, rows)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX ix_leads_search_vector")
    op.execute("ALTER TABLE leads DROP COLUMN search_vector")
