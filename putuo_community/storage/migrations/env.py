"""Alembic environment: run migrations on the connection the program hands over."""

from __future__ import annotations

from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy import Connection, create_engine

from putuo_community.storage.schema import ExactDecimal, metadata

config = context.config
connection = config.attributes.get("connection")


def render_item(kind: str, obj: Any, autogen_context: AutogenContext) -> str | Literal[False]:
    # Revisions must not depend on the program's own column types: render the SQL type.
    if kind == "type" and isinstance(obj, ExactDecimal):
        return f"sa.Numeric(precision=18, scale={obj.scale})"
    return False


def run_on(conn: Connection) -> None:
    context.configure(
        connection=conn,
        target_metadata=metadata,
        render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies the table
        compare_type=True,
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


if connection is not None:
    run_on(connection)
else:
    # Only for developers generating revisions: `alembic -x url=sqlite:///dev.sqlite3 revision --autogenerate`
    url = context.get_x_argument(as_dictionary=True).get("url", "sqlite://")
    engine = create_engine(url)
    with engine.begin() as conn:
        run_on(conn)
