"""Votes kept with their records, on a real SQLite file: saved with history, imported from real-shaped
registers, and judged the same way in the lists, the estate window's tables and the printed dossier."""

from __future__ import annotations

import io
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment
from pypdf import PdfReader

from putuo_community.domain.registers.votes import Verdict
from putuo_community.services import Services
from putuo_community.services.importing import RowStatus
from putuo_community.services.listing import ListSort
from putuo_community.storage.database import open_database, sqlite_url

TODAY = date(2026, 11, 24)


@pytest.fixture
def estate(services: Services) -> dict[str, int]:
    """宜川一村: 300 households; building 5号 with two 单元 of 12 flats, 780 ㎡ each."""
    street = services.records.list("streets", filters={"short_name": "宜川"})[0]
    estate_id = services.records.create("estates", {"name": "宜川一村", "street_id": street.id, "households": 300})
    building = services.records.create("buildings", {"estate_id": estate_id, "number": "5号", "households": 24})
    units = [
        services.records.create(
            "units",
            {"building_id": building, "number": f"{n}单元", "households": 12, "exclusive_area": Decimal("780.00")},
        )
        for n in (1, 2)
    ]
    return {"estate": estate_id, "building": building, "unit1": units[0], "unit2": units[1]}


def _verdict(services: Services, register: str, record_id: int, key: str) -> Verdict:
    (row,) = services.listing.rows(register, [record_id], today=TODAY)
    found = row.computed[key]
    assert isinstance(found, Verdict)
    return found


def _term(services: Services, estate_id: int, **counts: Any) -> int:
    values = {"estate_id": estate_id, "term_no": 3, "start_on": date(2025, 5, 1), "end_on": date(2030, 4, 30)}
    return services.records.create("committee_terms", {**values, **counts})


# -- saving ---------------------------------------------------------------------------------------


def test_an_elections_counts_are_saved_with_the_term_and_written_to_its_history(
    services: Services, estate: dict[str, int]
) -> None:
    term = _term(
        services,
        estate["estate"],
        total_area=Decimal("23400.00"),
        total_owners=300,
        voting_area=Decimal("15600.00"),
        voting_owners=200,
        agree_area=Decimal("7800.00"),
        agree_owners=100,
    )
    verdict = _verdict(services, "committee_terms", term, "election_vote")
    assert verdict.passed is False
    assert verdict.text == "未通过（一般事项表决）：同意面积未过半，差0.01㎡；同意人数未过半，差1人"

    record = services.records.get("committee_terms", term)
    services.records.update(
        "committee_terms", term, {"agree_owners": 101, "agree_area": Decimal("7800.01")}, expected_version=1
    )
    assert _verdict(services, "committee_terms", term, "election_vote").text == "通过（一般事项表决）"
    history = services.history.for_estate(estate["estate"])
    edits = {c.field_label: c.text for c in history if c.action == "修改" and c.record_id == record.id}
    assert edits == {"同意人数": "100 → 101", "同意面积": "7800.00 → 7800.01"}


def test_a_list_sorts_on_the_verdict_and_records_without_a_vote_come_last(
    services: Services, estate: dict[str, int]
) -> None:
    counted = _term(
        services,
        estate["estate"],
        total_area=Decimal("900.00"),
        total_owners=9,
        voting_area=Decimal("600.00"),
        voting_owners=6,
        agree_area=Decimal("400.00"),
        agree_owners=4,
    )
    uncounted = services.records.create(
        "committee_terms",
        {"estate_id": estate["estate"], "term_no": 2, "start_on": date(2020, 5, 1), "end_on": date(2025, 4, 30)},
    )
    for descending in (False, True):
        order = services.listing.ordered_ids("committee_terms", sort=ListSort("election_vote", descending), today=TODAY)
        assert order == [counted, uncounted]


# -- the voting scope ------------------------------------------------------------------------------


def test_the_scope_totals_come_from_the_estate_building_and_unit_registers(
    services: Services, estate: dict[str, int]
) -> None:
    whole = services.votes.scope("committee_terms", {"estate_id": estate["estate"]})
    assert (whole.name, whole.total_area, whole.total_owners) == ("宜川一村全体业主", Decimal("1560.00"), 300)
    unit = services.votes.scope("lift_projects", {"building_id": estate["building"], "unit_id": estate["unit2"]})
    assert (unit.name, unit.total_area, unit.total_owners) == ("5号 2单元的业主", Decimal("780.00"), 12)
    building = services.votes.scope("lift_projects", {"building_id": estate["building"]})
    assert (building.total_area, building.total_owners) == (Decimal("1560.00"), 24)
    assert "未选择单元" in building.notes[0]
    project = services.votes.scope("projects", {"estate_id": estate["estate"], "kind": "成套改造"})
    assert project.total_owners == 300
    assert project.total_area is None


