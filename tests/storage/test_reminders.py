"""Reminders computed from real records: each deadline, overdue or upcoming, names its rule."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from putuo_community.domain import rules
from putuo_community.domain.reminder_policy import ReminderPolicy
from putuo_community.services import Services
from putuo_community.services.reminders import Reminder

TODAY = date(2026, 11, 23)


@pytest.fixture
def estate_id(services: Services) -> int:
    street = services.records.list("streets", filters={"short_name": "长征"})[0]
    return services.records.create("estates", {"name": "梅川一街坊", "street_id": street.id})


def _by_rule(reminders: list[Reminder], rule: rules.Rule) -> list[Reminder]:
    return [r for r in reminders if r.rule == rule]


def test_a_term_ending_in_four_months_without_a_report_is_overdue_for_the_report(
    services: Services, estate_id: int
) -> None:
    services.records.create(
        "committee_terms",
        {"estate_id": estate_id, "term_no": 3, "start_on": date(2022, 3, 25), "end_on": date(2027, 3, 24)},
    )
    found = services.reminders.list(today=TODAY)
    report = _by_rule(found, rules.RENEWAL_REPORT)
    assert len(report) == 1
    assert report[0].overdue
    assert report[0].due_on == date(2026, 10, 24)  # T − 5 months
    assert report[0].estate_name == "梅川一街坊"
    assert report[0].street_name == "长征镇"
    assert report[0].category == "换届"
    # the group is due 60 days after the (missed) report date: still upcoming
    group = _by_rule(found, rules.RENEWAL_GROUP)[0]
    assert group.due_on == date(2026, 12, 23)
    assert not group.overdue


def test_recorded_steps_are_not_reminded_and_later_steps_follow_the_real_dates(
    services: Services, estate_id: int
) -> None:
    services.records.create(
        "committee_terms",
        {
            "estate_id": estate_id,
            "term_no": 3,
            "start_on": date(2022, 3, 25),
            "end_on": date(2027, 3, 24),
            "renewal_report_on": date(2026, 10, 10),
            "renewal_group_on": date(2026, 11, 20),
        },
    )
    found = services.reminders.list(today=TODAY)
    assert not _by_rule(found, rules.RENEWAL_REPORT)
    assert not _by_rule(found, rules.RENEWAL_GROUP)
    seals = _by_rule(found, rules.SEALS_HANDOVER)[0]
    assert seals.due_on == date(2026, 11, 30)  # group formed + 10 days


def test_a_term_far_from_its_end_gives_no_reminder(services: Services, estate_id: int) -> None:
    services.records.create(
        "committee_terms",
        {
            "estate_id": estate_id,
            "term_no": 1,
            "start_on": date(2025, 1, 1),
            "end_on": date(2029, 12, 31),
            "filed_on": date(2025, 1, 20),
        },
    )
    # Nothing about the term; its 业主大会 owes the audit of 2025 (due 2026-06-30).
    assert [r.rule for r in services.reminders.list(today=TODAY)] == [rules.ANNUAL_AUDIT]


def test_lift_assessment_and_monitoring(services: Services, estate_id: int) -> None:
    services.records.create(
        "lifts",
        {
            "estate_id": estate_id,
            "registration_code": "31103101072008050001",
            "first_use_on": date(2008, 5, 1),
            "remote_monitoring": False,
        },
    )
    services.records.create(
        "lifts",
        {
            "estate_id": estate_id,
            "registration_code": "31103101072019050002",
            "first_use_on": date(2019, 5, 1),
            "remote_monitoring": True,
        },
    )
    found = services.reminders.list(today=TODAY)
    assessment = _by_rule(found, rules.LIFT_ASSESSMENT)
    assert [r.subject for r in assessment] == ["电梯 31103101072008050001"]
    assert assessment[0].overdue
    assert assessment[0].due_on == date(2023, 5, 1)
    monitoring = _by_rule(services.reminders.list(today=date(2027, 11, 1)), rules.LIFT_REMOTE_MONITORING)
    assert [r.subject for r in monitoring] == ["电梯 31103101072008050001"]
    assert not monitoring[0].overdue


def test_fund_below_thirty_percent_but_not_at_thirty(services: Services, estate_id: int) -> None:
    services.records.create(
        "funds",
        {
            "estate_id": estate_id,
            "as_of": date(2026, 6, 30),
            "initial_amount": Decimal(1_000_000),
            "balance": Decimal(300_000),
        },
    )
    assert not _by_rule(services.reminders.list(today=TODAY), rules.FUND_TOPUP)
    services.records.create(
        "funds",
        {
            "estate_id": estate_id,
            "as_of": date(2026, 9, 30),
            "initial_amount": Decimal(1_000_000),
            "balance": Decimal("299999.99"),
        },
    )
    topup = _by_rule(services.reminders.list(today=TODAY), rules.FUND_TOPUP)
    assert len(topup) == 1
    assert topup[0].message == "余额为首期归集的29.99%，低于30%，应续筹至50%以上"
    assert topup[0].due_on == date(2026, 12, 29)  # 90 days after the snapshot


def test_contract_notice_window_and_unfiled_contract(services: Services, estate_id: int) -> None:
    company = services.records.create("companies", {"name": "上海真如物业管理有限公司"})
    services.records.create(
        "contracts",
        {
            "estate_id": estate_id,
            "company_id": company,
            "kind": "物业服务",
            "signed_on": date(2024, 1, 10),
            "start_on": date(2024, 2, 1),
            "end_on": date(2027, 1, 31),
        },
    )
    found = services.reminders.list(today=TODAY)
    notice = _by_rule(found, rules.CONTRACT_NOTICE)[0]
    assert notice.due_on == date(2026, 11, 2)
    assert notice.overdue
    filing = _by_rule(found, rules.CONTRACT_FILING)[0]
    assert filing.due_on == date(2024, 2, 9)


def test_street_filter_and_ordering(services: Services, estate_id: int) -> None:
    other_street = services.records.list("streets", filters={"short_name": "桃浦"})[0]
    other = services.records.create("estates", {"name": "桃浦新村", "street_id": other_street.id})
    for eid, code in ((estate_id, "31103101072001010001"), (other, "31103101072001010002")):
        services.records.create(
            "lifts", {"estate_id": eid, "registration_code": code, "first_use_on": date(2001, 1, 1)}
        )
    only_taopu = services.reminders.list(today=TODAY, street_id=other_street.id)
    assert {r.estate_name for r in only_taopu} == {"桃浦新村"}
    everything = services.reminders.list(today=TODAY)
    overdue_flags = [r.overdue for r in everything]
    assert overdue_flags == sorted(overdue_flags, reverse=True)  # overdue first


def test_formation_reminder_for_an_estate_without_a_committee(services: Services) -> None:
    street = services.records.list("streets", filters={"short_name": "桃浦"})[0]
    services.records.create(
        "estates",
        {"name": "桃浦智创城一期", "street_id": street.id, "first_delivery_on": date(2024, 6, 1)},
    )
    found = _by_rule(services.reminders.list(today=TODAY), rules.PREP_GROUP)
    assert len(found) == 1
    assert found[0].due_on == date(2026, 8, 30)  # first delivery + 2 years, + 30 days for the report, + 60 days
    assert found[0].overdue


# -- date and record edges: the queries leave out only what no rule could remind of -----------


def _lift(services: Services, estate_id: int, code: str, **values: object) -> None:
    services.records.create(
        "lifts", {"estate_id": estate_id, "registration_code": code, "remote_monitoring": True, **values}
    )


def test_a_lift_first_used_on_2_29_is_due_on_2_28_fifteen_years_on(services: Services, estate_id: int) -> None:
    _lift(services, estate_id, "31103101072012020001", first_use_on=date(2012, 2, 29))
    # The horizon (today + 90 days) is 2027-02-28 exactly: the day the rule clamps 2-29 to.
    found = _by_rule(services.reminders.list(today=date(2026, 11, 30)), rules.LIFT_ASSESSMENT)
    assert [(r.due_on, r.overdue) for r in found] == [(date(2027, 2, 28), False)]
    assert not services.reminders.list(today=date(2026, 11, 29))  # horizon 2027-02-27: not yet


def test_an_assessment_a_year_before_the_15th_anniversary_counts_and_the_day_before_does_not(
    services: Services, estate_id: int
) -> None:
    # 15 years from 2008-02-29 is 2023-02-28; the year before it opens on 2022-02-28.
    _lift(services, estate_id, "31103101072008020001", first_use_on=date(2008, 2, 29), assessed_on=date(2022, 2, 28))
    _lift(services, estate_id, "31103101072008020002", first_use_on=date(2008, 2, 29), assessed_on=date(2022, 2, 27))
    found = _by_rule(services.reminders.list(today=TODAY), rules.LIFT_ASSESSMENT)
    assert [r.subject for r in found] == ["电梯 31103101072008020002"]
    assert found[0].due_on == date(2023, 2, 28)


def test_a_class_one_risk_is_reminded_until_its_action_is_done(services: Services, estate_id: int) -> None:
    young = {"first_use_on": date(2020, 1, 1), "assessed_on": date(2026, 5, 1), "risk_class": "Ⅰ类"}
    _lift(services, estate_id, "31103101072020010001", **young)  # no action status recorded
    _lift(services, estate_id, "31103101072020010002", **young, action_status="实施中")
    _lift(services, estate_id, "31103101072020010003", **young, action_status="已完成")
    found = _by_rule(services.reminders.list(today=TODAY), rules.LIFT_ASSESSMENT)
    assert sorted(r.subject for r in found) == ["电梯 31103101072020010001", "电梯 31103101072020010002"]
    assert all(r.overdue and r.due_on == date(2026, 5, 1) for r in found)


def test_monitoring_not_recorded_counts_as_missing(services: Services, estate_id: int) -> None:
    _lift(services, estate_id, "31103101072020010001", first_use_on=date(2020, 1, 1), remote_monitoring=None)
    assert not services.reminders.list(today=date(2027, 10, 1))  # the deadline is 90 days and one away
    found = _by_rule(
        services.reminders.list(today=date(2027, 10, 1), policy=ReminderPolicy(horizon_days=91)),
        rules.LIFT_REMOTE_MONITORING,
    )
    assert [r.due_on for r in found] == [date(2027, 12, 31)]


def test_the_renewal_watch_starts_six_months_before_a_month_end(services: Services, estate_id: int) -> None:
    services.records.create(
        "committee_terms",
        {
            "estate_id": estate_id,
            "term_no": 2,
            "start_on": date(2021, 9, 1),
            "end_on": date(2026, 8, 31),
            "filed_on": date(2021, 9, 20),
        },
    )
    # 2026-08-31 − 6 months clamps to 2026-02-28: watched from that day, not the day before.
    found = _by_rule(services.reminders.list(today=date(2026, 2, 28)), rules.RENEWAL_REPORT)
    assert [r.due_on for r in found] == [date(2026, 3, 31)]
    assert not services.reminders.list(today=date(2026, 2, 27))


def test_only_the_latest_term_is_watched_and_a_dissolved_one_not_at_all(services: Services, estate_id: int) -> None:
    services.records.create(
        "committee_terms",
        {"estate_id": estate_id, "term_no": 3, "start_on": date(2025, 1, 1), "end_on": date(2029, 12, 31)},
    )
    services.records.create(  # recorded later, but an earlier term that ended without any 换届 step
        "committee_terms",
        {"estate_id": estate_id, "term_no": 2, "start_on": date(2020, 1, 1), "end_on": date(2024, 12, 31)},
    )
    # Term 2's own 换届 steps are not reminded; the 备案 and 换届审计 of the election that made term 3
    # are (still owed), and the 业主大会's audit of 2025.
    found = services.reminders.list(today=TODAY)
    assert sorted(r.rule.code for r in found) == ["ANNUAL_AUDIT", "RENEWAL_AUDIT", "RENEWAL_FILING"]
    assert {r.subject for r in found if r.category == "换届"} == {"第3届业委会（2025-01-01换届选举）"}
    services.records.create(
        "committee_terms",
        {
            "estate_id": estate_id,
            "term_no": 4,
            "start_on": date(2023, 1, 1),
            "end_on": date(2026, 12, 31),  # within the watch: reminded, were it not dissolved
            "dissolved_on": date(2026, 6, 1),
        },
    )
    # no formation reminder either (it had terms), only the 业主大会's audit
    assert [r.rule for r in services.reminders.list(today=TODAY)] == [rules.ANNUAL_AUDIT]


def test_the_current_contract_is_the_last_started_the_first_recorded_on_a_tie(
    services: Services, estate_id: int
) -> None:
    first = services.records.create("companies", {"name": "上海真如物业管理有限公司"})
    second = services.records.create("companies", {"name": "上海长征物业管理有限公司"})
    for company, filed in ((first, None), (second, date(2026, 2, 1))):
        services.records.create(
            "contracts",
            {
                "estate_id": estate_id,
                "company_id": company,
                "kind": "物业服务",
                "start_on": date(2026, 1, 1),
                "end_on": date(2030, 12, 31),
                "filed_on": filed,
            },
        )
    found = services.reminders.list(today=TODAY)
    assert [r.rule for r in found] == [rules.CONTRACT_FILING]  # the first one recorded: not filed
    services.records.create(
        "contracts",
        {
            "estate_id": estate_id,
            "company_id": second,
            "kind": "物业服务",
            "start_on": date(2026, 6, 1),
            "terminated_on": date(2026, 9, 1),
        },
    )
    assert services.reminders.list(today=TODAY) == []  # the latest one was terminated


def test_a_newer_fund_snapshot_above_thirty_percent_ends_the_reminder(services: Services, estate_id: int) -> None:
    for as_of, balance in ((date(2026, 9, 30), "299999.99"), (date(2026, 6, 30), "100000.00")):
        services.records.create(
            "funds",
            {"estate_id": estate_id, "as_of": as_of, "initial_amount": Decimal(1_000_000), "balance": Decimal(balance)},
        )
    topup = _by_rule(services.reminders.list(today=TODAY), rules.FUND_TOPUP)
    assert [r.subject for r in topup] == ["截至2026-09-30"]  # the latest, though recorded first
    services.records.create(
        "funds",
        {
            "estate_id": estate_id,
            "as_of": date(2026, 10, 31),
            "initial_amount": Decimal(1_000_000),
            "balance": Decimal("300000.00"),
        },
    )
    assert not _by_rule(services.reminders.list(today=TODAY), rules.FUND_TOPUP)
