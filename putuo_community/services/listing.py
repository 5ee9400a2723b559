"""Whole lists as the list pages show them: the ordered ids of a filtered list, then its rows block by block.

A page asks `ordered_ids` once per filter or sort (a district-wide query, run off the UI
thread) and `rows` for each block of ids the view scrolls to (a bounded query). Computed
columns (warning level, term state, lift age, dossier completeness) follow the domain
rules and are worked out for a whole set of records in a few set-based queries, never
one query per row.
"""

from __future__ import annotations

import json
import re
import threading
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Column, Connection, Integer, MetaData, String, Table, case, func, or_, select
from sqlalchemy.schema import CreateTable

from putuo_community.domain.changes import Changes
from putuo_community.domain.committee import TermState, committee_term_status, formation_due_on
from putuo_community.domain.completeness import DossierFacts, completeness_ratio, dossier_gaps
from putuo_community.domain.credit import (
    Band,
    CreditEvent,
    WarningLevel,
    WarningThresholds,
    active_points,
    company_warning_level,
    correctable_from,
    is_active,
    manager_warning_level,
    objection_deadline,
    ranking_score,
)
from putuo_community.domain.credit import active_until as credit_active_until
from putuo_community.domain.dates import add_years
from putuo_community.domain.fields import FieldType, Register
from putuo_community.domain.lifts import (
    ASSESSMENT_AGE_YEARS,
    assessment_due_on,
    lift_age_years,
    needs_assessment,
    remote_monitoring_overdue,
)
from putuo_community.domain.registers import REGISTERS, get_register
from putuo_community.services.credit import CreditService, to_credit_event
from putuo_community.services.dossier.content import BASIC_MISSING_CHECK
from putuo_community.services.queries import filtered_query
from putuo_community.services.records import Record, row_to_record, select_with_titles
from putuo_community.storage.database import Database
from putuo_community.storage.schema import TABLES

# What an estate's 业委会 looks like in the list: the domain's term states, and three of ours.
DISSOLVED = "提前终止"
FORMATION_DUE = "应组建未组建"  # an 业主大会 exists or formation is due, and no term is recorded
NO_COMMITTEE = "未成立"
COMMITTEE_STATES = (
    TermState.IN_TERM.label,
    TermState.EXPIRING.label,
    TermState.OVERDUE.label,
    TermState.NOT_STARTED.label,
    DISSOLVED,
    FORMATION_DUE,
    NO_COMMITTEE,
)

TextKey = Callable[[str], Any]
# Lists searched as the clerk types, from their text kept in memory (20,000 estates: a few MB).
SEARCH_INDEXED = frozenset({"estates"})
IN_LIMIT = 2000  # ids a query may list in IN (...); past it, read every record and pick
_TEXT_TYPES = (FieldType.TEXT, FieldType.LONG_TEXT, FieldType.CHOICE)


@dataclass(frozen=True)
class ListFilter:
    """How a list page narrows its register. Only estates know the last five."""

    street_id: int | None = None
    search: str = ""
    neighbourhood_id: int | None = None
    housing_type: str | None = None
    committee_state: str | None = None
    warning_level: WarningLevel | None = None
    completeness_below: int | None = None  # percent: rows whose dossier is less complete than this

    @property
    def narrowed(self) -> bool:
        return any(
            v not in (None, "")
            for v in (
                self.street_id,
                self.search.strip(),
                self.neighbourhood_id,
                self.housing_type,
                self.committee_state,
                self.warning_level,
                self.completeness_below,
            )
        )


@dataclass(frozen=True)
class ListSort:
    """A field key or a computed key; "" for the register's own order (by estate, then by title)."""

    key: str = ""
    descending: bool = False


@dataclass(frozen=True)
class Assessment:
    """A lift's 15-year safety assessment: when it falls due, and whether it is done or overdue."""

    due_on: date
    done: bool
    overdue: bool


@dataclass(frozen=True)
class ListRow:
    """One row of a list: the record, its computed columns and, while searching, why it matched."""

    record: Record
    computed: Mapping[str, Any] = field(default_factory=dict)
    matched: str = ""

    @property
    def id(self) -> int:
        return self.record.id


@dataclass(frozen=True)
class LedgerEntry:
    """One credit event of a company, with the dates its rules give it."""

    record: Record
    active: bool
    active_until: date
    correctable_from: date | None  # None: an 18-point act, which cannot be corrected
    objection_deadline: date | None  # 15 working days from the objection (no holiday calendar is kept)


@dataclass(frozen=True)
class CompanyFile:
    """What the company window shows."""

    company: Record
    level: WarningLevel
    active_points: int
    score: int
    estates: list[ListRow]
    managers: list[ListRow]
    contracts: list[Record]
    ledger: list[LedgerEntry]


# Computed columns each register's list shows (keys of `ListRow.computed`).
COMPUTED: dict[str, tuple[str, ...]] = {
    "estates": ("committee_state", "warning_level", "completeness"),
    "companies": ("warning_level", "active_points", "score", "estates_served"),
    "managers": ("warning_level", "active_points", "estates_managed"),
    "lifts": ("age_years", "assessment", "monitoring"),
    "committee_terms": ("street", "term_state", "days_to_end"),
    "lift_projects": ("street",),
}


_TEXT_BATCH = 2_000  # records of searchable text read between two looks at `cancelled`
# Between two fields, and between two records, of the searchable text: `str.split` takes both
# for white space, so no search word holds them and none matches across fields.
_FIELD_SEPARATOR = "\x1f"
_RECORD_SEPARATOR = "\x1e"


