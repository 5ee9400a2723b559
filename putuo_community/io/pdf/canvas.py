"""A canvas that holds every page until the end, so footers can say "第 x 页 共 y 页"."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from reportlab.pdfgen.canvas import Canvas


class Marks:
    """What is known only once every page is laid out: where sections start, how many pages there are."""

    def __init__(self) -> None:
        self.section_pages: dict[str, int] = {}
        self.later: defaultdict[int, list[Callable[[Any], None]]] = defaultdict(list)
        self.pages = 0

    def on_page(self, page: int, action: Callable[[Any], None]) -> None:
        """Run `action(canvas)` on page `page` when the document is complete."""
        self.later[page].append(action)


class DeferredCanvas(Canvas):  # type: ignore[misc]
    """Holds every page until `save`, then decorates each one knowing the total page count."""

    def __init__(self, *args: Any, marks: Marks, decorate: Callable[[Any, int, int], None], **kwargs: Any) -> None:
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
