"""The 概览 figures equal the summary workbook's cells, district and per 街镇, and each list holds its count."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from putuo_community.io.summary_book import DISTRICT_LABEL, FIRST_DATA_ROW, HEADER_ROWS, SUMMARY_SHEET
from putuo_community.services import Services
from putuo_community.services.dashboard import Dashboard, ScopeFigures
from putuo_community.services.demo import generate_demo
from putuo_community.services.listing import ListFilter
from putuo_community.services.summary import COLUMNS

TODAY = date(2026, 11, 20)


@pytest.fixture
def demo(services: Services) -> Services:
    generate_demo(services.database, estates=120, seed=7, today=TODAY)
    return services


def _workbook_rows(path: Path) -> dict[str, dict[str, Any]]:
    """街镇 (and 全区合计) → column header → the cell's value, read back from the saved workbook."""
    sheet = load_workbook(path)[SUMMARY_SHEET]
    headers = [c.display_header for c in COLUMNS]
    assert [
        sheet.cell(row=HEADER_ROWS[1], column=n).value or sheet.cell(row=HEADER_ROWS[0], column=n).value
        for n in range(2, len(COLUMNS) + 2)
    ] == headers
    rows = {}
    for row in sheet.iter_rows(min_row=FIRST_DATA_ROW, max_col=len(COLUMNS) + 1, values_only=True):
        if row[0] is None:
            break
        rows[str(row[0])] = {c.header: v for c, v in zip(COLUMNS, row[1:], strict=True)}
    return rows


def _same(figure_value: int | Decimal | None, cell: Any) -> bool:
    if figure_value is None:
        return cell is None
    return Decimal(str(cell)) == Decimal(figure_value)


def _check_scope(scope: ScopeFigures, cells: dict[str, Any]) -> int:
    checked = 0
    for figure in scope.figures.values():
        if figure.column:
            assert _same(figure.value, cells[figure.column]), (scope.name, figure.label, figure.value)
            checked += 1
    # Figures worked out from others: from the same cells.
    assert scope.count("unformed") == cells["符合组建条件"] - cells["已组建业委会"]
    assert scope.count("not_assessed") == cells["满15年"] - cells["满15年已评估"]
    assert scope.count("unmonitored") == cells["电梯总数"] - cells["已装远程监测"]
    return checked


def test_every_figure_equals_the_workbook_cell(demo: Services, tmp_path: Path) -> None:
    path = tmp_path / "汇总表.xlsx"
    demo.summary.export(path, today=TODAY)
    cells = _workbook_rows(path)
    dashboard = demo.dashboard.dashboard(today=TODAY)
    assert not dashboard.empty
    assert _check_scope(dashboard.district, cells[DISTRICT_LABEL]) == len(
        [c for c in COLUMNS if c.header in {f.column for f in dashboard.district.figures.values()}]
    )
    assert {s.name for s in dashboard.streets} == set(cells) - {DISTRICT_LABEL}
    for street in dashboard.streets:
        _check_scope(street, cells[street.name])
    # The demo is not all zero: the comparison compared something.
    assert dashboard.district.count("eligible") > 0
    assert dashboard.district.count("lifts") > 0
    assert dashboard.district["formation_rate"].value is not None


def test_each_list_holds_as_many_records_as_its_figure(demo: Services) -> None:
    dashboard = demo.dashboard.dashboard(today=TODAY)
    scopes = [dashboard.district, *dashboard.streets]
    drilled = 0
    for scope in scopes:
        for figure in scope.figures.values():
            if figure.drill is None or figure.kind != "count":
                continue
            shown = demo.listing.ordered_ids(
                figure.drill.register,
                where=ListFilter(ids=figure.drill.ids, ids_label=figure.drill.label),
                today=TODAY,
            )
            assert len(shown) == figure.value, (scope.name, figure.label)
            drilled += bool(shown)
    assert drilled > 10


def test_a_street_scope_counts_only_its_own_records(demo: Services) -> None:
    dashboard = demo.dashboard.dashboard(today=TODAY)
    street = next(s for s in dashboard.streets if s.count("estates"))
    shown = demo.listing.ordered_ids("estates", where=ListFilter(street_id=street.street_id), today=TODAY)
    assert set(shown) == street["estates"].drill.ids  # type: ignore[union-attr]
    assert street["estates"].drill.label.startswith(street.name)  # type: ignore[union-attr]
    assert sum(s.count("estates") for s in dashboard.streets) == dashboard.district.count("estates")


def test_an_empty_archive_is_empty_with_no_rates(services: Services) -> None:
    dashboard: Dashboard = services.dashboard.dashboard(today=TODAY)
    assert dashboard.empty
    assert dashboard.district["formation_rate"].value is None
    assert dashboard.district["repair_area"].value == Decimal("0.00")
    assert len(dashboard.streets) == 10
