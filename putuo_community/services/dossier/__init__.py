"""Estate dossiers (一小区一档案) printed to PDF: one estate, or a 街镇's estates with an index.

`data` loads an estate's records, `content` lays them out as a document, `service`
prints one or a batch (`batch` draws it and its index, `staging` holds the work in
progress); `common` holds the light names the GUI and settings use.

The printing half loads when first asked for (`DossierService`, `EstateDossier`): the settings
and every command import this package for its light names, and most commands never print.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from putuo_community.services.dossier.common import (
    BatchFailure,
    BatchResult,
    DossierCancelled,
    EstateChoice,
    FontChoice,
    safe_file_name,
)

if TYPE_CHECKING:
    from putuo_community.services.dossier.service import DossierService, EstateDossier

_PRINTING = frozenset({"DossierService", "EstateDossier"})


def __getattr__(name: str) -> Any:
    if name in _PRINTING:
        from putuo_community.services.dossier import service

        return getattr(service, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "BatchFailure",
    "BatchResult",
    "DossierCancelled",
    "DossierService",
    "EstateChoice",
    "EstateDossier",
    "FontChoice",
    "safe_file_name",
]
