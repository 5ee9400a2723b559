"""What a form's reference pickers offer, and what refers to a record before it is deleted.

A reference field (楼栋, 物业服务企业, 居委会 …) is picked from the records of its
target register, narrowed by the record's other values: the buildings of the
chosen estate, the units of the chosen building, the 居委会 of the chosen 街镇.
The narrowing follows the declarations: a target's `parent_field` chain, matched
by key against the fields of the register being edited.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Any

from sqlalchemy import ColumnElement, FromClause, Select, String, and_, case, cast, func, literal, or_, select

from putuo_community.domain.errors import RecordNotFound
from putuo_community.domain.fields import Field, FieldType, Register
from putuo_community.domain.formatting import format_value
from putuo_community.domain.parsing import chinese_numerals_to_digits, clean_text
from putuo_community.domain.registers import REGISTERS, get_register
from putuo_community.storage.database import Database
from putuo_community.storage.schema import TABLES

_NO_CONTEXT: Mapping[str, Any] = MappingProxyType({})
# How deep a picker looks up its target's parent chain: units → buildings → estates.
_ANCESTOR_DEPTH = 2


@dataclass(frozen=True)
class RefOption:
    """One record a reference field may point at."""

    id: int
    label: str  # what the field shows once picked: 3号楼, 上海曹杨物业管理有限公司, 第3届
    detail: str = ""  # what tells two alike apart: the estate, the credit code, the 街镇
    # The text asked for names this record exactly (its name, code, credit code or an alias).
    exact: bool = False


@dataclass(frozen=True)
class _Look:
    """How the records of one target register are searched and told apart."""

    search: tuple[str, ...] = ()  # own text columns a word may appear in (beside the title)
    exact: tuple[str, ...] = ()  # own columns an exact spelling names a record by (beside the title)
    detail_refs: tuple[str, ...] | None = None  # ref paths whose titles make the detail; None: the parent chain
    detail_columns: tuple[str, ...] = ()  # own columns added to the detail
    label: Callable[[Mapping[Any, Any]], str] | None = None
    hidden: frozenset[str] = frozenset()  # detail columns read for the label only


def _term_label(row: Mapping[Any, Any]) -> str:
    return f"第{row['title']}届"


def _term_span(row: Mapping[Any, Any]) -> str:
    start, end = row.get("start_on"), row.get("end_on")
    if isinstance(start, date) and isinstance(end, date):
        return f"{start.isoformat()} 至 {end.isoformat()}"
    return ""


def _contract_label(row: Mapping[Any, Any]) -> str:
    start = row.get("start_on")
    return f"{row['title']}（{start.isoformat()}起）" if isinstance(start, date) else str(row["title"])


_LOOKS: dict[str, _Look] = {
    "streets": _Look(search=("short_name",), exact=("short_name",)),
    "companies": _Look(search=("credit_code",), exact=("credit_code",), detail_columns=("credit_code",)),
    "estates": _Look(search=("code",), exact=("code",), detail_refs=("street_id",), detail_columns=("code",)),
    "buildings": _Look(search=("address",)),
    "committee_terms": _Look(
        detail_columns=("start_on", "end_on"), hidden=frozenset({"start_on", "end_on"}), label=_term_label
    ),
    "contracts": _Look(
        detail_refs=("estate_id", "company_id"),
        detail_columns=("start_on",),
        hidden=frozenset({"start_on"}),
        label=_contract_label,
    ),
}


def ancestor_keys(register: Register) -> tuple[str, ...]:
    """The parent chain of a register as field keys: units → ("building_id", "estate_id")."""
    keys: list[str] = []
    current = register
    for _ in range(_ANCESTOR_DEPTH):
        if not current.parent_field:
            break
        keys.append(current.parent_field)
        current = REGISTERS[current.field(current.parent_field).ref]
    return tuple(keys)


def ref_context_keys(register: Register, field: Field) -> tuple[str, ...]:
    """The fields of `register` whose values narrow what `field` may point at, nearest first.

    A lift's 单元 is narrowed by its 楼栋, then by its 小区; an estate's 居委会 by its 街镇;
    an estate's 项目经理 by its 物业服务企业. Found by key: the record's field must refer to
    the same register as the target's parent field of that name.
    """
    target = REGISTERS[field.ref]
    keys: list[str] = []
    current = target
    for key in ancestor_keys(target):
        parent_ref = current.field(key).ref
        if key != field.key and register.has_field(key) and register.field(key).ref == parent_ref:
            keys.append(key)
        current = REGISTERS[parent_ref]
    return tuple(keys)


class LookupService:
    def __init__(self, database: Database) -> None:
        self.database = database

    def ref_options(
        self,
        register_key: str,
        field_key: str,
        *,
        text: str = "",
        context: Mapping[str, Any] = _NO_CONTEXT,
        limit: int = 50,
    ) -> list[RefOption]:
        """The records `register_key.field_key` may point at, matching every word of `text`.

        `context` holds the record's other values; the nearest of the target's parent fields
        given there (see `ref_context_keys`) narrows the choice. Exact matches come first.
        """
        target = _target_of(register_key, field_key)
        words = clean_text(text).split()
        query = _option_query(target, " ".join(words))
        if words:
            query = query.where(and_(*(_word_matches(target, word) for word in words)))
        narrowing = _narrowing(target, context)
        if narrowing is not None:
            query = query.where(narrowing)
        query = query.order_by(*_ordering(target, " ".join(words))).limit(limit)
        with self.database.read() as conn:
            rows = conn.execute(query).all()
        return [_option(target, row._mapping) for row in rows]

    def option(self, register_key: str, field_key: str, record_id: int) -> RefOption:
        """The option for one record a reference field points at."""
        target = _target_of(register_key, field_key)
        query = _option_query(target, "").where(TABLES[target.key].c.id == record_id)
        with self.database.read() as conn:
            row = conn.execute(query).first()
        if row is None:
            raise RecordNotFound(f"{target.label}记录（编号 {record_id}）不存在，可能已被删除。")
        return _option(target, row._mapping)

    def label_of(self, register_key: str, field_key: str, record_id: int) -> str:
        """What a reference field shows for the record it points at (3号楼, 第3届 …)."""
        return self.option(register_key, field_key, record_id).label


def _target_of(register_key: str, field_key: str) -> Register:
    field = get_register(register_key).field(field_key)
    if field.type is not FieldType.REF:
        raise ValueError(f"{register_key}.{field_key} is not a reference field")
    return REGISTERS[field.ref]


def _look(target: Register) -> _Look:
    return _LOOKS.get(target.key, _Look())


def _detail_paths(target: Register) -> tuple[tuple[str, ...], ...]:
    """Ref paths (from the target) whose titles tell its records apart, outermost first."""
    look = _look(target)
    if look.detail_refs is not None:
        return tuple((key,) for key in look.detail_refs)
    chain = ancestor_keys(target)
    # units: (building_id, estate_id) → the estate's title, then the building's.
    return tuple(chain[: depth + 1] for depth in reversed(range(len(chain))))


def _option_query(target: Register, text: str) -> Select[Any]:
    """id, title, the detail titles and columns, and whether `text` names the record exactly."""
    table = TABLES[target.key]
    look = _look(target)
    joined: FromClause = table
    joins: dict[tuple[str, ...], FromClause] = {(): table}
    columns: list[Any] = [table.c.id, table.c[target.title_field].label("title")]
    for number, path in enumerate(_detail_paths(target)):
        register = target
        source: FromClause = table
        for depth in range(len(path)):
            key = path[depth]
            register = REGISTERS[register.field(key).ref]
            prefix = path[: depth + 1]
            if prefix not in joins:
                alias = TABLES[register.key].alias(f"detail_{'_'.join(prefix)}")
                joined = joined.outerjoin(alias, alias.c.id == source.c[key])
                joins[prefix] = alias
            source = joins[prefix]
        columns.append(source.c[register.title_field].label(f"detail_{number}"))
    columns += [table.c[key] for key in look.detail_columns]
    columns.append(_exact(target, text).label("exact") if text else literal(False).label("exact"))
    return select(*columns).select_from(joined)


def _title_text(target: Register) -> ColumnElement[Any]:
    column = TABLES[target.key].c[target.title_field]
    return column if target.field(target.title_field).type is not FieldType.INTEGER else cast(column, String)


_DIGITS = re.compile(r"\d+")


def _number_in(text: str) -> int | None:
    """第3届, 三, 3 → 3: how clerks name a term."""
    found = _DIGITS.findall(chinese_numerals_to_digits(text))
    return int(found[0]) if len(found) == 1 else None


def _exact(target: Register, text: str) -> ColumnElement[bool]:
    table = TABLES[target.key]
    if target.field(target.title_field).type is FieldType.INTEGER:
        number = _number_in(text)
        return table.c[target.title_field] == number if number is not None else literal(False)
    folded = text.casefold()
    alternatives: list[ColumnElement[bool]] = [
        func.lower(table.c[key]) == folded for key in (target.title_field, *_look(target).exact)
    ]
    if target.is_estate:
        aliases = TABLES["estate_aliases"]
        alternatives.append(table.c.id.in_(select(aliases.c.estate_id).where(aliases.c.alias == text)))
    return or_(*alternatives)


def _word_matches(target: Register, word: str) -> ColumnElement[bool]:
    table = TABLES[target.key]
    if target.field(target.title_field).type is FieldType.INTEGER:
        number = _number_in(word)
        if number is not None:
            return table.c[target.title_field] == number
    upper = word.upper()  # credit codes and estate codes are written in either case
    alternatives: list[ColumnElement[bool]] = [_title_text(target).contains(word, autoescape=True)]
    alternatives += [func.upper(table.c[key]).contains(upper, autoescape=True) for key in _look(target).search]
    if target.is_estate:
        aliases = TABLES["estate_aliases"]
        alternatives.append(
            table.c.id.in_(select(aliases.c.estate_id).where(aliases.c.alias.contains(word, autoescape=True)))
        )
    return or_(*alternatives)


def _narrowing(target: Register, context: Mapping[str, Any]) -> ColumnElement[bool] | None:
    """The condition the nearest parent value given in `context` puts on the target's records."""
    table = TABLES[target.key]
    chain = ancestor_keys(target)
    for depth, key in enumerate(chain):
        value = context.get(key)
        if value is None:
            continue
        if depth == 0:
            condition: ColumnElement[bool] = table.c[key] == value
            return condition
        # A grandparent: the target's parent must hang from it (a unit of any building of the estate).
        parent = REGISTERS[target.field(chain[0]).ref]
        parents = TABLES[parent.key]
        return table.c[chain[0]].in_(select(parents.c.id).where(parents.c[key] == value))
    return None


