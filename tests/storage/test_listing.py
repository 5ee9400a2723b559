"""The listing service: a list's ids in order (filtered, sorted, blanks last) and its rows with computed columns."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from putuo_community.domain.committee import TermState
from putuo_community.domain.credit import WarningLevel
from putuo_community.domain.registers import get_register
from putuo_community.services import Services
from putuo_community.services.demo import generate_demo
from putuo_community.services.listing import (
    FORMATION_DUE,
    NO_COMMITTEE,
    Assessment,
    ListFilter,
    ListingService,
    ListSort,
)
from putuo_community.services.listing.ordering import _SQL_SORTS, _Joins, _sorted_ids
from putuo_community.services.queries import filtered_query, street_filter_kind

TODAY = date(2026, 3, 15)


def _street(services: Services, short_name: str) -> int:
    return next(s.id for s in services.records.list("streets") if s.values["short_name"] == short_name)


def _estate(services: Services, name: str, street: str = "曹杨", **values: Any) -> int:
    defaults: dict[str, Any] = {"name": name, "street_id": _street(services, street), "housing_type": "售后公房"}
    return services.records.create("estates", {**defaults, **values})


@pytest.fixture
def listing(services: Services) -> ListingService:
    return ListingService(services.database, services.credit)


@pytest.fixture
def district(services: Services) -> dict[str, int]:
    red = services.records.create("companies", {"name": "上海红旗物业有限公司"})
    green = services.records.create("companies", {"name": "上海绿叶物业有限公司"})
    services.records.create(
        "credit_events",
        {
            "subject": "企业",
            "company_id": red,
            "band": "特别严重",
            "points": 18,
            "act_on": date(2026, 1, 5),
            "scored_on": date(2026, 1, 10),
            "description": "擅自改变共用部位用途",
        },
    )
    ids = {
        "red": red,
        "green": green,
        "曹杨新村": _estate(services, "曹杨新村", company_id=red, households=640, has_assembly=True),
        "兰溪青年公寓": _estate(services, "兰溪青年公寓", company_id=green, households=1200),
        "万里城": _estate(services, "万里城", "万里", households=None, housing_type="商品房"),
    }
    services.records.create("estate_aliases", {"estate_id": ids["万里城"], "alias": "万里新村"})
    services.records.create(
        "committee_terms",
        {"estate_id": ids["兰溪青年公寓"], "term_no": 1, "start_on": date(2021, 6, 1), "end_on": date(2026, 5, 31)},
    )
    return ids


def test_estates_come_in_code_point_order_without_a_collator_and_blanks_sort_last(
    listing: ListingService, district: dict[str, int]
) -> None:
    ids = listing.ordered_ids("estates", today=TODAY)
    assert ids == [district["万里城"], district["兰溪青年公寓"], district["曹杨新村"]]  # 万 U+4E07 < 兰 < 曹
    by_households = listing.ordered_ids("estates", sort=ListSort("households"), today=TODAY)
    assert by_households == [district["曹杨新村"], district["兰溪青年公寓"], district["万里城"]]
    descending = listing.ordered_ids("estates", sort=ListSort("households", descending=True), today=TODAY)
    assert descending == [district["兰溪青年公寓"], district["曹杨新村"], district["万里城"]]  # blank still last


def test_a_text_key_orders_text(listing: ListingService, district: dict[str, int]) -> None:
    reverse_key = {"曹杨新村": 2, "兰溪青年公寓": 1, "万里城": 0}
    ids = listing.ordered_ids("estates", today=TODAY, text_key=lambda text: reverse_key.get(text, 9))
    assert ids == [district["万里城"], district["兰溪青年公寓"], district["曹杨新村"]]


def test_estate_rows_carry_committee_state_warning_level_and_completeness(
    listing: ListingService, district: dict[str, int]
) -> None:
    rows = {r.record.title: r for r in listing.rows("estates", list(district.values())[2:], today=TODAY)}
    assert rows["曹杨新村"].computed["committee_state"] == FORMATION_DUE  # an 业主大会, no term recorded
    assert rows["曹杨新村"].computed["warning_level"] is WarningLevel.RED
    assert rows["兰溪青年公寓"].computed["committee_state"] == TermState.EXPIRING.label
    assert rows["兰溪青年公寓"].computed["warning_level"] is WarningLevel.GREEN
    assert rows["万里城"].computed["committee_state"] == NO_COMMITTEE
    assert rows["万里城"].computed["warning_level"] is None  # no company serves it
    for row in rows.values():
        assert 0 <= row.computed["completeness"] < 100  # no buildings, fund or attachments anywhere


def test_the_estate_filters_narrow_the_list(listing: ListingService, district: dict[str, int]) -> None:
    def names(where: ListFilter) -> set[str]:
        ids = listing.ordered_ids("estates", where=where, today=TODAY)
        return {r.record.title for r in listing.rows("estates", ids, today=TODAY)}

    assert names(ListFilter(warning_level=WarningLevel.RED)) == {"曹杨新村"}
    assert names(ListFilter(committee_state=TermState.EXPIRING.label)) == {"兰溪青年公寓"}
    assert names(ListFilter(housing_type="商品房")) == {"万里城"}
    assert names(ListFilter(completeness_below=1)) == set()
    assert names(ListFilter(completeness_below=100)) == {"曹杨新村", "兰溪青年公寓", "万里城"}


def test_a_search_says_why_each_row_matched(listing: ListingService, district: dict[str, int]) -> None:
    ids = listing.ordered_ids("estates", where=ListFilter(search="万里新村"), today=TODAY)
    assert ids == [district["万里城"]]
    (row,) = listing.rows("estates", ids, today=TODAY, search="万里新村")
    assert row.matched == "别名：万里新村"
    (row,) = listing.rows("estates", [district["曹杨新村"]], today=TODAY, search="红旗")
    assert row.matched == "物业服务企业：上海红旗物业有限公司"


def test_every_word_of_a_search_must_match_and_a_cancelled_preparation_keeps_nothing(
    listing: ListingService, district: dict[str, int]
) -> None:
    listing.prepare_search("estates", today=TODAY, cancelled=lambda: True)  # the program is closing
    assert ("search", "estates") not in listing._district
    assert listing.ordered_ids("estates", where=ListFilter(search="红旗 曹杨"), today=TODAY) == [district["曹杨新村"]]
    assert listing.ordered_ids("estates", where=ListFilter(search="万里新村 万里城"), today=TODAY) == [
        district["万里城"]
    ]
    assert listing.ordered_ids("estates", where=ListFilter(search="红旗 万里"), today=TODAY) == []
    assert listing.ordered_ids("estates", where=ListFilter(search="城万"), today=TODAY) == []  # not across fields


def test_companies_show_level_points_score_and_estates(listing: ListingService, district: dict[str, int]) -> None:
    ids = listing.ordered_ids("companies", sort=ListSort("warning_level", descending=True), today=TODAY)
    assert ids[0] == district["red"]
    red, green = listing.rows("companies", ids, today=TODAY)
    assert red.computed == {"warning_level": WarningLevel.RED, "active_points": 18, "score": 82, "estates_served": 1}
    assert green.computed["warning_level"] is WarningLevel.GREEN
    assert green.computed["score"] == 100


def test_lifts_show_age_assessment_and_monitoring(
    services: Services, listing: ListingService, district: dict[str, int]
) -> None:
    estate = district["万里城"]
    old = services.records.create(
        "lifts", {"estate_id": estate, "registration_code": "A1", "first_use_on": date(2008, 5, 1)}
    )
    assessed = services.records.create(
        "lifts",
        {
            "estate_id": estate,
            "registration_code": "A2",
            "first_use_on": date(2009, 5, 1),
            "assessed_on": date(2024, 6, 1),
            "remote_monitoring": True,
        },
    )
    young = services.records.create(
        "lifts", {"estate_id": estate, "registration_code": "A3", "first_use_on": date(2020, 1, 1)}
    )
    rows = {r.id: r.computed for r in listing.rows("lifts", [old, assessed, young], today=TODAY)}
    assert rows[old]["age_years"] == 17
    assert rows[old]["assessment"] == Assessment(date(2023, 5, 1), done=False, overdue=True)
    assert rows[assessed]["assessment"].done
    assert rows[young]["assessment"] == Assessment(date(2035, 1, 1), done=False, overdue=False)
    assert rows[assessed]["monitoring"] == "已安装"
    assert rows[old]["monitoring"] == "未安装"
    oldest_first = listing.ordered_ids("lifts", sort=ListSort("age_years", descending=True), today=TODAY)
    assert oldest_first == [old, assessed, young]


def test_committee_terms_show_street_state_and_days_left(
    services: Services, listing: ListingService, district: dict[str, int]
) -> None:
    estate = district["曹杨新村"]
    first = services.records.create(
        "committee_terms",
        {"estate_id": estate, "term_no": 1, "start_on": date(2018, 1, 1), "end_on": date(2022, 12, 31)},
    )
    second = services.records.create(
        "committee_terms",
        {"estate_id": estate, "term_no": 2, "start_on": date(2023, 1, 1), "end_on": date(2026, 1, 31)},
    )
    rows = {r.id: r.computed for r in listing.rows("committee_terms", [first, second], today=TODAY)}
    assert rows[first]["term_state"] == TermState.ENDED.label
    assert rows[first]["days_to_end"] is None
    assert rows[second]["term_state"] == TermState.OVERDUE.label
    assert rows[second]["days_to_end"] == -43
    assert rows[second]["street"] == "曹杨新村街道"


def test_the_company_file_dates_each_ledger_entry(listing: ListingService, district: dict[str, int]) -> None:
    file = listing.company_file(district["red"], today=TODAY)
    assert file.level is WarningLevel.RED
    assert [r.record.title for r in file.estates] == ["曹杨新村"]
    (entry,) = file.ledger
    assert entry.active
    assert entry.active_until == date(2027, 1, 10)
    assert entry.correctable_from is None  # 18-point acts cannot be corrected
    assert entry.objection_deadline is None


def test_district_figures_are_forgotten_after_a_write(
    services: Services, listing: ListingService, district: dict[str, int]
) -> None:
    worst_first = ListSort("warning_level", descending=True)  # unfiltered: read for the whole district, and kept
    assert listing.ordered_ids("estates", sort=worst_first, today=TODAY)[0] == district["曹杨新村"]
    estate = services.records.get("estates", district["兰溪青年公寓"])
    services.records.update("estates", estate.id, {"company_id": district["red"]}, expected_version=estate.version)
    ids = listing.ordered_ids("estates", sort=worst_first, today=TODAY)
    assert set(ids[:2]) == {district["曹杨新村"], estate.id}


def _python_order(
    listing: ListingService, register_key: str, where: ListFilter, sort: ListSort, text_key: Any
) -> list[int]:
    """The order as Python sorts it: every row's sort values read, then `_sorted_ids` (the computed columns' way)."""
    register = get_register(register_key)
    query, table = filtered_query(register, street_id=where.street_id, search=where.search)
    joins = _Joins(register, table, query if where.search.strip() else None)
    primary, reverse = listing._sort_expression(register, joins, sort.key)
    secondary = listing._default_expression(register, joins)
    columns = [table.c.id, *([primary] if sort.key else []), *secondary]
    with listing.database.read() as conn:
        rows = list(conn.execute(listing._id_query(joins, query, columns)).all())
    return _sorted_ids(rows, descending=sort.descending != reverse, text_key=text_key)


@pytest.mark.parametrize(
    "register_key", ["estates", "lifts", "committee_terms", "lift_projects", "companies", "buildings"]
)
def test_sql_orders_every_stored_column_as_python_sorts_it(
    services: Services, listing: ListingService, register_key: str
) -> None:
    """Same rows, same order: texts by the text key (here: read backwards, unlike code points), blanks
    last either way, ties by estate and title, searching and by 街镇 alike."""
    generate_demo(services.database, estates=40, seed=7, today=TODAY)
    street = _street(services, "曹杨")
    register = get_register(register_key)
    keys = ["", *(f.key for f in register.columns), *(k for (r, k), v in _SQL_SORTS.items() if r == register_key and v)]
    filters = [
        ListFilter(),
        ListFilter(search="新"),
        ListFilter(street_id=street if street_filter_kind(register) else None),
    ]
    compared = 0
    for key in keys:
        for descending in (False, True):
            for where in filters:
                for text_key in (lambda text: text[::-1], None):
                    sort = ListSort(key, descending)
                    expected = _python_order(listing, register_key, where, sort, text_key)
                    listing.forget()
                    got = listing.ordered_ids(register_key, where=where, sort=sort, today=TODAY, text_key=text_key)
                    assert got == expected, (key, descending, where, text_key)
                    compared += len(got)
    assert compared > 100
