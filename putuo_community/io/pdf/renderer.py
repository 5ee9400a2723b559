"""Lay out a `Document` as an A4 PDF in one pass and write it to a file (atomically) or a stream."""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any, BinaryIO

from reportlab.lib.pagesizes import A4
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageBreak, PageTemplate

from putuo_community.io.document import Document
from putuo_community.io.files import atomic_target
from putuo_community.io.fonts import register_font
from putuo_community.io.pdf.canvas import DeferredCanvas, Marks
from putuo_community.io.pdf.drawing import (
    BODY_SIZE,
    CREATOR,
    FRAME_HEIGHT,
    FRAME_WIDTH,
    GREY,
    MARGIN_X,
    MARGIN_Y,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    RULE,
    Style,
    chinese_date,
    draw,
    fit,
    set_text,
)
from putuo_community.io.pdf.flowables import Contents, Cover, TitleLine
from putuo_community.io.pdf.tables import Builder


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


class _Renderer:
    def __init__(self, document: Document, font: str) -> None:
        self.document = document
        self.font = font
        self.marks = Marks()

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

        def canvas_maker(*args: Any, **kwargs: Any) -> DeferredCanvas:
            return DeferredCanvas(*args, marks=marks, decorate=self._decorate, **kwargs)

        template.build(self._story(), canvasmaker=canvas_maker)
        return marks.pages

    def _story(self) -> list[Flowable]:
        doc = self.document
        builder = Builder(self.font, self.marks)
        story: list[Flowable] = []
        if doc.with_cover:
            story += [Cover(doc, self.font), PageBreak()]
        else:
            story.append(TitleLine(doc, self.font))
        keyed = [(f"section-{index}", section.title) for index, section in enumerate(doc.sections)]
        if doc.with_contents and doc.sections:
            story += [Contents(keyed, self.font, self.marks), PageBreak()]
        for index, section in enumerate(doc.sections):
            story += builder.section(index, section)
        return story

    def _decorate(self, canv: Any, page: int, total: int) -> None:
        doc = self.document
        if page == 1 and doc.with_cover:
            return
        small = Style(self.font, 8.5, 12, GREY)
        measure = small.measure()
        top = PAGE_HEIGHT - MARGIN_Y + 9
        right = PAGE_WIDTH - MARGIN_X
        set_text(canv, small)
        subject = fit(doc.subject, FRAME_WIDTH * 0.4, measure)
        draw(canv, MARGIN_X, top, fit(doc.running_header, FRAME_WIDTH - measure(subject) - 24, measure), small)
        draw(canv, right, top, subject, small, "right")
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.5)
        canv.line(MARGIN_X, top - 4, right, top - 4)
        bottom = MARGIN_Y - 16
        canv.line(MARGIN_X, bottom + 11, right, bottom + 11)
        set_text(canv, small)
        draw(canv, MARGIN_X, bottom, doc.classification, small)
        draw(canv, PAGE_WIDTH / 2, bottom, f"第 {page} 页 共 {total} 页", small, "centre")
        draw(canv, right, bottom, f"打印日期：{chinese_date(doc.printed_on)}", small, "right")
