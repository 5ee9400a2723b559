"""accounts: who may log in once an administrator turns accounts on, with role, 街镇 and login bookkeeping

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 09:00:00

A new table only: existing archives keep working with accounts off until an administrator turns them on
(the app_settings row "accounts.enabled", written by services/accounts.py).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("street_id", sa.Integer(), nullable=True),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(create_constraint=False), server_default=sa.true(), nullable=False),
        sa.Column("failed_logins", sa.Integer(), server_default="0", nullable=False),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
        sa.Column("last_login_at", sa.DateTime(), nullable=True),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["street_id"], ["streets.id"], name=op.f("fk_accounts_street_id_streets")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accounts")),
        sa.UniqueConstraint("name", name=op.f("uq_accounts_name")),
    )


def downgrade() -> None:
    # Accounts go, and with them the switch that turned them on: the archive is single-user again.
    op.drop_table("accounts")
    op.execute(sa.text("DELETE FROM app_settings WHERE key = 'accounts.enabled'"))