@dataclass(frozen=True)
class _SearchTexts:
    """A list's searchable text as one string, each record's text at its offset: a word is looked for
    with `str.find` over the whole (C speed), not once per record."""

    ids: list[int]
    starts: list[int]
    text: str

    @classmethod
    def of(cls, texts: Mapping[int, Sequence[str]]) -> _SearchTexts:
        ids, starts, parts, at = [], [], [], 0
        for record_id, fields in texts.items():
            part = _FIELD_SEPARATOR.join(fields).lower()
            ids.append(record_id)
            starts.append(at)
            parts.append(part)
            at += len(part) + 1
        return cls(ids, starts, _RECORD_SEPARATOR.join(parts))

    def matching(self, needle: str) -> set[int]:
        """The ids whose text holds `needle` (lower-case, no white space)."""
        found: set[int] = set()
        text, starts, ids = self.text, self.starts, self.ids
        last = len(starts) - 1
        at = text.find(needle)
        while at != -1:
            number = bisect_right(starts, at) - 1
            found.add(ids[number])
            if number == last:
                break
            at = text.find(needle, starts[number + 1])  # the record matched: on to the next one
        return found


def _district_key(
    register: Register, today: date, wanted: set[str], thresholds: WarningThresholds | None
) -> tuple[Any, ...]:
    return (register.key, today, frozenset(wanted), thresholds)


def _ids_clause(column: Any, ids: Sequence[int] | None) -> list[Any]:
    return [] if ids is None else [column.in_(list(ids))]


