"""The district summary counts what the registers hold, street by street, with rates computed as stated."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from putuo_community.services import Services
from putuo_community.services.summary import COLUMNS

TODAY = date(2026, 11, 24)


def _street(services: Services, name: str) -> int:
    return services.records.list("streets", filters={"name": name})[0].id


def _estate(services: Services, street: str, name: str, **values: Any) -> int:
    return services.records.create("estates", {"name": name, "street_id": _street(services, street), **values})


def _column(header: str) -> int:
    return [c.header for c in COLUMNS].index(header)


def _build(services: Services) -> None:
    # 长征镇: three estates due for a committee (one has an 业主大会), one formed; one not yet due.
    formed = _estate(services, "长征镇", "梅川一村", has_assembly=True, first_delivery_on=date(1995, 5, 1))
    _estate(services, "长征镇", "梅川二村", first_delivery_on=date(1996, 5, 1))
    _estate(services, "长征镇", "中环家园", half_delivered_on=date(2020, 1, 1))
    _estate(services, "长征镇", "新盘", first_delivery_on=date(2026, 1, 1))
    services.records.create(
        "committee_terms",
        {
            "estate_id": formed,
            "term_no": 3,
            "start_on": date(2022, 6, 1),
            "end_on": date(2027, 3, 31),  # within six months: 换届 report was due 2026-10-31
        },
    )
    services.records.create(
        "lifts", {"estate_id": formed, "registration_code": "31103107002009", "first_use_on": date(2005, 3, 1)}
    )
    services.records.create(
        "lifts",
        {
            "estate_id": formed,
            "registration_code": "31103107002010",
            "first_use_on": date(2008, 3, 1),
            "assessed_on": date(2024, 5, 1),
            "remote_monitoring": True,
        },
    )
    services.records.create(
        "funds",
        {
            "estate_id": formed,
            "as_of": date(2026, 6, 30),
            "initial_amount": Decimal(1000000),
            "balance": Decimal(250000),
        },
    )
    services.records.create(
        "projects",
        {
            "estate_id": formed,
            "name": "梅川一村综合修缮",
            "kind": "综合修缮",
            "stage": "竣工验收",
            "batch_year": 2023,
            "floor_area": Decimal(52000),
        },
    )
    # 真如镇: one estate, formed, nothing else.
    other = _estate(services, "真如镇街道", "真如新村", has_assembly=True)
    services.records.create(
        "committee_terms",
        {"estate_id": other, "term_no": 1, "start_on": date(2025, 1, 1), "end_on": date(2029, 12, 31)},
    )


def test_each_street_row_counts_its_estates(services: Services) -> None:
    _build(services)
    report = services.summary.report(today=TODAY)
    rows = dict(report.rows)
    assert len(rows) == 10
    changzheng, zhenru = rows["长征镇"], rows["真如镇街道"]
    assert changzheng[_column("小区数")] == 4
    assert changzheng[_column("符合组建条件")] == 3
    assert changzheng[_column("已组建业委会")] == 1
    assert changzheng[_column("组建率")] == Decimal("0.3333")
    assert changzheng[_column("换届逾期")] == 1
    assert changzheng[_column("电梯总数")] == 2
    assert changzheng[_column("满15年")] == 2
    assert changzheng[_column("满15年已评估")] == 1
    assert changzheng[_column("已装远程监测")] == 1
    assert changzheng[_column("综合修缮完成面积")] == Decimal("5.20")
    assert changzheng[_column("维修资金低于30%")] == 1
    assert zhenru[_column("组建率")] == Decimal(1)
    assert rows["万里街道"][_column("组建率")] is None  # no estate there: no rate, not 0 %
    # The district rate is computed from the district's counts, not averaged over streets.
    assert report.total[_column("符合组建条件")] == 4
    assert report.total[_column("组建率")] == Decimal("0.5000")


def test_the_summary_workbook_states_how_each_rate_is_computed(services: Services, tmp_path: Path) -> None:
    _build(services)
    path = tmp_path / "汇总.xlsx"
    services.summary.export(path, today=TODAY)
    book = load_workbook(path)
    assert {"汇总", "说明", "图表"} <= set(book.sheetnames)
    notes = "\n".join(str(c.value) for row in book["说明"].iter_rows() for c in row if c.value)
    assert "已组建业委会 ÷ 符合组建条件" in notes
    assert "≥85%" in notes
    assert "350 万㎡" in notes
    summary = book["汇总"]
    texts = [str(c.value) for row in summary.iter_rows() for c in row if c.value is not None]
    assert "长征镇" in texts
    assert any("全区" in t for t in texts)


def _operating(services: Services, name: str, activities: list[tuple[str, date]]) -> None:
    estate = _estate(services, "万里街道", name, has_assembly=True)
    services.records.create(
        "committee_terms",
        {"estate_id": estate, "term_no": 2, "start_on": date(2023, 1, 1), "end_on": date(2027, 12, 31)},
    )
    for kind, held_on in activities:
        services.records.create(
            "committee_activities",
            {"estate_id": estate, "kind": kind, "held_on": held_on, "subject": f"{kind}{held_on}"},
        )


def _a_good_year(*, first_reception: date, meetings_from: date) -> list[tuple[str, date]]:
    """Meetings every 45 days from `meetings_from`, a reception day in each month, one 业主大会."""
    meetings = [("业委会会议", date.fromordinal(meetings_from.toordinal() + 45 * n)) for n in range(10)]
    months = [(2025, 12), *((2026, m) for m in range(1, 11))]  # November 2026 has not ended on 11-24
    receptions = [("接待日", first_reception), *(("接待日", date(y, m, 12)) for y, m in months)]
    return [*meetings, *receptions, ("业主大会", date(2026, 3, 20))]


def test_operation_is_judged_on_the_whole_review_year_from_the_records_before_it(services: Services) -> None:
    """On 2026-11-24 the review runs from 2025-11-25: November 2025 needs a reception day (one on 11-10
    counts), and the first gap runs from the last meeting before the review, however long ago."""
    _operating(services, "万里一村", _a_good_year(first_reception=date(2025, 11, 10), meetings_from=date(2025, 11, 1)))
    _operating(services, "万里二村", _a_good_year(first_reception=date(2025, 10, 28), meetings_from=date(2025, 11, 1)))
    # The last meeting before the review was in August 2025: more than 2 months before 2025-12-16.
    late_start = [*_a_good_year(first_reception=date(2025, 11, 10), meetings_from=date(2025, 12, 16))]
    _operating(services, "万里三村", [*late_start, ("业委会会议", date(2025, 8, 20))])
    rows = dict(services.summary.report(today=TODAY).rows)
    assert rows["万里街道"][_column("规范运作达标率")] == Decimal("0.3333")  # only 万里一村
