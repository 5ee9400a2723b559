"""The dossier's page: A4 geometry, colours, type sizes, and measuring and drawing ready-made lines."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics

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


def chinese_date(day: date) -> str:
    """2026年11月24日"""
    return f"{day.year}年{day.month}月{day.day}日"


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


def measure(font: str, size: float) -> Callable[[str], float]:
    advances = _advances.get(font)
    if advances is None:
        advances = _advances[font] = _Advances(font)
    get = advances.__getitem__

    def measure(text: str) -> float:
        return size * sum(map(get, text))

    return measure


@dataclass(frozen=True)
class Style:
    font: str
    size: float
    leading: float
    color: Any = INK
    hang: float = 0.0  # how far a closing punctuation mark may hang past the right edge
    bold: bool = False  # the font has no bold face: the glyph outlines are stroked as well

    def measure(self) -> Callable[[str], float]:
        return measure(self.font, self.size)

    def baseline(self) -> float:
        """Distance from the top of a line box to the baseline: the glyphs sit in the middle."""
        return self.leading / 2 + self.size * 0.36


def set_text(canv: Any, style: Style) -> None:
    canv.setFont(style.font, style.size, style.leading)
    canv.setFillColor(style.color)
    if style.bold:
        canv.setStrokeColor(style.color)
        canv.setLineWidth(style.size * 0.035)


def draw(canv: Any, x: float, y: float, text: str, style: Style, align: str = "left") -> None:
    mode = 2 if style.bold else None
    if align == "right":
        canv.drawRightString(x, y, text, mode=mode)
    elif align == "centre":
        canv.drawCentredString(x, y, text, mode=mode)
    else:
        canv.drawString(x, y, text, mode=mode)


def fit(text: str, width: float, measure: Callable[[str], float]) -> str:
    """Cut a one-line text to `width`, ending it with "…" if it had to be cut."""
    if measure(text) <= width:
        return text
    while text and measure(text + "…") > width:
        text = text[:-1]
    return text + "…"
