"""The history as a clerk reads it: labels and record titles, personal numbers masked, filtered."""

from __future__ import annotations

from datetime import date, timedelta

from putuo_community.services import Services
from putuo_community.services.change_log import HistoryFilter


def _street(services: Services, short_name: str) -> int:
    return next(s.id for s in services.records.list("streets") if s.values["short_name"] == short_name)


def test_a_changed_reference_reads_as_the_titles_of_the_records(services: Services) -> None:
    estate = services.records.create("estates", {"name": "梅川一村", "street_id": _street(services, "长征")})
    first = services.records.create("companies", {"name": "上海梅川物业有限公司"})
    second = services.records.create("companies", {"name": "上海长征物业有限公司"})
    services.records.update("estates", estate, {"company_id": first}, expected_version=1)
    services.records.update("estates", estate, {"company_id": second}, expected_version=2)

    latest = services.history.changes(HistoryFilter(estate_id=estate))[0]
    assert latest.field_label == "物业服务企业"
    assert latest.text == "上海梅川物业有限公司 → 上海长征物业有限公司"
    assert latest.batch_kind == "修改"
    assert latest.register == "estates"
    assert latest.record_id == estate


def test_personal_numbers_never_reach_the_history_view(services: Services) -> None:
    estate = services.records.create("estates", {"name": "梅川一村", "street_id": _street(services, "长征")})
    term = services.records.create(
        "committee_terms",
        {"estate_id": estate, "term_no": 1, "start_on": date(2024, 1, 1), "end_on": date(2028, 12, 31)},
    )
    member = services.records.create(
        "committee_members", {"term_id": term, "name": "王建国", "role": "主任", "phone": "13812345678"}
    )
    services.records.update("committee_members", member, {"phone": "13987654321"}, expected_version=1)
    changes = services.history.changes(HistoryFilter(estate_id=estate, register="committee_members"))
    texts = " ".join(c.text for c in changes)
    assert "13812345678" not in texts
    assert "13987654321" not in texts
    assert "138****5678 → 139****4321" in texts
    assert "届次：1" in texts  # the member's term by its title, not its id


def test_filters_by_register_user_and_day(services: Services, database: object) -> None:
    estate = services.records.create("estates", {"name": "梅川一村", "street_id": _street(services, "长征")})
    services.records.create("buildings", {"estate_id": estate, "number": "1号"})
    other = Services.build(services.database, user="李四")
    other.records.create("buildings", {"estate_id": estate, "number": "2号"})

    everything = services.history.changes(HistoryFilter(estate_id=estate))
    assert [c.record_title for c in everything] == ["2号", "1号", "梅川一村"]
    assert [c.record_title for c in services.history.changes(HistoryFilter(estate_id=estate, user="李四"))] == ["2号"]
    buildings = services.history.changes(HistoryFilter(estate_id=estate, register="buildings"))
    assert {c.register_label for c in buildings} == {"楼栋"}
    today = date.today()
    assert len(services.history.changes(HistoryFilter(estate_id=estate, since=today, until=today))) == 3
    tomorrow = today + timedelta(days=1)
    assert services.history.changes(HistoryFilter(estate_id=estate, since=tomorrow)) == []
    assert services.history.users(estate_id=estate) == sorted(["测试员", "李四"])
