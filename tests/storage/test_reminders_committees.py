"""业委会 reminders from real records (issue 10): the 备案 and 换届审计 that outlive the old term, the
first committee's 备案, the committee's size, early re-election, the 筹备组 counted from the
developer's report, and the annual audit by 30 June — each on the day before, of and after."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import event

from putuo_community.domain import rules
from putuo_community.domain.reminder_policy import ReminderPolicy
from putuo_community.services import Services
from putuo_community.services.reminders import Reminder
from putuo_community.storage.database import Database

DAY = timedelta(days=1)


@pytest.fixture
def street_id(services: Services) -> int:
    return services.records.list("streets", filters={"short_name": "长征"})[0].id


@pytest.fixture
def estate_id(services: Services, street_id: int) -> int:
    """An estate without an 业主大会 flag: the committee's own records decide what is owed."""
    return services.records.create("estates", {"name": "梅川一街坊", "street_id": street_id})


def _by_rule(found: list[Reminder], rule: rules.Rule) -> list[Reminder]:
    return [r for r in found if r.rule == rule]


def _term(services: Services, estate_id: int, term_no: int, **values: Any) -> int:
    return services.records.create("committee_terms", {"estate_id": estate_id, "term_no": term_no, **values})


def _update_term(services: Services, term_id: int, **changes: Any) -> None:
    version = services.records.get("committee_terms", term_id).version
    services.records.update("committee_terms", term_id, changes, expected_version=version)


# --- 备案 and 换届审计 after the next term is entered ------------------------------------------

ELECTED = date(2025, 7, 10)


def _old_term(services: Services, estate_id: int, **values: Any) -> int:
    return _term(
        services,
        estate_id,
        3,
        kind="换届",
        start_on=date(2020, 8, 1),
        end_on=date(2025, 7, 31),
        renewal_report_on=date(2025, 2, 20),
        renewal_group_on=date(2025, 3, 30),
        seals_handover_on=date(2025, 4, 5),
        renewal_election_on=ELECTED,
        **{"filed_on": date(2020, 8, 10), **values},
    )


def _new_term(services: Services, estate_id: int, **values: Any) -> int:
    return _term(
        services,
        estate_id,
        4,
        **{"kind": "换届", "elected_on": ELECTED, "start_on": date(2025, 8, 1), "end_on": date(2030, 7, 31), **values},
    )


def _follow_up(services: Services, today: date) -> list[tuple[str, date, bool]]:
    found = services.reminders.list(today=today)
    return sorted(
        (r.rule.code, r.due_on, r.overdue) for r in found if r.rule in (rules.RENEWAL_FILING, rules.RENEWAL_AUDIT)
    )


@pytest.mark.parametrize("today", [date(2025, 8, 20), date(2025, 9, 30)])
def test_filing_and_audit_are_still_reminded_once_the_new_term_is_entered(
    services: Services, estate_id: int, today: date
) -> None:
    _old_term(services, estate_id)
    before = _follow_up(services, today)
    _new_term(services, estate_id)
    after = _follow_up(services, today)
    expected = [("RENEWAL_AUDIT", date(2025, 8, 10), True), ("RENEWAL_FILING", date(2025, 8, 9), True)]
    assert before == expected
    assert after == expected  # the same deadlines, not lost with the new term
    found = services.reminders.list(today=today)
    filing = _by_rule(found, rules.RENEWAL_FILING)[0]
    assert filing.category == "换届"
    assert filing.subject == "第4届业委会（2025-07-10换届选举）"
    assert filing.message == "办理换届备案（选举后30日内，自2025-07-10起算）"
    assert filing.estate_name == "梅川一街坊"
    assert _by_rule(found, rules.RENEWAL_AUDIT)[0].message == "完成换届审计（选举后1个月内，自2025-07-10起算）"


@pytest.mark.parametrize(
    ("today", "overdue"), [(date(2025, 8, 8), False), (date(2025, 8, 9), False), (date(2025, 8, 10), True)]
)
def test_the_filing_falls_overdue_the_day_after_its_thirtieth_day(
    services: Services, estate_id: int, today: date, overdue: bool
) -> None:
    _old_term(services, estate_id, renewal_audit_on=date(2025, 8, 1))
    _new_term(services, estate_id)
    assert _follow_up(services, today) == [("RENEWAL_FILING", date(2025, 8, 9), overdue)]


