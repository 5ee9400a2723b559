"""Laying out a `Document` as an A4 PDF: cover, contents, sections of facts, tables and text.

One pass, no `multiBuild`: pages are kept in memory until the document is complete
(the "page x of y" technique), and only then are the footers ("第 x 页 共 y 页"),
the contents' page numbers, the bookmarks and the outline drawn onto them. Every
string is broken into lines here (`cjk_wrap.break_lines`), so reportlab only draws
ready-made lines: table cells are plain "\\n"-joined strings, not Paragraphs, which
keeps a dossier well under a tenth of a second.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, Any, BinaryIO

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, CondPageBreak, Flowable, Frame, PageBreak, PageTemplate
from reportlab.platypus import Table as RLTable

from putuo_community.io.cjk_wrap import break_lines
from putuo_community.io.document import Block, Document, Facts, Section, Table, Text
from putuo_community.io.files import atomic_target
from putuo_community.io.fonts import register_font

CREATOR = "普陀小区档案"

# Streams are written compressed and binary rather than also ASCII85-encoded: smaller and about a
# fifth faster to write. (A process-wide reportlab setting; nothing in the program needs ASCII85.)
rl_config.useA85 = 0

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 20 * mm
MARGIN_Y = 22 * mm
FRAME_WIDTH = PAGE_WIDTH - 2 * MARGIN_X
FRAME_HEIGHT = PAGE_HEIGHT - 2 * MARGIN_Y

INK = colors.HexColor("#1A1A1A")
GREY = colors.HexColor("#666666")
RULE = colors.HexColor("#9AA3AD")
ACCENT = colors.HexColor("#1F4E79")
BAND = colors.HexColor("#E6EDF5")
LABEL_FILL = colors.HexColor("#EEF2F7")
HEADER_FILL = colors.HexColor("#D9E2EC")
ZEBRA = colors.HexColor("#F7F9FB")
ALERT = colors.HexColor("#A00000")
WHITE = colors.white

BODY_SIZE = 10.0
TABLE_SIZE = 8.5
TABLE_LEADING = 11.5
CELL_PADDING = 3.0
FACTS_SIZE = 9.0
FACTS_LEADING = 12.5


# -- public API ---------------------------------------------------------------------------


def render_document(
    document: Document,
    target: Path | BinaryIO,
    *,
    font_path: Path | None = None,
    font_subfont: int = 0,
) -> int:
    """Write `document` as a PDF to a file (atomically) or a binary stream; return the number of pages.

    `font_path` is a TrueType font (.ttf/.ttc, face `font_subfont`) to embed instead of the
    bundled one. A failure to write leaves any existing file at `target` untouched.
    """
    font = register_font(font_path, subfont=font_subfont)
    if not isinstance(target, Path):
        return _Renderer(document, font).render(target)
    with atomic_target(target, opened_by="PDF 阅读器、WPS") as stream:
        pages = _Renderer(document, font).render(stream)
    return pages


def chinese_date(day: date) -> str:
    """2026年11月24日"""
    return f"{day.year}年{day.month}月{day.day}日"


# -- measuring ----------------------------------------------------------------------------


class _Advances(dict[str, float]):
    """Width of each character at 1 pt, measured once per font and process."""

    def __init__(self, font: str) -> None:
        super().__init__()
        self.font = font

    def __missing__(self, char: str) -> float:
        width = float(pdfmetrics.stringWidth(char, self.font, 1.0))
        self[char] = width
        return width


_advances: dict[str, _Advances] = {}


def _measure(font: str, size: float) -> Callable[[str], float]:
    advances = _advances.get(font)
    if advances is None:
        advances = _advances[font] = _Advances(font)
    get = advances.__getitem__

    def measure(text: str) -> float:
        return size * sum(map(get, text))

    return measure


@dataclass(frozen=True)
class _Style:
    font: str
    size: float
    leading: float
    color: Any = INK
    hang: float = 0.0  # how far a closing punctuation mark may hang past the right edge
    bold: bool = False  # the font has no bold face: the glyph outlines are stroked as well

    def measure(self) -> Callable[[str], float]:
        return _measure(self.font, self.size)

    def baseline(self) -> float:
        """Distance from the top of a line box to the baseline: the glyphs sit in the middle."""
        return self.leading / 2 + self.size * 0.36


def _set_text(canv: Any, style: _Style) -> None:
    canv.setFont(style.font, style.size, style.leading)
    canv.setFillColor(style.color)
    if style.bold:
        canv.setStrokeColor(style.color)
        canv.setLineWidth(style.size * 0.035)


def _draw(canv: Any, x: float, y: float, text: str, style: _Style, align: str = "left") -> None:
    mode = 2 if style.bold else None
    if align == "right":
        canv.drawRightString(x, y, text, mode=mode)
    elif align == "centre":
        canv.drawCentredString(x, y, text, mode=mode)
    else:
        canv.drawString(x, y, text, mode=mode)


def _fit(text: str, width: float, measure: Callable[[str], float]) -> str:
    """Cut a one-line text to `width`, ending it with "…" if it had to be cut."""
    if measure(text) <= width:
        return text
    while text and measure(text + "…") > width:
        text = text[:-1]
    return text + "…"


# -- the deferred canvas ------------------------------------------------------------------


class _Marks:
    """What is known only once every page is laid out: where sections start, how many pages there are."""

    def __init__(self) -> None:
        self.section_pages: dict[str, int] = {}
        self.later: defaultdict[int, list[Callable[[Any], None]]] = defaultdict(list)
        self.pages = 0

    def on_page(self, page: int, action: Callable[[Any], None]) -> None:
        """Run `action(canvas)` on page `page` when the document is complete."""
        self.later[page].append(action)


class _DeferredCanvas(Canvas):  # type: ignore[misc]
    """Holds every page until `save`, then decorates each one knowing the total page count."""

    def __init__(self, *args: Any, marks: _Marks, decorate: Callable[[Any, int, int], None], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._marks = marks
        self._decorate = decorate
        self._held: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._held.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        held = self._held
        total = len(held)
        self._marks.pages = total
        for number, state in enumerate(held, 1):
            self.__dict__.update(state)
            self.saveState()
            self._decorate(self, number, total)
            for action in self._marks.later.get(number, ()):
                action(self)
            self.restoreState()
            Canvas.showPage(self)
        if self._marks.section_pages:
            self.showOutline()  # the reader opens with the bookmarks shown
        super().save()


# -- flowables ----------------------------------------------------------------------------


class _Lines(Flowable):  # type: ignore[misc]
    """A paragraph broken into lines by `break_lines`, split between pages line by line."""

    def __init__(
        self, text: str, style: _Style, *, lines: list[str] | None = None, bar: Any = None, space_after: float = 6
    ) -> None:
        super().__init__()
        self.text = text
        self.style = style
        self.bar = bar  # colour of a rule in the left margin of the paragraph, or None
        self.indent = 6.0 if bar is not None else 0.0
        self.fixed = lines  # the lines of a part split off another paragraph
        self.lines: list[str] = lines or []
        self.laid_width = -1.0
        self.spaceAfter = space_after

    def _lay(self, width: float) -> list[str]:
        if self.fixed is not None:
            return self.fixed
        if width != self.laid_width:
            self.lines = break_lines(self.text, width - self.indent, self.style.measure(), hang=self.style.hang)
            self.laid_width = width
        return self.lines

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        lines = self._lay(avail_width)
        self.width = avail_width
        self.height = len(lines) * self.style.leading
        return avail_width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        lines = self._lay(avail_width)
        fits = int((avail_height + 1e-6) // self.style.leading)
        if len(lines) >= 4:
            fits = min(fits, len(lines) - 2)  # no single line left alone at the top of the next page
            if fits < 2:
                return []
        if fits <= 0 or fits >= len(lines):
            return []
        head = _Lines(self.text, self.style, lines=lines[:fits], bar=self.bar, space_after=0)
        tail = _Lines(self.text, self.style, lines=lines[fits:], bar=self.bar, space_after=self.spaceAfter)
        return [head, tail]

    def draw(self) -> None:
        canv = self.canv
        style = self.style
        lines = self.lines
        if self.bar is not None:
            canv.setFillColor(self.bar)
            canv.rect(0, 0, 2, self.height, stroke=0, fill=1)
        _set_text(canv, style)
        text = canv.beginText(self.indent, self.height - style.baseline())
        text.setFont(style.font, style.size, style.leading)
        text.setFillColor(style.color)
        for line in lines:
            text.textLine(line)
        canv.drawText(text)


class _Heading(Flowable):  # type: ignore[misc]
    """A section title on a shaded band; it marks where the section starts for the contents and bookmarks."""

    def __init__(self, title: str, key: str, font: str, marks: _Marks) -> None:
        super().__init__()
        self.title = title
        self.key = key
        self.marks = marks
        self.style = _Style(font, 14, 20, ACCENT, bold=True)
        self.spaceBefore = 14
        self.spaceAfter = 8
        self.lines: list[str] = [title]

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.lines = break_lines(self.title, avail_width - 16, self.style.measure())
        self.width = avail_width
        self.height = len(self.lines) * self.style.leading + 8
        return avail_width, self.height

    def draw(self) -> None:
        canv = self.canv
        canv.setFillColor(BAND)
        canv.rect(0, 0, self.width, self.height, stroke=0, fill=1)
        canv.setFillColor(ACCENT)
        canv.rect(0, 0, 4, self.height, stroke=0, fill=1)
        _set_text(canv, self.style)
        y = self.height - 4 - self.style.baseline()
        for line in self.lines:
            _draw(canv, 12, y, line, self.style)
            y -= self.style.leading
        page = canv.getPageNumber()
        left, top = canv.absolutePosition(0, self.height)
        key, title = self.key, self.title
        self.marks.section_pages[key] = page

        def bookmark(c: Any) -> None:
            c.bookmarkHorizontalAbsolute(key, top + 12, left=left)
            c.addOutlineEntry(title, key, level=0)

        self.marks.on_page(page, bookmark)


class _Caption(Flowable):  # type: ignore[misc]
    """The small heading above a table or a facts grid."""

    def __init__(self, text: str, font: str) -> None:
        super().__init__()
        self.text = text
        self.style = _Style(font, 10.5, 15, ACCENT, bold=True)
        self.spaceBefore = 6
        self.spaceAfter = 3
        self.lines = [text]

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.lines = break_lines(self.text, avail_width - 10, self.style.measure())
        self.width = avail_width
        self.height = len(self.lines) * self.style.leading
        return avail_width, self.height

    def draw(self) -> None:
        canv = self.canv
        style = self.style
        canv.setFillColor(ACCENT)
        top_line = self.height - style.baseline()
        canv.rect(0, top_line, 4, 6.5, stroke=0, fill=1)
        _set_text(canv, style)
        y = top_line
        for line in self.lines:
            _draw(canv, 9, y, line, style)
            y -= style.leading


class _Cover(Flowable):  # type: ignore[misc]
    """The cover page: classification, title, the estate's identifying lines, author and date."""

    def __init__(self, document: Document, font: str) -> None:
        super().__init__()
        self.document = document
        self.font = font

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        self.height = avail_height - 1
        return self.width, self.height

    def draw(self) -> None:
        canv = self.canv
        doc = self.document
        font = self.font
        width, height = self.width, self.height
        centre = width / 2

        # Classification, boxed in the top right corner, and the kind of document on the left.
        mark = _Style(font, 15, 20, ALERT, bold=True)
        label = doc.classification
        if label:
            box_width = mark.measure()(label) + 20
            canv.setStrokeColor(ALERT)
            canv.setLineWidth(1.2)
            canv.rect(width - box_width, height - 28, box_width, 28, stroke=1, fill=0)
            _set_text(canv, mark)
            _draw(canv, width - box_width / 2, height - 28 + 14 - mark.size * 0.36, label, mark, "centre")
        kind = _Style(font, 11, 16, GREY)
        _set_text(canv, kind)
        _draw(canv, 0, height - 14 - kind.size * 0.36, doc.subject, kind)

        # The title, centred a third of the way down, between two rules.
        title = _Style(font, 26, 38, INK, bold=True)
        lines = break_lines(doc.title, width - 40, title.measure())
        y = height * 0.70
        _set_text(canv, title)
        for line in lines:
            _draw(canv, centre, y, line, title, "centre")
            y -= title.leading
        rule_y = y + title.leading - 20
        canv.setStrokeColor(ACCENT)
        canv.setLineWidth(2.2)
        canv.line(centre - 150, rule_y, centre + 150, rule_y)
        canv.setLineWidth(0.6)
        canv.line(centre - 150, rule_y - 4, centre + 150, rule_y - 4)

        # The identifying lines, as a block of "label：value" centred under the title.
        self._cover_lines(rule_y - 48)

        # Author and printed date at the foot of the page.
        foot = _Style(font, 14, 22, INK)
        _set_text(canv, foot)
        _draw(canv, centre, 96, doc.author, foot, "centre")
        date = _Style(font, 12, 18, INK)
        _set_text(canv, date)
        _draw(canv, centre, 70, f"打印日期：{chinese_date(doc.printed_on)}", date, "centre")

    def _cover_lines(self, top: float) -> None:
        items = self.document.cover
        if not items:
            return
        canv = self.canv
        style = _Style(self.font, 12.5, 22, INK)
        label_style = _Style(self.font, 12.5, 22, GREY)
        measure = style.measure()
        label_width = max(measure(f"{label}：") for label, _ in items)
        value_limit = min(self.width * 0.62, self.width - label_width - 60)
        wrapped = [break_lines(value, value_limit, measure) for _, value in items]
        value_width = max((measure(line) for lines in wrapped for line in lines), default=0.0)
        left = (self.width - label_width - value_width) / 2
        y = top
        for (label, _), lines in zip(items, wrapped, strict=True):
            _set_text(canv, label_style)
            _draw(canv, left + label_width, y, f"{label}：", label_style, "right")
            _set_text(canv, style)
            for line in lines:
                _draw(canv, left + label_width, y, line, style)
                y -= style.leading
            if y < 140:
                break  # never run into the author and date