class ListingService:
    def __init__(self, database: Database, credit: CreditService) -> None:
        self.database = database
        self.credit = credit
        # District-wide computed columns (completeness of 20,000 estates takes a second or two),
        # kept until the next committed write.
        self._district: dict[tuple[Any, ...], Any] = {}
        self._generation = 0
        self._lock = threading.Lock()
        database.changes.subscribe(self.forget)

    def forget(self, _changes: Changes | None = None) -> None:
        """Drop the district-wide figures: a write was committed.

        The bus calls this, but its listeners run one after the other: a view told of the
        write first, and reading at once, calls it itself.
        """
        with self._lock:
            self._generation += 1
            self._district.clear()

    def close(self) -> None:
        self.database.changes.unsubscribe(self.forget)

    # -- the order of a whole list (off the UI thread) ----------------------------------

    def ordered_ids(
        self,
        register_key: str,
        *,
        where: ListFilter = ListFilter(),
        sort: ListSort = ListSort(),
        today: date,
        text_key: TextKey | None = None,
        collation: str = "",
    ) -> list[int]:
        """The ids of the records the list shows, in its order. Blanks sort last either way.

        `text_key` turns text into a sort key (the GUI passes a Chinese collator's, for 拼音
        order), and `collation` names it (the locale) so orders kept for reuse match it;
        without a key, text sorts by code point.
        """
        register = get_register(register_key)
        words = where.search.split()
        if register.key in SEARCH_INDEXED and words and where == ListFilter(search=where.search):
            # Search as you type over the whole list: the district's order and text, kept in memory.
            order = self.ordered_ids(register.key, sort=sort, today=today, text_key=text_key, collation=collation)
            texts = self._search_texts(register)
            assert texts is not None  # nothing to cancel it
            matched: set[int] | None = None
            for needle in {w.lower() for w in words}:
                found = texts.matching(needle)
                matched = found if matched is None else matched & found
            return [i for i in order if i in matched] if matched else []
        if not words and where == ListFilter():
            cache_key = ("order", register.key, sort, today, collation if text_key is not None else "")
            with self._lock:
                cached, generation = self._district.get(cache_key), self._generation
            if cached is not None:
                return list(cached)
            order = self._ordered_ids(register, where, sort, today, text_key, collation)
            with self._lock:
                if generation == self._generation:
                    self._district[cache_key] = order
            return list(order)
        return self._ordered_ids(register, where, sort, today, text_key, collation)

    def _ordered_ids(
        self,
        register: Register,
        where: ListFilter,
        sort: ListSort,
        today: date,
        text_key: TextKey | None,
        collation: str = "",
    ) -> list[int]:
        query, table = filtered_query(register, street_id=where.street_id, search=where.search)
        if register.is_estate:
            if where.neighbourhood_id is not None:
                query = query.where(table.c.neighbourhood_id == where.neighbourhood_id)
            if where.housing_type:
                query = query.where(table.c.housing_type == where.housing_type)
        joins = _Joins(register, table, query if where.search.strip() else None)
        primary, reverse = self._sort_expression(register, joins, sort.key)
        secondary = self._default_expression(register, joins)
        wanted = self._computed_wanted(register, where, sort)
        descending = sort.descending != reverse
        with self.database.read() as conn:
            if wanted:
                # A computed column sorts or filters: its values come from the domain rules, worked out here.
                columns = [table.c.id, *([primary] if sort.key and primary is not None else []), *secondary]
                rows: list[Sequence[Any]] = list(conn.execute(self._id_query(joins, query, columns)).all())
                # A short list asks for its own rows; a long one reads the district (cheaper than a huge IN).
                asked = [r[0] for r in rows] if len(rows) <= IN_LIMIT else None
                computed = self._computed(conn, register, asked, today, wanted, thresholds=self.credit.thresholds())
                rows = [r for r in rows if _estate_matches(computed.get(r[0], {}), where)]
                if sort.key and primary is None:
                    rows = [(r[0], _native(computed.get(r[0], {}).get(sort.key)), *r[1:]) for r in rows]
                return _sorted_ids(rows, descending=descending, text_key=text_key)
            # Stored columns only: SQLite sorts, without holding Python's lock (the UI thread runs meanwhile).
            first, rest = (primary, secondary) if sort.key else (secondary[0], secondary[1:])
            source = self._text_source(register, sort.key)
            ranks = None
            if source is not None:
                ranks = self._text_ranks(conn, source, text_key, collation)
            return self._sql_order(conn, joins, query, first, rest, ranks, descending=descending)

    @staticmethod
    def _id_query(joins: _Joins, query: Any, columns: Sequence[Any], outer: Sequence[tuple[Any, Any]] = ()) -> Any:
        """SELECT `columns` over the list's rows, with only the joins the order needs (reading 150,000 lifts
        through five joins is slow); a search keeps its own joins. `outer`: more tables to LEFT JOIN."""
        if joins.query is not None:
            (joined,) = query.get_final_froms()
        else:
            joined = joins.joined
        for target, on in outer:
            joined = joined.outerjoin(target, on)
        id_query = select(*columns).select_from(joined)
        return id_query.where(query.whereclause) if query.whereclause is not None else id_query

    def _text_source(self, register: Register, key: str) -> Any | None:
        """The stored column of the text a list sorts on first (as `_sort_expression` and
        `_default_expression` choose it); None if that value is not text."""
        if key:
            if _SQL_SORTS.get((register.key, key)) is not None:
                return None
            fld = register.field(key)
            titled = fld.type is FieldType.REF
        elif register.estate_field and register.estate_field != register.title_field:
            fld, titled = register.field(register.estate_field), True
        else:
            fld, titled = register.field(register.title_field), False
        if titled:
            target = REGISTERS[fld.ref]
            title = target.field(target.title_field)
            return TABLES[target.key].c[title.key] if title.type in _TEXT_TYPES else None
        return TABLES[register.key].c[fld.key] if fld.type in _TEXT_TYPES else None

    def _text_ranks(self, conn: Connection, column: Any, text_key: TextKey | None, collation: str) -> _Ranks:
        """Each distinct text of a column by its place in order, kept until the next write."""
        key_name = "" if text_key is None else collation or repr(text_key)
        cache_key = ("ranks", column.table.name, column.name, key_name)
        with self._lock:
            cached, generation = self._district.get(cache_key), self._generation
        if cached is not None:
            held: _Ranks = cached
            return held
        values = {v for v in _column_values(conn, select(column).distinct()) if isinstance(v, str) and v != ""}
        ranks = _Ranks(_text_ranks(values, text_key), _text_ranks({v for v in values if v.isascii()}, None))
        with self._lock:
            if generation == self._generation:
                self._district[cache_key] = ranks
        return ranks

    def _sql_order(
        self,
        conn: Connection,
        joins: _Joins,
        query: Any,
        first: Any,
        rest: Sequence[Any],
        ranks: _Ranks | None,
        *,
        descending: bool,
    ) -> list[int]:
        """Ids by `first`, then `rest`, then id; blanks last either way, and among themselves ascending.

        As `_sorted_ids` orders them: texts by their places (joined from a temporary table; codes
        in natural order when every text of the list is plain ASCII), every tie-breaker as (is blank, value).
        """
        table = joins.table
        outer: list[tuple[Any, Any]] = []
        value = first
        if ranks is not None:
            ranked = _rank_table(conn, ranks)
            outer.append((ranked, ranked.c.value == first))
            value = ranked.c.place
            if not ranks.all_plain:
                # The collator's order, unless every text this list holds is plain ASCII.
                mixed = self._id_query(joins, query, [table.c.id], outer).where(ranked.c.plain_place.is_(None))
                if conn.execute(mixed.limit(1)).first() is None:
                    value = ranked.c.plain_place
        blank = value.is_(None)
        ties = [*rest, table.c.id]
        order: list[Any] = [blank]
        if not descending:
            order.append(value)
            for tie in ties:
                order += [tie.is_(None), tie]
        else:  # the filled rows all descending; the blank ones (after them) ascending
            filled = ~blank
            order.append(value.desc())
            for tie in ties:
                order += [case((filled, tie.is_(None))).desc(), case((filled, tie)).desc()]
            for tie in ties:
                order += [case((blank, tie.is_(None))), case((blank, tie))]
        return _column_values(conn, self._id_query(joins, query, [table.c.id], outer).order_by(*order))

    def prepare_search(
        self, register_key: str, *, today: date | None = None, cancelled: Callable[[], bool] = lambda: False
    ) -> None:
        """Read a list's searchable text ahead of the first keystroke (off the UI thread: about 1 s for 20,000)
        and, given `today`, its computed columns for the whole district, so that the rows a search shows
        are read without working them out (1 to 2 s more). `cancelled` is asked between the two."""
        register = get_register(register_key)
        if register.key not in SEARCH_INDEXED:
            return
        if self._search_texts(register, cancelled) is None or today is None or cancelled():
            return
        wanted = set(COMPUTED.get(register.key, ()))
        with self.database.read() as conn:
            self._computed(conn, register, None, today, wanted, thresholds=self.credit.thresholds())

    def _search_texts(self, register: Register, cancelled: Callable[[], bool] = lambda: False) -> _SearchTexts | None:
        """Each record's searchable text, as `filtered_query` searches it: its text and choice fields, the
        titles it refers to and (estates) its aliases, lower-cased. None if `cancelled` said stop (it is
        asked every few thousand records: quitting need not wait for the whole read)."""
        cache_key = ("search", register.key)
        with self._lock:
            cached, generation = self._district.get(cache_key), self._generation
        if cached is not None:
            found: _SearchTexts = cached
            return found
        query, table = select_with_titles(register)
        textual = [f.key for f in register.fields if f.type in (FieldType.TEXT, FieldType.LONG_TEXT, FieldType.CHOICE)]
        titles = [query.selected_columns[f"{f.key}__title"] for f in register.ref_fields]
        texts: dict[int, list[str]] = {}
        with self.database.read() as conn:
            result = conn.execute(query.with_only_columns(table.c.id, *(table.c[k] for k in textual), *titles))
            for batch in result.partitions(_TEXT_BATCH):
                if cancelled():
                    result.close()
                    return None
                for row in batch:
                    texts[row[0]] = [str(v) for v in row[1:] if v is not None]
            if register.is_estate:
                aliases = TABLES["estate_aliases"]
                for estate_id, alias in conn.execute(select(aliases.c.estate_id, aliases.c.alias)):
                    texts.setdefault(estate_id, []).append(alias)
        held = _SearchTexts.of(texts)
        with self._lock:
            if generation == self._generation:
                self._district[cache_key] = held
        return held

    def _computed_wanted(self, register: Register, where: ListFilter, sort: ListSort) -> set[str]:
        wanted = set()
        if register.is_estate:
            if where.committee_state:
                wanted.add("committee_state")
            if where.warning_level is not None:
                wanted.add("warning_level")
            if where.completeness_below is not None:
                wanted.add("completeness")
        if sort.key in COMPUTED.get(register.key, ()) and _SQL_SORTS.get((register.key, sort.key)) is None:
            wanted.add(sort.key)
        return wanted

    def _sort_expression(self, register: Register, joins: _Joins, key: str) -> tuple[Any, bool]:
        """The column a list sorts on (None: a computed value) and whether it runs against the asked order."""
        table = joins.table
        if not key:
            return None, False
        sql_sort = _SQL_SORTS.get((register.key, key))
        if sql_sort is not None:
            column, reverse = sql_sort
            if column.startswith("estate."):
                estates = TABLES["estates"]
                return (
                    select(estates.c[column.removeprefix("estate.")])
                    .where(estates.c.id == table.c.estate_id)
                    .scalar_subquery(),
                    reverse,
                )
            return table.c[column], reverse
        if key in COMPUTED.get(register.key, ()):
            return None, False
        fld = register.field(key)
        if fld.type is FieldType.REF:
            return joins.title(key), False
        return table.c[key], False

    def _default_expression(self, register: Register, joins: _Joins) -> list[Any]:
        """Estate-owned records by estate, then by their own title; others by title."""
        expressions: list[Any] = []
        if register.estate_field and register.estate_field != register.title_field:
            expressions.append(joins.title(register.estate_field))
        expressions.append(joins.table.c[register.title_field])
        return expressions

    # -- rows for a block of ids (bounded: fine on the UI thread) ----------------------------

    def rows(self, register_key: str, ids: Sequence[int], *, today: date, search: str = "") -> list[ListRow]:
        """The rows of these ids, in the same order; ids no longer there are left out."""
        register = get_register(register_key)
        if not ids:
            return []
        query, table = select_with_titles(register)
        with self.database.read() as conn:
            records = {
                row.id: row_to_record(register, row) for row in conn.execute(query.where(table.c.id.in_(list(ids))))
            }
            wanted = set(COMPUTED.get(register.key, ()))
            thresholds = self._thresholds() if wanted & {"warning_level", "active_points"} else None
            district = self._held_district(register, today, wanted, thresholds)
            if district is not None:  # worked out for the whole district since the last write
                computed = {i: district[i] for i in records if i in district}
            else:
                computed = self._computed(conn, register, list(records), today, wanted, thresholds=thresholds)
            matches = _match_reasons(conn, register, list(records.values()), search) if search.strip() else {}
        return [ListRow(records[i], computed.get(i, {}), matches.get(i, "")) for i in ids if i in records]

    # -- computed columns, for a set of records -------------------------------------------

    def _computed(
        self,
        conn: Connection,
        register: Register,
        ids: Sequence[int] | None,
        today: date,
        wanted: set[str],
        *,
        thresholds: WarningThresholds | None,
    ) -> dict[int, dict[str, Any]]:
        if ids is None:
            cache_key = _district_key(register, today, wanted, thresholds)
            with self._lock:
                cached, generation = self._district.get(cache_key), self._generation
            if cached is not None:
                held: dict[int, dict[str, Any]] = cached
                return held
            result = self._compute(conn, register, None, today, wanted, thresholds)
            with self._lock:
                if generation == self._generation:  # no write came in meanwhile
                    self._district[cache_key] = result
            return result
        return self._compute(conn, register, ids, today, wanted, thresholds)

    def _thresholds(self) -> WarningThresholds:
        """The warning thresholds, read once until the next write (each block of rows asks for them)."""
        with self._lock:
            cached, generation = self._district.get(("thresholds",)), self._generation
        if cached is not None:
            held: WarningThresholds = cached
            return held
        thresholds = self.credit.thresholds()
        with self._lock:
            if generation == self._generation:
                self._district[("thresholds",)] = thresholds
        return thresholds

    def _held_district(
        self, register: Register, today: date, wanted: set[str], thresholds: WarningThresholds | None
    ) -> dict[int, dict[str, Any]] | None:
        with self._lock:
            held: dict[int, dict[str, Any]] | None = self._district.get(
                _district_key(register, today, wanted, thresholds)
            )
        return held

    def _compute(
        self,
        conn: Connection,
        register: Register,
        ids: Sequence[int] | None,
        today: date,
        wanted: set[str],
        thresholds: WarningThresholds | None,
    ) -> dict[int, dict[str, Any]]:
        key = register.key
        limits = thresholds or WarningThresholds()
        if register.is_estate:
            return estate_columns(conn, ids, today, wanted, limits)
        if key == "companies":
            return _company_columns(conn, ids, today, limits)
        if key == "managers":
            return _manager_columns(conn, ids, today, limits)
        if key == "lifts":
            return _lift_columns(conn, ids, today)
        if key == "committee_terms":
            return _term_columns(conn, ids, today)
        if key == "lift_projects":
            return _street_columns(conn, TABLES["lift_projects"], ids)
        return {}

    # -- the company window ---------------------------------------------------------------

    def company_file(self, company_id: int, *, today: date) -> CompanyFile:
        """A company's estates, project managers, contracts and credit ledger, with its warning level."""
        thresholds = self.credit.thresholds()
        estates, managers = TABLES["estates"], TABLES["managers"]
        with self.database.read() as conn:
            query, table = select_with_titles(REGISTERS["companies"])
            row = conn.execute(query.where(table.c.id == company_id)).one()
            company = row_to_record(REGISTERS["companies"], row)
            credit = _company_credit(conn, [company_id], today, thresholds).get(company_id, _NO_CREDIT)
            estate_ids = list(conn.scalars(select(estates.c.id).where(estates.c.company_id == company_id)))
            manager_ids = list(conn.scalars(select(managers.c.id).where(managers.c.company_id == company_id)))
            contracts = _records(conn, "contracts", TABLES["contracts"].c.company_id == company_id)
            events = _records(conn, "credit_events", TABLES["credit_events"].c.company_id == company_id)
        estate_rows = self.rows("estates", estate_ids, today=today)
        manager_rows = self.rows("managers", manager_ids, today=today)
        contracts.sort(key=lambda r: r.values.get("start_on") or date.min, reverse=True)
        ledger = [_ledger_entry(r, today) for r in events]
        ledger.sort(key=lambda e: e.record.values["scored_on"], reverse=True)
        return CompanyFile(
            company=company,
            level=credit.level,
            active_points=credit.points,
            score=credit.score,
            estates=sorted(estate_rows, key=lambda r: r.record.title),
            managers=sorted(manager_rows, key=lambda r: r.record.title),
            contracts=contracts,
            ledger=ledger,
        )


