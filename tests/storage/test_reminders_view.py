"""What needs action now and what is 长期未办, on real records and at the edges of the district's settings:
overdue 365 days is still today's work, 366 is a backlog; due in 90 days is shown, in 91 not yet."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from putuo_community.domain import rules
from putuo_community.domain.reminder_policy import ReminderPolicy
from putuo_community.domain.rules import Rule, cites
from putuo_community.services import Services
from putuo_community.services.reminders import SECTION_OF_CATEGORY, Reminder
from putuo_community.services.reminders.view import KINDS, as_dict, days_left, is_backlog, split

TODAY = date(2026, 11, 23)
POLICY = ReminderPolicy()  # 90 days ahead, 长期未办 after 365 days


def _reminder(due: int | None, *, rule: Rule = rules.CONTRACT_FILING, estate: str = "梅川一街坊") -> Reminder:
    due_on = None if due is None else TODAY + timedelta(days=due)
    overdue = due_on is not None and due_on < TODAY
    return Reminder(7, estate, "长征镇", "物业合同", "物业服务", "应网签备案", due_on, overdue, rule)


@pytest.fixture
def company(services: Services) -> int:
    return services.records.create("companies", {"name": "上海真如物业管理有限公司"})


def _unfiled_contract(services: Services, company: int, name: str, due_in: int) -> None:
    """An estate whose contract's filing (signed + 30 days) falls `due_in` days from TODAY."""
    street = services.records.list("streets", filters={"short_name": "长征"})[0]
    estate = services.records.create("estates", {"name": name, "street_id": street.id})
    signed = TODAY + timedelta(days=due_in - 30)
    services.records.create(
        "contracts",
        {
            "estate_id": estate,
            "company_id": company,
            "kind": "物业服务",
            "signed_on": signed,
            "start_on": signed,
            "end_on": signed + timedelta(days=3 * 365 + 400),  # its end is far off: only the filing is due
        },
    )


def test_the_current_view_and_the_backlog_split_at_the_districts_limits(services: Services, company: int) -> None:
    for name, due_in in (("逾期365天", -365), ("逾期366天", -366), ("90天后", 90), ("91天后", 91), ("今天", 0)):
        _unfiled_contract(services, company, name, due_in)
    view = split(services.reminders.list(today=TODAY), today=TODAY, policy=services.reminders.policy())
    assert [r.estate_name for r in view.current] == ["逾期365天", "今天", "90天后"]  # most urgent first
    assert [r.estate_name for r in view.backlog] == ["逾期366天"]
    assert view.overdue_count == 1  # due today is not overdue yet; the backlog is counted apart
    assert all(r.rule == rules.CONTRACT_FILING for r in view.current + view.backlog)


def test_the_limits_come_from_the_districts_settings(services: Services, company: int) -> None:
    _unfiled_contract(services, company, "逾期200天", -200)
    _unfiled_contract(services, company, "逾期199天", -199)
    policy = ReminderPolicy(backlog_after_days=199, horizon_days=30)
    view = split(services.reminders.list(today=TODAY, policy=policy), today=TODAY, policy=policy)
    assert [r.estate_name for r in view.current] == ["逾期199天"]
    assert [r.estate_name for r in view.backlog] == ["逾期200天"]


def test_the_boundaries_on_plain_reminders() -> None:
    found = [_reminder(d, estate=str(d)) for d in (-366, -365, -1, 0, 90, 91)] + [_reminder(None, estate="无日期")]
    view = split(found, today=TODAY, policy=POLICY)
    assert [r.estate_name for r in view.current] == ["-365", "-1", "0", "90", "无日期"]
    assert [r.estate_name for r in view.backlog] == ["-366"]
    narrow = split(found, today=TODAY, policy=POLICY, within_days=0)  # --within 0: overdue, today's and undated
    assert [r.estate_name for r in narrow.current] == ["-365", "-1", "0", "无日期"]
    assert [days_left(r, TODAY) for r in view.current] == [-365, -1, 0, 90, None]
    assert not is_backlog(_reminder(-365), TODAY, POLICY)
    assert is_backlog(_reminder(-366), TODAY, POLICY)


def test_json_ready_reminder_names_its_rule_and_whether_it_is_in_force() -> None:
    lapsed = Rule("TEST_LAPSED", "按2021年若干意见办理", "按若干意见办理。", citations=cites((2, "第十条")))
    data = as_dict(_reminder(-400, rule=lapsed), TODAY, POLICY)
    assert data == {
        "estate": "梅川一街坊",
        "estate_id": 7,
        "street": "长征镇",
        "kind": "物业合同",
        "item": "物业服务",
        "message": "应网签备案",
        "due_on": (TODAY - timedelta(days=400)).isoformat(),
        "days_left": -400,
        "overdue": True,
        "backlog": True,
        "rule": {
            "code": "TEST_LAPSED",
            "title": "按2021年若干意见办理",
            "text": "按若干意见办理。",
            "citation": lapsed.source,
            "in_force": False,  # 沪房规范〔2021〕6号 expired on 2026-06-30
            "validity_note": lapsed.validity_note(TODAY),
        },
    }
    assert "2026-06-30" in data["rule"]["validity_note"]
    before_expiry = as_dict(_reminder(10, rule=lapsed), date(2026, 6, 30), POLICY)["rule"]
    assert before_expiry["in_force"] is True  # its last day
    assert before_expiry["validity_note"] == ""
    assert as_dict(_reminder(10, rule=lapsed), date(2026, 7, 1), POLICY)["rule"]["in_force"] is False  # the day after
    undated = as_dict(_reminder(None), TODAY, POLICY)
    assert (undated["due_on"], undated["days_left"], undated["backlog"]) == (None, None, False)


def test_every_kind_is_known_to_the_sections() -> None:
    assert set(KINDS) == set(SECTION_OF_CATEGORY)
