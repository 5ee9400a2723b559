"""history chain: every change-history row carries a hash chained to the row before it

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 06:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from putuo_community.storage.chain import GENESIS, HASHED, link

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

CHUNK = 5000


def upgrade() -> None:
    op.add_column("change_history", sa.Column("chain_hash", sa.String(length=64), nullable=True))
    # The history written so far joins the chain as it stands: from here on, an edit to it shows.
    conn = op.get_bind()
    history = sa.table("change_history", sa.column("id", sa.Integer), *(sa.column(key) for key in HASHED))
    hashed = sa.table("change_history", sa.column("id", sa.Integer), sa.column("chain_hash", sa.String))
    update = sa.update(hashed).where(hashed.c.id == sa.bindparam("row_id")).values(chain_hash=sa.bindparam("hash"))
    previous, last_id = GENESIS, 0
    while True:
        rows = conn.execute(
            sa.select(*history.c).where(history.c.id > last_id).order_by(history.c.id).limit(CHUNK)
        ).all()
        if not rows:
            break
        linked = []
        for row in rows:
            previous = link(previous, row[1:])
            linked.append({"row_id": row[0], "hash": previous})
        conn.execute(update, linked)
        last_id = rows[-1][0]


def downgrade() -> None:
    with op.batch_alter_table("change_history", schema=None) as batch_op:
        batch_op.drop_column("chain_hash")