def test_the_filing_is_done_on_either_term_and_the_audit_on_the_old_one(services: Services, estate_id: int) -> None:
    old = _old_term(services, estate_id)
    new = _new_term(services, estate_id)
    today = date(2025, 9, 30)
    _update_term(services, new, filed_on=date(2025, 8, 5))
    assert _follow_up(services, today) == [("RENEWAL_AUDIT", date(2025, 8, 10), True)]
    _update_term(services, new, filed_on=None)
    _update_term(services, old, renewal_filed_on=date(2025, 8, 5))
    assert _follow_up(services, today) == [("RENEWAL_AUDIT", date(2025, 8, 10), True)]
    _update_term(services, old, renewal_audit_on=date(2025, 8, 10))
    assert _follow_up(services, today) == []


def test_the_new_term_s_own_election_date_counts_when_the_old_term_has_none(services: Services, estate_id: int) -> None:
    _term(services, estate_id, 3, start_on=date(2020, 8, 1), end_on=date(2025, 7, 31), filed_on=date(2020, 8, 10))
    _new_term(services, estate_id, elected_on=date(2025, 7, 12))
    assert _follow_up(services, date(2025, 8, 20)) == [
        ("RENEWAL_AUDIT", date(2025, 8, 12), True),
        ("RENEWAL_FILING", date(2025, 8, 11), True),
    ]


@pytest.mark.parametrize(
    ("today", "overdue"), [(date(2026, 3, 30), False), (date(2026, 3, 31), False), (date(2026, 4, 1), True)]
)
def test_a_first_committee_without_a_filing_date_is_reminded(
    services: Services, estate_id: int, today: date, overdue: bool
) -> None:
    term = _term(
        services,
        estate_id,
        1,
        kind="首届",
        elected_on=date(2026, 3, 1),
        start_on=date(2026, 3, 2),
        end_on=date(2031, 3, 1),
    )
    found = _by_rule(services.reminders.list(today=today), rules.RENEWAL_FILING)
    assert [(r.category, r.subject, r.message, r.due_on, r.overdue) for r in found] == [
        (
            "业委会",
            "第1届业委会（2026-03-01首届选举）",
            "办理首届业委会备案（选举后30日内，自2026-03-01起算）",
            date(2026, 3, 31),
            overdue,
        )
    ]
    assert not _by_rule(services.reminders.list(today=today), rules.RENEWAL_AUDIT)  # nothing to audit
    _update_term(services, term, filed_on=date(2026, 3, 20))
    assert not _by_rule(services.reminders.list(today=today), rules.RENEWAL_FILING)


# --- committee size ---------------------------------------------------------------------------


def _estate(services: Services, street_id: int, name: str, floor_area: str | None) -> int:
    values: dict[str, Any] = {"name": name, "street_id": street_id}
    if floor_area is not None:
        values["floor_area"] = Decimal(floor_area)
    return services.records.create("estates", values)


def _size_reminders(services: Services, today: date) -> dict[str, Reminder]:
    return {r.estate_name: r for r in _by_rule(services.reminders.list(today=today), rules.COMMITTEE_SIZE)}


def test_unlawful_committee_sizes_are_flagged_from_the_term_start(services: Services, street_id: int) -> None:
    cases = {"六人小区": ("8000", 6), "大三人小区": ("50000", 3), "小三人小区": ("10000", 3), "五人小区": ("50000", 5)}
    for name, (area, seats) in cases.items():
        eid = _estate(services, street_id, name, area)
        _term(
            services,
            eid,
            1,
            start_on=date(2024, 5, 1),
            end_on=date(2029, 4, 30),
            seats=seats,
            filed_on=date(2024, 5, 9),
        )
    found = _size_reminders(services, date(2026, 11, 23))
    assert sorted(found) == ["六人小区", "大三人小区"]
    assert found["六人小区"].message == "业委会人数应为单数，现为6人（按委员人数计）"
    assert found["六人小区"].category == "业委会"
    assert found["六人小区"].subject == "第1届业委会（2024-05-01至2029-04-30）"
    assert found["大三人小区"].message == "3人业委会仅限建筑面积1万㎡以下的小区，本小区为50000.00㎡（按委员人数计）"
    assert all(r.due_on == date(2024, 5, 1) and r.overdue for r in found.values())


