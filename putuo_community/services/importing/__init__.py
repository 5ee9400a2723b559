"""Import a register from Excel/CSV: read, map columns, plan every row, then commit all or nothing.

`kinds` says what can be imported, `service` reads, plans and commits, `planner` works out
each row, `references` finds the streets, estates and companies a row names.
"""

from __future__ import annotations

from putuo_community.services.importing.kinds import IMPORT_KINDS, ImportKind, get_import_kind
from putuo_community.services.importing.plan import (
    Candidate,
    FieldChange,
    ImportPlan,
    ImportResult,
    ImportSource,
    RowPlan,
    RowStatus,
    UnmappedColumn,
)
from putuo_community.services.importing.service import ImportService

__all__ = [
    "IMPORT_KINDS",
    "Candidate",
    "FieldChange",
    "ImportKind",
    "ImportPlan",
    "ImportResult",
    "ImportService",
    "ImportSource",
    "RowPlan",
    "RowStatus",
    "UnmappedColumn",
    "get_import_kind",
]
