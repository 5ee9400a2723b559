"""Blank import templates: one workbook per import kind, with its headers, drop-down choices and notes."""

from __future__ import annotations

from pathlib import Path

from putuo_community.services.importing.kinds import get_import_kind


def write_import_template(kind_key: str, path: Path) -> Path:
    """Write the blank template of one import kind (its lookup columns too) to `path`."""
    from putuo_community.io.template import write_template  # openpyxl loads when a template is written

    kind = get_import_kind(kind_key)
    write_template(kind.register, path, extra=kind.lookups)
    return path
