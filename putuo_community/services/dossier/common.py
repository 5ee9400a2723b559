"""The dossier service's light names: the font choice, batch results and safe file names (no PDF library)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from putuo_community.domain.errors import UserError
from putuo_community.domain.file_names import safe_file_name

__all__ = ["BatchFailure", "BatchResult", "DossierCancelled", "EstateChoice", "FontChoice", "safe_file_name"]


class DossierCancelled(UserError):
    def __init__(self) -> None:
        super().__init__("已取消批量打印，未生成任何文件")


@dataclass(frozen=True)
class FontChoice:
    """The font dossiers are printed in; None: the bundled WenQuanYi Micro Hei."""

    path: Path | None = None
    subfont: int = 0


@dataclass(frozen=True)
class EstateChoice:
    id: int
    name: str
    street: str
    code: str


@dataclass(frozen=True)
class BatchFailure:
    """An estate a batch could not print, and why, in words for the clerk."""

    estate_id: int
    name: str
    code: str
    reason: str


@dataclass(frozen=True)
class BatchResult:
    folder: Path
    files: tuple[Path, ...]
    index: Path  # lists the printed estates, and the failed ones with their reasons
    pages: int
    failures: tuple[BatchFailure, ...] = ()
