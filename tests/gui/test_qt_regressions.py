"""Known Qt-binding bugs we depend on not having.

PySide6 6.12.0 corrupts the reference count of `None` in `QStandardItemModel`
(each `appendRow` drops a reference it never took), which crashes the
interpreter once enough rows were added. pyproject pins PySide6 below 6.12 and the
GUI never uses `QStandardItemModel`; if the pin is lifted this test insists the
installed version is free of the bug.
"""

from __future__ import annotations

import gc
import sys

import PySide6
from PySide6.QtGui import QStandardItem, QStandardItemModel

ALLOWED_DRIFT = 1_000  # other code may hold or drop a few references to None meanwhile


def pyside_version() -> tuple[int, ...]:
    return tuple(int(part) for part in PySide6.__version__.split(".")[:2])


def none_refcount_drift(rows: int) -> int:
    """How far sys.getrefcount(None) moves across `rows` appendRow calls (both overloads)."""
    model = QStandardItemModel()
    gc.collect()
    gc.disable()  # a collection in between would free unrelated objects that hold None
    try:
        before = sys.getrefcount(None)
        for number in range(rows):
            if number % 2:
                model.appendRow(QStandardItem("行"))
            else:
                model.appendRow([QStandardItem("行"), QStandardItem("列")])
        after = sys.getrefcount(None)
    finally:
        gc.enable()
    model.clear()
    return after - before


def test_installed_pyside_is_below_6_12_or_keeps_none_intact(qapp) -> None:
    if pyside_version() < (6, 12):
        return  # below the broken release; the pin in pyproject keeps it there
    assert abs(none_refcount_drift(200_000)) < ALLOWED_DRIFT


def test_appending_rows_leaves_none_alone(qapp) -> None:
    # A smaller probe on every version: a per-call refcount bug shows up as a drift of thousands.
    assert abs(none_refcount_drift(20_000)) < ALLOWED_DRIFT
