"""A cell's text as a clerk reads it: cleaned up, Chinese numerals as digits, placeholders told apart.

Also `Parsed`, what reading a cell for a field gives.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal


@dataclass(frozen=True)
class Parsed:
    """A cell read for one field: the value (None when empty or on a problem), or why it cannot be read."""

    value: object
    problem: str | None = None
    warning: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None


EMPTY = Parsed(None)

# ---------------------------------------------------------------------------
# Text clean-up
# ---------------------------------------------------------------------------

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
_FULL_WIDTH_ALNUM = {
    code: code - 0xFEE0 for code in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B))
}
# Every full-width ASCII character, brackets and punctuation too (for keys, never for stored text).
FULL_WIDTH_TO_ASCII = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


# Characters no register keeps, on the way in (import, forms) or out (ledgers): the control characters
# but tab, line feed and carriage return (which clean_text turns into spaces and line breaks), and the
# bidi embeddings, overrides and isolates, which make a name read backwards on screen and in file names.
_CONTROL_CHARACTERS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
_CONTROL = re.compile(f"[{_CONTROL_CHARACTERS}]")


def strip_control_characters(text: str) -> str:
    """The text without the characters no register keeps (BEL, ESC, NUL, U+202E …)."""
    return _CONTROL.sub("", text)


# Anything clean_text would change: surrounding or doubled whitespace, any whitespace but a single
# space, zero-width characters, control characters, full-width letters and digits.
_NEEDS_CLEANING = re.compile(
    r"^\s|\s$|\s\s|[^\S ]|[\u200b\u200c\u200d\u2060\ufeff\uff10-\uff19\uff21-\uff3a\uff41-\uff5a"
    + _CONTROL_CHARACTERS
    + "]"
)


def clean_text(text: str, *, keep_newlines: bool = False) -> str:
    """Strip and collapse whitespace, drop control characters, turn full-width letters/digits half-width.

    Full-width spaces are whitespace too; the characters dropped are `strip_control_characters`'.
    Chinese punctuation such as （） stays as written. With ``keep_newlines`` (LONG_TEXT) line breaks
    survive and only the spaces inside each line collapse.
    """
    if not _NEEDS_CLEANING.search(text):  # most cells: nothing to change, one regex scan instead of three passes
        return text
    text = strip_control_characters(text).translate(_ZERO_WIDTH).translate(_FULL_WIDTH_ALNUM)
    if not keep_newlines:
        return " ".join(text.split())
    lines = [" ".join(line.split()) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return "\n".join(lines).strip("\n")


_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_RUN = re.compile("[〇零一二三四五六七八九十]+")


def _cn_run_to_digits(run: str) -> str:
    if "十" not in run:
        return "".join(str(_CN_DIGITS[c]) for c in run)
    head, _, tail = run.partition("十")
    if len(head) <= 1 and len(tail) <= 1 and "十" not in tail:
        tens = _CN_DIGITS[head] if head else 1
        return str(tens * 10 + (_CN_DIGITS[tail] if tail else 0))
    return run  # 一百十 and the like: not a number people write in names or dates


def chinese_numerals_to_digits(text: str) -> str:
    """一 → 1, 十二 → 12, 二十一 → 21, 二〇一九 → 2019; other characters untouched."""
    return _CN_RUN.sub(lambda m: _cn_run_to_digits(m.group()), text)


# The placeholders clerks put in a cell that has nothing to say.
_EMPTY_MARKS = frozenset({"无", "暂无", "空", "n/a"})
_DASHES = frozenset("-/—–_\\")
EXCEL_ERRORS = frozenset(
    {"#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NUM!", "#NAME?", "#NULL!", "#SPILL!", "#CALC!", "#GETTING_DATA"}
)


_LONGEST_MARK = max(map(len, _EMPTY_MARKS))


def is_placeholder(text: str) -> bool:
    """True for a cell that is empty in substance: blank, "/", "—", "-", "无", "暂无", "空", "N/A"."""
    if len(text) > _LONGEST_MARK:
        # Most cells: longer than any mark, so only a run of dashes can be one; told by the first character.
        first = text[0].translate(FULL_WIDTH_TO_ASCII)
        if first not in _DASHES and not first.isspace():
            return False
    value = "".join(text.translate(FULL_WIDTH_TO_ASCII).split()).casefold()
    return not value or value in _EMPTY_MARKS or all(c in _DASHES for c in value)


def float_text(number: float) -> tuple[str, str | None]:
    # Excel keeps 15 significant digits; a longer ID or code typed as a number has lost its tail.
    warning = "数字超过15位，Excel 可能已丢失末几位，请核对原件" if abs(number) >= 1e15 else None
    if number.is_integer():
        return str(int(number)), warning
    return format(Decimal(format(number, ".15g")), "f"), warning


def cell_text(raw: object) -> tuple[str, str | None]:
    """The cell as text, as a clerk would read it on screen."""
    if isinstance(raw, str):
        return raw, None
    if isinstance(raw, bool):
        return ("是" if raw else "否"), None
    if isinstance(raw, int):
        return str(raw), None
    if isinstance(raw, float):
        return ("", None) if not math.isfinite(raw) else float_text(raw)
    if isinstance(raw, Decimal):
        return format(raw, "f"), None
    if isinstance(raw, datetime):
        shown = raw.date().isoformat() if raw.time() == time(0) else raw.strftime("%Y-%m-%d %H:%M")
        # Excel turns 1-2 (a 楼号) into a date; say so rather than store it silently.
        return shown, f"单元格为日期格式，已按“{shown}”读取，请核对"
    if isinstance(raw, date):
        return raw.isoformat(), f"单元格为日期格式，已按“{raw.isoformat()}”读取，请核对"
    if isinstance(raw, time):
        return raw.strftime("%H:%M" if raw.second == 0 else "%H:%M:%S"), None
    return str(raw), None
