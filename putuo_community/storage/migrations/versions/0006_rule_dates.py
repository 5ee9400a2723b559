"""the dates three corrected rules watch (the formation report, a Ⅱ类 lift's plan, a lift's 审价), and two indexes

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 09:00:00

The 筹备组 is due 60 days after the developer's written report, not after the day the
conditions are met, so the estate keeps the report's date. A lift keeps the day a Ⅱ类
risk-control plan was made and the day works over ¥50,000 were price-audited (审价).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # New nullable columns only: SQLite adds them in place, without copying the table.
    with op.batch_alter_table("estates", schema=None) as batch_op:
        batch_op.add_column(sa.Column("formation_report_on", sa.Date(), nullable=True, comment="成立业主大会报告日期"))
    with op.batch_alter_table("lifts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("risk_plan_on", sa.Date(), nullable=True, comment="风险防控方案日期"))
        batch_op.add_column(sa.Column("price_audit_on", sa.Date(), nullable=True, comment="审价日期"))
    # The reminders' per-estate latest activity and the year's 审计 are index seeks, not table scans.
    op.create_index("ix_committee_activities_estate_held", "committee_activities", ["estate_id", "held_on"])
    op.create_index("ix_committee_activities_kind_held", "committee_activities", ["kind", "held_on", "estate_id"])


def downgrade() -> None:
    # ALTER TABLE … DROP COLUMN in place (SQLite 3.35+), never batch mode's copy of the table: dropping the
    # old estates table to swap in the copy would cascade to every record that refers to an estate.
    op.drop_index("ix_committee_activities_kind_held", table_name="committee_activities")
    op.drop_index("ix_committee_activities_estate_held", table_name="committee_activities")
    op.drop_column("lifts", "price_audit_on")
    op.drop_column("lifts", "risk_plan_on")
    op.drop_column("estates", "formation_report_on")
