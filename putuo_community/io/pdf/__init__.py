"""Laying out a `Document` as an A4 PDF: cover, contents, sections of facts, tables and text.

One pass, no `multiBuild`: pages are kept in memory until the document is complete
(the "page x of y" technique), and only then are the footers ("第 x 页 共 y 页"),
the contents' page numbers, the bookmarks and the outline drawn onto them. Every
string is broken into lines here (`cjk_wrap.break_lines`), so reportlab only draws
ready-made lines: table cells are plain "\\n"-joined strings, not Paragraphs, which
keeps a dossier well under a tenth of a second.

`renderer` builds the story and writes the file, `tables` and `flowables` lay out the
pieces, `canvas` defers the page decorations, `drawing` holds the page's measures.
"""

from __future__ import annotations

from putuo_community.io.pdf.drawing import CREATOR, chinese_date
from putuo_community.io.pdf.renderer import render_document

__all__ = ["CREATOR", "chinese_date", "render_document"]