def test_without_seats_the_current_members_are_counted_alternates_and_leavers_not(
    services: Services, street_id: int
) -> None:
    eid = _estate(services, street_id, "无人数小区", "30000")
    term = _term(services, eid, 1, start_on=date(2024, 5, 1), end_on=date(2029, 4, 30), filed_on=date(2024, 5, 9))
    for n, role in enumerate(("主任", "副主任", "委员", "委员", "委员", "候补委员")):
        services.records.create("committee_members", {"term_id": term, "name": f"委员{n}", "role": role})
    today = date(2026, 11, 23)
    assert _size_reminders(services, today) == {}  # five members and an alternate: lawful
    services.records.create(
        "committee_members", {"term_id": term, "name": "离任委员", "role": "委员", "left_on": date(2025, 1, 1)}
    )
    assert _size_reminders(services, today) == {}  # one who left does not count
    services.records.create("committee_members", {"term_id": term, "name": "新委员", "role": "委员"})
    assert _size_reminders(services, today)["无人数小区"].message == (
        "业委会人数应为单数，现为6人（按在任委员（不含候补委员）计）"
    )


def test_an_ended_or_dissolved_term_is_not_judged_for_its_size(services: Services, street_id: int) -> None:
    eid = _estate(services, street_id, "六人小区", "8000")
    _term(services, eid, 1, start_on=date(2021, 5, 1), end_on=date(2026, 4, 30), seats=6, filed_on=date(2021, 5, 9))
    assert _size_reminders(services, date(2026, 4, 30))  # the last day of the term
    assert not _size_reminders(services, date(2026, 5, 1))
    other = _estate(services, street_id, "解散小区", "8000")
    _term(
        services,
        other,
        1,
        start_on=date(2024, 5, 1),
        end_on=date(2029, 4, 30),
        seats=6,
        filed_on=date(2024, 5, 9),
        dissolved_on=date(2025, 1, 1),
    )
    assert "解散小区" not in _size_reminders(services, date(2026, 1, 1))


# --- early re-election ----------------------------------------------------------------------


def _five_member_term(services: Services, estate_id: int, left: list[date | None]) -> int:
    term = _term(
        services, estate_id, 2, start_on=date(2024, 5, 1), end_on=date(2029, 4, 30), seats=5, filed_on=date(2024, 5, 9)
    )
    for n, left_on in enumerate(left):
        services.records.create(
            "committee_members", {"term_id": term, "name": f"委员{n}", "role": "委员", "left_on": left_on}
        )
    services.records.create(  # an alternate leaving changes nothing
        "committee_members", {"term_id": term, "name": "候补", "role": "候补委员", "left_on": date(2025, 1, 1)}
    )
    return term


def _early(services: Services, today: date) -> list[tuple[date | None, bool, str]]:
    return [
        (r.due_on, r.overdue, r.message) for r in _by_rule(services.reminders.list(today=today), rules.EARLY_REELECTION)
    ]


@pytest.mark.parametrize(
    ("today", "overdue"), [(date(2026, 5, 19), False), (date(2026, 5, 20), False), (date(2026, 5, 21), True)]
)
def test_fewer_than_half_the_members_from_the_third_of_five_leaving(
    services: Services, estate_id: int, today: date, overdue: bool
) -> None:
    _five_member_term(services, estate_id, [date(2026, 1, 10), date(2026, 3, 1), date(2026, 5, 20), None, None])
    assert _early(services, today) == [
        (date(2026, 5, 20), overdue, "自2026-05-20起在任委员不足原有5人的半数，应启动提前换届改选")
    ]


def test_half_the_members_remaining_is_not_early_re_election(services: Services, estate_id: int) -> None:
    _five_member_term(services, estate_id, [date(2026, 1, 10), date(2026, 3, 1), None, None, None])
    assert _early(services, date(2026, 11, 23)) == []