class _TitleLine(Flowable):  # type: ignore[misc]
    """The title at the top of the first page of a document without a cover (e.g. an index)."""

    def __init__(self, document: Document, font: str) -> None:
        super().__init__()
        self.document = document
        self.title = _Style(font, 18, 26, INK, bold=True)
        self.sub = _Style(font, 9, 14, GREY)
        self.spaceAfter = 10
        self.lines = [document.title]

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.lines = break_lines(self.document.title, avail_width - 40, self.title.measure())
        self.width = avail_width
        self.height = len(self.lines) * self.title.leading + self.sub.leading + 10
        return avail_width, self.height

    def draw(self) -> None:
        canv = self.canv
        centre = self.width / 2
        y = self.height - self.title.baseline()
        _set_text(canv, self.title)
        for line in self.lines:
            _draw(canv, centre, y, line, self.title, "centre")
            y -= self.title.leading
        doc = self.document
        parts = [doc.author, f"打印日期：{chinese_date(doc.printed_on)}", doc.classification]
        _set_text(canv, self.sub)
        line = "　".join(part for part in parts if part)
        _draw(canv, centre, 10 + self.sub.leading - self.sub.baseline(), line, self.sub, "centre")
        canv.setStrokeColor(ACCENT)
        canv.setLineWidth(1.2)
        canv.line(0, 1, self.width, 1)


