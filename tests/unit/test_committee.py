from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from putuo_community.domain import rules
from putuo_community.domain.committee import (
    RenewalEvents,
    TermState,
    committee_size_problem,
    committee_term_status,
    formation_due_on,
    needs_early_reelection,
    operation_compliance,
    operation_review_start,
    overdue_milestones,
    recent_operation,
    renewal_timeline,
    term_length_problem,
)

# --- size ------------------------------------------------------------------------


@pytest.mark.parametrize("members", [5, 7, 9, 11])
def test_five_or_more_odd_members_are_fine(members: int) -> None:
    assert committee_size_problem(members, Decimal("50000")) is None


def test_even_numbers_are_refused() -> None:
    assert committee_size_problem(6, Decimal("50000")) == "业委会人数应为单数，现为6人"


def test_three_members_only_for_small_estates() -> None:
    assert committee_size_problem(3, Decimal("10000")) is None  # 1万㎡以下 includes 10,000
    assert committee_size_problem(3, Decimal("9800.5")) is None
    problem = committee_size_problem(3, Decimal("10000.01"))
    assert problem is not None
    assert "1万㎡以下" in problem
    problem = committee_size_problem(3, None)
    assert problem is not None
    assert "未登记" in problem


@pytest.mark.parametrize("members", [0, 1, 2, 4])
def test_too_few_members(members: int) -> None:
    problem = committee_size_problem(members, Decimal("8000"))
    assert problem is not None
    assert problem.startswith("业委会应由5人以上单数组成")


# --- term length ---------------------------------------------------------------------


def test_exactly_five_years_is_allowed_one_day_more_is_not() -> None:
    assert term_length_problem(date(2021, 3, 1), date(2026, 3, 1)) is None
    assert term_length_problem(date(2021, 3, 1), date(2026, 3, 2)) == "任期超过5年"


def test_exactly_three_years_is_allowed_in_either_notation() -> None:
    assert term_length_problem(date(2021, 3, 1), date(2024, 3, 1)) is None
    # written with an inclusive end date, as 备案证明 usually do
    assert term_length_problem(date(2021, 3, 1), date(2024, 2, 29)) is None
    assert term_length_problem(date(2021, 3, 1), date(2024, 2, 28)) == "任期不足3年"


def test_term_from_feb_29() -> None:
    assert term_length_problem(date(2020, 2, 29), date(2025, 2, 28)) is None
    assert term_length_problem(date(2020, 2, 29), date(2025, 3, 1)) == "任期超过5年"


def test_end_before_start() -> None:
    assert term_length_problem(date(2024, 1, 1), date(2023, 1, 1)) == "任期结束日期应晚于开始日期"


# --- formation -------------------------------------------------------------------------


def test_formation_due_is_the_earlier_condition() -> None:
    def due(first: date | None, half: date | None) -> date | None:
        return formation_due_on(first_delivery_on=first, half_area_delivered_on=half)

    assert due(date(2022, 5, 10), date(2023, 9, 1)) == date(2023, 9, 1)
    assert due(date(2022, 5, 10), date(2024, 9, 1)) == date(2024, 5, 10)
    assert due(date(2022, 2, 28), None) == date(2024, 2, 28)
    assert due(None, date(2023, 9, 1)) == date(2023, 9, 1)
    assert due(None, None) is None


# --- renewal timeline --------------------------------------------------------------------

T = date(2025, 6, 30)


def test_timeline_due_dates_from_term_end() -> None:
    timeline = {m.key: m for m in renewal_timeline(T, RenewalEvents())}
    assert timeline["report"].due_on == date(2025, 1, 30)
    assert timeline["group"].due_on == date(2025, 3, 31)  # +60 days
    assert timeline["seals"].due_on == date(2025, 4, 10)
    assert timeline["election"].due_on == date(2025, 6, 29)
    assert timeline["filing"].due_on == date(2025, 7, 29)
    assert timeline["audit"].due_on == date(2025, 7, 29)
    assert [m.rule for m in timeline.values()] == [
        rules.RENEWAL_REPORT,
        rules.RENEWAL_GROUP,
        rules.SEALS_HANDOVER,
        rules.RENEWAL_ELECTION,
        rules.RENEWAL_FILING,
        rules.RENEWAL_AUDIT,
    ]


