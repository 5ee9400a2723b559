"""Record lists as the list pages narrow them: by 街镇 (directly or through the estate) and by text.

`RecordService.list` filters on a register's own columns only; a clerk filtering
lifts or projects by 街镇 means "in an estate of that 街镇", and a clerk searching
them types the estate's name, which lives in another table.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, Table, and_, or_, select

from putuo_community.domain.fields import FieldType, Register
from putuo_community.domain.registers import REGISTERS
from putuo_community.services.records import select_with_titles
from putuo_community.storage.schema import TABLES

_TEXTUAL = (FieldType.TEXT, FieldType.LONG_TEXT, FieldType.CHOICE)


def street_filter_kind(register: Register) -> str:
    """How a register is narrowed by 街镇: "direct" (own street_id), "estate" or "term" (through them), or ""."""
    if register.has_field("street_id") and register.field("street_id").ref == "streets":
        return "direct"
    if register.estate_field and register.field(register.estate_field).ref == "estates":
        return "estate"
    if register.has_field("term_id"):
        return "term"  # committee members: through their term's estate
    return ""


def filtered_query(
    register: Register, *, street_id: int | None = None, search: str = "", personal: bool = True
) -> tuple[Select[Any], Table]:
    """The records of `register` narrowed as a list page narrows them, with the titles they refer to.

    `personal`: whether the search looks in personal numbers (not for whoever sees them masked: a
    search would confirm a number they may not read)."""
    query, table = select_with_titles(register)
    if street_id is not None:
        estates = TABLES["estates"]
        in_street = select(estates.c.id).where(estates.c.street_id == street_id)
        kind = street_filter_kind(register)
        if kind == "direct":
            query = query.where(table.c.street_id == street_id)
        elif kind == "estate":
            query = query.where(table.c[register.estate_field].in_(in_street))
        elif kind == "term":
            terms = TABLES["committee_terms"]
            query = query.where(table.c.term_id.in_(select(terms.c.id).where(terms.c.estate_id.in_(in_street))))
        else:
            raise ValueError(f"register {register.key} cannot be filtered by street")
    words = search.split()
    if words:
        columns = _searchable(register, query, table, personal=personal)
        query = query.where(and_(*(_word_matches(register, table, columns, w) for w in words)))
    return query, table


def _searchable(register: Register, query: Any, table: Any, *, personal: bool = True) -> list[Any]:
    columns: list[Any] = [
        table.c[f.key] for f in register.fields if f.type in _TEXTUAL and (personal or not f.personal)
    ]
    for ref_field in register.ref_fields:
        target = REGISTERS[ref_field.ref]
        if target.field(target.title_field).type in _TEXTUAL:
            # The joined title column, without its label, so it can stand in WHERE.
            columns.append(query.selected_columns[f"{ref_field.key}__title"].element)
    return columns


def _word_matches(register: Register, table: Any, columns: list[Any], word: str) -> ColumnElement[bool]:
    alternatives: list[ColumnElement[bool]] = [c.contains(word, autoescape=True) for c in columns]
    if register.is_estate:
        aliases = TABLES["estate_aliases"]
        alternatives.append(
            table.c.id.in_(select(aliases.c.estate_id).where(aliases.c.alias.contains(word, autoescape=True)))
        )
    return or_(*alternatives)


__all__ = ["filtered_query", "street_filter_kind"]