@dataclass(frozen=True)
class _Entry:
    key: str
    lines: list[str]


class _Contents(Flowable):  # type: ignore[misc]
    """The table of contents; the page numbers are drawn when the document is complete."""

    NUMBER_WIDTH = 36.0

    def __init__(self, sections: Sequence[tuple[str, str]], font: str, marks: _Marks, *, first: bool = True) -> None:
        super().__init__()
        self.sections = list(sections)  # (key, title)
        self.font = font
        self.marks = marks
        self.first = first
        self.heading = _Style(font, 18, 30, INK, bold=True)
        self.style = _Style(font, 11.5, 24, INK)
        self.entries: list[_Entry] = []

    def _head_height(self) -> float:
        return self.heading.leading + 18 if self.first else 0.0

    def _lay(self, width: float) -> None:
        measure = self.style.measure()
        self.entries = [
            _Entry(key, break_lines(title, width - self.NUMBER_WIDTH - 30, measure)) for key, title in self.sections
        ]

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self._lay(avail_width)
        self.width = avail_width
        self.height = self._head_height() + sum(len(e.lines) for e in self.entries) * self.style.leading
        return avail_width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        self._lay(avail_width)
        room = avail_height - self._head_height()
        count = 0
        for entry in self.entries:
            room -= len(entry.lines) * self.style.leading
            if room < 0:
                break
            count += 1
        if count == 0:
            return []
        head = _Contents(self.sections[:count], self.font, self.marks, first=self.first)
        tail = _Contents(self.sections[count:], self.font, self.marks, first=False)
        return [head, tail]

    def draw(self) -> None:
        canv = self.canv
        width = self.width
        style = self.style
        measure = style.measure()
        y = self.height
        if self.first:
            _set_text(canv, self.heading)
            _draw(canv, width / 2, y - self.heading.baseline(), "目　录", self.heading, "centre")
            y -= self._head_height()
        page = canv.getPageNumber()
        number_right = canv.absolutePosition(width, 0)[0]
        for entry in self.entries:
            top = y
            _set_text(canv, style)
            for line in entry.lines:
                y -= style.leading
                _draw(canv, 0, y + style.leading - style.baseline(), line, style)
            baseline = y + style.leading - style.baseline()
            start = measure(entry.lines[-1]) + 6
            end = width - self.NUMBER_WIDTH
            if end > start:
                canv.setStrokeColor(GREY)
                canv.setLineWidth(0.9)
                canv.setLineCap(1)
                canv.setDash([0.01, 3.2])
                canv.line(start, baseline + 1, end, baseline + 1)
                canv.setDash()
            canv.linkRect("", entry.key, Rect=(0, y, width, top), relative=1, thickness=0)
            number_y = canv.absolutePosition(0, baseline)[1]
            self.marks.on_page(page, self._number(entry.key, number_right, number_y))

    def _number(self, key: str, right: float, y: float) -> Callable[[Any], None]:
        style = self.style
        marks = self.marks

        def draw_number(c: Any) -> None:
            _set_text(c, style)
            _draw(c, right, y, str(marks.section_pages.get(key, "")), style, "right")

        return draw_number


