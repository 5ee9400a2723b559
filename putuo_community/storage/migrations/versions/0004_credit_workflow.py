"""the credit workflow: objections and their states, local policy

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 06:00:00

An objection now moves 已提出 → 已受理 → 维持 / 撤销, with the day it was accepted (the 15
working days count from it) and the day it was decided. Earlier states map onto these:
审核中 → 已受理, 异议成立 → 撤销, 异议不成立 → 维持; the day it was filed stands in for the
day it was accepted, which earlier versions did not keep. The local policy (warning
thresholds, score base, entered holiday arrangements) lives in app_settings as before.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# (earlier word, new word)
_STATES = (("审核中", "已受理"), ("异议成立", "撤销"), ("异议不成立", "维持"))


def _events() -> sa.TableClause:
    return sa.table(
        "credit_events",
        sa.column("objection", sa.String),
        sa.column("objection_filed_on", sa.Date),
        sa.column("objection_accepted_on", sa.Date),
    )


def upgrade() -> None:
    with op.batch_alter_table("credit_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("objection_accepted_on", sa.Date(), nullable=True, comment="异议受理日期"))
        batch_op.add_column(sa.Column("objection_decided_on", sa.Date(), nullable=True, comment="异议决定日期"))
    events = _events()
    for old, new in _STATES:
        op.execute(
            events.update()
            .where(events.c.objection == old)
            .values(objection=new, objection_accepted_on=events.c.objection_filed_on)
        )
    with op.batch_alter_table("credit_events", schema=None) as batch_op:
        batch_op.alter_column(
            "objection",
            existing_type=sa.String(length=20),
            type_=sa.String(length=12),
            existing_nullable=True,
            existing_comment="异议",
        )


def downgrade() -> None:
    with op.batch_alter_table("credit_events", schema=None) as batch_op:
        batch_op.alter_column(
            "objection",
            existing_type=sa.String(length=12),
            type_=sa.String(length=20),
            existing_nullable=True,
            existing_comment="异议",
        )
    events = _events()
    # An objection only filed was "under review" to earlier versions too.
    op.execute(events.update().where(events.c.objection == "已提出").values(objection="审核中"))
    for old, new in _STATES:
        op.execute(events.update().where(events.c.objection == new).values(objection=old))
    with op.batch_alter_table("credit_events", schema=None) as batch_op:
        batch_op.drop_column("objection_decided_on")
        batch_op.drop_column("objection_accepted_on")
