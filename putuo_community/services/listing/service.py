"""The listing service: ordered ids of a filtered, sorted list off the UI thread, rows block by block.

Computed columns follow the domain rules, worked out for a whole set of records in a few set-based
queries, never one query per row; district-wide figures are kept until the next committed write.
"""

from __future__ import annotations

import threading
from bisect import bisect_right
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from sqlalchemy import Connection, case, select

from putuo_community.domain.accounts import Actor
from putuo_community.domain.changes import Changes
from putuo_community.domain.credit import (
    WarningThresholds,
)
from putuo_community.domain.fields import FieldType, Register
from putuo_community.domain.registers import REGISTERS, get_register
from putuo_community.services.credit import CreditService
from putuo_community.services.listing.columns import (
    _NO_CREDIT,
    _company_columns,
    _company_credit,
    _estate_matches,
    _lift_columns,
    _manager_columns,
    _street_columns,
    _term_columns,
    estate_columns,
)
from putuo_community.services.listing.model import (
    _TEXT_TYPES,
    COMPUTED,
    IN_LIMIT,
    SEARCH_INDEXED,
    CompanyFile,
    ListFilter,
    ListRow,
    ListSort,
    TextKey,
)
from putuo_community.services.listing.ordering import (
    _SQL_SORTS,
    _column_values,
    _Joins,
    _native,
    _rank_table,
    _Ranks,
    _sorted_ids,
    _text_ranks,
)
from putuo_community.services.listing.records import _ledger_entry, _match_reasons, _records
from putuo_community.services.listing.votes import vote_columns, with_votes
from putuo_community.services.permissions import Permissions
from putuo_community.services.queries import filtered_query, street_filter_kind
from putuo_community.services.records import row_to_record, select_with_titles
from putuo_community.storage.database import Database
from putuo_community.storage.schema import TABLES

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


EVERYTHING = ListFilter()  # no filter
NATURAL_ORDER = ListSort()  # the register's own order


class ListingService:
    def __init__(self, database: Database, credit: CreditService, *, actor: Actor | None = None) -> None:
        """`actor`: whom the rows are shown to (None: the credit service's); a 只读 account's are masked."""
        self.database = database
        self.credit = credit
        self.permissions = Permissions(database, actor or credit.actor)
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
        where: ListFilter = EVERYTHING,
        sort: ListSort = NATURAL_ORDER,
        today: date,
        text_key: TextKey | None = None,
        collation: str = "",
    ) -> list[int]:
        """The ids of the records the list shows, in its order. Blanks sort last either way.

        `text_key` turns text into a sort key (the GUI passes a Chinese collator's, for 拼音
        order), and `collation` names it (the locale) so orders kept for reuse match it;
        without a key, text sorts by code point. A 街镇经办人's lists hold their own 街镇's records
        and the companies (and project managers) serving it.
        """
        order = self._ordered(register_key, where, sort, today, text_key, collation)
        if not self.permissions.street_bound:
            return order
        with self.database.read() as conn:
            visible = self.permissions.visible_ids(conn, register_key)
        return order if visible is None else [i for i in order if i in visible]

    def _ordered(
        self,
        register_key: str,
        where: ListFilter,
        sort: ListSort,
        today: date,
        text_key: TextKey | None,
        collation: str,
    ) -> list[int]:
        register = get_register(register_key)
        if street_filter_kind(register) and where.street_id != self.permissions.street_in_view(where.street_id):
            where = replace(where, street_id=self.permissions.street_in_view(where.street_id))  # a clerk's 街镇
        if where.ids is not None:
            # Only the records behind a figure: the list's own order (kept for reuse), then these.
            order = self.ordered_ids(
                register.key,
                where=replace(where, ids=None, ids_label=""),
                sort=sort,
                today=today,
                text_key=text_key,
                collation=collation,
            )
            return [i for i in order if i in where.ids]
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
        query, table = filtered_query(
            register, street_id=where.street_id, search=where.search, personal=self.permissions.sees_personal
        )
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
        personal = self.permissions.sees_personal  # a masked number is not searched either
        textual = [
            f.key
            for f in register.fields
            if f.type in (FieldType.TEXT, FieldType.LONG_TEXT, FieldType.CHOICE) and (personal or not f.personal)
        ]
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
        shown = self.permissions.shown
        return [ListRow(shown(records[i]), computed.get(i, {}), matches.get(i, "")) for i in ids if i in records]

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
            district: dict[int, dict[str, Any]] = self._held_until_next_write(
                _district_key(register, today, wanted, thresholds),
                lambda: self._compute(conn, register, None, today, wanted, thresholds),
            )
            return district
        return self._compute(conn, register, ids, today, wanted, thresholds)

    def _thresholds(self) -> WarningThresholds:
        """The warning thresholds, read once until the next write (each block of rows asks for them)."""
        thresholds: WarningThresholds = self._held_until_next_write(("thresholds",), self.credit.thresholds)
        return thresholds

    def _held_until_next_write(self, key: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
        """`compute()`, kept under `key` until a write is committed (one computed during a write is not kept)."""
        with self._lock:
            cached, generation = self._district.get(key), self._generation
        if cached is not None:
            return cached
        value = compute()
        with self._lock:
            if generation == self._generation:  # no write came in meanwhile
                self._district[key] = value
        return value

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
            return with_votes(key, _term_columns(conn, ids, today), vote_columns(conn, key, ids))
        if key == "lift_projects":
            return with_votes(key, _street_columns(conn, TABLES["lift_projects"], ids), vote_columns(conn, key, ids))
        if key == "projects":
            return vote_columns(conn, key, ids)
        return {}

    # -- the company window ---------------------------------------------------------------

    def company_file(self, company_id: int, *, today: date) -> CompanyFile:
        """A company's estates, project managers, contracts and credit ledger, with its warning level."""
        thresholds = self.credit.thresholds()
        estates, managers = TABLES["estates"], TABLES["managers"]
        with self.database.read() as conn:
            query, table = select_with_titles(REGISTERS["companies"])
            row = conn.execute(query.where(table.c.id == company_id)).one()
            company = self.permissions.shown(row_to_record(REGISTERS["companies"], row))
            credit = _company_credit(conn, [company_id], today, thresholds).get(company_id, _NO_CREDIT)
            estate_ids = list(conn.scalars(select(estates.c.id).where(estates.c.company_id == company_id)))
            manager_ids = list(conn.scalars(select(managers.c.id).where(managers.c.company_id == company_id)))
            contracts = _records(conn, "contracts", TABLES["contracts"].c.company_id == company_id)
            events = _records(conn, "credit_events", TABLES["credit_events"].c.company_id == company_id)
        estate_rows = self.rows("estates", estate_ids, today=today)
        manager_rows = self.rows("managers", manager_ids, today=today)
        contracts.sort(key=lambda r: r.values.get("start_on") or date.min, reverse=True)
        calendar = self.credit.calendar()  # objection deadlines count on the official holiday calendar
        ledger = [_ledger_entry(r, today, calendar) for r in events]
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
