"""The dossier service's light names: the font choice, batch results and safe file names (no PDF library)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from putuo_community.domain.errors import UserError

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


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
class BatchResult:
    folder: Path
    files: tuple[Path, ...]
    index: Path
    pages: int


def safe_file_name(text: str) -> str:
    """A file name Windows accepts: no \\ / : * ? " < > |, no trailing dots or spaces."""
    return _UNSAFE.sub("_", text).strip().rstrip(".") or "小区"
