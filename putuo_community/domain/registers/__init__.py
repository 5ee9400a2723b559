"""Every register the street offices keep, declared once.

`REGISTERS` is ordered so that a register comes after those it refers to.
"""

from __future__ import annotations

from putuo_community.domain.fields import Register
from putuo_community.domain.registers.committees import (
    COMMITTEE_ACTIVITIES,
    COMMITTEE_MEMBERS,
    COMMITTEE_TERMS,
)
from putuo_community.domain.registers.places import (
    BUILDINGS,
    ESTATE_ALIASES,
    ESTATES,
    NEIGHBOURHOODS,
    STREETS,
    UNITS,
)
from putuo_community.domain.registers.property import (
    COMPANIES,
    CONTRACTS,
    CREDIT_EVENTS,
    FEE_ADJUSTMENTS,
    MANAGERS,
)
from putuo_community.domain.registers.records import (
    ATTACHMENTS,
    CHANGE_HISTORY,
    ESTATE_ISSUES,
    FUNDS,
)
from putuo_community.domain.registers.works import LIFT_PROJECTS, LIFTS, PROJECTS

REGISTERS: dict[str, Register] = {
    r.key: r
    for r in (
        STREETS,
        NEIGHBOURHOODS,
        COMPANIES,
        MANAGERS,
        ESTATES,
        ESTATE_ALIASES,
        BUILDINGS,
        UNITS,
        COMMITTEE_TERMS,
        COMMITTEE_MEMBERS,
        COMMITTEE_ACTIVITIES,
        CONTRACTS,
        FEE_ADJUSTMENTS,
        CREDIT_EVENTS,
        PROJECTS,
        LIFTS,
        LIFT_PROJECTS,
        FUNDS,
        ESTATE_ISSUES,
        ATTACHMENTS,
        CHANGE_HISTORY,
    )
}


def get_register(key: str) -> Register:
    """The register called `key`, with a clear message for an unknown one."""
    try:
        return REGISTERS[key]
    except KeyError:
        known = "、".join(REGISTERS)
        raise KeyError(f"没有名为“{key}”的台账；可用：{known}") from None


__all__ = [
    "ATTACHMENTS",
    "BUILDINGS",
    "CHANGE_HISTORY",
    "COMMITTEE_ACTIVITIES",
    "COMMITTEE_MEMBERS",
    "COMMITTEE_TERMS",
    "COMPANIES",
    "CONTRACTS",
    "CREDIT_EVENTS",
    "ESTATES",
    "ESTATE_ALIASES",
    "ESTATE_ISSUES",
    "FEE_ADJUSTMENTS",
    "FUNDS",
    "LIFTS",
    "LIFT_PROJECTS",
    "MANAGERS",
    "NEIGHBOURHOODS",
    "PROJECTS",
    "REGISTERS",
    "STREETS",
    "UNITS",
    "get_register",
]
