"""Why a search matched a row, and the records of the company window."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Connection, select

from putuo_community.domain.credit import (
    Band,
    correctable_from,
    objection_accepted_on,
    objection_deadline,
    status_of_values,
)
from putuo_community.domain.credit import active_until as credit_active_until
from putuo_community.domain.fields import FieldType, Register
from putuo_community.domain.registers import REGISTERS
from putuo_community.domain.workdays import WorkCalendar
from putuo_community.services.listing.model import LedgerEntry
from putuo_community.services.records import Record, row_to_record, select_with_titles
from putuo_community.storage.schema import TABLES

# -- why a search matched ------------------------------------------------------------------------


def _match_reasons(conn: Connection, register: Register, records: Sequence[Record], search: str) -> dict[int, str]:
    """For each record, the first field each search word was found in: "别名：万里新村"."""
    words = [w.casefold() for w in search.split()]
    aliases: dict[int, list[str]] = defaultdict(list)
    if register.is_estate and records:
        table = TABLES["estate_aliases"]
        query = select(table.c.estate_id, table.c.alias).where(table.c.estate_id.in_([r.id for r in records]))
        for estate_id, alias in conn.execute(query):
            aliases[estate_id].append(alias)
    textual = [f for f in register.fields if f.type in (FieldType.TEXT, FieldType.LONG_TEXT, FieldType.CHOICE)]
    result = {}
    for record in records:
        reasons: list[str] = []
        for word in words:
            reason = _first_match(record, textual, register, aliases.get(record.id, ()), word)
            if reason and reason not in reasons:
                reasons.append(reason)
        result[record.id] = "；".join(reasons)
    return result


def _first_match(record: Record, textual: Sequence[Any], register: Register, aliases: Iterable[str], word: str) -> str:
    for fld in textual:
        value = record.values.get(fld.key)
        if isinstance(value, str) and word in value.casefold() and not fld.personal:
            return f"{fld.label}：{value}"
    for ref_field in register.ref_fields:
        title = record.ref_titles.get(ref_field.key, "")
        if word in title.casefold():
            return f"{ref_field.label}：{title}"
    for alias in aliases:
        if word in alias.casefold():
            return f"别名：{alias}"
    return ""


# -- the company window's records -----------------------------------------------------------------


def _records(conn: Connection, register_key: str, condition: Any) -> list[Record]:
    register = REGISTERS[register_key]
    query, _table = select_with_titles(register)
    return [row_to_record(register, row) for row in conn.execute(query.where(condition))]


def _ledger_entry(record: Record, today: date, calendar: WorkCalendar) -> LedgerEntry:
    values = record.values
    scored_on: date = values["scored_on"]
    band = None if values.get("band") == "业绩" else Band.from_label(values["band"])
    accepted = objection_accepted_on(values)
    return LedgerEntry(
        record=record,
        status=status_of_values(values, today),
        active_until=credit_active_until(scored_on),
        correctable_from=correctable_from(band, scored_on) if band is not None else None,
        objection_deadline=objection_deadline(accepted, calendar) if accepted is not None else None,
    )
