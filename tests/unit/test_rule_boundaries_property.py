"""The property-contract, lift and repair-fund rules on their edges: day before, of and after; amounts at the limit."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from putuo_community.domain.contracts import (
    notice_deadline,
    notice_is_late,
    open_ended_leaving_on,
    temporary_service_problem,
    temporary_service_until,
)
from putuo_community.domain.fund import Publication, publication_of_half_year, publications_to_remind
from putuo_community.domain.lifts import (
    assessment_counts_from,
    needs_assessment,
    needs_risk_plan,
    price_audit_missing,
    risk_plan_due_on,
)

# -- 账目公布: every January and July -------------------------------------------------------------

JANUARY_2026 = Publication(date(2026, 1, 31), date(2026, 1, 1), date(2026, 6, 30))
JULY_2026 = Publication(date(2026, 7, 31), date(2026, 7, 1), date(2026, 12, 31))
JANUARY_2027 = Publication(date(2027, 1, 31), date(2027, 1, 1), date(2027, 6, 30))


@pytest.mark.parametrize(
    ("day", "publication"),
    [
        (date(2026, 1, 1), JANUARY_2026),
        (date(2026, 6, 30), JANUARY_2026),
        (date(2026, 7, 1), JULY_2026),
        (date(2026, 12, 31), JULY_2026),
    ],
)
def test_each_half_year_has_its_publication(day: date, publication: Publication) -> None:
    assert publication_of_half_year(day) == publication


@pytest.mark.parametrize(
    ("published_on", "done"),
    [
        (None, False),
        (date(2026, 6, 30), False),  # the January publication: it does not count for July
        (date(2026, 7, 1), True),  # the first day of the publication month
        (date(2026, 7, 31), True),  # the due date
        (date(2026, 8, 1), True),  # late, but the half-year's accounts are published
        (date(2026, 12, 31), True),
        (date(2027, 1, 1), False),  # that is the next half-year's
    ],
)
def test_a_publication_counts_from_its_month_to_the_end_of_its_half_year(published_on: date | None, done: bool) -> None:
    assert JULY_2026.done_by(published_on) is done


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 6, 30), (JANUARY_2026,)),  # 31 days before 07-31: not yet
        (date(2026, 7, 1), (JULY_2026,)),  # 30 days before: reminded
        (date(2026, 7, 31), (JULY_2026,)),  # due today
        (date(2026, 8, 1), (JULY_2026,)),  # overdue for the rest of the half-year
        (date(2026, 12, 31), (JULY_2026,)),  # 31 days before 01-31: not yet
        (date(2027, 1, 1), (JANUARY_2027,)),
    ],
)
def test_publications_are_reminded_from_thirty_days_before(today: date, expected: tuple[Publication, ...]) -> None:
    assert publications_to_remind(today, 30) == expected


def test_reminded_further_ahead_the_next_publication_shows_before_its_half_year() -> None:
    assert publications_to_remind(date(2026, 12, 31), 31) == (JULY_2026, JANUARY_2027)
    assert publications_to_remind(date(2026, 12, 30), 31) == (JULY_2026,)


def test_with_no_days_ahead_the_publication_shows_on_its_due_date() -> None:
    assert publications_to_remind(date(2026, 7, 30), 0) == ()
    assert publications_to_remind(date(2026, 7, 31), 0) == (JULY_2026,)


# -- 物业服务合同: notice and temporary service ----------------------------------------------------


def test_a_fixed_term_notice_is_late_from_the_89th_day_before_the_end() -> None:
    end = date(2027, 3, 31)
    assert notice_deadline(end) == date(2026, 12, 31)
    assert not notice_is_late(date(2026, 12, 30), end)  # 91 days before
    assert not notice_is_late(date(2026, 12, 31), end)  # exactly 90 days before: in time
    assert notice_is_late(date(2027, 1, 1), end)  # 89 days before: late
    assert not notice_is_late(None, end)
    assert not notice_is_late(date(2027, 1, 1), None)


def test_an_open_ended_company_leaves_sixty_days_after_its_notice() -> None:
    assert open_ended_leaving_on(date(2026, 11, 1)) == date(2026, 12, 31)
    assert open_ended_leaving_on(date(2027, 1, 1)) == date(2027, 3, 2)


@pytest.mark.parametrize(
    ("end", "refused"),
    [
        (date(2026, 7, 14), False),  # written inclusively
        (date(2026, 7, 15), False),  # the 6-month anniversary
        (date(2026, 7, 16), True),
    ],
)
def test_temporary_service_lasts_at_most_six_months(end: date, refused: bool) -> None:
    problem = temporary_service_problem("临时物业服务", date(2026, 1, 15), end)
    assert (problem is not None) is refused
    if refused:
        assert problem == "临时物业服务期限不得超过6个月，结束日期最晚为2026-07-15"


def test_six_months_from_a_month_end_clamps_and_other_kinds_are_not_limited() -> None:
    assert temporary_service_until(date(2026, 8, 31)) == date(2027, 2, 28)
    assert temporary_service_problem("临时物业服务", date(2026, 8, 31), date(2027, 2, 28)) is None
    assert temporary_service_problem("临时物业服务", date(2026, 8, 31), date(2027, 3, 1)) is not None
    assert temporary_service_problem("物业服务", date(2026, 1, 1), date(2029, 12, 31)) is None
    assert temporary_service_problem("临时物业服务", date(2026, 1, 1), None) is None


# -- 电梯: the assessment window, Ⅱ类 plans, 审价 --------------------------------------------------


def test_an_assessment_in_the_year_before_the_15th_anniversary_counts() -> None:
    first = date(2010, 6, 15)  # 15 years on 2025-06-15
    later = date(2025, 7, 1)
    assert assessment_counts_from(first) == date(2024, 6, 15)
    assert needs_assessment(first, date(2024, 6, 14), later)  # a year and a day before: too early
    assert not needs_assessment(first, date(2024, 6, 15), later)  # a year before: counts
    assert not needs_assessment(first, date(2024, 6, 16), later)
    assert not needs_assessment(first, date(2025, 5, 15), later)  # a month before (the case)
    assert needs_assessment(first, None, later)


def test_nothing_is_needed_before_the_anniversary_even_without_an_assessment() -> None:
    first = date(2010, 6, 15)
    assert not needs_assessment(first, None, date(2025, 6, 14))
    assert needs_assessment(first, None, date(2025, 6, 15))
    assert needs_assessment(first, None, date(2025, 6, 16))


def test_the_window_of_a_lift_first_used_on_2_29_opens_on_2_28() -> None:
    first = date(2008, 2, 29)  # 15 years on 2023-02-28
    assert assessment_counts_from(first) == date(2022, 2, 28)
    assert needs_assessment(first, date(2022, 2, 27), date(2023, 3, 1))
    assert not needs_assessment(first, date(2022, 2, 28), date(2023, 3, 1))


@pytest.mark.parametrize(
    ("risk_class", "plan_on", "status", "needed"),
    [
        ("Ⅱ类", None, None, True),
        ("Ⅱ类", None, "未启动", True),
        ("Ⅱ类", None, "实施中", True),
        ("Ⅱ类", None, "已完成", False),
        ("Ⅱ类", date(2026, 5, 1), None, False),
        ("Ⅰ类", None, None, False),  # a Ⅰ类 lift is stopped and repaired, not planned around
        ("无", None, None, False),
        (None, None, None, False),
    ],
)
def test_a_class_two_lift_needs_a_risk_plan(
    risk_class: str | None, plan_on: date | None, status: str | None, needed: bool
) -> None:
    assert needs_risk_plan(risk_class, plan_on, status) is needed


def test_the_risk_plan_is_due_the_local_days_after_the_assessment() -> None:
    assert risk_plan_due_on(date(2026, 1, 31), 30) == date(2026, 3, 2)
    assert risk_plan_due_on(date(2026, 1, 31), 1) == date(2026, 2, 1)
    assert risk_plan_due_on(None, 30) is None


@pytest.mark.parametrize(
    ("cost", "audited_on", "missing"),
    [
        ("49999.99", None, False),
        ("50000", None, False),  # exactly ¥50,000: not over
        ("50000.00", None, False),
        ("50000.01", None, True),
        ("50000.01", date(2026, 3, 1), False),
        (None, None, False),
    ],
)
def test_works_over_fifty_thousand_need_a_price_audit(cost: str | None, audited_on: date | None, missing: bool) -> None:
    assert price_audit_missing(Decimal(cost) if cost else None, audited_on) is missing
