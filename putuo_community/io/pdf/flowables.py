"""The pieces of a dossier that are not tables: text, headings, captions, the cover, the contents."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.platypus import Flowable

from putuo_community.io.cjk_wrap import break_lines
from putuo_community.io.document import Document
from putuo_community.io.pdf.canvas import Marks
from putuo_community.io.pdf.drawing import ACCENT, ALERT, BAND, GREY, INK, Style, chinese_date, draw, set_text


class Lines(Flowable):  # type: ignore[misc]
    """A paragraph broken into lines by `break_lines`, split between pages line by line."""

    def __init__(
        self, text: str, style: Style, *, lines: list[str] | None = None, bar: Any = None, space_after: float = 6
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
        head = Lines(self.text, self.style, lines=lines[:fits], bar=self.bar, space_after=0)
        tail = Lines(self.text, self.style, lines=lines[fits:], bar=self.bar, space_after=self.spaceAfter)
        return [head, tail]

    def draw(self) -> None:
        canv = self.canv
        style = self.style
        lines = self.lines
        if self.bar is not None:
            canv.setFillColor(self.bar)
            canv.rect(0, 0, 2, self.height, stroke=0, fill=1)
        set_text(canv, style)
        text = canv.beginText(self.indent, self.height - style.baseline())
        text.setFont(style.font, style.size, style.leading)
        text.setFillColor(style.color)
        for line in lines:
            text.textLine(line)
        canv.drawText(text)


class Heading(Flowable):  # type: ignore[misc]
    """A section title on a shaded band; it marks where the section starts for the contents and bookmarks."""

    def __init__(self, title: str, key: str, font: str, marks: Marks) -> None:
        super().__init__()
        self.title = title
        self.key = key
        self.marks = marks
        self.style = Style(font, 14, 20, ACCENT, bold=True)
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
        set_text(canv, self.style)
        y = self.height - 4 - self.style.baseline()
        for line in self.lines:
            draw(canv, 12, y, line, self.style)
            y -= self.style.leading
        page = canv.getPageNumber()
        left, top = canv.absolutePosition(0, self.height)
        key, title = self.key, self.title
        self.marks.section_pages[key] = page

        def bookmark(c: Any) -> None:
            c.bookmarkHorizontalAbsolute(key, top + 12, left=left)
            c.addOutlineEntry(title, key, level=0)

        self.marks.on_page(page, bookmark)


class Caption(Flowable):  # type: ignore[misc]
    """The small heading above a table or a facts grid."""

    def __init__(self, text: str, font: str) -> None:
        super().__init__()
        self.text = text
        self.style = Style(font, 10.5, 15, ACCENT, bold=True)
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
        set_text(canv, style)
        y = top_line
        for line in self.lines:
            draw(canv, 9, y, line, style)
            y -= style.leading


class Cover(Flowable):  # type: ignore[misc]
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
        mark = Style(font, 15, 20, ALERT, bold=True)
        label = doc.classification
        if label:
            box_width = mark.measure()(label) + 20
            canv.setStrokeColor(ALERT)
            canv.setLineWidth(1.2)
            canv.rect(width - box_width, height - 28, box_width, 28, stroke=1, fill=0)
            set_text(canv, mark)
            draw(canv, width - box_width / 2, height - 28 + 14 - mark.size * 0.36, label, mark, "centre")
        kind = Style(font, 11, 16, GREY)
        set_text(canv, kind)
        draw(canv, 0, height - 14 - kind.size * 0.36, doc.subject, kind)

        # The title, centred a third of the way down, between two rules.
        title = Style(font, 26, 38, INK, bold=True)
        lines = break_lines(doc.title, width - 40, title.measure())
        y = height * 0.70
        set_text(canv, title)
        for line in lines:
            draw(canv, centre, y, line, title, "centre")
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
        foot = Style(font, 14, 22, INK)
        set_text(canv, foot)
        draw(canv, centre, 96, doc.author, foot, "centre")
        date = Style(font, 12, 18, INK)
        set_text(canv, date)
        draw(canv, centre, 70, f"打印日期：{chinese_date(doc.printed_on)}", date, "centre")

    def _cover_lines(self, top: float) -> None:
        items = self.document.cover
        if not items:
            return
        canv = self.canv
        style = Style(self.font, 12.5, 22, INK)
        label_style = Style(self.font, 12.5, 22, GREY)
        measure = style.measure()
        label_width = max(measure(f"{label}：") for label, _ in items)
        value_limit = min(self.width * 0.62, self.width - label_width - 60)
        wrapped = [break_lines(value, value_limit, measure) for _, value in items]
        value_width = max((measure(line) for lines in wrapped for line in lines), default=0.0)
        left = (self.width - label_width - value_width) / 2
        y = top
        for (label, _), lines in zip(items, wrapped, strict=True):
            set_text(canv, label_style)
            draw(canv, left + label_width, y, f"{label}：", label_style, "right")
            set_text(canv, style)
            for line in lines:
                draw(canv, left + label_width, y, line, style)
                y -= style.leading
            if y < 140:
                break  # never run into the author and date


class TitleLine(Flowable):  # type: ignore[misc]
    """The title at the top of the first page of a document without a cover (e.g. an index)."""

    def __init__(self, document: Document, font: str) -> None:
        super().__init__()
        self.document = document
        self.title = Style(font, 18, 26, INK, bold=True)
        self.sub = Style(font, 9, 14, GREY)
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
        set_text(canv, self.title)
        for line in self.lines:
            draw(canv, centre, y, line, self.title, "centre")
            y -= self.title.leading
        doc = self.document
        parts = [doc.author, f"打印日期：{chinese_date(doc.printed_on)}", doc.classification]
        set_text(canv, self.sub)
        line = "　".join(part for part in parts if part)
        draw(canv, centre, 10 + self.sub.leading - self.sub.baseline(), line, self.sub, "centre")
        canv.setStrokeColor(ACCENT)
        canv.setLineWidth(1.2)
        canv.line(0, 1, self.width, 1)


@dataclass(frozen=True)
class _Entry:
    key: str
    lines: list[str]


class Contents(Flowable):  # type: ignore[misc]
    """The table of contents; the page numbers are drawn when the document is complete."""

    NUMBER_WIDTH = 36.0

    def __init__(self, sections: Sequence[tuple[str, str]], font: str, marks: Marks, *, first: bool = True) -> None:
        super().__init__()
        self.sections = list(sections)  # (key, title)
        self.font = font
        self.marks = marks
        self.first = first
        self.heading = Style(font, 18, 30, INK, bold=True)
        self.style = Style(font, 11.5, 24, INK)
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
        head = Contents(self.sections[:count], self.font, self.marks, first=self.first)
        tail = Contents(self.sections[count:], self.font, self.marks, first=False)
        return [head, tail]

    def draw(self) -> None:
        canv = self.canv
        width = self.width
        style = self.style
        measure = style.measure()
        y = self.height
        if self.first:
            set_text(canv, self.heading)
            draw(canv, width / 2, y - self.heading.baseline(), "目　录", self.heading, "centre")
            y -= self._head_height()
        page = canv.getPageNumber()
        number_right = canv.absolutePosition(width, 0)[0]
        for entry in self.entries:
            top = y
            set_text(canv, style)
            for line in entry.lines:
                y -= style.leading
                draw(canv, 0, y + style.leading - style.baseline(), line, style)
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
            set_text(c, style)
            draw(c, right, y, str(marks.section_pages.get(key, "")), style, "right")

        return draw_number
