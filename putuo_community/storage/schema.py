"""SQLAlchemy tables generated from the register declarations.

Each register becomes one table with its declared fields plus the system columns
`id`, `version` (optimistic locking), `created_at` and `updated_at`.
Nothing here is SQLite-only: the same tables are created on PostgreSQL.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
    true,
)
from sqlalchemy.engine import CursorResult
from sqlalchemy.types import TypeDecorator, TypeEngine

from putuo_community.domain.fields import Field, FieldType, Register
from putuo_community.domain.registers import REGISTERS

# Named constraints, so that Alembic's batch mode on SQLite can find them again.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)


class ExactDecimal(TypeDecorator[Decimal]):
    """A Numeric column that always hands back a `Decimal` with the declared scale.

    SQLite has no decimal type; going through float keeps SQLAlchemy from warning
    on every read, and the quantize below restores the exact declared value.
    """

    impl = Numeric
    cache_ok = True

    def __init__(self, scale: int = 2) -> None:
        super().__init__(precision=18, scale=scale, asdecimal=False)
        self.scale = scale
        self._quantum = Decimal(1).scaleb(-scale)

    def process_bind_param(self, value: Any, dialect: Dialect) -> float | None:
        return None if value is None else float(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return Decimal(repr(float(value))).quantize(self._quantum)


def column_type(field: Field) -> TypeEngine[Any]:
    match field.type:
        case FieldType.TEXT:
            return String(field.max_length)
        case FieldType.LONG_TEXT:
            return Text()
        case FieldType.CHOICE:
            return String(max(len(c) for c in field.choices) * 4)
        case FieldType.INTEGER | FieldType.REF:
            return Integer()
        case FieldType.DECIMAL:
            return ExactDecimal(field.decimals)
        case FieldType.DATE:
            return Date()
        case FieldType.BOOL:
            return Boolean(create_constraint=False)
    raise AssertionError(field.type)


def _on_delete(register: Register, field: Field) -> str:
    if field.key == register.parent_field:
        return "CASCADE"  # a building goes with its estate
    return "RESTRICT" if field.required else "SET NULL"


def build_table(register: Register, meta: MetaData) -> Table:
    columns: list[Any] = [
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("version", Integer, nullable=False, default=1, server_default="1"),
        Column("created_at", DateTime, nullable=False),
        Column("updated_at", DateTime, nullable=False),
    ]
    for field in register.fields:
        args: list[Any] = [field.key, column_type(field)]
        if field.type is FieldType.REF:
            args.append(ForeignKey(f"{field.ref}.id", ondelete=_on_delete(register, field)))
        columns.append(Column(*args, nullable=not field.required, comment=field.label))
    table = Table(register.key, meta, *columns, comment=register.label)
    key_fields = [register.field(k) for k in register.natural_key]
    # A natural key with an optional part cannot be a constraint (NULLs never collide);
    # the services check those before writing.
    keyed = len(key_fields) > 1 and all(f.required for f in key_fields)
    for field in register.fields:
        if field.unique:
            table.append_constraint(UniqueConstraint(field.key))
        elif field.type is FieldType.REF and not (keyed and field.key == register.natural_key[0]):
            # A reference leading the natural key is found through the key's own index (an estate's
            # buildings by estate_id, say): a second index on it would only slow every insert.
            Index(None, table.c[field.key])
    if keyed:
        table.append_constraint(UniqueConstraint(*register.natural_key))
    return table


TABLES: dict[str, Table] = {key: build_table(register, metadata) for key, register in REGISTERS.items()}

# Groups the changes of one operation (an edit, an import, the demo) so it can be undone whole.
change_batches = Table(
    "change_batches",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("started_at", DateTime, nullable=False),
    Column("user", String(64), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("description", String(400), nullable=False),
    Column("undone_at", DateTime),
)
# Each history row's place in the tamper-evident chain (see `storage.chain`): a system column, not a field.
TABLES["change_history"].append_column(Column("chain_hash", String(64)))
Index(None, TABLES["change_history"].c.batch_id)
Index(None, TABLES["change_history"].c.estate_id)
Index(None, TABLES["change_history"].c.register, TABLES["change_history"].c.record_id)
# The reminders ask, per estate, for its latest activity and, district-wide, for the 审计 of a year:
# seeks in these, where a scan of every estate's monthly records would cost a tenth of a second.
_activities = TABLES["committee_activities"]
Index("ix_committee_activities_estate_held", _activities.c.estate_id, _activities.c.held_on)
Index("ix_committee_activities_kind_held", _activities.c.kind, _activities.c.held_on, _activities.c.estate_id)

# District-wide settings (credit warning thresholds, ...), as text.
app_settings = Table(
    "app_settings",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

# Who may log in once accounts are on (see services/accounts.py): a system table, never a register, so it
# is in no ledger, list or dossier. The password is kept only as its scrypt hash with the account's salt.
accounts = Table(
    "accounts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(32), nullable=False, unique=True),
    Column("role", String(16), nullable=False),
    Column("street_id", Integer, ForeignKey("streets.id")),
    Column("password_hash", String(200), nullable=False),
    Column("active", Boolean(create_constraint=False), nullable=False, default=True, server_default=true()),
    Column("failed_logins", Integer, nullable=False, default=0, server_default="0"),
    Column("locked_until", DateTime),
    Column("last_login_at", DateTime),
    Column("version", Integer, nullable=False, default=1, server_default="1"),
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
)


def table_for(register_key: str) -> Table:
    return TABLES[register_key]


def now() -> datetime:
    """Timestamps are local wall-clock time, as the clerks read them."""
    return datetime.now().replace(microsecond=0)


def new_id(result: CursorResult[Any]) -> int:
    """The primary key an INSERT of one row produced."""
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])
