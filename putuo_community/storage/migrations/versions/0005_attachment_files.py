"""attachments stored as files by their SHA-256, and the recoverable bin

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 06:00:00

An attachment now links to one record of its estate through a reference of its own (a term, a
contract, a lift, a renovation or 加装电梯 project) instead of a register name and an id, carries
the date on the document, keeps the original file name whole (255 characters), and has a
removed_on date while it is in the bin.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# (column, register, label): the references that replace related_register / related_id.
LINKS = (
    ("term_id", "committee_terms", "业委会届次"),
    ("contract_id", "contracts", "物业服务合同"),
    ("lift_id", "lifts", "电梯"),
    ("project_id", "projects", "修缮改造项目"),
    ("lift_project_id", "lift_projects", "加装电梯项目"),
)


def upgrade() -> None:
    # New columns only: SQLite adds them in place, without copying the table.
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("dated_on", sa.Date(), nullable=True, comment="文件日期"))
        for column, _register, label in LINKS:
            batch_op.add_column(sa.Column(column, sa.Integer(), nullable=True, comment=label))
        batch_op.add_column(sa.Column("removed_on", sa.Date(), nullable=True, comment="移入回收站日期"))

    # What the old pair pointed at, where that record still exists, moves into its reference.
    conn = op.get_bind()
    for column, register, _label in LINKS:  # names from the list above, never from data
        conn.execute(
            sa.text(
                f"UPDATE attachments SET {column} = related_id "
                f"WHERE related_register = :register AND related_id IN (SELECT id FROM {register})"
            ),
            {"register": register},
        )

    # The rest in one copy of the table: the references' constraints, the longer file name, the old pair gone.
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.alter_column(
            "file_name",
            existing_type=sa.String(length=200),
            type_=sa.String(length=255),
            existing_nullable=False,
            comment="原文件名",
            existing_comment="文件名",
        )
        for column, register, _label in LINKS:
            batch_op.create_foreign_key(
                batch_op.f(f"fk_attachments_{column}_{register}"), register, [column], ["id"], ondelete="SET NULL"
            )
            batch_op.create_index(batch_op.f(f"ix_attachments_{column}"), [column], unique=False)
        batch_op.drop_column("related_register")
        batch_op.drop_column("related_id")


def downgrade() -> None:
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("related_register", sa.String(length=200), nullable=True, comment="关联台账"))
        batch_op.add_column(sa.Column("related_id", sa.Integer(), nullable=True, comment="关联记录"))

    conn = op.get_bind()
    for column, register, _label in LINKS:
        conn.execute(
            sa.text(
                f"UPDATE attachments SET related_register = :register, related_id = {column} "
                f"WHERE {column} IS NOT NULL"
            ),
            {"register": register},
        )

    with op.batch_alter_table("attachments", schema=None) as batch_op:
        for column, register, _label in LINKS:
            batch_op.drop_index(batch_op.f(f"ix_attachments_{column}"))
            batch_op.drop_constraint(batch_op.f(f"fk_attachments_{column}_{register}"), type_="foreignkey")
        batch_op.alter_column(
            "file_name",
            existing_type=sa.String(length=255),
            type_=sa.String(length=200),
            existing_nullable=False,
            comment="文件名",
            existing_comment="原文件名",
        )
        for column, _register, _label in reversed(LINKS):
            batch_op.drop_column(column)
        batch_op.drop_column("removed_on")
        batch_op.drop_column("dated_on")
