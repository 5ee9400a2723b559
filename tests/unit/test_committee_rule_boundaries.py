"""The 业委会 date rules of issue 10 on their edges: the day before, of and after each deadline."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from putuo_community.domain import rules
from putuo_community.domain.committee import (
    annual_audit_due_on,
    annual_audit_years,
    annual_audits_owed,
    committee_member_count,
    committee_size_problem,
    election_day_of,
    election_follow_up,
    filing_due_on,
    first_assembly_due_on,
    formation_report_due_on,
    inactivity_deadline,
    members_below_half_on,
    needs_early_reelection,
    prep_group_due_on,
    renewal_audit_due_on,
)

DAY = timedelta(days=1)

# --- 筹备组: the developer reports within 30 days, the 街镇 forms it within 60 of the report ------


def test_the_report_is_due_thirty_days_after_the_conditions() -> None:
    assert formation_report_due_on(date(2026, 6, 1)) == date(2026, 7, 1)


def test_the_prep_group_counts_sixty_days_from_the_report_not_from_the_conditions() -> None:
    ready = date(2026, 6, 1)
    assert prep_group_due_on(ready_on=ready, report_on=date(2026, 6, 10)) == date(2026, 8, 9)
    # A report on the last allowed day and no report at all give the same deadline.
    assert prep_group_due_on(ready_on=ready, report_on=date(2026, 7, 1)) == date(2026, 8, 30)
    assert prep_group_due_on(ready_on=ready, report_on=None) == date(2026, 8, 30)
    # A late report moves the 街镇's deadline with it.
    assert prep_group_due_on(ready_on=ready, report_on=date(2026, 7, 2)) == date(2026, 8, 31)


def test_the_first_assembly_is_due_ninety_days_after_the_prep_group() -> None:
    assert first_assembly_due_on(date(2026, 1, 1)) == date(2026, 4, 1)


# --- 备案 and 换届审计 after an election ------------------------------------------------------


def test_filing_and_audit_after_the_issue_s_election() -> None:
    elected = date(2025, 7, 10)
    assert filing_due_on(elected) == date(2025, 8, 9)
    assert renewal_audit_due_on(elected) == date(2025, 8, 10)


def test_the_audit_month_clamps_to_the_month_end() -> None:
    assert renewal_audit_due_on(date(2025, 1, 31)) == date(2025, 2, 28)
    assert renewal_audit_due_on(date(2024, 1, 31)) == date(2024, 2, 29)


@pytest.mark.parametrize(
    ("today", "overdue"), [(date(2025, 8, 8), False), (date(2025, 8, 9), False), (date(2025, 8, 10), True)]
)
def test_filing_is_overdue_only_after_its_thirtieth_day(today: date, overdue: bool) -> None:
    filing = election_follow_up(date(2025, 7, 10), filed_on=None, audit_on=None)[0]
    assert filing.key == "filing"
    assert filing.is_overdue(today) is overdue


def test_a_recorded_filing_or_audit_is_done() -> None:
    steps = election_follow_up(date(2025, 7, 10), filed_on=date(2025, 8, 20), audit_on=None)
    assert [(m.key, m.is_done) for m in steps] == [("filing", True), ("audit", False)]
    assert [m.rule for m in steps] == [rules.RENEWAL_FILING, rules.RENEWAL_AUDIT]


def test_a_first_committee_owes_its_filing_and_no_renewal_audit() -> None:
    steps = election_follow_up(date(2026, 3, 1), filed_on=None, audit_on=None, first_term=True)
    assert [(m.key, m.label, m.due_on) for m in steps] == [("filing", "办理首届业委会备案", date(2026, 3, 31))]


def test_the_election_is_counted_from_the_old_term_then_the_new_term_then_its_start() -> None:
    start = date(2025, 8, 1)
    assert election_day_of(elected_on=date(2025, 7, 12), predecessor_election_on=date(2025, 7, 10), start_on=start) == (
        date(2025, 7, 10)
    )
    assert election_day_of(elected_on=date(2025, 7, 12), predecessor_election_on=None, start_on=start) == date(
        2025, 7, 12
    )
    assert election_day_of(elected_on=None, predecessor_election_on=None, start_on=start) == start


# --- committee size ---------------------------------------------------------------------------


def test_the_size_is_the_seats_when_filled_else_the_current_members() -> None:
    assert committee_member_count(seats=7, current_members=4) == 7
    assert committee_member_count(seats=None, current_members=6) == 6
    assert committee_member_count(seats=None, current_members=0) is None  # nothing recorded: not judged


def test_six_members_and_three_on_a_large_estate_are_unlawful_three_on_ten_thousand_is_not() -> None:
    assert committee_size_problem(6, Decimal(8000)) == "业委会人数应为单数，现为6人"
    assert committee_size_problem(3, Decimal(50000)) is not None
    assert committee_size_problem(3, Decimal("10000.00")) is None
    assert committee_size_problem(3, Decimal("10000.01")) is not None


# --- early re-election: fewer than half the members ------------------------------------------


def test_fewer_than_half_from_the_departure_that_makes_it_so() -> None:
    departures = [date(2026, 3, 1), date(2026, 1, 10), date(2026, 5, 20)]
    # 7 started; after two departures 5 remain, after the third 4 (4 × 2 ≥ 7): never fewer than half.
    assert members_below_half_on(original_members=7, recorded_members=7, departures=departures) is None
    # 5 started: 2 remain after the third departure (2 × 2 < 5), on 2026-05-20.
    assert members_below_half_on(original_members=5, recorded_members=5, departures=departures) == date(2026, 5, 20)


def test_exactly_half_remaining_is_not_fewer_than_half() -> None:
    departures = [date(2026, 1, 1)] * 3
    assert members_below_half_on(original_members=6, recorded_members=6, departures=departures) is None
    assert members_below_half_on(
        original_members=6, recorded_members=6, departures=[*departures, date(2026, 2, 1)]
    ) == (date(2026, 2, 1))


def test_a_short_member_list_is_incomplete_data_not_a_lost_committee() -> None:
    assert members_below_half_on(original_members=7, recorded_members=2, departures=[]) is None
    # Members recorded beyond the seats (replacements) count only up to the seats: 8 on 5 seats,
    # 3 remain after five departures (not fewer than half), 2 after the sixth.
    gone = [date(2026, 1, 1)] * 5
    assert members_below_half_on(original_members=5, recorded_members=8, departures=gone) is None
    assert members_below_half_on(original_members=5, recorded_members=8, departures=[*gone, date(2026, 2, 1)]) == (
        date(2026, 2, 1)
    )


@pytest.mark.parametrize(
    ("today", "expected"), [(date(2026, 5, 19), False), (date(2026, 5, 20), True), (date(2026, 5, 21), True)]
)
def test_a_member_no_longer_counts_from_the_day_they_leave(today: date, expected: bool) -> None:
    left = [date(2026, 1, 10), date(2026, 3, 1), date(2026, 5, 20)]
    remaining = 5 - sum(1 for d in left if d <= today)
    assert needs_early_reelection(
        original_members=5, remaining_members=remaining, last_activity_on=None, today=today
    ) is (expected)
    due = members_below_half_on(original_members=5, recorded_members=5, departures=left)
    assert due == date(2026, 5, 20)
    assert (due is not None and today >= due) is expected


# --- early re-election: six months without activity -------------------------------------------


@pytest.mark.parametrize(
    ("today", "idle"), [(date(2026, 9, 2), False), (date(2026, 9, 3), False), (date(2026, 9, 4), True)]
)
def test_six_months_idle_run_out_on_the_deadline_and_count_from_the_next_day(today: date, idle: bool) -> None:
    last = date(2026, 3, 3)
    deadline = inactivity_deadline(term_start=date(2024, 1, 1), last_activity_on=last)
    assert deadline == date(2026, 9, 3)
    assert needs_early_reelection(original_members=5, remaining_members=5, last_activity_on=last, today=today) is idle
    assert (today > deadline) is idle  # the reminder is overdue exactly when the rule holds


def test_six_months_from_a_month_end_clamp() -> None:
    assert inactivity_deadline(term_start=date(2024, 1, 1), last_activity_on=date(2026, 8, 31)) == date(2027, 2, 28)


def test_a_committee_cannot_idle_before_it_takes_office() -> None:
    # Last activity under the old committee: the new one's six months run from its start.
    assert inactivity_deadline(term_start=date(2026, 4, 1), last_activity_on=date(2025, 12, 1)) == date(2026, 10, 1)


def test_an_estate_without_any_activity_recorded_is_not_judged_idle() -> None:
    assert inactivity_deadline(term_start=date(2020, 1, 1), last_activity_on=None) is None


# --- annual audit by 30 June -------------------------------------------------------------------

APPLIES = rules.ANNUAL_AUDIT.applies_between()


def test_the_audit_of_a_year_reports_by_the_next_30_june() -> None:
    assert annual_audit_due_on(2025) == date(2026, 6, 30)


@pytest.mark.parametrize(
    ("today", "years"),
    [
        (date(2026, 5, 30), ()),  # 31 days before 2026-06-30: not yet reminded
        (date(2026, 5, 31), (2025,)),  # 30 days before: reminded
        (date(2026, 6, 30), (2025,)),
        (date(2027, 5, 31), (2025, 2026)),
        (date(2031, 1, 1), (2025, 2026, 2027, 2028, 2029)),  # none due after the document lapses (2030-12-31)
    ],
)
def test_audit_years_are_reminded_thirty_days_ahead(today: date, years: tuple[int, ...]) -> None:
    assert annual_audit_years(today=today, ahead_days=30, applies=APPLIES) == years


def test_no_audit_is_due_before_the_rule_applies() -> None:
    assert APPLIES[0] == date(2026, 3, 1)
    # The audit of 2024 would be due 2025-06-30, before 2026-03-01: never generated.
    assert 2024 not in annual_audit_years(today=date(2027, 1, 1), ahead_days=180, applies=APPLIES)
    # A rule applying from 2026-07-01 starts with the audit of 2026.
    assert annual_audit_years(today=date(2027, 6, 1), ahead_days=30, applies=(date(2026, 7, 1), None)) == (2026,)


@pytest.mark.parametrize(
    ("audited", "owed"),
    [
        (date(2025, 12, 31), (2025,)),  # the day before the audit year: does not count
        (date(2026, 1, 1), ()),
        (date(2026, 12, 31), ()),  # late, but it completes the audit of 2025
        (date(2027, 1, 1), (2025,)),  # that is the audit of 2026
    ],
)
def test_an_audit_dated_in_the_due_year_completes_it(audited: date, owed: tuple[int, ...]) -> None:
    assert annual_audits_owed((2025,), assembly_year=None, audited_in={audited.year}) == owed


@pytest.mark.parametrize(("formed", "owed"), [(2025, (2025, 2026)), (2026, (2026,)), (2027, ()), (None, (2025, 2026))])
def test_an_assembly_formed_after_the_audited_year_owes_nothing_for_it(
    formed: int | None, owed: tuple[int, ...]
) -> None:
    assert annual_audits_owed((2025, 2026), assembly_year=formed, audited_in=()) == owed


def test_audits_recorded_for_some_years_leave_the_others_owed() -> None:
    assert annual_audits_owed((2025, 2026, 2027), assembly_year=2020, audited_in={2027}) == (2025, 2027)