@pytest.mark.parametrize(
    ("today", "shown", "overdue"),
    [
        (date(2026, 6, 4), False, False),  # 91 days ahead: beyond the horizon
        (date(2026, 9, 2), True, False),
        (date(2026, 9, 3), True, False),  # the last of the six months
        (date(2026, 9, 4), True, True),
    ],
)
def test_six_months_without_activity(
    services: Services, estate_id: int, today: date, shown: bool, overdue: bool
) -> None:
    _five_member_term(services, estate_id, [None] * 5)
    for held_on in (date(2026, 1, 3), date(2026, 3, 3)):
        services.records.create(
            "committee_activities",
            {"estate_id": estate_id, "kind": "业委会会议", "held_on": held_on, "subject": "例会"},
        )
    expected = (
        date(2026, 9, 3),
        overdue,
        "自最近运作记录（2026-03-03）起连续6个月无运作记录的，2026-09-03后应启动提前换届改选",
    )
    assert _early(services, today) == ([expected] if shown else [])


def test_an_activity_ends_the_idle_reminder_and_no_activities_at_all_give_none(
    services: Services, estate_id: int
) -> None:
    _five_member_term(services, estate_id, [None] * 5)
    today = date(2026, 11, 23)
    assert _early(services, today) == []  # nothing recorded: not judged idle
    services.records.create(
        "committee_activities",
        {"estate_id": estate_id, "kind": "接待日", "held_on": date(2025, 3, 1), "subject": "接待"},
    )
    assert [due for due, _, _ in _early(services, today)] == [date(2025, 9, 1)]
    services.records.create(
        "committee_activities",
        {"estate_id": estate_id, "kind": "接待日", "held_on": date(2026, 10, 1), "subject": "接待"},
    )
    assert _early(services, today) == []


# --- 筹备组 counted from the developer's report -------------------------------------------


def _new_estate(services: Services, street_id: int, **values: Any) -> int:
    return services.records.create(
        "estates", {"name": "桃浦智创城一期", "street_id": street_id, "first_delivery_on": date(2024, 6, 1), **values}
    )


def _formation(services: Services, today: date) -> list[tuple[str, str, date | None, bool]]:
    found = services.reminders.list(today=today)
    return [(r.rule.code, r.message, r.due_on, r.overdue) for r in found if r.category == "业委会组建"]


@pytest.mark.parametrize(
    ("today", "overdue"), [(date(2026, 6, 30), False), (date(2026, 7, 1), False), (date(2026, 7, 2), True)]
)
def test_the_developer_reports_within_thirty_days_then_the_street_has_sixty(
    services: Services, street_id: int, today: date, overdue: bool
) -> None:
    _new_estate(services, street_id)  # conditions met 2026-06-01 (first delivery + 2 years)
    assert _formation(services, today) == [
        (
            "FORMATION_REPORT",
            "自具备成立业主大会条件之日（2026-06-01）起30日内，建设单位应向街镇书面报告并报送筹备资料",
            date(2026, 7, 1),
            overdue,
        ),
        (
            "PREP_GROUP",
            "街镇应在60日内组建筹备组（未登记建设单位报告日期，自报告期限（2026-07-01）起算）",
            date(2026, 8, 30),
            False,
        ),
    ]


@pytest.mark.parametrize(
    ("today", "overdue"), [(date(2026, 8, 8), False), (date(2026, 8, 9), False), (date(2026, 8, 10), True)]
)
def test_a_recorded_report_ends_its_reminder_and_starts_the_sixty_days(
    services: Services, street_id: int, today: date, overdue: bool
) -> None:
    _new_estate(services, street_id, formation_report_on=date(2026, 6, 10))
    assert _formation(services, today) == [
        (
            "PREP_GROUP",
            "街镇应在60日内组建筹备组（自建设单位书面报告之日（2026-06-10）起算）",
            date(2026, 8, 9),
            overdue,
        )
    ]


def test_a_formed_prep_group_leaves_the_first_assembly(services: Services, street_id: int) -> None:
    _new_estate(services, street_id, prep_group_on=date(2026, 8, 1))
    assert [(code, due) for code, _, due, _ in _formation(services, date(2026, 9, 1))] == [
        ("FIRST_ASSEMBLY", date(2026, 10, 30))
    ]


# --- annual audit by 30 June --------------------------------------------------------------------


def _assembly_estate(services: Services, street_id: int) -> int:
    return services.records.create("estates", {"name": "审计小区", "street_id": street_id, "has_assembly": True})


