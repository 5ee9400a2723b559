"""Tables and facts grids: column widths from the text they hold, cells broken into lines, long rows split."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable
from reportlab.platypus import Table as RLTable

from putuo_community.io.cjk_wrap import break_lines
from putuo_community.io.document import Block, Facts, Section, Table, Text
from putuo_community.io.pdf.canvas import Marks
from putuo_community.io.pdf.drawing import (
    ALERT,
    BODY_SIZE,
    CELL_PADDING,
    FACTS_LEADING,
    FACTS_SIZE,
    FRAME_HEIGHT,
    FRAME_WIDTH,
    GREY,
    HEADER_FILL,
    INK,
    LABEL_FILL,
    RULE,
    TABLE_LEADING,
    TABLE_SIZE,
    WHITE,
    ZEBRA,
    Style,
    measure,
)
from putuo_community.io.pdf.flowables import Caption, Heading, Lines


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


class Builder:
    """Turns sections into flowables with one font; keeps the measuring functions at hand."""

    def __init__(self, font: str, marks: Marks) -> None:
        self.font = font
        self.marks = marks
        self.body = Style(font, BODY_SIZE, 16, INK, hang=BODY_SIZE)
        self.note = Style(font, 8.5, 13, GREY, hang=8.5)
        self.alert = Style(font, BODY_SIZE, 16, ALERT, hang=BODY_SIZE)
        self.empty = Style(font, 9.5, 15, GREY)
        self.table_measure = measure(font, TABLE_SIZE)
        self.facts_measure = measure(font, FACTS_SIZE)

    def section(self, index: int, section: Section) -> list[Flowable]:
        key = f"section-{index}"
        story: list[Flowable] = [CondPageBreak(110), Heading(section.title, key, self.font, self.marks)]
        for block in section.blocks:
            story.extend(self.block(block))
        return story

    def block(self, block: Block) -> list[Flowable]:
        if isinstance(block, Text):
            style = {"note": self.note, "alert": self.alert}.get(block.tone, self.body)
            return [Lines(block.text, style, bar=ALERT if block.tone == "alert" else None)]
        if isinstance(block, Facts):
            return self.facts(block)
        return self.table(block)

    def _captioned(self, caption: str, body: list[Flowable]) -> list[Flowable]:
        if not caption:
            return body
        return [CondPageBreak(70), Caption(caption, self.font), *body]

    def table(self, table: Table) -> list[Flowable]:
        columns = max(len(table.headers), *(len(row) for row in table.rows)) if table.rows else 0
        if not columns:
            return self._captioned(table.caption, [Lines(table.empty, self.empty)])
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
            return self._captioned(facts.caption, [Lines("无记录", self.empty)])
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