def test_an_estate_with_a_unit_missing_its_area_leaves_the_area_to_the_clerk(
    services: Services, estate: dict[str, int]
) -> None:
    services.records.create("units", {"building_id": estate["building"], "number": "3单元", "households": 10})
    scope = services.votes.scope("committee_activities", {"estate_id": estate["estate"]})
    assert scope.total_area is None
    assert scope.total_owners == 300
    assert "1 个单元未登记专有面积" in scope.notes[0]


# -- importing registers shaped like the street offices' ------------------------------------------


def _lift_register(path: Path) -> Path:
    """A 加装电梯 consent register: title, a 填报 line, a two-row header grouped by 参与表决 / 同意,
    a 序号 column, full-width digits, a 合计 row and signatures below."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["宜川路街道既有多层住宅加装电梯意愿征询情况表"])
    sheet.merge_cells("A1:L1")
    sheet.append(["填报单位：宜川路街道房管办", None, None, None, None, None, None, None, "填报日期：2026年11月"])
    upper = ["序号", "小区名称", "楼号", "单元", "阶段", "单元户数", "单元专有面积（平方米）"]
    sheet.append([*upper, "参与表决", None, "同意", None, "备注"])
    sheet.append([None] * len(upper) + ["人数", "面积（平方米）", "人数", "面积（平方米）", None])
    for column in ("A", "B", "C", "D", "E", "F", "G", "L"):
        sheet.merge_cells(f"{column}3:{column}4")
    sheet.merge_cells("H3:I3")
    sheet.merge_cells("J3:K3")
    sheet["H3"].alignment = Alignment(horizontal="center")
    rows = [
        [1, "宜川一村", "5号楼", "1单元", "意见征询", "１２", "780.00", "９", "585.00", 7, "455.00", None],
        [2, "宜川一村", "5号楼", "2单元", "意见征询", 12, 780, 9, 585, 6, 455, "差一户"],
    ]
    for row in rows:
        sheet.append(row)
    sheet.append(["合计", None, None, None, None, 24, 1560, 18, 1170, 13, 910, None])
    sheet.append(["说明：人数按户计，面积为专有部分面积。"])
    sheet.append(["填表人：王芳", None, None, None, "审核人：陈立"])
    book.save(path)
    return path


def _import(services: Services, kind: str, path: Path) -> list[RowStatus]:
    plan = services.imports.plan(services.imports.read(kind, path))
    statuses = [r.status for r in plan.rows]
    if RowStatus.ERROR not in statuses:
        services.imports.commit(plan)
    return statuses


def test_a_lift_consent_register_imports_its_counts_and_gets_the_same_verdict(
    services: Services, estate: dict[str, int], tmp_path: Path
) -> None:
    path = _lift_register(tmp_path / "宜川路街道加装电梯.xlsx")
    assert _import(services, "lift-projects", path) == [RowStatus.NEW, RowStatus.NEW]
    assert _import(services, "lift-projects", path) == [RowStatus.UNCHANGED, RowStatus.UNCHANGED]
    projects = {p.display("unit_id"): p for p in services.records.list("lift_projects")}
    second = projects["2单元"]
    assert (second.values["voting_owners"], second.values["agree_owners"]) == (9, 6)
    assert second.values["agree_area"] == Decimal("455.00")
    assert _verdict(services, "lift_projects", projects["1单元"].id, "lift_vote").text == "通过（加装电梯意愿征询）"
    failed = _verdict(services, "lift_projects", second.id, "lift_vote")
    assert failed.text == "未通过（加装电梯意愿征询）：同意人数不足3/4，差1人"

    dossier = services.dossiers.estate_dossier(estate["estate"], today=TODAY)
    table = dossier.tables["lift_projects"]
    column = table.headers.index("意愿征询结果")
    assert sorted(row[column] for row in table.rows) == [
        "未通过（加装电梯意愿征询）：同意人数不足3/4，差1人",
        "通过（加装电梯意愿征询）",
    ]


def test_renovation_and_committee_registers_import_their_counts(
    services: Services, estate: dict[str, int], tmp_path: Path
) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["小区名称", "项目名称", "项目类型", "阶段", "户数", "同意户数", "签约户数"])
    sheet.append(["宜川一村", "宜川一村5号成套改造", "不成套改造", "公示", "100户", "８０", None])
    sheet.append(["宜川一村", "宜川一村6号成套改造", "成套改造", "公示", 101, 80, None])
    sheet.append(["宜川一村", "宜川一村7号成套改造", "成套改造", "施工", 100, 96, 95])
    path = tmp_path / "修缮改造项目.xlsx"
    book.save(path)
    assert _import(services, "projects", path) == [RowStatus.NEW] * 3
    projects = {p.title: p.id for p in services.records.list("projects")}
    verdicts = {name: _verdict(services, "projects", i, "full_set_vote").text for name, i in projects.items()}
    assert verdicts == {
        "宜川一村5号成套改造": "通过（成套改造启动）",
        "宜川一村6号成套改造": "未通过（成套改造启动）：同意户数不足80%，差1户",
        "宜川一村7号成套改造": "通过（成套改造启动）；通过（成套改造协议生效）",
    }

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["宜川路街道业委会届次台账"])
    header = ["小区名称", "届次", "任期开始", "任期届满", "专有面积总数（㎡）", "业主总人数"]
    sheet.append([*header, "参与表决面积（㎡）", "参与表决人数", "同意面积（㎡）", "同意人数"])
    sheet.append(["宜川一村", "第3届", "2025.5.1", "2030.4.30", "23,400.00", 300, 15600, "200人", 7800.5, 101])
    path = tmp_path / "业委会届次.xlsx"
    book.save(path)
    assert _import(services, "committees", path) == [RowStatus.NEW]
    (term,) = services.records.list("committee_terms")
    assert term.values["total_owners"] == 300
    assert term.values["voting_owners"] == 200
    assert _verdict(services, "committee_terms", term.id, "election_vote").text == "通过（一般事项表决）"


def test_the_ledgers_carry_the_count_columns_and_read_back_unchanged(
    services: Services, estate: dict[str, int], tmp_path: Path
) -> None:
    _term(
        services,
        estate["estate"],
        total_area=Decimal("23400.00"),
        total_owners=300,
        voting_area=Decimal("15600.00"),
        voting_owners=200,
        agree_area=Decimal("7800.01"),
        agree_owners=101,
    )
    path = tmp_path / "业委会届次台账.xlsx"
    services.ledgers.export("committees", path, today=TODAY)
    sheet = load_workbook(path).active
    assert sheet is not None
    headers = [c.value for c in sheet[2]]
    for header in ("专有面积总数（㎡）", "业主总人数（人）", "参与表决面积（㎡）", "同意人数（人）"):
        assert header in headers
    assert _import(services, "committees", path) == [RowStatus.UNCHANGED]


# -- the printed dossier ---------------------------------------------------------------------------


def test_the_printed_dossier_shows_each_votes_verdict(services: Services, estate: dict[str, int]) -> None:
    _term(
        services,
        estate["estate"],
        total_area=Decimal("1560.00"),
        total_owners=24,
        voting_area=Decimal("1040.00"),
        voting_owners=15,
        agree_area=Decimal("800.00"),
        agree_owners=12,
    )
    services.records.create(
        "lift_projects",
        {
            "estate_id": estate["estate"],
            "building_id": estate["building"],
            "unit_id": estate["unit2"],
            "stage": "意愿征询",
            "households": 12,
            "total_area": Decimal("780.00"),
            "voting_owners": 9,
            "voting_area": Decimal("585.00"),
            "agree_owners": 6,
            "agree_area": Decimal("455.00"),
        },
    )
    reader = PdfReader(io.BytesIO(services.dossiers.pdf_bytes(estate["estate"], today=TODAY)))
    text = "".join("".join((page.extract_text() or "").split()) for page in reader.pages)
    assert "选举表决" in text
    assert "参与人数不足2/3，差1人" in text  # 15 of 24 took part: 16 needed
    assert "意愿征询结果" in text
    assert "同意人数不足3/4，差1人" in text


# -- an archive from before the votes ---------------------------------------------------------------


def test_an_archive_of_schema_0002_is_upgraded_and_takes_votes(tmp_path: Path) -> None:
    path = tmp_path / "schema-0002.sqlite3"
    shutil.copy(Path(__file__).parents[1] / "data" / "db" / "schema-0002.sqlite3", path)
    database = open_database(sqlite_url(path), backup_dir=tmp_path / "backups")
    try:
        services = Services.build(database, user="升级测试")
        (old,) = services.records.list("committee_terms")
        assert old.values["total_owners"] is None  # the new columns, blank for what was there
        assert _verdict_or_none(services, old.id) is None
        services.records.update(
            "committee_terms",
            old.id,
            {
                "total_area": Decimal("900.00"),
                "total_owners": 9,
                "voting_area": Decimal("600.00"),
                "voting_owners": 6,
                "agree_area": Decimal("450.00"),
                "agree_owners": 4,
            },
            expected_version=old.version,
        )
        assert _verdict(services, "committee_terms", old.id, "election_vote").text == "通过（一般事项表决）"
    finally:
        database.dispose()


def _verdict_or_none(services: Services, term_id: int) -> Verdict | None:
    (row,) = services.listing.rows("committee_terms", [term_id], today=TODAY)
    found = row.computed["election_vote"]
    assert found is None or isinstance(found, Verdict)
    return found
