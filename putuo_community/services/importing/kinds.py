"""What each kind of register import feeds, and the extra columns it reads only to find references.

A buildings register names its estate by 小区名称, and often by 街镇 too (two streets
may have estates of the same name), or by 小区编码, which the importer tries first. Such
columns are "lookups": mapped and read like fields, never stored.
"""

from __future__ import annotations

from dataclasses import dataclass

from putuo_community.domain.errors import UserError
from putuo_community.domain.fields import Field, Register, text
from putuo_community.domain.registers import REGISTERS

STREET_LOOKUP = text("_street", "街镇", synonyms=("所属街镇", "街道", "街道（镇）", "街道/镇", "所在街镇"))
ESTATE_LOOKUP = text("_estate", "小区名称", synonyms=("小区", "所属小区", "物业管理区域", "小区名"))
# Names the estate beyond doubt where two in one 街镇 share a name; a ledger writes it beside the name.
ESTATE_CODE_LOOKUP = text("_estate_code", "小区编码", synonyms=("小区代码", "小区编号"))
COMPANY_LOOKUP = text("_company", "物业服务企业", synonyms=("物业公司", "物业企业", "企业名称", "所属企业"))


@dataclass(frozen=True)
class ImportKind:
    key: str  # as typed on the command line
    register: Register
    lookups: tuple[Field, ...] = ()

    @property
    def label(self) -> str:
        return self.register.label

    def field(self, key: str) -> Field:
        for lookup in self.lookups:
            if lookup.key == key:
                return lookup
        return self.register.field(key)

    @property
    def all_fields(self) -> tuple[Field, ...]:
        return (*self.register.fields, *self.lookups)


def _kind(key: str, register_key: str, *lookups: Field) -> ImportKind:
    return ImportKind(key, REGISTERS[register_key], lookups)


IMPORT_KINDS: dict[str, ImportKind] = {
    k.key: k
    for k in (
        _kind("estates", "estates"),
        _kind("buildings", "buildings", STREET_LOOKUP, ESTATE_CODE_LOOKUP),
        _kind("committees", "committee_terms", STREET_LOOKUP, ESTATE_CODE_LOOKUP),
        _kind("committee-members", "committee_members", STREET_LOOKUP, ESTATE_CODE_LOOKUP, ESTATE_LOOKUP),
        _kind("companies", "companies"),
        _kind("managers", "managers"),
        _kind("contracts", "contracts", STREET_LOOKUP, ESTATE_CODE_LOOKUP),
        _kind("credit-events", "credit_events", STREET_LOOKUP, ESTATE_CODE_LOOKUP),
        _kind("projects", "projects", STREET_LOOKUP, ESTATE_CODE_LOOKUP),
        _kind("lifts", "lifts", STREET_LOOKUP, ESTATE_CODE_LOOKUP),
        _kind("lift-projects", "lift_projects", STREET_LOOKUP, ESTATE_CODE_LOOKUP),
        _kind("funds", "funds", STREET_LOOKUP, ESTATE_CODE_LOOKUP),
    )
}


def get_import_kind(key: str) -> ImportKind:
    try:
        return IMPORT_KINDS[key]
    except KeyError:
        raise UserError(f"不能导入“{key}”；可导入的台账有：{'、'.join(IMPORT_KINDS)}") from None
