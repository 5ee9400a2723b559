"""The one way a GUI module outside a QObject translates its strings: `_tr = translator("Context")`."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication


def translator(context: str) -> Callable[[str], str]:
    """A `tr` for plain functions and module code, translating in `context` (as `QObject.tr` does for a class)."""

    def tr(text: str) -> str:
        return QCoreApplication.translate(context, text)

    tr.__qualname__ = f"translator({context!r})"
    return tr