def test_timeline_chains_from_actual_dates() -> None:
    events = RenewalEvents(
        report_on=date(2025, 1, 10),
        group_formed_on=date(2025, 2, 20),
        election_on=date(2025, 5, 31),
    )
    timeline = {m.key: m for m in renewal_timeline(T, events)}
    assert timeline["group"].due_on == date(2025, 3, 11)
    assert timeline["seals"].due_on == date(2025, 3, 2)
    assert timeline["filing"].due_on == date(2025, 6, 30)
    assert timeline["audit"].due_on == date(2025, 6, 30)
    assert timeline["report"].is_done
    assert not timeline["seals"].is_done


def test_overdue_and_due_soon() -> None:
    events = RenewalEvents(report_on=date(2025, 1, 10))
    today = date(2025, 3, 12)
    overdue = overdue_milestones(T, events, today)
    assert [m.key for m in overdue] == ["group"]  # due 2025-03-11
    seals = next(m for m in renewal_timeline(T, events) if m.key == "seals")
    assert seals.due_on == date(2025, 3, 21)
    assert seals.is_due_within(today, 9)
    assert not seals.is_due_within(today, 8)
    assert not seals.is_overdue(date(2025, 3, 21))
    assert seals.is_overdue(date(2025, 3, 22))
    group = overdue[0]
    assert not group.is_due_within(today, 30)  # already overdue


def test_nothing_overdue_when_all_done_in_time() -> None:
    events = RenewalEvents(
        date(2025, 1, 20),
        date(2025, 3, 1),
        date(2025, 3, 5),
        date(2025, 6, 1),
        date(2025, 6, 20),
        date(2025, 6, 28),
    )
    assert overdue_milestones(T, events, date(2026, 1, 1)) == ()


# --- status --------------------------------------------------------------------------------


def test_term_status() -> None:
    start, end = date(2022, 7, 1), date(2025, 6, 30)
    assert committee_term_status(start, end, date(2022, 6, 30), renewed=False) is TermState.NOT_STARTED
    assert committee_term_status(start, end, date(2024, 12, 29), renewed=False) is TermState.IN_TERM
    assert committee_term_status(start, end, date(2024, 12, 30), renewed=False) is TermState.EXPIRING
    assert committee_term_status(start, end, date(2025, 6, 30), renewed=False) is TermState.EXPIRING
    assert committee_term_status(start, end, date(2025, 7, 1), renewed=False) is TermState.OVERDUE
    assert committee_term_status(start, end, date(2025, 7, 1), renewed=True) is TermState.ENDED
    assert TermState.OVERDUE.label == "届满未换届"


def early(original: int, remaining: int, last_activity_on: date | None, today: date) -> bool:
    return needs_early_reelection(
        original_members=original, remaining_members=remaining, last_activity_on=last_activity_on, today=today
    )


def test_early_reelection_when_fewer_than_half_remain() -> None:
    today = date(2025, 1, 1)
    assert not early(7, 4, today, today)
    assert early(7, 3, today, today)
    assert not early(6, 3, today, today)  # exactly half is not "fewer than half"


def test_early_reelection_after_six_months_without_activity() -> None:
    last = date(2024, 1, 15)
    assert not early(5, 5, last, date(2024, 7, 15))
    assert early(5, 5, last, date(2024, 7, 16))
    assert not early(5, 5, None, date(2030, 1, 1))


def test_early_reelection_refuses_impossible_counts() -> None:
    with pytest.raises(ValueError, match="委员人数不正确"):
        early(5, 6, None, date(2025, 1, 1))


# --- operation -------------------------------------------------------------------------------


