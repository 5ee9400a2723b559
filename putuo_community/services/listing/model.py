"""What the list pages ask for and get back: filters, sorts, rows, and the company window's file."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from putuo_community.domain.committee import TermState
from putuo_community.domain.credit import (
    CreditStatus,
    WarningLevel,
)
from putuo_community.domain.fields import FieldType
from putuo_community.domain.workdays import Deadline
from putuo_community.services.records import Record

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
    """How a list page narrows its register. Only estates know neighbourhood to completeness.

    `ids`: only these records (the list behind a figure of the 概览 page), `ids_label` saying what they are.
    """

    street_id: int | None = None
    search: str = ""
    neighbourhood_id: int | None = None
    housing_type: str | None = None
    committee_state: str | None = None
    warning_level: WarningLevel | None = None
    completeness_below: int | None = None  # percent: rows whose dossier is less complete than this
    ids: frozenset[int] | None = None
    ids_label: str = ""

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
                self.ids,
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
    status: CreditStatus | None  # None: dates not filled in
    active_until: date
    correctable_from: date | None  # None: an 18-point act, which cannot be corrected
    # 15 working days from acceptance on the official calendar; None without an accepted objection.
    objection_deadline: Deadline | None

    @property
    def active(self) -> bool:
        """Its points (or a commendation's) count today."""
        return self.status is not None and self.status.counts


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
    "committee_terms": ("street", "term_state", "days_to_end", "election_vote"),
    "lift_projects": ("street", "lift_vote"),
    "projects": ("full_set_vote",),  # the verdicts: domain/registers/votes.py
}
