"""Breaking Chinese text into lines of a given width, following the usual rules of Chinese typesetting.

A line may break between any two Chinese characters, but runs of Latin letters and
digits ("2025-03-01", "12.5", "ABC123") stay whole unless a run alone is wider than
the line. Kinsoku (避头尾): closing punctuation never starts a line and opening
punctuation never ends one. This is done by binding punctuation to its neighbour
before filling lines: a closing mark sticks to what precedes it, an opening mark to
what follows, so when "字。" does not fit, "字" moves down with its "。" (or, within a
small tolerance, the "。" hangs past the right edge).

Pure functions: the caller says how wide a string is.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

# May not start a line (closing punctuation, pauses, ellipsis and dash).
FORBIDDEN_AT_START = frozenset("，。、；：？！）》」』】〉…—’”,.;:?!)%〕］｝％")
# May not end a line (opening brackets and quotes, currency signs).
FORBIDDEN_AT_END = frozenset("（《「『【〈‘“(〔［｛￥¥$")

_WORD = r"0-9A-Za-z\u00C0-\u024F\u0370-\u03FF\u0400-\u04FF"
# One atom: a run of Latin letters/digits, joined by connectors ("2025-03-01", "12.5", "a@b.cn"),
# a run of spaces, or any other single character.
_ATOMS = re.compile(rf"[{_WORD}]+(?:[-./:_,+'@&#][{_WORD}]+)*|[ \t]+|.", re.DOTALL)
_SPACES = " \t"
_EPSILON = 1e-6


def break_lines(text: str, width: float, measure: Callable[[str], float], *, hang: float = 0.0) -> list[str]:
    """Break `text` into lines no wider than `width` (as told by `measure`), honouring explicit newlines.

    `hang` is how far a single closing punctuation mark may stick out past `width`
    instead of pulling the preceding character down to the next line (0: never).
    Spaces at a break are dropped. Every paragraph gives at least one line (an empty
    paragraph gives ""), and a wrapped line is never empty.
    """
    lines: list[str] = []
    for paragraph in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if measure(paragraph) <= width + _EPSILON:
            lines.append(paragraph.rstrip(_SPACES))
        else:
            lines.extend(_Filler(width, measure, hang).fill(paragraph))
    return lines


def clusters(text: str, *, by_character: bool = False) -> list[str]:
    """Split `text` into pieces that may not be broken apart: the units a line break falls between.

    Opening punctuation is bound to what follows it, closing punctuation to what precedes it
    (through any spaces). A piece made only of spaces marks a place where a break drops them.
    """
    atoms = list(text) if by_character else _ATOMS.findall(text)
    pieces: list[str] = []
    opening = ""
    for atom in atoms:
        if opening:
            if atom[0] in _SPACES or atom in FORBIDDEN_AT_END:
                opening += atom
                continue
            pieces.append(opening + atom)
            opening = ""
        elif atom in FORBIDDEN_AT_END:
            opening = atom
        elif atom in FORBIDDEN_AT_START and pieces:
            _bind_to_last(pieces, atom)
        elif atom[0] in _SPACES and pieces and _is_space(pieces[-1]):
            pieces[-1] += atom  # single characters: keep a run of spaces together
        else:
            pieces.append(atom)
    if opening:
        if pieces:
            _bind_to_last(pieces, opening)  # the paragraph ends with an opening mark: keep it on the last line
        else:
            pieces.append(opening)
    return pieces


def _bind_to_last(pieces: list[str], text: str) -> None:
    if len(pieces) >= 2 and _is_space(pieces[-1]):
        spaces = pieces.pop()
        pieces[-1] += spaces
    pieces[-1] += text


def _is_space(piece: str) -> bool:
    return not piece.strip(_SPACES)


class _Filler:
    """Greedy line filling over unbreakable pieces, refining pieces wider than a line."""

    def __init__(self, width: float, measure: Callable[[str], float], hang: float) -> None:
        self.width = width
        self.measure = measure
        self.hang = hang
        self.lines: list[str] = []
        self.current: list[str] = []
        self.used = 0.0
        self.wrapped = False  # a line of this paragraph has been finished

    def fill(self, paragraph: str) -> list[str]:
        for piece in clusters(paragraph):
            self._place(piece, level=0)
        self._finish()
        if not self.lines:
            self.lines.append("")
        return self.lines

    def _place(self, piece: str, level: int) -> None:
        width = self.measure(piece)
        if _is_space(piece):
            if not self.current and self.wrapped:
                return  # no spaces at the start of a wrapped line
            if self.used + width <= self.width + _EPSILON:
                self._add(piece, width)
            else:
                self._finish()  # a break at spaces drops them
            return
        if self.used + width <= self.width + _EPSILON:
            self._add(piece, width)
        elif self.current and self._may_hang(piece, width):
            self._add(piece, width)
            self._finish()
        elif width > self.width + _EPSILON and len(piece) > 1 and level < 2:
            for smaller in self._refine(piece, level):
                self._place(smaller, level + 1)
        else:
            self._finish()
            self._add(piece, width)

    def _refine(self, piece: str, level: int) -> Iterator[str]:
        # Level 0 pieces are words with their punctuation; level 1 keeps punctuation bound to
        # single characters; level 2 (a piece of punctuation wider than the whole line) gives up
        # on kinsoku rather than draw past the edge.
        if level == 0:
            return iter(clusters(piece, by_character=True))
        return iter(piece)

    def _may_hang(self, piece: str, width: float) -> bool:
        if self.hang <= 0 or piece[-1] not in FORBIDDEN_AT_START:
            return False
        if len(piece) >= 2 and piece[-2] in FORBIDDEN_AT_START:
            return False  # only one mark may hang
        mark = self.measure(piece[-1])
        overflow = self.used + width - self.width
        return overflow <= min(mark, self.hang) + _EPSILON

    def _add(self, piece: str, width: float) -> None:
        self.current.append(piece)
        self.used += width

    def _finish(self) -> None:
        if self.current:
            line = "".join(self.current).rstrip(_SPACES)
            if line:
                self.lines.append(line)
                self.wrapped = True
        self.current = []
        self.used = 0.0