def _ordering(target: Register, text: str) -> Sequence[Any]:
    table = TABLES[target.key]
    title = _title_text(target)
    order: list[Any] = []
    if text:
        order.append(_exact(target, text).desc())
        order.append(case((title.startswith(text, autoescape=True), 0), else_=1))
    if target.field(target.title_field).type is FieldType.INTEGER:
        order.append(table.c[target.title_field])
    else:
        # 2号楼 before 10号楼: shorter titles first, then alphabetical.
        order += [func.length(title), title]
    order.append(table.c.id)
    return order


def _option(target: Register, row: Mapping[Any, Any]) -> RefOption:
    look = _look(target)
    label = look.label(row) if look.label else format_value(target.field(target.title_field), row["title"])
    parts: list[str] = []
    for number in range(len(_detail_paths(target))):
        value = row.get(f"detail_{number}")
        if value not in (None, ""):
            parts.append(str(value))
    for key in look.detail_columns:
        value = row.get(key)
        if key not in look.hidden and value not in (None, ""):
            parts.append(format_value(target.field(key), value))
    if target.key == "committee_terms" and _term_span(row):
        parts.append(_term_span(row))
    return RefOption(int(row["id"]), label, " · ".join(parts), bool(row["exact"]))


__all__ = ["LookupService", "RefOption", "ancestor_keys", "ref_context_keys"]