class _Joins:
    """The referred titles an id query needs, joined as it asks for them (or taken from a searching query)."""

    def __init__(self, register: Register, table: Any, query: Any | None) -> None:
        self.register = register
        self.table = table
        self.query = query
        self.joined: Any = table
        self._aliases: dict[str, Any] = {}

    def title(self, key: str) -> Any:
        if self.query is not None:
            return self.query.selected_columns[f"{key}__title"].element
        target = REGISTERS[self.register.field(key).ref]
        alias = self._aliases.get(key)
        if alias is None:
            alias = self._aliases[key] = TABLES[target.key].alias(f"ref_{key}")
            self.joined = self.joined.outerjoin(alias, alias.c.id == self.table.c[key])
        return alias.c[target.title_field]


# Computed columns that sort on a stored column: (register, key) → (column, runs against the order).
_SQL_SORTS: dict[tuple[str, str], tuple[str, bool] | None] = {
    ("lifts", "age_years"): ("first_use_on", True),  # older first use, greater age
    ("lifts", "assessment"): ("first_use_on", False),  # the due date is first use + 15 years
    ("lifts", "monitoring"): ("remote_monitoring", False),
    ("committee_terms", "days_to_end"): ("end_on", False),
    ("committee_terms", "street"): ("estate.street_id", False),  # 街镇 in their official order
    ("lift_projects", "street"): ("estate.street_id", False),
}


