"""The credit workflow in the services: the entry rules refuse through every path (form service, import, CLI),
objections step 提出 → 受理 → 维持 / 撤销, the local policy and the holiday calendar are district settings
whose every change is in the history, and a manager placed on a fourth estate is warned."""

from __future__ import annotations

import io
import json
import shutil
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import Workbook

from putuo_community.cli.main import build_parser, run_command
from putuo_community.domain.credit import CreditStatus, WarningLevel, WarningThresholds
from putuo_community.domain.errors import UserError, ValidationFailed
from putuo_community.services import Services
from putuo_community.services.change_log import HistoryFilter
from putuo_community.services.credit import ObjectionStep
from putuo_community.services.importing import RowStatus
from putuo_community.services.listing import ListingService
from putuo_community.storage.database import open_database, sqlite_url

TODAY = date.today()
COMPANY = "上海长寿物业管理有限公司"


@pytest.fixture
def company(services: Services) -> int:
    return services.records.create("companies", {"name": COMPANY})


def _event(services: Services, company: int, band: str, points: int, scored_on: date, **extra: object) -> int:
    values = {
        "subject": "企业",
        "company_id": company,
        "band": band,
        "points": points,
        "act_on": scored_on - timedelta(days=10),
        "scored_on": scored_on,
        "description": f"{band} {scored_on}",
        **extra,
    }
    return services.records.create("credit_events", values)


def _problems(error: ValidationFailed) -> dict[str, str]:
    return {p.field: p.message for p in error.report.errors}


# -- entry rules, through the record service (forms, the CLI) and the import -----------------------------


def test_an_act_discovered_more_than_a_year_later_is_refused(services: Services, company: int) -> None:
    with pytest.raises(ValidationFailed) as refused:
        _event(
            services, company, "较严重", 6, date(2024, 6, 1), act_on=date(2023, 1, 1), discovered_on=date(2024, 6, 1)
        )
    assert "不予记分" in _problems(refused.value)["discovered_on"]
    assert services.records.count("credit_events") == 0


def test_an_18_point_act_cannot_be_corrected(services: Services, company: int) -> None:
    scored_on = TODAY - timedelta(days=60)
    event = _event(services, company, "特别严重", 18, scored_on)
    with pytest.raises(ValidationFailed, match="特别严重失信行为（18分）不得修正"):
        services.credit.correct(event, scored_on + timedelta(days=5), expected_version=1)
    with pytest.raises(ValidationFailed, match="不得修正"):
        services.records.update("credit_events", event, {"corrected_on": TODAY}, expected_version=1)
    assert services.records.get("credit_events", event).values["corrected_on"] is None


def test_a_correction_waits_three_months_for_a_6_point_act(services: Services, company: int) -> None:
    scored_on = TODAY - timedelta(days=120)
    event = _event(services, company, "较严重", 6, scored_on)
    with pytest.raises(ValidationFailed, match="满3个月后方可修正"):
        services.credit.correct(event, scored_on + timedelta(days=30), expected_version=1)
    services.credit.correct(event, TODAY, expected_version=1)
    standing = services.credit.company_standings(today=TODAY)[0]
    assert standing.active_points == 0


def test_the_import_refuses_the_same_rows(services: Services, company: int, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["记分对象", "物业服务企业", "情形", "分值", "行为发生日期", "发现日期", "记分日期", "行为描述"])
    sheet.append(["企业", COMPANY, "较严重", 6, "2023-01-01", "2024-06-01", "2024-06-01", "发现时已超过一年"])
    sheet.append(["企业", COMPANY, "较严重", 3, "2024-05-01", "2024-05-02", "2024-05-03", "分值与情形不符"])
    path = tmp_path / "信用记分.xlsx"
    book.save(path)
    plan = services.imports.plan(services.imports.read("credit-events", path))
    assert [r.status for r in plan.rows] == [RowStatus.ERROR, RowStatus.ERROR]
    assert "不予记分" in plan.rows[0].problems[0]
    assert "记6分，不是3分" in plan.rows[1].problems[0]


# -- objections -------------------------------------------------------------------------------------------


