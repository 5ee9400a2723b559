"""The roles enforced by the services: each role is refused where it should be, and nothing is written then.

An archive with an estate in 长征镇 (the clerk's) and one in 真如镇街道 (another 街镇), each with its
company; the services are built as each role, with accounts on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from ledger_builder import simple_sheet
from openpyxl import load_workbook

from putuo_community.domain.accounts import Actor, Role
from putuo_community.domain.credit import WarningThresholds
from putuo_community.domain.errors import PermissionDenied, UserError
from putuo_community.domain.reminder_policy import ReminderPolicy
from putuo_community.services import Services
from putuo_community.services.change_log import HistoryFilter
from putuo_community.services.credit import ObjectionStep
from putuo_community.services.demo import generate_demo
from putuo_community.services.importing import RowStatus
from putuo_community.services.listing import ListFilter
from putuo_community.storage.database import Database

TODAY = date(2026, 11, 24)
ID_NUMBER = "310107196503124417"
PHONE = "13812345678"
COMPANY_PHONE = "13900001111"
OWN = "长征镇"
OTHER = "真如镇街道"


@dataclass(frozen=True)
class Archive:
    own_street: int
    other_street: int
    own_estate: int
    other_estate: int
    own_company: int
    other_company: int
    term: int
    member: int


@pytest.fixture
def admin(database: Database) -> Services:
    return Services.build(database, actor=Actor("admin", Role.ADMIN, accounts_on=True))


@pytest.fixture
def archive(admin: Services) -> Archive:
    streets = {r.values["name"]: r.id for r in admin.records.list("streets")}
    own_company = admin.records.create("companies", {"name": "长征物业有限公司", "contact_phone": COMPANY_PHONE})
    other_company = admin.records.create("companies", {"name": "真如物业有限公司"})
    own_estate = admin.records.create(
        "estates", {"name": "梅川小区", "street_id": streets[OWN], "company_id": own_company}
    )
    other_estate = admin.records.create(
        "estates", {"name": "真华小区", "street_id": streets[OTHER], "company_id": other_company}
    )
    term = admin.records.create(
        "committee_terms",
        {"estate_id": own_estate, "term_no": 1, "start_on": date(2024, 1, 1), "end_on": date(2028, 12, 31)},
    )
    member = admin.records.create(
        "committee_members",
        {"term_id": term, "name": "王建国", "role": "主任", "id_number": ID_NUMBER, "phone": PHONE},
    )
    return Archive(streets[OWN], streets[OTHER], own_estate, other_estate, own_company, other_company, term, member)


def _as(database: Database, role: Role, archive: Archive | None = None) -> Services:
    street = archive.own_street if archive is not None and role is Role.STREET_CLERK else None
    name = OWN if street is not None else ""
    return Services.build(database, actor=Actor(f"{role.name.lower()}", role, street, name, accounts_on=True))


@pytest.fixture
def clerk(database: Database, archive: Archive) -> Services:
    return _as(database, Role.STREET_CLERK, archive)


@pytest.fixture
def supervisor(database: Database, archive: Archive) -> Services:
    return _as(database, Role.SUPERVISOR)


@pytest.fixture
def reader(database: Database, archive: Archive) -> Services:
    return _as(database, Role.READER)


def _history(services: Services) -> int:
    return services.records.count("change_history")


# -- a 街镇经办人 ---------------------------------------------------------------------------------


def test_a_clerk_editing_another_streets_estate_is_refused_naming_that_street(
    clerk: Services, archive: Archive
) -> None:
    before = _history(clerk)
    with pytest.raises(PermissionDenied) as refused:
        clerk.records.update("estates", archive.other_estate, {"households": 500}, expected_version=1)
    assert OTHER in refused.value.message
    assert OWN in refused.value.message
    estate = clerk.records.get("estates", archive.other_estate)
    assert (estate.version, estate.values["households"]) == (1, None)
    with pytest.raises(PermissionDenied, match=OTHER):
        clerk.records.delete("estates", archive.other_estate, expected_version=1)
    with pytest.raises(PermissionDenied, match=OTHER):  # nor anything under it
        clerk.records.create("buildings", {"estate_id": archive.other_estate, "number": "1号"})
    assert clerk.records.count("buildings") == 0
    assert _history(clerk) == before


def test_a_clerk_may_not_move_an_estate_into_another_street_nor_create_one_there(
    clerk: Services, archive: Archive
) -> None:
    with pytest.raises(PermissionDenied, match=OTHER):
        clerk.records.update("estates", archive.own_estate, {"street_id": archive.other_street}, expected_version=1)
    assert clerk.records.get("estates", archive.own_estate).values["street_id"] == archive.own_street
    with pytest.raises(PermissionDenied, match=OTHER):
        clerk.records.create("estates", {"name": "新建小区", "street_id": archive.other_street})
    assert clerk.records.count("estates") == 2


def test_a_clerk_edits_their_own_streets_records_down_to_units_and_members(clerk: Services, archive: Archive) -> None:
    assert clerk.records.update("estates", archive.own_estate, {"households": 812}, expected_version=1) == 2
    building = clerk.records.create("buildings", {"estate_id": archive.own_estate, "number": "1号"})
    unit = clerk.records.create("units", {"building_id": building, "number": "1单元"})
    member = clerk.records.create("committee_members", {"term_id": archive.term, "name": "李梅", "role": "委员"})
    clerk.records.delete("units", unit, expected_version=1)
    clerk.records.update("committee_members", member, {"role": "副主任"}, expected_version=1)
    new_estate = clerk.records.create("estates", {"name": "新建小区", "street_id": archive.own_street})
    assert clerk.records.get("estates", new_estate).values["street_id"] == archive.own_street
    assert clerk.records.get("committee_members", member).values["role"] == "副主任"
    changes = clerk.history.changes(HistoryFilter(estate_id=archive.own_estate))
    assert changes[0].user == "street_clerk"  # the newest: the clerk's, by account name


def test_a_clerk_may_change_the_companies_serving_their_street_and_a_new_one(clerk: Services, archive: Archive) -> None:
    clerk.records.update("companies", archive.own_company, {"address": "梅川路1号"}, expected_version=1)
    with pytest.raises(PermissionDenied, match=OTHER):
        clerk.records.update("companies", archive.other_company, {"address": "真华路1号"}, expected_version=1)
    with pytest.raises(PermissionDenied, match=OTHER):  # nor a manager of that company
        clerk.records.create("managers", {"company_id": archive.other_company, "name": "赵经理"})
    created = clerk.records.create("companies", {"name": "新到物业有限公司"})  # serves no estate yet: allowed
    clerk.records.update("companies", created, {"address": "新村路2号"}, expected_version=1)
    clerk.records.create("managers", {"company_id": created, "name": "钱经理"})
    assert clerk.records.get("companies", archive.other_company).values["address"] is None


def test_a_company_serving_another_street_only_by_a_contract_is_not_the_clerks(
    admin: Services, clerk: Services, archive: Archive
) -> None:
    company = admin.records.create("companies", {"name": "合同物业有限公司"})
    admin.records.create(
        "contracts",
        {
            "estate_id": archive.other_estate,
            "company_id": company,
            "kind": "物业服务",
            "start_on": date(2025, 1, 1),
            "end_on": date(2027, 12, 31),
        },
    )
    with pytest.raises(PermissionDenied, match=OTHER):
        clerk.records.update("companies", company, {"address": "某路3号"}, expected_version=1)


def test_a_clerk_changing_warning_thresholds_is_refused_and_they_stay(clerk: Services) -> None:
    before = clerk.credit.thresholds()
    with pytest.raises(PermissionDenied, match="预警阈值"):
        clerk.credit.set_thresholds(WarningThresholds(red_points=30))
    assert clerk.credit.thresholds() == before == WarningThresholds()
    with pytest.raises(PermissionDenied):
        clerk.reminder_settings.save_policy(ReminderPolicy(horizon_days=60))
    assert clerk.reminder_settings.policy() == ReminderPolicy()
    with pytest.raises(PermissionDenied):
        clerk.credit.calendars.set_year(2031, holidays=[date(2031, 1, 1)], workdays=[])
    assert clerk.credit.calendars.entered() == []


def test_a_clerk_may_not_record_credit(clerk: Services, archive: Archive) -> None:
    with pytest.raises(PermissionDenied, match="信用"):
        clerk.records.create("credit_events", _event_values(archive.own_company))
    assert clerk.records.count("credit_events") == 0


# -- imports and undo ------------------------------------------------------------------------


def _buildings_sheet(tmp_path: Path) -> Path:
    return simple_sheet(
        tmp_path / "楼栋.xlsx", ["街镇", "小区名称", "楼号"], [["长征", "梅川小区", "1号"], ["真如", "真华小区", "1号"]]
    )


def test_a_clerks_import_refuses_the_rows_of_another_street_by_name(
    clerk: Services, archive: Archive, tmp_path: Path
) -> None:
    plan = clerk.imports.plan(clerk.imports.read("buildings", _buildings_sheet(tmp_path)))
    assert (plan.count(RowStatus.NEW), plan.count(RowStatus.ERROR)) == (1, 1)
    assert OTHER in plan.rejected[0].reason
    assert plan.rejected[0].line == 3
    with pytest.raises(UserError, match="1 行不能导入"):
        clerk.imports.commit(plan)
    assert clerk.records.count("buildings") == 0
    result = clerk.imports.commit(plan, skip_rejected=True)
    assert (result.created, len(result.skipped)) == (1, 1)
    assert [r.values["estate_id"] for r in clerk.records.list("buildings")] == [archive.own_estate]


def test_a_plan_made_by_an_administrator_is_refused_whole_to_a_clerk(
    admin: Services, clerk: Services, tmp_path: Path
) -> None:
    plan = admin.imports.plan(admin.imports.read("buildings", _buildings_sheet(tmp_path)))
    assert plan.count(RowStatus.NEW) == 2
    with pytest.raises(PermissionDenied, match=OTHER):
        clerk.imports.commit(plan)
    assert clerk.records.count("buildings") == 0
    assert clerk.batches.list(kind="导入") == []


def test_undo_a_clerk_only_their_own_streets_batch(
    admin: Services, clerk: Services, supervisor: Services, archive: Archive, tmp_path: Path
) -> None:
    district = admin.imports.commit(admin.imports.plan(admin.imports.read("buildings", _buildings_sheet(tmp_path))))
    assert district.batch_id is not None
    with pytest.raises(PermissionDenied, match=OTHER):
        clerk.batches.undo(district.batch_id)
    with pytest.raises(PermissionDenied, match="撤销批次"):
        supervisor.batches.undo(district.batch_id)
    assert clerk.records.count("buildings") == 2
    own = clerk.records.create("buildings", {"estate_id": archive.own_estate, "number": "2号"})
    batch = clerk.batches.list()[0]
    assert clerk.batches.undo(batch.id) == 1
    assert own not in {r.id for r in clerk.records.list("buildings")}


# -- 区级监管 ----------------------------------------------------------------------------------


def _event_values(company: int) -> dict[str, object]:
    scored_on = TODAY - timedelta(days=30)
    return {
        "subject": "企业",
        "company_id": company,
        "band": "较严重",
        "points": 6,
        "act_on": scored_on - timedelta(days=10),
        "scored_on": scored_on,
        "description": "未按规定公示收费项目",
    }


def test_a_supervisor_records_credit_but_may_not_edit_an_estate(
    supervisor: Services, archive: Archive, tmp_path: Path
) -> None:
    event = supervisor.records.create("credit_events", _event_values(archive.other_company))
    version = supervisor.credit.advance_objection(event, ObjectionStep.FILE, TODAY, expected_version=1)
    assert version == 2
    with pytest.raises(PermissionDenied, match="区级监管"):
        supervisor.records.update("estates", archive.own_estate, {"households": 1}, expected_version=1)
    with pytest.raises(PermissionDenied, match="导入台账"):
        supervisor.imports.commit(supervisor.imports.plan(supervisor.imports.read("buildings", _sheet(tmp_path))))
    assert supervisor.records.count("buildings") == 0
    # 区级监管 sees personal numbers in full
    assert supervisor.records.get("committee_members", archive.member).values["id_number"] == ID_NUMBER


def _sheet(folder: Path) -> Path:
    return simple_sheet(folder / "一幢.xlsx", ["街镇", "小区名称", "楼号"], [["长征", "梅川小区", "9号"]])


# -- 只读 ------------------------------------------------------------------------------------


def test_a_reader_exporting_with_personal_numbers_is_refused_and_no_file_is_written(
    reader: Services, archive: Archive, tmp_path: Path
) -> None:
    path = tmp_path / "成员.xlsx"
    with pytest.raises(PermissionDenied, match="导出或打印完整的身份证号"):
        reader.ledgers.export("committee-members", path, today=TODAY, include_personal=True)
    assert not path.exists()
    reader.ledgers.export("committee-members", path, today=TODAY)  # masked: allowed
    cells = {str(c.value) for row in load_workbook(path).active.iter_rows() for c in row}  # type: ignore[union-attr]
    assert ID_NUMBER not in cells
    assert "310107********4417" in cells


def test_a_reader_sees_personal_numbers_masked_in_records_lists_and_the_dossier(
    reader: Services, clerk: Services, archive: Archive
) -> None:
    member = reader.records.get("committee_members", archive.member)
    assert (member.values["id_number"], member.values["phone"]) == ("310107********4417", "138****5678")
    assert [m.values["phone"] for m in reader.records.list("committee_members")] == ["138****5678"]
    (row,) = reader.listing.rows("committee_members", [archive.member], today=TODAY)
    assert row.record.values["id_number"] == "310107********4417"
    dossier = reader.dossiers.estate_dossier(archive.own_estate, today=TODAY)
    assert [m.values["phone"] for m in dossier.records["committee_members"]] == ["138****5678"]
    company = reader.listing.company_file(archive.own_company, today=TODAY).company
    assert company.values["contact_phone"] == "139****1111"
    # a clerk (who may see them) reads them in full
    assert clerk.records.get("committee_members", archive.member).values["phone"] == PHONE
    assert (
        clerk.dossiers.estate_dossier(archive.own_estate, today=TODAY)
        .records["committee_members"][0]
        .values["id_number"]
        == ID_NUMBER
    )


def test_a_reader_writes_nothing(reader: Services, archive: Archive, tmp_path: Path) -> None:
    before = _history(reader)
    with pytest.raises(PermissionDenied, match="只读"):
        reader.records.create("buildings", {"estate_id": archive.own_estate, "number": "1号"})
    with pytest.raises(PermissionDenied):
        reader.records.update("companies", archive.own_company, {"address": "x"}, expected_version=1)
    with pytest.raises(PermissionDenied):
        reader.credit.set_thresholds(WarningThresholds(red_points=30))
    with pytest.raises(PermissionDenied, match="备份数据库"):
        reader.backups.backup(out=tmp_path / "copy.sqlite3")
    assert not (tmp_path / "copy.sqlite3").exists()
    with pytest.raises(PermissionDenied, match="恢复"):
        reader.backups.restore(tmp_path / "copy.sqlite3")
    with pytest.raises(PermissionDenied, match="演示数据"):
        generate_demo(reader.database, estates=1, today=TODAY, actor=reader.actor)
    assert _history(reader) == before
    assert reader.records.count("estates") == 2


@pytest.mark.sqlite_file
def test_attachments_follow_the_estates_street(clerk: Services, archive: Archive, tmp_path: Path) -> None:
    scan = tmp_path / "备案证明.pdf"
    scan.write_bytes(b"%PDF-1.4 a filing certificate\n" * 40)
    with pytest.raises(PermissionDenied, match=OTHER):
        clerk.attachments.add(archive.other_estate, scan, kind="备案证明")
    attachment = clerk.attachments.add(archive.own_estate, scan, kind="备案证明")
    assert clerk.attachments.remove(attachment, expected_version=1) == 2
    assert len(clerk.attachments.of_estate(archive.other_estate).current) == 0


# -- 管理员 ----------------------------------------------------------------------------------


def test_an_administrator_may_do_everything(admin: Services, archive: Archive, tmp_path: Path) -> None:
    admin.records.update("estates", archive.other_estate, {"households": 300}, expected_version=1)
    admin.credit.set_thresholds(WarningThresholds(red_points=30))
    assert admin.credit.thresholds().red_points == 30
    assert admin.reminder_settings.save_policy(ReminderPolicy(horizon_days=60))
    admin.records.create("credit_events", _event_values(archive.other_company))
    path = tmp_path / "成员.xlsx"
    admin.ledgers.export("committee-members", path, today=TODAY, include_personal=True)
    cells = {str(c.value) for row in load_workbook(path).active.iter_rows() for c in row}  # type: ignore[union-attr]
    assert ID_NUMBER in cells
    assert admin.records.get("committee_members", archive.member).values["id_number"] == ID_NUMBER


# -- what each role sees ------------------------------------------------------------------------


def test_a_street_clerk_sees_only_their_own_streets_estates_reminders_and_ledgers(
    database: Database, archive: Archive, tmp_path: Path
) -> None:
    clerk = _as(database, Role.STREET_CLERK, archive)
    for asked in (None, archive.other_street):  # the whole district, or another 街镇 by name: their own
        assert clerk.listing.ordered_ids("estates", where=ListFilter(street_id=asked), today=TODAY) == [
            archive.own_estate
        ]
    assert clerk.listing.ordered_ids("estates", where=ListFilter(search="真华"), today=TODAY) == []
    assert clerk.listing.ordered_ids("committee_members", today=TODAY) == [archive.member]
    # The companies serving their 街镇, and one serving no estate yet (just entered): not another 街镇's.
    admin_services = _as(database, Role.ADMIN)
    new_company = admin_services.records.create("companies", {"name": "新成立物业有限公司"})
    assert set(clerk.listing.ordered_ids("companies", today=TODAY)) == {archive.own_company, new_company}
    assert len(admin_services.listing.ordered_ids("companies", today=TODAY)) == 3
    admin = _as(database, Role.ADMIN)
    for number, services in enumerate((admin, clerk), start=1):
        services.records.create(
            "lifts",
            {
                "estate_id": archive.own_estate,
                "registration_code": f"3110310107200000000{number}",
                "first_use_on": date(2000, 1, 1),
            },
        )
    admin.records.create(
        "lifts",
        {
            "estate_id": archive.other_estate,
            "registration_code": "31103101072000000003",
            "first_use_on": date(2000, 1, 1),
        },
    )
    assert {r.estate_name for r in admin.reminders.list(today=TODAY)} >= {"梅川小区", "真华小区"}
    assert {r.estate_name for r in clerk.reminders.list(today=TODAY)} == {"梅川小区"}
    result = clerk.ledgers.export("estates", tmp_path / "小区.xlsx", today=TODAY)
    assert result.rows == 1
    assert result.scope == OWN


def test_a_reader_cannot_find_a_record_by_a_number_they_see_masked(database: Database, archive: Archive) -> None:
    reader = _as(database, Role.READER)
    admin = _as(database, Role.ADMIN)
    for needle in (PHONE, ID_NUMBER[-6:]):
        where = ListFilter(search=needle)
        assert admin.listing.ordered_ids("committee_members", where=where, today=TODAY) == [archive.member]
        assert reader.listing.ordered_ids("committee_members", where=where, today=TODAY) == []
    assert reader.listing.ordered_ids("committee_members", where=ListFilter(search="王建国"), today=TODAY) == [
        archive.member
    ]


def test_a_street_clerk_reads_and_prints_only_their_own_streets_dossiers(database: Database, archive: Archive) -> None:
    clerk = _as(database, Role.STREET_CLERK, archive)
    assert clerk.dossiers.document(archive.own_estate, today=TODAY).title
    with pytest.raises(PermissionDenied, match="只能查看长征镇的小区档案，“真华小区”属于真如镇街道"):
        clerk.dossiers.document(archive.other_estate, today=TODAY)
    with pytest.raises(PermissionDenied):
        clerk.dossiers.estate_dossier(archive.other_estate, today=TODAY)
    assert clerk.dossiers.find_estates("真华小区") == []
    assert [c.id for c in clerk.dossiers.find_estates("梅川小区")] == [archive.own_estate]
    supervisor = _as(database, Role.SUPERVISOR)
    assert supervisor.dossiers.estate_dossier(archive.other_estate, today=TODAY).estate.id == archive.other_estate