def _native(value: Any) -> Any:
    """A computed value as a sort key: levels by rank, term states by their place, lift assessments by date."""
    if isinstance(value, WarningLevel):
        return value.rank
    if isinstance(value, Assessment):
        return value.due_on
    if isinstance(value, str) and value in COMMITTEE_STATES:
        return COMMITTEE_STATES.index(value)
    return value


def _sorted_ids(rows: Iterable[Sequence[Any]], *, descending: bool, text_key: TextKey | None) -> list[int]:
    """Row ids by their sort value (row[1]), then by the default order (row[2:]); blanks last either way.

    Text sorts by each distinct value's place in collation order, so rows compare integers.
    """
    filled: list[Sequence[Any]] = []
    blank: list[Sequence[Any]] = []
    for row in rows:
        (blank if row[1] is None or row[1] == "" else filled).append(row)
    texts = {r[1] for r in filled if isinstance(r[1], str)}
    rank = _text_ranks(texts, text_key)

    def primary(value: Any) -> Any:
        return rank[value] if isinstance(value, str) else value

    keyed = [(primary(r[1]), *r[2:], r[0]) for r in filled]
    rest = [(*r[2:], r[0]) for r in blank]
    try:
        keyed.sort(reverse=descending)
        rest.sort()
    except TypeError:  # a blank among the tie-breakers: compare (is blank, value) pairs instead
        keyed.sort(key=_blank_safe, reverse=descending)
        rest.sort(key=_blank_safe)
    return [k[-1] for k in keyed] + [k[-1] for k in rest]


# Texts' places in collation order, for SQL to sort a list by (one per connection, for one query).
_RANKS = Table(
    "list_text_ranks",
    MetaData(),
    Column("value", String, primary_key=True),
    Column("place", Integer, nullable=False),
    Column("plain_place", Integer),  # among the plain ASCII texts alone, in natural order
    prefixes=["TEMPORARY"],
)


@dataclass(frozen=True)
class _Ranks:
    """A column's distinct texts by place: in the list's text order, and (ASCII ones) in natural order."""

    places: dict[str, int]
    plain_places: dict[str, int]

    @property
    def all_plain(self) -> bool:
        return len(self.plain_places) == len(self.places)


