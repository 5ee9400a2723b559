"""Reminders of the property rules on a small archive: contract notice, temporary service, lifts, fund, credit."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from putuo_community.domain import rules
from putuo_community.domain.errors import ValidationFailed
from putuo_community.domain.reminder_policy import ReminderPolicy
from putuo_community.services import Services
from putuo_community.services.reminders import Reminder

TODAY = date(2026, 11, 23)


@pytest.fixture
def street_id(services: Services) -> int:
    return services.records.list("streets", filters={"short_name": "长征"})[0].id


@pytest.fixture
def estate_id(services: Services, street_id: int) -> int:
    return services.records.create("estates", {"name": "梅川一街坊", "street_id": street_id})


@pytest.fixture
def company_id(services: Services) -> int:
    return services.records.create("companies", {"name": "上海真如物业管理有限公司"})


def _by_rule(reminders: list[Reminder], rule: rules.Rule) -> list[Reminder]:
    return [r for r in reminders if r.rule == rule]


def _contract(services: Services, estate_id: int, company_id: int, **values: object) -> int:
    record = {
        "estate_id": estate_id,
        "company_id": company_id,
        "kind": "物业服务",
        "start_on": date(2024, 2, 1),
        "filed_on": date(2024, 2, 5),
        **values,
    }
    return services.records.create("contracts", record)


# -- contracts -------------------------------------------------------------------------------------


def test_an_open_ended_contract_with_notice_reminds_the_street_of_the_leaving_day(
    services: Services, estate_id: int, company_id: int
) -> None:
    _contract(services, estate_id, company_id, end_on=date(2026, 1, 31), open_ended=True, notice_on=date(2026, 11, 1))
    found = _by_rule(services.reminders.list(today=TODAY), rules.CONTRACT_NOTICE)
    assert [(r.due_on, r.overdue, r.category, r.subject) for r in found] == [
        (date(2026, 12, 31), False, "物业合同", "物业服务")
    ]
    assert found[0].message == (
        "不定期合同：企业已于2026-11-01告知退出，最早于2026-12-31撤出（告知后60日）：街镇应督促业主大会在此前选聘新物业"
    )
    # the leaving day is the due date: due on it, overdue the day after
    assert not _by_rule(services.reminders.list(today=date(2026, 12, 31)), rules.CONTRACT_NOTICE)[0].overdue
    assert _by_rule(services.reminders.list(today=date(2027, 1, 1)), rules.CONTRACT_NOTICE)[0].overdue


def test_an_open_ended_contract_without_notice_gives_no_notice_reminder(
    services: Services, estate_id: int, company_id: int
) -> None:
    _contract(services, estate_id, company_id, end_on=date(2025, 1, 31), open_ended=True)
    assert services.reminders.list(today=TODAY) == []


def test_an_open_ended_notice_shows_when_its_leaving_day_comes_within_the_horizon(
    services: Services, estate_id: int, company_id: int
) -> None:
    # notice 2026-11-23 → leaves 2027-01-22; horizon 60 days ends 2027-01-22 (shown), 59 days 2027-01-21 (not)
    _contract(services, estate_id, company_id, end_on=date(2025, 1, 31), open_ended=True, notice_on=TODAY)
    shown = services.reminders.list(today=TODAY, policy=ReminderPolicy(horizon_days=60))
    assert [r.due_on for r in _by_rule(shown, rules.CONTRACT_NOTICE)] == [date(2027, 1, 22)]
    assert services.reminders.list(today=TODAY, policy=ReminderPolicy(horizon_days=59)) == []


@pytest.mark.parametrize(
    ("notice_on", "late"),
    [
        (date(2026, 10, 1), False),  # 91 days before 2026-12-31
        (date(2026, 10, 2), False),  # exactly 90 days before: in time
        (date(2026, 10, 3), True),  # 89 days before: late
    ],
)
def test_a_fixed_term_notice_less_than_ninety_days_before_the_end_is_flagged(
    services: Services, estate_id: int, company_id: int, notice_on: date, late: bool
) -> None:
    _contract(services, estate_id, company_id, end_on=date(2026, 12, 31), notice_on=notice_on)
    found = _by_rule(services.reminders.list(today=TODAY), rules.CONTRACT_NOTICE)
    assert len(found) == 1  # one reminder per contract: the late notice replaces the 90-day one
    assert found[0].due_on == date(2026, 10, 2)
    assert found[0].overdue
    assert ("告知逾期" in found[0].message) is late
    if late:
        assert found[0].message.startswith(
            f"企业于{notice_on.isoformat()}才告知不再续约，距合同届满（2026-12-31）不足90日"
        )


def test_a_temporary_service_longer_than_six_months_is_refused(
    services: Services, estate_id: int, company_id: int
) -> None:
    temporary = {"kind": "临时物业服务", "start_on": date(2026, 8, 31)}
    with pytest.raises(ValidationFailed) as refused:
        _contract(services, estate_id, company_id, **temporary, end_on=date(2027, 3, 1))
    assert refused.value.report.for_field("end_on")[0].message == (
        "临时物业服务期限不得超过6个月，结束日期最晚为2027-02-28"
    )
    assert "结束日期" in refused.value.message
    contract = _contract(services, estate_id, company_id, **temporary, end_on=date(2027, 2, 28))  # 6 months: kept
    version = services.records.get("contracts", contract).version
    with pytest.raises(ValidationFailed, match="临时物业服务期限不得超过6个月"):
        services.records.update("contracts", contract, {"end_on": date(2027, 3, 1)}, expected_version=version)
    found = _by_rule(services.reminders.list(today=date(2026, 12, 1)), rules.TEMP_SERVICE)
    assert [r.due_on for r in found] == [date(2027, 2, 28)]


# -- lifts -----------------------------------------------------------------------------------------


def _lift(services: Services, estate_id: int, code: str, **values: object) -> None:
    record = {
        "estate_id": estate_id,
        "registration_code": code,
        "first_use_on": date(2020, 1, 1),
        "remote_monitoring": True,
        **values,
    }
    services.records.create("lifts", record)


def test_a_lift_assessed_a_month_before_its_15th_anniversary_is_not_reminded(
    services: Services, estate_id: int
) -> None:
    first = {"first_use_on": date(2011, 10, 1)}  # 15 years on 2026-10-01; the window opens 2025-10-01
    _lift(services, estate_id, "31103101072011100001", **first, assessed_on=date(2026, 9, 1))
    _lift(services, estate_id, "31103101072011100002", **first, assessed_on=date(2025, 10, 1))
    _lift(services, estate_id, "31103101072011100003", **first, assessed_on=date(2025, 9, 30))
    found = _by_rule(services.reminders.list(today=TODAY), rules.LIFT_ASSESSMENT)
    assert [(r.subject, r.due_on, r.overdue) for r in found] == [("电梯 31103101072011100003", date(2026, 10, 1), True)]


def test_a_class_two_lift_without_a_plan_is_due_the_local_days_after_its_assessment(
    services: Services, estate_id: int
) -> None:
    _lift(services, estate_id, "31103101072020010001", assessed_on=date(2026, 10, 24), risk_class="Ⅱ类")
    _lift(
        services,
        estate_id,
        "31103101072020010002",
        assessed_on=date(2026, 1, 1),
        risk_class="Ⅱ类",
        risk_plan_on=date(2026, 2, 1),
    )
    _lift(
        services,
        estate_id,
        "31103101072020010003",
        assessed_on=date(2026, 1, 1),
        risk_class="Ⅱ类",
        action_status="已完成",
    )
    found = _by_rule(services.reminders.list(today=TODAY), rules.LIFT_RISK_PLAN)
    assert [(r.subject, r.due_on, r.overdue) for r in found] == [
        ("电梯 31103101072020010001", date(2026, 11, 23), False)
    ]
    assert found[0].message == "评估为Ⅱ类风险，尚未登记风险防控方案：应在评估后30日内制定（本区口径）"
    assert found[0].rule.offset == "评估后30日（本地口径）"
    # due today; overdue tomorrow; a district allowing 60 days moves the date and says so
    tomorrow = _by_rule(services.reminders.list(today=date(2026, 11, 24)), rules.LIFT_RISK_PLAN)
    assert tomorrow[0].overdue
    longer = _by_rule(
        services.reminders.list(today=TODAY, policy=ReminderPolicy(risk_plan_days=60)), rules.LIFT_RISK_PLAN
    )
    assert [(r.due_on, r.overdue) for r in longer] == [(date(2026, 12, 23), False)]
    assert "评估后60日内" in longer[0].message


def test_a_class_two_plan_beyond_the_horizon_is_not_yet_reminded(services: Services, estate_id: int) -> None:
    _lift(services, estate_id, "31103101072020010001", assessed_on=date(2027, 1, 22), risk_class="Ⅱ类")
    # due 2027-02-21, the horizon ends 2027-02-21: shown; a day shorter: not
    assert _by_rule(services.reminders.list(today=TODAY), rules.LIFT_RISK_PLAN)
    assert services.reminders.list(today=TODAY, policy=ReminderPolicy(horizon_days=89)) == []


def test_lift_works_over_fifty_thousand_without_a_price_audit_are_flagged(services: Services, estate_id: int) -> None:
    works = {"action": "改造", "action_status": "实施中"}
    _lift(services, estate_id, "31103101072020010001", **works, action_cost=Decimal("50000.00"))
    _lift(services, estate_id, "31103101072020010002", **works, action_cost=Decimal("50000.01"))
    _lift(
        services,
        estate_id,
        "31103101072020010003",
        **works,
        action_cost=Decimal(120000),
        price_audit_on=date(2026, 6, 1),
    )
    found = _by_rule(services.reminders.list(today=TODAY), rules.LIFT_PRICE_AUDIT)
    assert [(r.subject, r.due_on, r.overdue) for r in found] == [("电梯 31103101072020010002", None, False)]
    assert found[0].message == "处置费用50,000.01元，超过5万元，应进行审价（尚未登记审价日期）"


# -- repair fund: publication every January and July ----------------------------------------------------


def _fund(services: Services, estate_id: int, as_of: date, published_on: date | None) -> None:
    record = {
        "estate_id": estate_id,
        "as_of": as_of,
        "initial_amount": Decimal(1_000_000),
        "balance": Decimal(800_000),
        "published_on": published_on,
    }
    services.records.create("funds", record)


def test_the_july_publication_is_reminded_from_july_1_and_overdue_after_july_31(
    services: Services, estate_id: int
) -> None:
    _fund(services, estate_id, date(2025, 12, 31), date(2026, 1, 20))  # the January publication
    assert not _by_rule(services.reminders.list(today=date(2026, 6, 30)), rules.FUND_PUBLICATION)
    on_first = _by_rule(services.reminders.list(today=date(2026, 7, 1)), rules.FUND_PUBLICATION)
    assert [(r.subject, r.due_on, r.overdue, r.category) for r in on_first] == [
        ("2026年7月账目公布", date(2026, 7, 31), False, "维修资金")
    ]
    assert on_first[0].estate_name == "梅川一街坊"
    assert not _by_rule(services.reminders.list(today=date(2026, 7, 31)), rules.FUND_PUBLICATION)[0].overdue
    assert _by_rule(services.reminders.list(today=date(2026, 8, 1)), rules.FUND_PUBLICATION)[0].overdue


def test_a_publication_late_in_the_half_year_still_ends_the_reminder(services: Services, estate_id: int) -> None:
    _fund(services, estate_id, date(2026, 6, 30), date(2026, 6, 30))  # still the January half-year's
    assert len(_by_rule(services.reminders.list(today=TODAY), rules.FUND_PUBLICATION)) == 1
    _fund(services, estate_id, date(2026, 9, 30), date(2026, 10, 15))
    assert not _by_rule(services.reminders.list(today=TODAY), rules.FUND_PUBLICATION)


def test_an_estate_without_a_fund_record_is_not_reminded_to_publish(services: Services, estate_id: int) -> None:
    assert services.reminders.list(today=date(2026, 7, 15)) == []


# -- credit of a company with no estate ----------------------------------------------------------------


def test_a_company_level_credit_event_is_reminded_without_an_estate_only_for_the_whole_district(
    services: Services, company_id: int, street_id: int
) -> None:
    services.records.create(
        "credit_events",
        {
            "company_id": company_id,
            "subject": "企业",
            "band": "轻微",
            "points": 3,
            "act_on": date(2025, 11, 20),
            "discovered_on": date(2025, 12, 1),
            "scored_on": date(2025, 12, 10),
            "description": "未按约定公示物业服务收费项目",
        },
    )
    services.records.create(
        "credit_events",
        {
            "company_id": company_id,
            "subject": "企业",
            "band": "较严重",
            "points": 6,
            "act_on": date(2026, 10, 1),
            "discovered_on": date(2026, 10, 8),
            "scored_on": date(2026, 10, 20),
            "description": "未按规定移交物业管理用房",
            "objection": "已受理",
            "objection_filed_on": date(2026, 11, 2),
            "objection_accepted_on": date(2026, 11, 3),
        },
    )
    objection = _by_rule(services.reminders.list(today=TODAY), rules.CREDIT_OBJECTION)
    assert [(r.estate_id, r.estate_name, r.subject) for r in objection] == [(None, "", "上海真如物业管理有限公司")]
    found = _by_rule(services.reminders.list(today=TODAY), rules.CREDIT_ACTIVE)
    assert [(r.estate_id, r.estate_name, r.street_name, r.subject, r.due_on) for r in found] == [
        (None, "", "", "上海真如物业管理有限公司", date(2026, 12, 10))
    ]
    assert found[0].message == "3分记分将于2026-12-10期满，不再计入"
    assert services.reminders.list(today=TODAY, street_id=street_id) == []
    # 31 days before it lapses: not yet (credit_expiry_days = 30)
    assert not _by_rule(services.reminders.list(today=date(2026, 11, 9)), rules.CREDIT_ACTIVE)
    assert _by_rule(services.reminders.list(today=date(2026, 11, 10)), rules.CREDIT_ACTIVE)


def test_reminded_ahead_into_the_next_half_year_each_publication_is_judged_on_its_own(
    services: Services, estate_id: int
) -> None:
    _fund(services, estate_id, date(2026, 6, 30), date(2026, 8, 1))  # July's, a day late
    ahead = ReminderPolicy(periodic_ahead_days=31)
    found = _by_rule(services.reminders.list(today=date(2026, 12, 31), policy=ahead), rules.FUND_PUBLICATION)
    assert [(r.subject, r.due_on, r.overdue) for r in found] == [("2027年1月账目公布", date(2027, 1, 31), False)]
    assert not _by_rule(services.reminders.list(today=date(2026, 12, 30), policy=ahead), rules.FUND_PUBLICATION)