def test_an_objection_moves_through_its_states_and_an_upheld_one_removes_the_points(
    services: Services, company: int
) -> None:
    accepted_on = TODAY - timedelta(days=3)
    event = _event(services, company, "较严重", 6, TODAY - timedelta(days=20))
    with pytest.raises(UserError, match="不能“受理”"):
        services.credit.advance_objection(event, ObjectionStep.ACCEPT, accepted_on, expected_version=1)
    version = services.credit.advance_objection(event, ObjectionStep.FILE, accepted_on, expected_version=1)
    version = services.credit.advance_objection(event, ObjectionStep.ACCEPT, accepted_on, expected_version=version)
    listing = ListingService(services.database, services.credit)
    entry = listing.company_file(company, today=TODAY).ledger[0]
    assert entry.status is CreditStatus.OBJECTION_PENDING
    assert entry.objection_deadline == services.credit.calendar().add_working_days(accepted_on, 15)
    assert services.credit.company_standings(today=TODAY)[0].active_points == 6  # still counts under review
    services.credit.advance_objection(event, ObjectionStep.REVOKE, TODAY, expected_version=version)
    listing.forget()
    entry = listing.company_file(company, today=TODAY).ledger[0]
    assert entry.status is CreditStatus.REVOKED
    assert services.credit.company_standings(today=TODAY)[0].active_points == 0
    steps = [c.new_value for c in services.history.changes(HistoryFilter(register="credit_events"))]
    assert {"已提出", "已受理", "撤销"} <= set(steps)


def test_a_pending_objection_is_a_reminder_with_its_official_deadline(services: Services, company: int) -> None:
    street = services.records.list("streets", filters={"short_name": "长寿"})[0]
    estate = services.records.create("estates", {"name": "长寿新村", "street_id": street.id, "company_id": company})
    event = _event(services, company, "轻微", 3, TODAY - timedelta(days=5), estate_id=estate)
    version = services.credit.advance_objection(event, ObjectionStep.FILE, TODAY, expected_version=1)
    services.credit.advance_objection(event, ObjectionStep.ACCEPT, TODAY, expected_version=version)
    found = [r for r in services.reminders.list(today=TODAY) if r.rule.code == "CREDIT_OBJECTION"]
    assert [r.due_on for r in found] == [services.credit.calendar().add_working_days(TODAY, 15).on]


# -- the local policy --------------------------------------------------------------------------------------


def test_thresholds_and_score_base_are_local_policy_in_the_history(services: Services, company: int) -> None:
    _event(services, company, "轻微", 3, TODAY - timedelta(days=30))
    before = services.credit.company_standings(today=TODAY)[0]
    assert (before.level, before.score) == (WarningLevel.YELLOW, 97)
    services.credit.set_thresholds(WarningThresholds(orange_points=3, score_base=80))
    after = services.credit.company_standings(today=TODAY)[0]
    assert (after.level, after.score) == (WarningLevel.ORANGE, 77)
    changes = services.history.changes(HistoryFilter())
    assert {(c.field_label, c.text) for c in changes} >= {
        ("橙色预警：有效记分达到（分）", "12 → 3"),
        ("信用分基数（本区排名口径）", "100 → 80"),
    }
    assert all("本区管理口径" in c.record_title for c in changes if c.register_label == "系统设置")
    batch = changes[0].batch_id
    with pytest.raises(UserError, match="设置的修改不能整批撤销"):
        services.batches.undo(batch)


# -- the holiday calendar ----------------------------------------------------------------------------------


def test_an_entered_year_is_counted_on_and_in_the_history(services: Services, tmp_path: Path) -> None:
    assert services.credit.calendar().add_working_days(date(2026, 12, 20), 15).estimated
    source = tmp_path / "2027.json"
    source.write_text(json.dumps({"2027": {"holidays": ["2027-01-01"], "workdays": [], "note": "测试"}}), "utf-8")
    assert services.credit.calendars.import_file(source) == [2027]
    deadline = services.credit.calendar().add_working_days(date(2026, 12, 20), 15)
    assert (deadline.on, deadline.estimated) == (date(2027, 1, 11), False)
    assert any(c.field_label == "2027年" for c in services.history.changes(HistoryFilter()))
    with pytest.raises(UserError, match="调休上班日应为周六或周日"):
        services.credit.calendars.set_year(2028, holidays=[date(2028, 1, 3)], workdays=[date(2028, 1, 4)])