def _rank_table(conn: Connection, ranks: _Ranks) -> Table:
    """The places in a temporary table of this connection (gone with its read transaction)."""
    conn.execute(CreateTable(_RANKS, if_not_exists=True))
    conn.execute(_RANKS.delete())
    if ranks.places:
        plain = ranks.plain_places
        rows = [(v, p, plain.get(v)) for v, p in ranks.places.items()]
        if conn.dialect.name == "sqlite":
            # One statement, not 20,000: each row the driver steps lets go of Python's lock and waits
            # to take it back, which the UI thread, when busy, makes slow.
            conn.exec_driver_sql(
                f"INSERT INTO {_RANKS.name} (value, place, plain_place) SELECT json_extract(value, '$[0]'),"
                " json_extract(value, '$[1]'), json_extract(value, '$[2]') FROM json_each(?)",
                (json.dumps(rows, ensure_ascii=False),),
            )
        else:
            conn.execute(_RANKS.insert(), [{"value": v, "place": p, "plain_place": q} for v, p, q in rows])
    return _RANKS


def _column_values(conn: Connection, query: Any) -> list[Any]:
    """The first column of every row, in order.

    On SQLite as one JSON array (one row): the driver lets go of Python's lock for each row it steps
    and must wait to take it back, so 150,000 rows cost a second while the UI thread is busy. SQLite
    aggregates the rows of an ordered subquery in its order.
    """
    if conn.dialect.name == "sqlite":
        inner = query.subquery()
        (text,) = conn.execute(select(func.json_group_array(next(iter(inner.c))))).one()
        values: list[Any] = json.loads(text)
        return values
    return list(conn.scalars(query).all())


def _blank_safe(values: Sequence[Any]) -> tuple[Any, ...]:
    return tuple((v is None, "" if v is None else v) for v in values)


_DIGITS = re.compile(r"(\d+)")


def _natural_key(text: str) -> tuple[Any, ...]:
    """2弄 before 10弄 for plain ASCII text, as the collator's numeric mode orders it."""
    return tuple(int(p) if p.isdigit() else p.casefold() for p in _DIGITS.split(text))


def _text_ranks(values: set[str], text_key: TextKey | None) -> dict[str, int]:
    """Each distinct text's place in order. Codes (ASCII) need no collator, and are the long lists."""
    if text_key is None or all(v.isascii() for v in values):
        ordered = sorted(values, key=_natural_key)
    else:
        ordered = sorted(values, key=text_key)
    return {v: i for i, v in enumerate(ordered)}


# -- estates ----------------------------------------------------------------------------------


def _estate_matches(values: Mapping[str, Any], where: ListFilter) -> bool:
    if where.committee_state and values.get("committee_state") != where.committee_state:
        return False
    if where.warning_level is not None and values.get("warning_level") is not where.warning_level:
        return False
    return not (where.completeness_below is not None and values.get("completeness", 100) >= where.completeness_below)


def estate_columns(
    conn: Connection,
    ids: Sequence[int] | None,
    today: date,
    wanted: set[str],
    thresholds: WarningThresholds,
) -> dict[int, dict[str, Any]]:
    """Committee state, the serving company's warning level and dossier completeness (percent) per estate."""
    estates = TABLES["estates"]
    columns = [
        estates.c.id,
        estates.c.company_id,
        estates.c.has_assembly,
        estates.c.first_delivery_on,
        estates.c.half_delivered_on,
        estates.c.management_mode,
        *(estates.c[k] for k in BASIC_MISSING_CHECK if k != "management_mode"),
    ]
    rows = conn.execute(select(*columns).where(*_ids_clause(estates.c.id, ids))).all()
    result: dict[int, dict[str, Any]] = {r.id: {} for r in rows}
    if "warning_level" in wanted:
        companies = {r.company_id for r in rows if r.company_id is not None}
        credit = _company_credit(conn, sorted(companies) if ids is not None else None, today, thresholds)
        for r in rows:
            if r.company_id is not None:
                result[r.id]["warning_level"] = credit.get(r.company_id, _NO_CREDIT).level
            else:
                result[r.id]["warning_level"] = None
    if not wanted & {"committee_state", "completeness"}:
        return result
    terms = _latest_terms(conn, ids)
    for r in rows:
        term = terms.get(r.id)
        due = formation_due_on(first_delivery_on=r.first_delivery_on, half_area_delivered_on=r.half_delivered_on)
        expected = bool(r.has_assembly) or (due is not None and due <= today)
        result[r.id]["committee_state"] = _committee_state(term, expected, today)
    if "completeness" in wanted:
        _add_completeness(conn, ids, rows, terms, today, result)
    return result


def _committee_state(term: Any, expected: bool, today: date) -> str:
    if term is None:
        return FORMATION_DUE if expected else NO_COMMITTEE
    if term.dissolved_on is not None:
        return DISSOLVED
    return committee_term_status(term.start_on, term.end_on, today, renewed=False).label


def _latest_terms(conn: Connection, estate_ids: Sequence[int] | None) -> dict[int, Any]:
    terms = TABLES["committee_terms"]
    query = select(
        terms.c.id,
        terms.c.estate_id,
        terms.c.term_no,
        terms.c.start_on,
        terms.c.end_on,
        terms.c.filed_on,
        terms.c.renewal_filed_on,
        terms.c.dissolved_on,
    ).where(*_ids_clause(terms.c.estate_id, estate_ids))
    latest: dict[int, Any] = {}
    for row in conn.execute(query):
        held = latest.get(row.estate_id)
        if held is None or row.term_no > held.term_no:
            latest[row.estate_id] = row
    return latest


def _grouped(
    conn: Connection, table_key: str, value: Callable[[Any], Any], ids: Sequence[int] | None, by: str = "estate_id"
) -> dict[Any, Any]:
    table = TABLES[table_key]
    column = table.c[by]
    query = select(column, value(table)).where(column.is_not(None), *_ids_clause(column, ids)).group_by(column)
    return {row[0]: row[1] for row in conn.execute(query)}