def test_compliant_year() -> None:
    meetings = [date(2024, m, 10) for m in (1, 3, 5, 7, 9, 11)]
    receptions = [date(2024, m, 5) for m in range(1, 13)]
    report = operation_compliance(
        meeting_dates=meetings,
        assembly_dates=[date(2024, 4, 20)],
        reception_dates=receptions,
        period_start=date(2024, 1, 1),
        period_end=date(2024, 12, 31),
    )
    assert report.compliant
    assert report.problems == ()
    assert report.rule is rules.OPERATION


def test_operation_problems_are_listed() -> None:
    meetings = [date(2024, 1, 10), date(2024, 3, 10), date(2024, 6, 1)]
    receptions = [date(2024, m, 5) for m in range(1, 13) if m != 8]
    report = operation_compliance(
        meeting_dates=meetings,
        assembly_dates=[],
        reception_dates=receptions,
        period_start=date(2024, 1, 1),
        period_end=date(2024, 12, 31),
    )
    assert not report.compliant
    assert report.problems == (
        "2024-03-10至2024-06-01间隔超过2个月未召开业委会会议",
        "自2024-06-01起至2024-12-31超过2个月未召开业委会会议",
        "2024-01-01至2024-12-31未召开业主大会",
        "2024年8月无业委会接待日",
    )


def test_meeting_before_the_period_anchors_the_first_gap() -> None:
    meetings = [date(2023, 12, 20), date(2024, 2, 20)]
    report = operation_compliance(
        meeting_dates=meetings,
        assembly_dates=[],
        reception_dates=[],
        period_start=date(2024, 1, 1),
        period_end=date(2024, 2, 29),
    )
    assert report.problems == ("2024年1月无业委会接待日", "2024年2月无业委会接待日")


def test_unfinished_month_and_year_are_not_judged() -> None:
    report = operation_compliance(
        meeting_dates=[date(2024, 3, 1)],
        assembly_dates=[],
        reception_dates=[date(2024, 3, 2)],
        period_start=date(2024, 3, 1),
        period_end=date(2024, 4, 15),
    )
    assert report.compliant


# --- the rule registry the timeline draws on (no test_rules.py in this layout) -------------------


def test_every_rule_is_registered_under_its_own_code() -> None:
    defined = [v for v in vars(rules).values() if isinstance(v, rules.Rule)]
    assert set(defined) == set(rules.ALL_RULES)
    assert len({r.code for r in rules.ALL_RULES}) == len(rules.ALL_RULES)
    for rule in rules.ALL_RULES:
        assert rules.rule_by_code(rule.code) is rule
        assert vars(rules)[rule.code] is rule  # the code is the constant's name
        assert rule.source.startswith(("《", "普陀区"))


def test_unknown_rule_code() -> None:
    with pytest.raises(KeyError, match="未知的规则代码"):
        rules.rule_by_code("NO_SUCH_RULE")


# --- 规范运作 over the last year: the one rule the summary and the dossier share ----------------


def test_the_review_covers_the_last_year_or_the_term_if_shorter() -> None:
    assert operation_review_start(date(2020, 1, 1), date(2026, 11, 24)) == date(2025, 11, 25)
    assert operation_review_start(date(2026, 6, 1), date(2026, 11, 24)) == date(2026, 6, 1)


def test_a_committee_that_met_received_and_assembled_is_compliant() -> None:
    today = date(2026, 11, 24)
    months = [date(2025, 11, 28), date(2025, 12, 10), *(date(2026, m, 10) for m in range(1, 12))]
    dates = {"业委会会议": months[1::2], "接待日": months, "业主大会": [date(2026, 4, 18)]}
    assert recent_operation(dates, term_start=date(2023, 1, 1), today=today).compliant
    without_march = {**dates, "接待日": [d for d in months if d.month != 3]}
    report = recent_operation(without_march, term_start=date(2023, 1, 1), today=today)
    assert report.problems == ("2026年3月无业委会接待日",)