def test_the_cli_enters_a_year_and_tells_the_deadline(services: Services) -> None:
    parser = build_parser()
    out = io.StringIO()
    args = parser.parse_args(["calendar", "--deadline", "2024-09-27"])
    assert run_command(args, lambda: services, out=out) == 0
    assert "2024-10-23" in out.getvalue()


# -- project managers ----------------------------------------------------------------------------------------


def test_a_manager_on_a_fourth_estate_is_warned(services: Services, company: int) -> None:
    street = services.records.list("streets", filters={"short_name": "甘泉"})[0]
    manager = services.records.create("managers", {"company_id": company, "name": "李明"})
    for name in ("甘泉一村", "甘泉二村", "甘泉三村"):
        services.records.create("estates", {"name": name, "street_id": street.id, "manager_id": manager})
    third = services.records.list("estates", filters={"name": "甘泉三村"})[0]
    assert services.credit.manager_placement_warning(manager, estate_id=third.id) is None
    warning = services.credit.manager_placement_warning(manager, estate_id=None)
    assert warning is not None
    assert "已负责 3 个小区" in warning
    assert "不超过3个" in warning


def test_an_import_placing_a_manager_on_a_fourth_estate_warns(services: Services, company: int, tmp_path: Path) -> None:
    manager = services.records.create("managers", {"company_id": company, "name": "李明"})
    street = services.records.list("streets", filters={"short_name": "甘泉"})[0]
    for name in ("甘泉一村", "甘泉二村"):
        services.records.create("estates", {"name": name, "street_id": street.id, "manager_id": manager})
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["小区名称", "街镇", "物业服务企业", "项目经理"])
    sheet.append(["甘泉三村", "甘泉路街道", COMPANY, "李明"])
    sheet.append(["甘泉四村", "甘泉路街道", COMPANY, "李明"])
    path = tmp_path / "小区.xlsx"
    book.save(path)
    plan = services.imports.plan(services.imports.read("estates", path))
    assert [r.status for r in plan.rows] == [RowStatus.NEW, RowStatus.NEW]  # a warning, not a refusal
    assert not any("不超过3个" in w for w in plan.rows[0].warnings)
    assert any("已负责 3 个小区" in w and "沪房规范〔2021〕6号" in w for w in plan.rows[1].warnings)


def test_earlier_objection_states_migrate_to_the_workflow(tmp_path: Path) -> None:
    """A database of schema 0002 with 审核中 / 异议成立 / 异议不成立 opens with 已受理 / 撤销 / 维持."""
    path = tmp_path / "old.sqlite3"
    shutil.copy(Path(__file__).parents[1] / "data" / "db" / "schema-0002.sqlite3", path)
    with sqlite3.connect(path) as conn:
        stamp = "2025-01-01 00:00:00"
        conn.execute(
            "insert into companies (id, version, created_at, updated_at, name) values (90, 1, ?, ?, '旧物业公司')",
            (stamp, stamp),
        )
        for number, (state, filed) in enumerate(
            (("审核中", "2025-03-05"), ("异议成立", "2025-03-06"), ("异议不成立", None))
        ):
            conn.execute(
                "insert into credit_events (version, created_at, updated_at, subject, company_id, band, points, act_on,"
                " scored_on, description, objection, objection_filed_on) values"
                " (1, ?, ?, '企业', 90, '轻微', 3, '2025-02-01', '2025-03-01', ?, ?, ?)",
                (stamp, stamp, f"旧记录{number}", state, filed),
            )
    db = open_database(sqlite_url(path), backup_dir=tmp_path / "backups")
    services = Services.build(db)
    events = services.records.list("credit_events", order_by=("description",))
    assert [(e.values["objection"], e.values["objection_accepted_on"]) for e in events] == [
        ("已受理", date(2025, 3, 5)),
        ("撤销", date(2025, 3, 6)),
        ("维持", None),
    ]
    db.dispose()
