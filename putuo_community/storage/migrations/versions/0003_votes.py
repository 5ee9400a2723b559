"""the vote counts kept with the records that need a vote

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 06:00:00
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _counts() -> list[sa.Column[Any]]:
    """A whole-estate vote: the scope's totals, who took part and who agreed, by area and by owners."""
    return [
        sa.Column("total_area", sa.Numeric(precision=18, scale=2), nullable=True, comment="专有面积总数"),
        sa.Column("total_owners", sa.Integer(), nullable=True, comment="业主总人数"),
        sa.Column("voting_owners", sa.Integer(), nullable=True, comment="参与表决人数"),
        sa.Column("voting_area", sa.Numeric(precision=18, scale=2), nullable=True, comment="参与表决面积"),
        sa.Column("agree_owners", sa.Integer(), nullable=True, comment="同意人数"),
        sa.Column("agree_area", sa.Numeric(precision=18, scale=2), nullable=True, comment="同意面积"),
    ]


def upgrade() -> None:
    with op.batch_alter_table("committee_terms", schema=None) as batch_op:
        for column in _counts():
            batch_op.add_column(column)

    with op.batch_alter_table("committee_activities", schema=None) as batch_op:
        batch_op.add_column(sa.Column("vote_matter", sa.String(length=44), nullable=True, comment="表决事项"))
        for column in _counts():
            batch_op.add_column(column)

    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.add_column(sa.Column("agree_households", sa.Integer(), nullable=True, comment="同意户数"))
        batch_op.add_column(sa.Column("signed_households", sa.Integer(), nullable=True, comment="签约户数"))


def downgrade() -> None:
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.drop_column("signed_households")
        batch_op.drop_column("agree_households")

    with op.batch_alter_table("committee_activities", schema=None) as batch_op:
        for column in reversed(_counts()):
            batch_op.drop_column(column.name)
        batch_op.drop_column("vote_matter")

    with op.batch_alter_table("committee_terms", schema=None) as batch_op:
        for column in reversed(_counts()):
            batch_op.drop_column(column.name)
