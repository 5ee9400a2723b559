"""The dry run of an import: parse each row, resolve its references and match it to what is stored."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, select

from putuo_community.domain.fields import Field, FieldType
from putuo_community.domain.formatting import format_value, is_masked
from putuo_community.domain.parsing import clean_text, neighbourhood_key, normalise_header, parse_cell
from putuo_community.domain.validation import record_problems
from putuo_community.services.credit import ManagerLoads
from putuo_community.services.importing.plan import (
    Candidate,
    FieldChange,
    ImportPlan,
    ImportSource,
    NewNeighbourhood,
    RowPlan,
    RowStatus,
)
from putuo_community.services.importing.references import References, company_key, short_number
from putuo_community.storage.schema import TABLES

if TYPE_CHECKING:
    from putuo_community.io.table import SourceRow


PROGRESS_STEPS = 200  # at most this many progress calls, however many rows


class Planner:
    def __init__(
        self, conn: Connection, source: ImportSource, mapping: dict[int, str], confirmations: Mapping[int, int | None]
    ) -> None:
        self.conn = conn
        self.source = source
        self.kind = source.kind
        self.register = source.kind.register
        self.mapping = mapping
        self.confirmations = confirmations
        self.refs = References.load(conn)
        self.new_neighbourhoods: dict[tuple[int, str], str] = {}
        self.existing = self._load_existing()
        self.seen: dict[tuple[Any, ...], int] = {}
        # A unit in a header ("余额（万元）") applies to every cell below that has none of its own.
        units = {c.index: normalise_header(c.text)[1] for c in source.table.columns}
        known = {f.key for f in self.kind.all_fields}  # unknown keys are reported by _file_problems
        # Registers repeat most values (types, years, 是/否, streets): each column parses a distinct cell once,
        # and remembers the outcome with its messages already worded.
        self.fields: list[_Column] = [
            _Column(index, self.kind.field(key), units.get(index, "")) for index, key in mapping.items() if key in known
        ]
        self.street_cache: dict[str, int | None] = {}
        self.neighbourhood_keys: dict[tuple[int, str], tuple[int, str]] = {}
        self.required = [f for f in self.register.fields if f.required]
        self.manager_loads = ManagerLoads(conn) if self.register.is_estate else None

    def run(self, progress: Callable[[int, int], None] | None = None) -> ImportPlan:
        """Plan every row; `progress(done, total)` hears of it every few hundred rows (and may raise to stop)."""
        problems = self._file_problems()
        rows = () if problems else tuple(self._rows(progress))
        return ImportPlan(
            self.source,
            self.mapping,
            rows,
            problems,
            tuple((sid, name) for (sid, _key), name in self.new_neighbourhoods.items()),
        )

    def _rows(self, progress: Callable[[int, int], None] | None) -> Iterator[RowPlan]:
        source_rows = self.source.table.rows
        total = len(source_rows)
        step = max(total // PROGRESS_STEPS, 1)
        if progress is not None:
            progress(0, total)
        for done, row in enumerate(source_rows, start=1):
            yield self._row(row)
            if progress is not None and (done % step == 0 or done == total):
                progress(done, total)

    def _file_problems(self) -> tuple[str, ...]:
        mapped = set(self.mapping.values())
        unknown = [k for k in mapped if k not in {f.key for f in self.kind.all_fields}]
        if unknown:
            return (f"映射中有未知字段：{'、'.join(unknown)}",)
        missing = [
            f.label for f in self.register.fields if f.required and f.key not in mapped and not self._has_default(f)
        ]
        if missing:
            return (f"缺少必填列：{'、'.join(missing)}（请在“列对应”中指定）",)
        return ()

    def _has_default(self, f: Field) -> bool:
        if f.key == "street_id":
            return self.source.default_street_id is not None
        if f.key == "estate_id":
            return "_estate" in self.mapping.values()
        return False

    def _load_existing(self) -> dict[tuple[Any, ...], dict[str, Any]]:
        table = TABLES[self.register.key]
        key_fields = self.register.natural_key
        rows = {}
        for row in self.conn.execute(select(table)):
            values = dict(row._mapping)
            rows[tuple(values[k] for k in key_fields)] = values
            if self.register.key == "companies" and values.get("credit_code"):
                rows[("code", values["credit_code"])] = values
        return rows

    def _row(self, row: SourceRow) -> RowPlan:
        values: dict[str, Any] = {}
        lookups: dict[str, str] = {}
        problems: list[str] = []
        warnings: list[str] = []
        cells = row.cells
        width = len(cells)
        for column in self.fields:
            index = column.index
            raw = cells[index] if index < width else None
            if type(raw) is str:
                outcome = column.texts.get(raw)
                if outcome is None:
                    if column.personal and is_masked(raw):
                        # A masked number from an exported ledger (138****5678) keeps what is stored.
                        warnings.append(f"{column.field.label}：已脱敏（含*号），保留原值，不导入")
                        continue
                    outcome = column.texts[raw] = column.parse(raw)
            else:
                # keyed by type too: 1, 1.0 and True are equal keys but not the same cell
                key = (type(raw), raw)
                outcome = column.others.get(key)
                if outcome is None:
                    outcome = column.others[key] = column.parse(raw)
            value, problem, warning = outcome
            if problem is not None:
                problems.append(problem)
            if warning is not None:
                warnings.append(warning)
            if value is not None:
                if column.is_lookup:
                    lookups[column.key] = value
                else:
                    values[column.key] = value
        if not problems:
            self._resolve(values, lookups, problems, warnings)
        if not problems:
            # parse_cell has checked each value against its field; what is left are the rules across
            # fields, and required fields left empty.
            for p in record_problems(self.register, values):
                problems.append(f"{p.label}：{p.message}")
            for f in self.required:
                if f.key not in values:
                    problems.append(f"{f.label}：必填")
        title = str(values.get(self.register.title_field) or lookups.get("_estate") or "")  # parsed: clean
        if problems:
            return RowPlan(
                row.line,
                RowStatus.ERROR,
                values,
                problems=tuple(dict.fromkeys(problems)),
                warnings=tuple(warnings),
                title=title,
            )
        return self._match(row.line, values, tuple(warnings), title)

    # -- references ----------------------------------------------------------------------

    def _resolve(
        self, values: dict[str, Any], lookups: dict[str, str], problems: list[str], warnings: list[str]
    ) -> None:
        refs = self.refs
        register = self.register
        street_id = self.source.default_street_id
        if "_street" in lookups or "street_id" in values:
            text = lookups.get("_street") or str(values.get("street_id"))
            if text not in self.street_cache:
                self.street_cache[text] = refs.street(text)
            found = self.street_cache[text]
            if found is None:
                problems.append(f"街镇：普陀区没有“{text}”")
                return
            street_id = found
        if register.has_field("street_id"):
            if street_id is None:
                problems.append("街镇：必填（文件中没有街镇列，工作表名或文件名中也看不出街镇）")
                return
            values["street_id"] = street_id
        if "neighbourhood_id" in values:
            values["neighbourhood_id"] = self._neighbourhood(street_id, str(values["neighbourhood_id"]), warnings)
        estate_text = lookups.get("_estate") or values.get("estate_id")
        code = lookups.get("_estate_code")
        # Members find their estate through a lookup column only; it is dropped once the term is found.
        if (estate_text is not None or code) and (register.has_field("estate_id") or "_estate" in lookups):
            estate_id, why = self._estate(street_id, code, None if estate_text is None else str(estate_text), warnings)
            if estate_id is None:
                problems.append(f"小区：{why}")
                return
            values["estate_id"] = estate_id
        if "company_id" in values:
            company = refs.company(str(values["company_id"]))
            if company is None:
                message = f"物业服务企业“{values['company_id']}”尚未登记"
                if register.field("company_id").required:
                    problems.append(message + "，请先导入物业企业台账")
                    return
                warnings.append(message + "，此项暂不导入（先导入物业企业台账后再导入本表即可补上）")
                del values["company_id"]
            else:
                values["company_id"] = company
        if "manager_id" in values:
            manager = refs.managers.get((values.get("company_id", -1), clean_text(str(values["manager_id"]))))
            if manager is None:
                warnings.append(f"项目经理“{values['manager_id']}”未在该企业登记，此项暂不导入")
                del values["manager_id"]
            else:
                if self.manager_loads is not None:  # a project manager serves at most 3 estates: warn past it
                    name = str(values.get("name") or "")
                    warning = self.manager_loads.place(manager, clean_text(str(values["manager_id"])), name)
                    if warning:
                        warnings.append(f"项目经理：{warning}")
                values["manager_id"] = manager
        self._resolve_places(values, lookups, problems)

    def _estate(
        self, street_id: int | None, code: str | None, name: str | None, warnings: list[str]
    ) -> tuple[int | None, str]:
        """The estate a row names: by its 小区编码 first (two estates of a 街镇 may share a name), else by name."""
        refs = self.refs
        if code:
            found = refs.estate_codes.get(clean_text(code).upper())
            if found is not None:
                if street_id is not None and refs.estate_streets[found] != street_id:
                    where = refs.street_names[refs.estate_streets[found]]
                    return None, f"小区编码“{code}”是{where}的“{refs.estate_names[found]}”，与本行的街镇不符"
                if name and found not in refs.estate_ids_named(street_id, name):
                    warnings.append(
                        f"小区编码“{code}”是“{refs.estate_names[found]}”，与本行的小区名称“{name}”不同，已按编码导入"
                    )
                return found, ""
            if not name:
                return None, f"没有小区编码为“{code}”的小区"
            warnings.append(f"小区编码“{code}”尚未登记，已按小区名称查找")
        if not name:
            return None, "缺少小区名称"
        return refs.estate(street_id, name)

    def _resolve_places(self, values: dict[str, Any], lookups: dict[str, str], problems: list[str]) -> None:
        refs = self.refs
        if "term_id" in values:
            if "_estate" not in lookups or "estate_id" not in values:
                problems.append("届次：需要“小区名称”列来确定是哪个小区的业委会")
                return
            digits = "".join(ch for ch in str(values["term_id"]) if ch.isdigit())
            term = refs.terms.get((values.pop("estate_id"), int(digits))) if digits else None
            if term is None:
                written = f"第{digits}届" if digits else f"“{values['term_id']}”"
                problems.append(f"届次：该小区没有{written}业委会记录，请先导入业委会届次")
                return
            values["term_id"] = term
        elif self.register.key == "committee_members":
            values.pop("estate_id", None)
        if "building_id" in values:
            building = refs.buildings.get((values.get("estate_id", -1), short_number(str(values["building_id"]))))
            if building is None:
                problems.append(f"楼栋：该小区没有“{values['building_id']}”，请先导入楼栋")
                return
            values["building_id"] = building
        if "unit_id" in values:
            unit = refs.units.get((values.get("building_id", -1), short_number(str(values["unit_id"]))))
            if unit is None:
                problems.append(f"单元：该楼栋没有“{values['unit_id']}”，请先导入单元或清空此列")
                return
            values["unit_id"] = unit

    def _neighbourhood(self, street_id: int | None, name: str, warnings: list[str]) -> Any:
        if street_id is None:
            return None
        key = self.neighbourhood_keys.get((street_id, name))
        if key is None:
            key = self.neighbourhood_keys[(street_id, name)] = (street_id, neighbourhood_key(name))
        found = self.refs.neighbourhoods.get(key)
        if found is not None:
            return found
        if key not in self.new_neighbourhoods:
            label = name if name.endswith(("居委会", "居民委员会")) else name.removesuffix("居委") + "居委会"
            self.new_neighbourhoods[key] = label
        warnings.append(f"居委会“{self.new_neighbourhoods[key]}”尚未登记，将随本次导入新建")
        return NewNeighbourhood(key)

    # -- matching --------------------------------------------------------------------------

    def _match(self, line: int, values: dict[str, Any], warnings: tuple[str, ...], title: str) -> RowPlan:
        existing, via_alias, candidates = self._find_existing(values)
        if line in self.confirmations:
            chosen = self.confirmations[line]
            if chosen is not None:
                existing = self._estate_row(chosen)
                via_alias = True
            candidates = ()
        if candidates and existing is None:
            return RowPlan(line, RowStatus.CONFIRM, values, warnings=warnings, candidates=candidates, title=title)
        key = self._key(values, existing)
        code = values.get("credit_code") if self.register.key == "companies" else None
        duplicate = None
        if key in self.seen:
            duplicate = f"与第{self.seen[key]}行是同一条记录，请合并后再导入"
        elif code and self.seen.get(("code", code), line) != line:
            # Two names under one code: the second would break the register's one-company-per-code rule.
            duplicate = f"统一社会信用代码与第{self.seen[('code', code)]}行相同，一个代码只能对应一家企业"
        if duplicate is not None:
            return RowPlan(line, RowStatus.ERROR, values, problems=(duplicate,), warnings=warnings, title=title)
        self.seen[key] = line
        if code:
            self.seen[("code", code)] = line
        if existing is None:
            return RowPlan(line, RowStatus.NEW, values, warnings=warnings, title=title)
        changes = []
        for k, new in values.items():
            if via_alias and k == "name":
                continue  # matched through another spelling: keep the estate's own name
            old = existing.get(k)
            if isinstance(new, NewNeighbourhood) or old != new:
                f = self.register.field(k)
                changes.append(FieldChange(k, f.label, format_value(f, old), self._display(f, new)))
        status = RowStatus.UPDATE if changes or (via_alias and line in self.confirmations) else RowStatus.UNCHANGED
        return RowPlan(
            line, status, values, existing["id"], existing["version"], tuple(changes), warnings=warnings, title=title
        )

    def _display(self, f: Field, value: Any) -> str:
        if isinstance(value, NewNeighbourhood):
            return self.new_neighbourhoods[value.key]
        if f.type is FieldType.REF:
            return str(value)
        return format_value(f, value)

    def _key(self, values: Mapping[str, Any], existing: Mapping[str, Any] | None) -> tuple[Any, ...]:
        if existing is not None:
            return ("id", existing["id"])
        return tuple(values.get(k) for k in self.register.natural_key)

    def _estate_row(self, estate_id: int) -> dict[str, Any] | None:
        table = TABLES["estates"]
        row = self.conn.execute(select(table).where(table.c.id == estate_id)).first()
        return dict(row._mapping) if row else None

    def _find_existing(self, values: dict[str, Any]) -> tuple[dict[str, Any] | None, bool, tuple[Candidate, ...]]:
        """The existing record a row describes, whether it was found through an alias, and near candidates."""
        if self.register.is_estate:
            return self._find_estate(values)
        if self.register.key == "companies" and values.get("credit_code"):
            found = self.existing.get(("code", values["credit_code"]))
            if found is not None:
                return found, False, ()
        if self.register.key == "companies":
            for key, row in self.existing.items():
                if key[0] != "code" and company_key(str(row["name"])) == company_key(str(values.get("name", ""))):
                    return row, False, ()
            return None, False, ()
        key = tuple(values.get(k) for k in self.register.natural_key)
        return self.existing.get(key), False, ()

    def _find_estate(self, values: dict[str, Any]) -> tuple[dict[str, Any] | None, bool, tuple[Candidate, ...]]:
        refs = self.refs
        code = values.get("code")
        if code and str(code).upper() in refs.estate_codes:
            found = self._estate_row(refs.estate_codes[str(code).upper()])
            return found, bool(found and found["name"] != values.get("name")), ()
        assert refs.estates is not None
        street = refs.street_names.get(values["street_id"])
        exact = refs.estates.exact(street, str(values["name"]))
        if exact:
            found = self._estate_row(exact[0])
            return found, bool(found and found["name"] != values["name"]), ()
        near = refs.estates.near(street, str(values["name"]))
        candidates = tuple(
            Candidate(eid, refs.estate_names[eid], refs.street_names[refs.estate_streets[eid]], reason)
            for eid, reason in near
        )
        return None, False, candidates


class _Column:
    """One mapped column of the sheet: its field and what each distinct cell in it parsed to."""

    __slots__ = ("field", "index", "is_lookup", "key", "others", "personal", "texts", "unit")

    def __init__(self, index: int, field: Field, unit: str) -> None:
        self.index = index
        self.field = field
        self.key = field.key
        self.unit = unit
        self.is_lookup = field.key.startswith("_")
        self.personal = field.personal
        self.texts: dict[str, tuple[Any, str | None, str | None]] = {}
        self.others: dict[tuple[type, object], tuple[Any, str | None, str | None]] = {}

    def parse(self, raw: object) -> tuple[Any, str | None, str | None]:
        """(value, problem, warning), the messages prefixed with the field's label; lookups as text."""
        parsed = parse_cell(self.field, raw, header_unit=self.unit)
        label = self.field.label
        value = parsed.value
        if value is not None and self.is_lookup:
            value = str(value)
        return (
            value,
            f"{label}：{parsed.problem}" if parsed.problem else None,
            f"{label}：{parsed.warning}" if parsed.warning else None,
        )
