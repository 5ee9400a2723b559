"""Find the records an imported row refers to (街镇, 居委会, 小区, 企业, 楼栋 ...) from the text in its cells.

Everything is loaded once per import and looked up in dictionaries: an import of
50,000 rows makes no query per row.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import Connection, select

from putuo_community.domain.credit_code import normalize_credit_code
from putuo_community.domain.names import EstateNameIndex, normalise_estate_name
from putuo_community.domain.parsing import clean_text, neighbourhood_key, street_from_text
from putuo_community.domain.streets import PUTUO_STREETS
from putuo_community.storage.schema import TABLES

_NUMBER_SUFFIX = re.compile(r"(号楼|号|幢|栋|楼|单元)$")


def short_number(text: str) -> str:
    """ "12号楼", "12号", "12幢", "１２" all name building 12; "1单元" and "1" unit 1."""
    value = clean_text(text).replace(" ", "")
    return _NUMBER_SUFFIX.sub("", value) or value


def street_in_text(text: str) -> str | None:
    """The street a sheet or file name is about ("长征镇", "长征镇小区台账2025"), if it names exactly one."""
    found = {s.name for s in PUTUO_STREETS if s.name in text}
    if not found:
        found = {s.name for s in PUTUO_STREETS if s.short_name in text}
    return found.pop() if len(found) == 1 else None


@dataclass
class References:
    """Lookup tables of the records an import may refer to."""

    street_ids: dict[str, int] = field(default_factory=dict)  # street name → id
    street_names: dict[int, str] = field(default_factory=dict)
    neighbourhoods: dict[tuple[int, str], int] = field(default_factory=dict)  # (street id, key) → id
    estates: EstateNameIndex | None = None
    estate_codes: dict[str, int] = field(default_factory=dict)
    estate_names: dict[int, str] = field(default_factory=dict)
    estate_streets: dict[int, int] = field(default_factory=dict)
    companies_by_name: dict[str, int] = field(default_factory=dict)
    companies_by_code: dict[str, int] = field(default_factory=dict)
    managers: dict[tuple[int, str], int] = field(default_factory=dict)  # (company id, name) → id
    terms: dict[tuple[int, int], int] = field(default_factory=dict)  # (estate id, 届次) → id
    buildings: dict[tuple[int, str], int] = field(default_factory=dict)  # (estate id, number) → id
    units: dict[tuple[int, str], int] = field(default_factory=dict)  # (building id, number) → id

    @classmethod
    def load(cls, conn: Connection) -> References:
        t = TABLES
        refs = cls()
        for sid, name in conn.execute(select(t["streets"].c.id, t["streets"].c.name)):
            refs.street_ids[name] = sid
            refs.street_names[sid] = name
        for nid, sid, name in conn.execute(
            select(t["neighbourhoods"].c.id, t["neighbourhoods"].c.street_id, t["neighbourhoods"].c.name)
        ):
            refs.neighbourhoods[(sid, neighbourhood_key(name))] = nid
        aliases: dict[int, list[str]] = defaultdict(list)
        for eid, alias in conn.execute(select(t["estate_aliases"].c.estate_id, t["estate_aliases"].c.alias)):
            aliases[eid].append(alias)
        entries = []
        e = t["estates"]
        for eid, name, code, sid in conn.execute(select(e.c.id, e.c.name, e.c.code, e.c.street_id)):
            entries.append((eid, refs.street_names[sid], name, tuple(aliases.get(eid, ()))))
            refs.estate_names[eid] = name
            refs.estate_streets[eid] = sid
            if code:
                refs.estate_codes[clean_text(code).upper()] = eid
        refs.estates = EstateNameIndex.build(entries)
        c = t["companies"]
        for cid, name, code in conn.execute(select(c.c.id, c.c.name, c.c.credit_code)):
            refs.companies_by_name[company_key(name)] = cid
            if code:
                refs.companies_by_code[normalize_credit_code(code)] = cid
        m = t["managers"]
        for mid, cid, name in conn.execute(select(m.c.id, m.c.company_id, m.c.name)):
            refs.managers[(cid, clean_text(name))] = mid
        ct = t["committee_terms"]
        for tid, eid, term_no in conn.execute(select(ct.c.id, ct.c.estate_id, ct.c.term_no)):
            refs.terms[(eid, term_no)] = tid
        b = t["buildings"]
        for bid, eid, number in conn.execute(select(b.c.id, b.c.estate_id, b.c.number)):
            refs.buildings[(eid, short_number(number))] = bid
        u = t["units"]
        for uid, bid, number in conn.execute(select(u.c.id, u.c.building_id, u.c.number)):
            refs.units[(bid, short_number(number))] = uid
        return refs

    # -- lookups; each returns (id or None, a Chinese reason when not found) ------------------

    def street(self, text: str) -> int | None:
        found = street_from_text(text)
        return self.street_ids.get(found.name) if found else None

    def company(self, text: str) -> int | None:
        value = clean_text(text)
        by_code = self.companies_by_code.get(normalize_credit_code(value))
        return by_code or self.companies_by_name.get(company_key(value))

    def estate_ids_named(self, street_id: int | None, name: str) -> tuple[int, ...]:
        """The estates `name` spells exactly (their name or an alias), in `street_id` when known."""
        assert self.estates is not None
        return tuple(self.estates.exact(self.street_names.get(street_id) if street_id is not None else None, name))

    def estate(self, street_id: int | None, name: str) -> tuple[int | None, str]:
        """The estate called `name` (in `street_id` when known), or why none could be chosen."""
        assert self.estates is not None
        street = self.street_names.get(street_id) if street_id is not None else None
        exact = self.estates.exact(street, name)
        if len(exact) == 1:
            return exact[0], ""
        if len(exact) > 1:
            streets = sorted({self.street_names[self.estate_streets[i]] for i in exact})
            if len(streets) == 1:  # the same name twice in one 街镇: only the code tells them apart
                return None, f"{streets[0]}有 {len(exact)} 个名为“{name}”的小区，请增加“小区编码”列以区分"
            return None, f"{'、'.join(streets)}都有名为“{name}”的小区，请增加“街镇”或“小区编码”列以区分"
        near = self.estates.near(street, name)
        place = f"{street}" if street else "全区"
        if near:
            hints = "、".join(f"“{self.estate_names[i]}”" for i, _ in near[:3])
            return None, f"{place}没有名为“{name}”的小区；相近的有{hints}，请核对名称"
        return None, f"{place}没有名为“{name}”的小区，请先导入或登记该小区"


def company_key(name: str) -> str:
    """Company names compared without spaces and with unified brackets: （上海） == (上海)."""
    return normalise_estate_name(name)
