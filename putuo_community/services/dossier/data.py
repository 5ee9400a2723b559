"""Everything one estate's dossier shows, loaded for many estates at once (one query per register).

A batch of a thousand dossiers must not make a thousand queries per register: the loader
reads a chunk of estates' records register by register and hands out one `EstateFile`
per estate.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Connection, func, select

from putuo_community.domain.credit import WarningThresholds
from putuo_community.domain.registers import REGISTERS
from putuo_community.services.change_log import Change, change_from_row
from putuo_community.services.credit import CompanyStanding
from putuo_community.services.history import HISTORY
from putuo_community.services.records import Record, row_to_record, select_with_titles
from putuo_community.storage.schema import TABLES

# The registers a dossier lists, each owned by an estate through its estate field.
ESTATE_REGISTERS = (
    "estate_aliases",
    "buildings",
    "committee_terms",
    "committee_activities",
    "contracts",
    "projects",
    "lifts",
    "lift_projects",
    "funds",
    "estate_issues",
    "attachments",
)
RECENT_CHANGES = 15


@dataclass
class EstateFile:
    """One estate's records, as the dossier sections read them."""

    estate: Record
    street: str
    records: dict[str, list[Record]] = field(default_factory=lambda: defaultdict(list))
    members: dict[int, list[Record]] = field(default_factory=lambda: defaultdict(list))  # term id → members
    company: Record | None = None
    standing: CompanyStanding | None = None
    credit_events: list[Record] = field(default_factory=list)  # the serving company's, newest first
    changes: list[Change] = field(default_factory=list)

    def of(self, register_key: str) -> list[Record]:
        return self.records[register_key]


@dataclass(frozen=True)
class DossierContext:
    """What every dossier of one run shares."""

    today: date
    standings: dict[int, CompanyStanding]
    thresholds: WarningThresholds


def load_estate_files(conn: Connection, estate_ids: Sequence[int], context: DossierContext) -> list[EstateFile]:
    """The records of `estate_ids`' dossiers, in the order of `estate_ids`."""
    ids = list(estate_ids)
    estates_register = REGISTERS["estates"]
    query, table = select_with_titles(estates_register)
    streets = dict(conn.execute(select(TABLES["streets"].c.id, TABLES["streets"].c.name)).all())
    files: dict[int, EstateFile] = {}
    for row in conn.execute(query.where(table.c.id.in_(ids))):
        record = row_to_record(estates_register, row)
        files[record.id] = EstateFile(record, streets.get(record.values["street_id"], ""))
    for key in ESTATE_REGISTERS:
        register = REGISTERS[key]
        query, table = select_with_titles(register)
        estate_column = table.c[register.estate_field]
        if key == "attachments":
            query = query.where(table.c.removed_on.is_(None))  # those in the bin are out of the dossier
        for row in conn.execute(query.where(estate_column.in_(ids)).order_by(table.c.id)):
            record = row_to_record(register, row)
            files[record.values[register.estate_field]].records[key].append(record)
    _load_parts(conn, files)
    _load_companies(conn, files, context)
    _load_changes(conn, files)
    return [files[i] for i in ids if i in files]


def _load_changes(conn: Connection, files: dict[int, EstateFile]) -> None:
    """Each estate's most recent changes, newest first: one query for the chunk, not one per estate."""
    rank = func.row_number().over(partition_by=HISTORY.c.estate_id, order_by=HISTORY.c.id.desc()).label("rank")
    ranked = select(HISTORY, rank).where(HISTORY.c.estate_id.in_(list(files))).subquery()
    query = select(ranked).where(ranked.c.rank <= RECENT_CHANGES).order_by(ranked.c.estate_id, ranked.c.rank)
    for row in conn.execute(query):
        files[row.estate_id].changes.append(change_from_row(dict(row._mapping)))


# Records that belong to an estate through another of its records: (register, parent register).
PART_REGISTERS = (("committee_members", "committee_terms"), ("units", "buildings"), ("fee_adjustments", "contracts"))


def _load_parts(conn: Connection, files: dict[int, EstateFile]) -> None:
    """Members (by term), units (by building) and fee changes (by contract), one query per register."""
    for key, parent_key in PART_REGISTERS:
        parent_estate = {p.id: estate_id for estate_id, f in files.items() for p in f.of(parent_key)}
        if not parent_estate:
            continue
        register = REGISTERS[key]
        query, table = select_with_titles(register)
        parent_column = table.c[register.parent_field]
        for row in conn.execute(query.where(parent_column.in_(list(parent_estate))).order_by(table.c.id)):
            record = row_to_record(register, row)
            parent_id = record.values[register.parent_field]
            estate_file = files[parent_estate[parent_id]]
            estate_file.records[key].append(record)
            if key == "committee_members":
                estate_file.members[parent_id].append(record)


def _load_companies(conn: Connection, files: dict[int, EstateFile], context: DossierContext) -> None:
    company_ids = {f.estate.values["company_id"] for f in files.values()} - {None}
    if not company_ids:
        return
    companies_register, events_register = REGISTERS["companies"], REGISTERS["credit_events"]
    query, table = select_with_titles(companies_register)
    companies = {
        row.id: row_to_record(companies_register, row) for row in conn.execute(query.where(table.c.id.in_(company_ids)))
    }
    query, table = select_with_titles(events_register)
    events: dict[int, list[Record]] = defaultdict(list)
    rows = conn.execute(
        query.where(table.c.company_id.in_(company_ids)).order_by(table.c.scored_on.desc(), table.c.id.desc())
    )
    for row in rows:
        record = row_to_record(events_register, row)
        events[record.values["company_id"]].append(record)
    for f in files.values():
        company_id: Any = f.estate.values["company_id"]
        if company_id is None:
            continue
        f.company = companies.get(company_id)
        f.standing = context.standings.get(company_id)
        f.credit_events = events.get(company_id, [])
