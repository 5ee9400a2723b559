"""Whole lists as the list pages show them: the ordered ids of a filtered list, then its rows block by block.

A page asks `ordered_ids` once per filter or sort (a district-wide query, run off the UI
thread) and `rows` for each block of ids the view scrolls to (a bounded query). `model` holds
what pages ask for and get back, `service` the listing service, `ordering` the order in SQL,
`columns` the computed columns (by the domain rules, set-based, never a query per row) and
`records` the reasons a search matched and the company window's records.
"""

from __future__ import annotations

from putuo_community.services.listing.columns import lift_assessment
from putuo_community.services.listing.model import (
    COMMITTEE_STATES,
    COMPUTED,
    DISSOLVED,
    FORMATION_DUE,
    NO_COMMITTEE,
    Assessment,
    CompanyFile,
    LedgerEntry,
    ListFilter,
    ListRow,
    ListSort,
)
from putuo_community.services.listing.service import ListingService

__all__ = [
    "COMMITTEE_STATES",
    "COMPUTED",
    "DISSOLVED",
    "FORMATION_DUE",
    "NO_COMMITTEE",
    "Assessment",
    "CompanyFile",
    "LedgerEntry",
    "ListFilter",
    "ListRow",
    "ListSort",
    "ListingService",
    "lift_assessment",
]