# -- tables and facts ---------------------------------------------------------------------


def _column_widths(table: Table, columns: int, measure: Callable[[str], float], total: float) -> list[float]:
    """Widths filling `total`: from the table's weights, or else from the widths of header and cells."""
    weights = table.weights
    if len(weights) == columns and all(w > 0 for w in weights):
        scale = total / sum(weights)
        return [w * scale for w in weights]
    padding = 2 * CELL_PADDING
    natural = [0.0] * columns
    for row in (table.headers, *table.rows[:300]):
        for index, cell in enumerate(row[:columns]):
            if cell:
                width = max(map(measure, cell.split("\n")))
                if width > natural[index]:
                    natural[index] = width
    floor = 2 * TABLE_SIZE  # two characters
    desired = [min(max(width, floor) + padding, total * 0.55) for width in natural]
    wanted = sum(desired)
    if wanted <= total:
        extra = total - wanted
        return [d + extra * d / wanted for d in desired]
    # Too wide: the narrow columns keep their width, the wide ones share what is left equally.
    remaining = total
    ordered = sorted(desired)
    cap = ordered[-1]
    for index, width in enumerate(ordered):
        share = remaining / (columns - index)
        if width > share:
            cap = share
            break
        remaining -= width
    minimum = floor + padding
    widths = [max(min(d, cap), minimum) for d in desired]
    excess = sum(widths) - total
    if excess > 1e-6:  # so many columns that even two characters each do not fit: shrink them all alike
        scale = total / sum(widths)
        widths = [w * scale for w in widths]
    return widths


