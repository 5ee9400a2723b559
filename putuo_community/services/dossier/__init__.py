"""Estate dossiers (一小区一档案) printed to PDF: one estate, or a 街镇's estates with an index.

`data` loads an estate's records, `content` lays them out as a document, `service`
prints one or a batch (`batch` draws it and its index, `staging` holds the work in
progress); `common` holds the light names the GUI and settings use.
"""

from __future__ import annotations

from putuo_community.services.dossier.common import (
    BatchFailure,
    BatchResult,
    DossierCancelled,
    EstateChoice,
    FontChoice,
    safe_file_name,
)
from putuo_community.services.dossier.service import DossierService, EstateDossier

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
