"""Every committed write tells the listeners what it changed; a refused or rolled-back one tells nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from putuo_community.domain.changes import Changes
from putuo_community.domain.credit import WarningThresholds
from putuo_community.domain.errors import DuplicateRecord, RecordInUse, UserError
from putuo_community.services import Services


@pytest.fixture
def heard(services: Services) -> list[Changes]:
    received: list[Changes] = []
    services.changes.subscribe(received.append)
    return received


def _street(services: Services, short_name: str = "长征") -> int:
    return next(s.id for s in services.records.list("streets") if s.values["short_name"] == short_name)


def test_a_form_save_reports_the_register_the_record_and_its_estate(services: Services, heard: list[Changes]) -> None:
    estate = services.records.create("estates", {"name": "梅川一村", "street_id": _street(services)})
    building = services.records.create("buildings", {"estate_id": estate, "number": "3号"})
    version = services.records.get("buildings", building).version
    services.records.update("buildings", building, {"floors": 6, "households": 48}, expected_version=version)

    created_estate, created_building, updated = heard
    assert created_estate.of("estates") is not None
    assert created_estate.of("estates").created == {estate}  # type: ignore[union-attr]
    assert created_estate.estates == {estate}
    assert created_building.of("buildings").created == {building}  # type: ignore[union-attr]
    assert created_building.estates == {estate}
    change = updated.of("buildings")
    assert change is not None
    assert change.updated == {building}
    assert not change.created
    assert not change.deleted
    assert change.fields == {"floors", "households"}
    assert updated.kind == "修改"
    assert updated.touches("buildings")
    assert not updated.touches("lifts")


def test_a_delete_reports_the_id_and_a_refused_delete_reports_nothing(services: Services, heard: list[Changes]) -> None:
    estate = services.records.create("estates", {"name": "梅川一村", "street_id": _street(services)})
    building = services.records.create("buildings", {"estate_id": estate, "number": "3号"})
    services.records.create(
        "lifts",
        {
            "estate_id": estate,
            "building_id": building,
            "registration_code": "31103107002008",
            "first_use_on": date(2008, 1, 1),
        },
    )
    heard.clear()
    with pytest.raises(RecordInUse) as refused:
        services.records.delete("buildings", building, expected_version=1)
    assert "1 台电梯（31103107002008）" in refused.value.message
    assert heard == []
    assert services.records.get("lifts", services.records.list("lifts")[0].id).values["building_id"] == building

    lift = services.records.list("lifts")[0]
    services.records.delete("lifts", lift.id, expected_version=lift.version)
    (deleted,) = heard
    assert deleted.of("lifts").deleted == {lift.id}  # type: ignore[union-attr]
    assert deleted.estates == {estate}


def test_a_duplicate_is_refused_without_a_report(services: Services, heard: list[Changes]) -> None:
    street = _street(services)
    services.records.create("estates", {"name": "梅川一村", "street_id": street})
    heard.clear()
    with pytest.raises(DuplicateRecord):
        services.records.create("estates", {"name": "梅川一村", "street_id": street})
    assert heard == []


def test_an_import_reports_every_created_estate_once(services: Services, heard: list[Changes], tmp_path: Path) -> None:
    ledger = tmp_path / "长征镇小区台账.csv"
    rows = [f"长征镇,梅川路{n}弄,{300 + n}" for n in range(300)]  # enough rows for the bulk history path
    ledger.write_text("街镇,小区名称,户数\n" + "\n".join(rows) + "\n", encoding="utf-8")
    services.imports.commit(services.imports.plan(services.imports.read("estates", ledger)))
    (imported,) = heard
    created = imported.of("estates")
    assert created is not None
    assert created.created == {r.id for r in services.records.list("estates")}
    assert len(created.created) == 300
    assert imported.estates == created.created
    assert services.batches.list(kind="导入")[0].summary == "新增小区 300 条"  # what the batch did, not just its file


def test_an_undo_reports_what_it_put_back(services: Services, heard: list[Changes]) -> None:
    estate = services.records.create("estates", {"name": "梅川一村", "street_id": _street(services), "households": 640})
    services.records.update("estates", estate, {"households": 660}, expected_version=1)
    batch = services.batches.list()[0]
    heard.clear()
    services.batches.undo(batch.id)
    (undone,) = heard
    assert undone.kind == "撤销"
    assert undone.of("estates").updated == {estate}  # type: ignore[union-attr]
    assert services.records.get("estates", estate).values["households"] == 640

    heard.clear()
    with pytest.raises(UserError):
        services.batches.undo(batch.id)  # already undone: refused, nothing to report
    assert heard == []


def test_settings_changes_are_reported(services: Services, heard: list[Changes]) -> None:
    services.credit.set_thresholds(WarningThresholds(yellow_points=3, orange_points=9, red_points=15))
    (changed,) = heard
    assert changed.settings == {"credit.warning_thresholds"}
    assert changed.registers == {}


def test_a_broken_listener_does_not_keep_the_others_from_hearing(services: Services, heard: list[Changes]) -> None:
    def broken(_changes: Changes) -> None:
        raise RuntimeError("a view that fails")

    services.changes.subscribe(broken)
    also: list[Changes] = []
    services.changes.subscribe(also.append)
    services.records.create("estates", {"name": "梅川一村", "street_id": _street(services)})
    assert len(heard) == 1
    assert len(also) == 1