def _wrap_cell(text: str, width: float, measure: Callable[[str], float]) -> list[str]:
    return break_lines(text, width - 2 * CELL_PADDING, measure) if text else [""]


def _split_tall(rows: list[list[list[str]]], limit: int) -> list[list[list[str]]]:
    """Rows taller than `limit` lines cut into several rows, so that a row never exceeds a page."""
    result: list[list[list[str]]] = []
    for row in rows:
        height = max(len(cell) for cell in row)
        if height <= limit:
            result.append(row)
            continue
        for start in range(0, height, limit):
            result.append([cell[start : start + limit] or [""] for cell in row])
    return result


class _Builder:
    """Turns sections into flowables with one font; keeps the measuring functions at hand."""

    def __init__(self, font: str, marks: _Marks) -> None:
        self.font = font
        self.marks = marks
        self.body = _Style(font, BODY_SIZE, 16, INK, hang=BODY_SIZE)
        self.note = _Style(font, 8.5, 13, GREY, hang=8.5)
        self.alert = _Style(font, BODY_SIZE, 16, ALERT, hang=BODY_SIZE)
        self.empty = _Style(font, 9.5, 15, GREY)
        self.table_measure = _measure(font, TABLE_SIZE)
        self.facts_measure = _measure(font, FACTS_SIZE)

    def section(self, index: int, section: Section) -> list[Flowable]:
        key = f"section-{index}"
        story: list[Flowable] = [CondPageBreak(110), _Heading(section.title, key, self.font, self.marks)]
        for block in section.blocks:
            story.extend(self.block(block))
        return story

    def block(self, block: Block) -> list[Flowable]:
        if isinstance(block, Text):
            style = {"note": self.note, "alert": self.alert}.get(block.tone, self.body)
            return [_Lines(block.text, style, bar=ALERT if block.tone == "alert" else None)]
        if isinstance(block, Facts):
            return self.facts(block)
        return self.table(block)

    def _captioned(self, caption: str, body: list[Flowable]) -> list[Flowable]:
        if not caption:
            return body
        return [CondPageBreak(70), _Caption(caption, self.font), *body]

    def table(self, table: Table) -> list[Flowable]:
        columns = max(len(table.headers), *(len(row) for row in table.rows)) if table.rows else 0
        if not columns:
            return self._captioned(table.caption, [_Lines(table.empty, self.empty)])
        measure = self.table_measure
        widths = _column_widths(table, columns, measure, FRAME_WIDTH)

        def wrap_row(row: Sequence[str]) -> list[list[str]]:
            cells = list(row) + [""] * (columns - len(row))
            return [_wrap_cell(cell, width, measure) for cell, width in zip(cells, widths, strict=True)]

        header = wrap_row(table.headers)
        header_height = max(len(cell) for cell in header)
        limit = max(4, int(FRAME_HEIGHT * 0.8 / TABLE_LEADING) - header_height)
        body = _split_tall([wrap_row(row) for row in table.rows], limit)
        data = [["\n".join(cell) for cell in row] for row in [header, *body]]
        style: list[tuple[Any, ...]] = [
            ("FONT", (0, 0), (-1, -1), self.font, TABLE_SIZE, TABLE_LEADING),
            ("TEXTCOLOR", (0, 0), (-1, -1), INK),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("VALIGN", (0, 0), (-1, 0), "MIDDLE"),
            ("ALIGN", (0, 0), (-1, 0), "CENTER"),
            ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
            ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
            ("TOPPADDING", (0, 0), (-1, -1), 3.2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1.8),
            ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
            ("ROWBACKGROUNDS", (0, 1), (-1, -1), [WHITE, ZEBRA]),
            ("INNERGRID", (0, 0), (-1, -1), 0.3, RULE),
            ("BOX", (0, 0), (-1, -1), 0.7, colors.HexColor("#5B6670")),
            ("LINEBELOW", (0, 0), (-1, 0), 0.7, colors.HexColor("#5B6670")),
        ]
        for column in table.numeric:
            if 0 <= column < columns:
                style.append(("ALIGN", (column, 1), (column, -1), "RIGHT"))
        grid = RLTable(data, colWidths=widths, repeatRows=1, style=style, hAlign="LEFT")
        grid.spaceBefore = 2
        grid.spaceAfter = 10
        return self._captioned(table.caption, [grid])

    def facts(self, facts: Facts) -> list[Flowable]:
        if not facts.items:
            return self._captioned(facts.caption, [_Lines("无记录", self.empty)])
        measure = self.facts_measure
        padding = 2 * CELL_PADDING
        label_width = max(measure(label) for label, _ in facts.items) + padding
        label_width = min(max(label_width, 20 * mm), 36 * mm)
        value_width = FRAME_WIDTH / 2 - label_width
        wide_width = FRAME_WIDTH - label_width
        rows: list[tuple[list[list[str]], bool]] = []  # cells as lines; whether the value spans the line
        pending: tuple[str, str] | None = None

        def cell(text: str, width: float) -> list[str]:
            return _wrap_cell(text, width, measure)

        def wide(label: str, value: str) -> None:
            rows.append(([cell(label, label_width), cell(value, wide_width), [""], [""]], True))

        for label, value in facts.items:
            # A value that would take more than two lines in half a row gets a row of its own.
            if measure(value) > 2 * (value_width - padding) or "\n" in value:
                if pending is not None:
                    wide(*pending)
                    pending = None
                wide(label, value)
            elif pending is None:
                pending = (label, value)
            else:
                first = [cell(pending[0], label_width), cell(pending[1], value_width)]
                rows.append(([*first, cell(label, label_width), cell(value, value_width)], False))
                pending = None
        if pending is not None:
            wide(*pending)
        limit = int(FRAME_HEIGHT * 0.8 / FACTS_LEADING)
        data: list[list[str]] = []
        spans: list[int] = []
        for cells, spanned in rows:
            for part in _split_tall([cells], limit):
                if spanned:
                    spans.append(len(data))
                data.append(["\n".join(lines) for lines in part])
        style: list[tuple[Any, ...]] = [
            ("FONT", (0, 0), (-1, -1), self.font, FACTS_SIZE, FACTS_LEADING),
            ("TEXTCOLOR", (0, 0), (-1, -1), INK),
            ("TEXTCOLOR", (0, 0), (0, -1), colors.HexColor("#3A4450")),
            ("TEXTCOLOR", (2, 0), (2, -1), colors.HexColor("#3A4450")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
            ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
            ("TOPPADDING", (0, 0), (-1, -1), 3.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            ("BACKGROUND", (0, 0), (0, -1), LABEL_FILL),
            ("BACKGROUND", (2, 0), (2, -1), LABEL_FILL),
            ("INNERGRID", (0, 0), (-1, -1), 0.3, RULE),
            ("BOX", (0, 0), (-1, -1), 0.7, colors.HexColor("#5B6670")),
        ]
        for row in spans:
            style.append(("SPAN", (1, row), (3, row)))
            style.append(("BACKGROUND", (1, row), (3, row), WHITE))
        grid = RLTable(data, colWidths=[label_width, value_width, label_width, value_width], style=style)
        grid.hAlign = "LEFT"
        grid.spaceBefore = 2
        grid.spaceAfter = 10
        return self._captioned(facts.caption, [grid])


# -- the document -------------------------------------------------------------------------


class _Renderer:
    def __init__(self, document: Document, font: str) -> None:
        self.document = document
        self.font = font
        self.marks = _Marks()

    def render(self, stream: IO[bytes]) -> int:
        doc = self.document
        template = BaseDocTemplate(
            stream,
            pagesize=A4,
            leftMargin=MARGIN_X,
            rightMargin=MARGIN_X,
            topMargin=MARGIN_Y,
            bottomMargin=MARGIN_Y,
            title=doc.title,
            author=doc.author,
            subject=doc.subject,
            creator=CREATOR,
            keywords=list(doc.keywords),
            initialFontName=self.font,
            initialFontSize=BODY_SIZE,
            lang="zh-CN",
            displayDocTitle=1,
        )
        frame = Frame(
            MARGIN_X, MARGIN_Y, FRAME_WIDTH, FRAME_HEIGHT, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0
        )
        template.addPageTemplates([PageTemplate(id="page", frames=[frame])])
        marks = self.marks

        def canvas_maker(*args: Any, **kwargs: Any) -> _DeferredCanvas:
            return _DeferredCanvas(*args, marks=marks, decorate=self._decorate, **kwargs)

        template.build(self._story(), canvasmaker=canvas_maker)
        return marks.pages

    def _story(self) -> list[Flowable]:
        doc = self.document
        builder = _Builder(self.font, self.marks)
        story: list[Flowable] = []
        if doc.with_cover:
            story += [_Cover(doc, self.font), PageBreak()]
        else:
            story.append(_TitleLine(doc, self.font))
        keyed = [(f"section-{index}", section.title) for index, section in enumerate(doc.sections)]
        if doc.with_contents and doc.sections:
            story += [_Contents(keyed, self.font, self.marks), PageBreak()]
        for index, section in enumerate(doc.sections):
            story += builder.section(index, section)
        return story

    def _decorate(self, canv: Any, page: int, total: int) -> None:
        doc = self.document
        if page == 1 and doc.with_cover:
            return
        small = _Style(self.font, 8.5, 12, GREY)
        measure = small.measure()
        top = PAGE_HEIGHT - MARGIN_Y + 9
        right = PAGE_WIDTH - MARGIN_X
        _set_text(canv, small)
        subject = _fit(doc.subject, FRAME_WIDTH * 0.4, measure)
        _draw(canv, MARGIN_X, top, _fit(doc.running_header, FRAME_WIDTH - measure(subject) - 24, measure), small)
        _draw(canv, right, top, subject, small, "right")
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.5)
        canv.line(MARGIN_X, top - 4, right, top - 4)
        bottom = MARGIN_Y - 16
        canv.line(MARGIN_X, bottom + 11, right, bottom + 11)
        _set_text(canv, small)
        _draw(canv, MARGIN_X, bottom, doc.classification, small)
        _draw(canv, PAGE_WIDTH / 2, bottom, f"第 {page} 页 共 {total} 页", small, "centre")
        _draw(canv, right, bottom, f"打印日期：{chinese_date(doc.printed_on)}", small, "right")
