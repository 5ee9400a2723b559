"""drop the indexes on a reference that leads a unique natural key: the key's own index serves them

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 12:00:00

Buildings are found by estate through the unique (estate_id, number) index, estates by 街镇 through
(street_id, name), and so on for fifteen tables: a second index on the leading column answered no
query the key's index does not, and every insert paid for it (a tenth of a large import's estate
inserts). Only indexes are dropped: no table is copied, no row changes.
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# (table, the reference leading its natural key), as they stood at 0007.
DROPPED = (
    ("neighbourhoods", "street_id"),
    ("managers", "company_id"),
    ("estates", "street_id"),
    ("estate_aliases", "estate_id"),
    ("buildings", "estate_id"),
    ("units", "building_id"),
    ("committee_terms", "estate_id"),
    ("committee_members", "term_id"),
    ("committee_activities", "estate_id"),
    ("contracts", "estate_id"),
    ("fee_adjustments", "contract_id"),
    ("projects", "estate_id"),
    ("funds", "estate_id"),
    ("estate_issues", "estate_id"),
    ("attachments", "estate_id"),
)


def upgrade() -> None:
    for table, column in DROPPED:
        op.drop_index(f"ix_{table}_{column}", table_name=table)


def downgrade() -> None:
    for table, column in DROPPED:
        op.create_index(f"ix_{table}_{column}", table, [column], unique=False)