def _add_completeness(
    conn: Connection,
    ids: Sequence[int] | None,
    rows: Sequence[Any],
    terms: Mapping[int, Any],
    today: date,
    result: dict[int, dict[str, Any]],
) -> None:
    """The dossier check of services/dossier (`facts_of`), with each fact gathered for all estates at once."""
    buildings = _grouped(conn, "buildings", lambda t: func.count(), ids)
    attachments = _grouped(conn, "attachments", lambda t: func.count(), ids)
    funds = _grouped(conn, "funds", lambda t: func.max(t.c.as_of), ids)
    changes = _grouped(conn, "change_history", lambda t: func.max(t.c.changed_at), ids)
    term_ids = [t.id for t in terms.values()]
    members = _grouped(
        conn, "committee_members", lambda t: func.count(), term_ids if ids is not None else None, "term_id"
    )
    contracts_table = TABLES["contracts"]
    current_contract: dict[int, tuple[date, date | None]] = {}
    query = select(contracts_table.c.estate_id, contracts_table.c.start_on, contracts_table.c.end_on).where(
        contracts_table.c.terminated_on.is_(None), *_ids_clause(contracts_table.c.estate_id, ids)
    )
    for estate_id, start_on, end_on in conn.execute(query):
        held = current_contract.get(estate_id)
        if held is None or (start_on or date.min) > held[0]:
            current_contract[estate_id] = (start_on or date.min, end_on)
    lifts = TABLES["lifts"]
    lift_counts = _grouped(conn, "lifts", lambda t: func.count(), ids)
    unassessed: dict[int, int] = defaultdict(int)
    # Only lifts near or past 15 years can need an assessment; a day's slack covers 2-29.
    cutoff = add_years(today, -ASSESSMENT_AGE_YEARS).toordinal() + 1
    # And only those not assessed after it (SQLite's date steps differ from ours on 2-29: keep 3 days' slack).
    query = select(lifts.c.estate_id, lifts.c.first_use_on, lifts.c.assessed_on).where(
        lifts.c.first_use_on <= date.fromordinal(cutoff), *_ids_clause(lifts.c.estate_id, ids)
    )
    if conn.dialect.name == "sqlite":
        step = f"+{ASSESSMENT_AGE_YEARS} years"
        assessed_in_time = lifts.c.assessed_on >= func.date(lifts.c.first_use_on, step, "+3 days")
        query = query.where(or_(lifts.c.assessed_on.is_(None), ~assessed_in_time))
    for estate_id, first_use_on, assessed_on in conn.execute(query):
        if needs_assessment(first_use_on, assessed_on, today):
            unassessed[estate_id] += 1
    labels = {k: REGISTERS["estates"].field(k).label for k in BASIC_MISSING_CHECK}
    for r in rows:
        term = terms.get(r.id)
        contract = current_contract.get(r.id)
        last_change = changes.get(r.id)
        state = result[r.id]["committee_state"]
        facts = DossierFacts(
            missing_basic_fields=tuple(labels[k] for k in BASIC_MISSING_CHECK if getattr(r, k) in (None, "")),
            building_count=buildings.get(r.id, 0),
            committee_expected=state != NO_COMMITTEE,
            current_term_end=term.end_on if term is not None else None,
            current_term_filed=bool(term is not None and (term.filed_on or term.renewal_filed_on)),
            member_count=members.get(term.id, 0) if term is not None else 0,
            contract_end=(contract[1] or date.max) if contract is not None else None,
            management_mode=r.management_mode,
            latest_fund_on=funds.get(r.id),
            lift_count=lift_counts.get(r.id, 0),
            lifts_unassessed=unassessed.get(r.id, 0),
            attachment_count=attachments.get(r.id, 0),
            last_change_on=_day(last_change),
        )
        ratio = completeness_ratio(dossier_gaps(facts, today))
        result[r.id]["completeness"] = round(float(ratio) * 100)


def _day(value: Any) -> date | None:
    if value is None:
        return None
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    if isinstance(value, date):
        return value if type(value) is date else value.date()  # type: ignore[attr-defined]
    return None


# -- companies and their managers --------------------------------------------------------------


@dataclass(frozen=True)
class _Credit:
    points: int
    level: WarningLevel
    score: int


_NO_CREDIT = _Credit(0, WarningLevel.GREEN, ranking_score(0))


def _commendation_active(row: Any, today: date) -> bool:
    # As CreditService counts them: a commendation is published for one year like a demerit.
    return is_active(CreditEvent(Band.MINOR, row.act_on, row.act_on, row.scored_on), today)


def _company_credit(
    conn: Connection, company_ids: Sequence[int] | None, today: date, thresholds: WarningThresholds
) -> dict[int, _Credit]:
    """Active points, warning level and local score per company (its managers' events count for it)."""
    events = TABLES["credit_events"]
    demerits: dict[int, list[CreditEvent]] = defaultdict(list)
    commendations: dict[int, int] = defaultdict(int)
    for row in conn.execute(select(events).where(*_ids_clause(events.c.company_id, company_ids))):
        event = to_credit_event(row)
        if event is None:
            if _commendation_active(row, today):
                commendations[row.company_id] += row.points
        else:
            demerits[row.company_id].append(event)
    result = {}
    for company_id in set(demerits) | set(commendations) | set(company_ids or ()):
        mine = demerits.get(company_id, [])
        points = active_points(mine, today)
        result[company_id] = _Credit(
            points,
            company_warning_level(mine, today, thresholds),
            ranking_score(points, commendation_points=commendations.get(company_id, 0)),
        )
    return result