def _audits(
    services: Services, today: date, policy: ReminderPolicy | None = None
) -> list[tuple[str, date | None, bool]]:
    found = services.reminders.list(today=today, policy=policy)
    return [(r.subject, r.due_on, r.overdue) for r in found if r.category == "年度审计"]


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 5, 30), []),  # 31 days ahead: not yet
        (date(2026, 5, 31), [("2025年度审计", date(2026, 6, 30), False)]),
        (date(2026, 6, 30), [("2025年度审计", date(2026, 6, 30), False)]),
        (date(2026, 7, 1), [("2025年度审计", date(2026, 6, 30), True)]),
    ],
)
def test_the_annual_audit_is_reminded_thirty_days_before_30_june(
    services: Services, street_id: int, today: date, expected: list[tuple[str, date, bool]]
) -> None:
    _assembly_estate(services, street_id)
    assert _audits(services, today) == expected


def test_the_audit_message_rule_and_the_district_s_lead_time(services: Services, street_id: int) -> None:
    _assembly_estate(services, street_id)
    found = [r for r in services.reminders.list(today=date(2026, 7, 1)) if r.category == "年度审计"]
    assert [(r.message, r.rule) for r in found] == [
        ("业主大会账户资金及管理责任2025年度审计报告应于2026-06-30前出具", rules.ANNUAL_AUDIT)
    ]
    assert _audits(services, date(2026, 5, 1), ReminderPolicy(periodic_ahead_days=60)) == [
        ("2025年度审计", date(2026, 6, 30), False)
    ]


@pytest.mark.parametrize(
    ("held_on", "owed"), [(date(2025, 12, 31), True), (date(2026, 1, 1), False), (date(2026, 12, 31), False)]
)
def test_an_audit_recorded_in_the_year_due_completes_it(
    services: Services, street_id: int, held_on: date, owed: bool
) -> None:
    eid = _assembly_estate(services, street_id)
    services.records.create(
        "committee_activities", {"estate_id": eid, "kind": "审计", "held_on": held_on, "subject": "年度审计"}
    )
    assert bool(_audits(services, date(2026, 11, 23))) is owed


def test_no_audit_is_due_before_the_rule_applies_nor_from_an_estate_without_an_assembly(
    services: Services, street_id: int, estate_id: int
) -> None:
    _assembly_estate(services, street_id)
    # 2027-11-23: the audits of 2025 and 2026 are owed; none of 2024 (due 2025-06-30, before 2026-03-01).
    assert [s for s, _, _ in _audits(services, date(2027, 11, 23))] == ["2025年度审计", "2026年度审计"]
    # `estate_id` has no 业主大会 and no committee: owes nothing. A committee first elected in 2026
    # owes the audit of 2026, not that of 2025.
    _term(services, estate_id, 1, start_on=date(2026, 1, 1), end_on=date(2030, 12, 31), filed_on=date(2026, 1, 9))
    found = [r for r in services.reminders.list(today=date(2027, 11, 23)) if r.category == "年度审计"]
    assert sorted((r.estate_name, r.subject) for r in found) == [
        ("审计小区", "2025年度审计"),
        ("审计小区", "2026年度审计"),
        ("梅川一街坊", "2026年度审计"),
    ]


# --- scale: one query per kind of deadline ----------------------------------------------------


@pytest.fixture
def statements(database: Database) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    event.listen(database.engine, "before_cursor_execute", count)
    yield seen
    event.remove(database.engine, "before_cursor_execute", count)


def test_the_number_of_queries_does_not_grow_with_the_estates(
    services: Services, street_id: int, statements: list[str]
) -> None:
    def district(n: int) -> int:
        for i in range(n):
            eid = _estate(services, street_id, f"小区{len(statements)}-{i}", "8000")
            term = _term(services, eid, 1, start_on=date(2024, 5, 1), end_on=date(2029, 4, 30), seats=5)
            services.records.create(
                "committee_members", {"term_id": term, "name": "甲", "role": "委员", "left_on": date(2025, 1, 1)}
            )
            services.records.create(
                "committee_activities",
                {"estate_id": eid, "kind": "审计", "held_on": date(2026, 3, 1), "subject": "审计"},
            )
        statements.clear()
        services.reminders.list(today=date(2026, 11, 23))
        return len(statements)

    assert district(1) == district(5)
