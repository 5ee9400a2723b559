"""A printable document as plain data: what a dossier or an index says, not how it is drawn.

Services build these from the database; `io.pdf` lays them out. Every value is already
text, formatted for a reader (dates as 2025-03-01, money with its unit, 是/否), so the
renderer makes no decisions about meaning and the same document can be tested without
drawing it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Facts:
    """Label/value pairs laid out in a grid (two pairs to a line), e.g. an estate's basic facts."""

    items: tuple[tuple[str, str], ...]
    caption: str = ""


@dataclass(frozen=True)
class Table:
    """A table with a header row; long cells wrap inside their column."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str = ""  # a small heading above the table
    # Relative column widths; empty: derived from the header and cell lengths.
    weights: tuple[float, ...] = ()
    # Columns whose cells are right-aligned (numbers, money).
    numeric: tuple[int, ...] = ()
    empty: str = "无记录"  # said instead of an empty table
    # A table of a register's records: which register, and each row's record id (for the screen).
    register: str = ""
    record_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class Text:
    """A paragraph; "note" is small and grey, "alert" draws the eye (overdue, red warning level)."""

    text: str
    tone: str = "normal"  # "normal" | "note" | "alert"


Block = Facts | Table | Text


@dataclass(frozen=True)
class Section:
    """A numbered chapter of the document; it is listed in the contents and as a PDF bookmark."""

    title: str  # e.g. "一、基本情况"
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Document:
    title: str  # the PDF title and the cover's large line, e.g. "梅川一村 小区档案"
    running_header: str  # printed at the top of every page after the cover, e.g. "梅川一村（长征镇）"
    printed_on: date
    sections: tuple[Section, ...]
    # Lines under the title on the cover: (label, value), e.g. ("街镇", "长征镇").
    cover: tuple[tuple[str, str], ...] = ()
    classification: str = "内部资料"  # printed on the cover and in every footer
    author: str = "普陀区房屋管理局"
    subject: str = "一小区一档案"
    with_cover: bool = True  # an index of many dossiers has no cover page, only a title line
    with_contents: bool = True
    keywords: tuple[str, ...] = field(default=())