def _company_columns(
    conn: Connection, ids: Sequence[int] | None, today: date, thresholds: WarningThresholds
) -> dict[int, dict[str, Any]]:
    companies = TABLES["companies"]
    all_ids = list(ids) if ids is not None else list(conn.scalars(select(companies.c.id)))
    credit = _company_credit(conn, ids, today, thresholds)
    served = _grouped(conn, "estates", lambda t: func.count(), ids, "company_id")
    result = {}
    for company_id in all_ids:
        standing = credit.get(company_id, _NO_CREDIT)
        result[company_id] = {
            "warning_level": standing.level,
            "active_points": standing.points,
            "score": standing.score,
            "estates_served": served.get(company_id, 0),
        }
    return result


def _manager_columns(
    conn: Connection, ids: Sequence[int] | None, today: date, thresholds: WarningThresholds
) -> dict[int, dict[str, Any]]:
    managers, events = TABLES["managers"], TABLES["credit_events"]
    all_ids = list(ids) if ids is not None else list(conn.scalars(select(managers.c.id)))
    by_manager: dict[int, list[CreditEvent]] = defaultdict(list)
    query = select(events).where(events.c.subject == "项目经理", *_ids_clause(events.c.manager_id, ids))
    for row in conn.execute(query):
        event = to_credit_event(row)
        if event is not None and row.manager_id is not None:
            by_manager[row.manager_id].append(event)
    managed = _grouped(conn, "estates", lambda t: func.count(), ids, "manager_id")
    return {
        manager_id: {
            "warning_level": manager_warning_level(by_manager.get(manager_id, []), today, thresholds),
            "active_points": active_points(by_manager.get(manager_id, []), today),
            "estates_managed": managed.get(manager_id, 0),
        }
        for manager_id in all_ids
    }


# -- lifts and committee terms -------------------------------------------------------------------


def lift_assessment(first_use_on: date, assessed_on: date | None, today: date) -> Assessment:
    due = assessment_due_on(first_use_on)
    overdue = needs_assessment(first_use_on, assessed_on, today)
    done = today >= due and not overdue
    return Assessment(due, done, overdue)


def _lift_columns(conn: Connection, ids: Sequence[int] | None, today: date) -> dict[int, dict[str, Any]]:
    lifts = TABLES["lifts"]
    query = select(lifts.c.id, lifts.c.first_use_on, lifts.c.assessed_on, lifts.c.remote_monitoring).where(
        *_ids_clause(lifts.c.id, ids)
    )
    result = {}
    for lift_id, first_use_on, assessed_on, monitoring in conn.execute(query):
        monitored = bool(monitoring)
        result[lift_id] = {
            "age_years": lift_age_years(first_use_on, today) if first_use_on else None,
            "assessment": lift_assessment(first_use_on, assessed_on, today) if first_use_on else None,
            "monitoring": "已安装"
            if monitored
            else ("逾期未装" if remote_monitoring_overdue(False, today) else "未安装"),
        }
    return result


def _street_names(conn: Connection) -> dict[int, str]:
    streets = TABLES["streets"]
    return {row[0]: row[1] for row in conn.execute(select(streets.c.id, streets.c.name))}


def _street_columns(conn: Connection, table: Any, ids: Sequence[int] | None) -> dict[int, dict[str, Any]]:
    estates = TABLES["estates"]
    names = _street_names(conn)
    query = (
        select(table.c.id, estates.c.street_id)
        .join(estates, estates.c.id == table.c.estate_id)
        .where(*_ids_clause(table.c.id, ids))
    )
    return {row_id: {"street": names.get(street_id, "")} for row_id, street_id in conn.execute(query)}


def _term_columns(conn: Connection, ids: Sequence[int] | None, today: date) -> dict[int, dict[str, Any]]:
    """街镇, the term's state (a term followed by a later one is 已换届) and the days left to its end."""
    terms = TABLES["committee_terms"]
    result = _street_columns(conn, terms, ids)
    query = select(
        terms.c.id, terms.c.estate_id, terms.c.term_no, terms.c.start_on, terms.c.end_on, terms.c.dissolved_on
    )
    if ids is not None:
        estates_of = select(terms.c.estate_id).where(terms.c.id.in_(list(ids)))
        query = query.where(terms.c.estate_id.in_(estates_of))
    rows = conn.execute(query).all()
    latest: dict[int, int] = {}
    for row in rows:
        latest[row.estate_id] = max(latest.get(row.estate_id, 0), row.term_no)
    for row in rows:
        if row.id not in result:
            continue
        if row.dissolved_on is not None:
            state = DISSOLVED
        else:
            renewed = row.term_no < latest[row.estate_id]
            state = committee_term_status(row.start_on, row.end_on, today, renewed=renewed).label
        ended = state in (DISSOLVED, TermState.ENDED.label)
        result[row.id]["term_state"] = state
        result[row.id]["days_to_end"] = None if ended else (row.end_on - today).days
    return result


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


def _ledger_entry(record: Record, today: date) -> LedgerEntry:
    values = record.values
    scored_on: date = values["scored_on"]
    band = None if values.get("band") == "业绩" else Band.from_label(values["band"])
    event = to_credit_event(_RowView(values))
    filed = values.get("objection_filed_on")
    return LedgerEntry(
        record=record,
        active=event is not None and is_active(event, today),
        active_until=credit_active_until(scored_on),
        correctable_from=correctable_from(band, scored_on) if band is not None else None,
        objection_deadline=objection_deadline(filed) if filed is not None else None,
    )


class _RowView:
    """A record's values read as attributes, as `to_credit_event` reads a stored row."""

    def __init__(self, values: Mapping[str, Any]) -> None:
        self._values = values

    def __getattr__(self, name: str) -> Any:
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(name) from None


__all__ = [
    "COMMITTEE_STATES",
    "COMPUTED",
    "Assessment",
    "CompanyFile",
    "LedgerEntry",
    "ListFilter",
    "ListRow",
    "ListSort",
    "ListingService",
    "lift_assessment",
]
