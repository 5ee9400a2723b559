"""业主大会 / 业委会 rules: size, term, formation, the 换届 timeline, term status and operation checks."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import Enum
from typing import Any, NamedTuple

from putuo_community.domain import rules
from putuo_community.domain.dates import add_months, add_years
from putuo_community.domain.rules import Rule

SMALL_ESTATE_AREA = Decimal(10_000)  # ㎡; "一万平方米以下" includes 10,000


def committee_size_problem(member_count: int, estate_floor_area: Decimal | None) -> str | None:
    """None when the committee size is lawful, else why not (规定 第二十条)."""
    if member_count == 3:
        if estate_floor_area is None:
            return "3人业委会仅限建筑面积1万㎡以下的小区，但小区建筑面积未登记"
        if estate_floor_area > SMALL_ESTATE_AREA:
            return f"3人业委会仅限建筑面积1万㎡以下的小区，本小区为{estate_floor_area}㎡"
        return None
    if member_count < 5:
        return f"业委会应由5人以上单数组成（1万㎡以下小区可为3人），现为{member_count}人"
    if member_count % 2 == 0:
        return f"业委会人数应为单数，现为{member_count}人"
    return None


def term_length_problem(start: date, end: date) -> str | None:
    """None when the term is 3–5 years, else why not.

    The end date may be written inclusively (2021-01-01 至 2023-12-31 is a 3-year term) or as the
    anniversary (至 2024-01-01); both are accepted, so the lower bound allows one day.
    """
    if end <= start:
        return "任期结束日期应晚于开始日期"
    if end < add_years(start, 3) - timedelta(days=1):
        return "任期不足3年"
    if end > add_years(start, 5):
        return "任期超过5年"
    return None


def formation_due_on(*, first_delivery_on: date | None, half_area_delivered_on: date | None) -> date | None:
    """When an 业主大会 is due: half the area delivered, or two years after the first delivery."""
    candidates = []
    if half_area_delivered_on is not None:
        candidates.append(half_area_delivered_on)
    if first_delivery_on is not None:
        candidates.append(add_years(first_delivery_on, 2))
    return min(candidates, default=None)


FORMATION_REPORT_DAYS = 30  # the developer's written report, from the day the conditions are met
PREP_GROUP_DAYS = 60  # the 街镇 forms the 筹备组, from the report
FIRST_ASSEMBLY_DAYS = 90  # the 筹备组 holds the first 业主大会, from its forming


def formation_report_due_on(ready_on: date) -> date:
    """The developer reports to the 街镇 within 30 days of the day the conditions are met."""
    return ready_on + timedelta(days=FORMATION_REPORT_DAYS)


def prep_group_due_on(*, ready_on: date, report_on: date | None) -> date:
    """The 街镇 forms the 筹备组 within 60 days of the report (规定 第十五条).

    Until a report is recorded the 60 days run from the last day the developer had to give it
    (conditions + 30 days): the 街镇 cannot be late before the developer is.
    """
    return (report_on or formation_report_due_on(ready_on)) + timedelta(days=PREP_GROUP_DAYS)


def first_assembly_due_on(prep_group_on: date) -> date:
    return prep_group_on + timedelta(days=FIRST_ASSEMBLY_DAYS)


# --- 换届 timeline --------------------------------------------------------------


class RenewalEvents(NamedTuple):
    """What has happened so far in one 换届; None = not yet."""

    report_on: date | None = None
    group_formed_on: date | None = None
    seals_handover_on: date | None = None
    election_on: date | None = None
    filed_on: date | None = None
    audit_on: date | None = None


def renewal_events(term: Mapping[str, Any]) -> RenewalEvents:
    """The 换届 steps recorded on a 业委会届次 record (its values, keyed as the register declares them)."""
    return RenewalEvents(
        report_on=term.get("renewal_report_on"),
        group_formed_on=term.get("renewal_group_on"),
        seals_handover_on=term.get("seals_handover_on"),
        election_on=term.get("renewal_election_on"),
        filed_on=term.get("renewal_filed_on"),
        audit_on=term.get("renewal_audit_on"),
    )


class Milestone(NamedTuple):
    """One 换届 step. A named tuple: a district's reminders make tens of thousands of them at a time."""

    key: str
    label: str
    due_on: date | None
    done_on: date | None
    rule: Rule

    @property
    def is_done(self) -> bool:
        return self.done_on is not None

    def is_overdue(self, today: date) -> bool:
        return self.done_on is None and self.due_on is not None and today > self.due_on

    def is_due_within(self, today: date, days: int) -> bool:
        """Not done and due between today and ``days`` from now (inclusive); overdue ones excluded."""
        if self.done_on is not None or self.due_on is None:
            return False
        return today <= self.due_on <= today + timedelta(days=days)


FILING_DAYS = 30  # 备案 after an election, first or renewal (规定 第二十三条、第二十九条)
RENEWAL_AUDIT_MONTHS = 1  # 换届审计 after the election


def filing_due_on(elected_on: date) -> date:
    """备案 within 30 days of the election: 2025-07-10 gives 2025-08-09."""
    return elected_on + timedelta(days=FILING_DAYS)


def renewal_audit_due_on(elected_on: date) -> date:
    """换届审计 within one calendar month of the election (clamped: 01-31 gives 02-28/29)."""
    return add_months(elected_on, RENEWAL_AUDIT_MONTHS)


def renewal_timeline(term_end: date, events: RenewalEvents) -> tuple[Milestone, ...]:
    """The six 换届 steps with due dates from the term end T; later steps chain from actual dates."""
    report_due = add_months(term_end, -5)
    group_due = (events.report_on or report_due) + timedelta(days=60)
    seals_due = (events.group_formed_on or group_due) + timedelta(days=10)
    election_due = term_end - timedelta(days=1)
    elected = events.election_on or election_due
    return (
        Milestone("report", "向街镇书面报告换届", report_due, events.report_on, rules.RENEWAL_REPORT),
        Milestone("group", "组建换届改选小组", group_due, events.group_formed_on, rules.RENEWAL_GROUP),
        Milestone("seals", "移交印章和档案资料", seals_due, events.seals_handover_on, rules.SEALS_HANDOVER),
        Milestone("election", "选举新一届业委会", election_due, events.election_on, rules.RENEWAL_ELECTION),
        *election_follow_up(elected, filed_on=events.filed_on, audit_on=events.audit_on),
    )


def election_follow_up(
    elected_on: date, *, filed_on: date | None, audit_on: date | None, first_term: bool = False
) -> tuple[Milestone, ...]:
    """What an election leaves to do: 备案 within 30 days and, after a 换届, the 换届审计 within a month.

    These outlive the old term: once the new term is entered they are still owed until recorded,
    on the old term (换届备案日期, 换届审计日期) or, for the 备案, on the new term (备案日期).
    A first committee (首届) has no predecessor to audit: only its 备案.
    """
    if first_term:
        return (Milestone("filing", "办理首届业委会备案", filing_due_on(elected_on), filed_on, rules.RENEWAL_FILING),)
    return (
        Milestone("filing", "办理换届备案", filing_due_on(elected_on), filed_on, rules.RENEWAL_FILING),
        Milestone("audit", "完成换届审计", renewal_audit_due_on(elected_on), audit_on, rules.RENEWAL_AUDIT),
    )


def election_day_of(*, elected_on: date | None, predecessor_election_on: date | None, start_on: date) -> date:
    """The election a term's 备案 and 换届审计 count from.

    The old term's 换届选举日期 first (the reminders before the new term was entered counted from
    it, so the due dates do not move when it is entered), then the term's own 选举日期, then its
    start (a term is elected on or before it starts: the latest the election can have been).
    """
    return predecessor_election_on or elected_on or start_on


def overdue_milestones(term_end: date, events: RenewalEvents, today: date) -> tuple[Milestone, ...]:
    return tuple(m for m in renewal_timeline(term_end, events) if m.is_overdue(today))


# --- term status and early re-election --------------------------------------------


class TermState(Enum):
    NOT_STARTED = "未开始"
    IN_TERM = "任期内"
    EXPIRING = "即将届满"
    OVERDUE = "届满未换届"
    ENDED = "已换届"

    @property
    def label(self) -> str:
        return self.value


EXPIRING_MONTHS = 6


def committee_term_status(term_start: date, term_end: date, today: date, *, renewed: bool) -> TermState:
    if renewed:
        return TermState.ENDED
    if today < term_start:
        return TermState.NOT_STARTED
    if today > term_end:
        return TermState.OVERDUE
    if today >= add_months(term_end, -EXPIRING_MONTHS):
        return TermState.EXPIRING
    return TermState.IN_TERM


def needs_early_reelection(
    *, original_members: int, remaining_members: int, last_activity_on: date | None, today: date
) -> bool:
    """规定 第三十二条: fewer than half the members remain, or no activity for six months.

    No recorded activity at all (None) is not treated as inactivity: it usually means not yet entered.
    """
    if original_members <= 0 or not 0 <= remaining_members <= original_members:
        raise ValueError("委员人数不正确：现有人数应在0与原有人数之间，原有人数须大于0")
    if remaining_members * 2 < original_members:
        return True
    return last_activity_on is not None and today > add_months(last_activity_on, 6)


INACTIVITY_MONTHS = 6


def members_below_half_on(*, original_members: int, recorded_members: int, departures: Iterable[date]) -> date | None:
    """The day fewer than half of a committee's members remain (规定 第三十二条), or None.

    `original_members` is the number the term started with (委员人数, else the members ever recorded
    on it), `recorded_members` those recorded on it, `departures` their 离任日期; 候补委员 are left
    out of all three by the caller. A member no longer counts from their 离任日期 on, so the day is
    a recorded departure: the day fewer than half remain, the reminder's due date (it is not
    overdue that day, and is the day after). A member list shorter than the seats from the start is
    incomplete data, not a committee that lost its members: without a departure, None.
    """
    if original_members <= 0:
        return None
    for gone, day in enumerate(sorted(departures), start=1):
        remaining = min(recorded_members - gone, original_members)
        if remaining * 2 < original_members:
            return day
    return None


def inactivity_deadline(*, term_start: date, last_activity_on: date | None) -> date | None:
    """The last day of the six months a committee in term may go without any activity (第三十二条).

    Counted from its latest 运作记录 of any kind, or from the term start when it has none since (a
    committee cannot idle before it takes office). From the day after, `needs_early_reelection`
    holds: the reminder is due on this day and overdue from the next. None when the estate has no
    运作记录 at all: that says the register is not kept for it yet, not that the committee is idle,
    and reading it so would flag every estate whose meetings are not entered.
    """
    if last_activity_on is None:
        return None
    return add_months(max(term_start, last_activity_on), INACTIVITY_MONTHS)


def committee_member_count(*, seats: int | None, current_members: int) -> int | None:
    """The size a committee is judged by: its 委员人数 when filled, else its current members counted
    (not left, not 候补委员); None when neither is recorded (nothing to judge)."""
    if seats:
        return seats
    return current_members or None


# --- operation ---------------------------------------------------------------------


@dataclass(frozen=True)
class OperationReport:
    problems: tuple[str, ...]
    rule: Rule = rules.OPERATION

    @property
    def compliant(self) -> bool:
        return not self.problems


MEETING_INTERVAL_MONTHS = 2


def _meeting_gaps(meetings: list[date], start: date, end: date) -> list[str]:
    # Anchor on the last meeting before the period, if known; otherwise on the period start.
    before = [d for d in meetings if d < start]
    anchor = max(before) if before else start
    problems = []
    for d in (d for d in meetings if start <= d <= end):
        if d > add_months(anchor, MEETING_INTERVAL_MONTHS):
            problems.append(f"{anchor.isoformat()}至{d.isoformat()}间隔超过2个月未召开业委会会议")
        anchor = d
    if end > add_months(anchor, MEETING_INTERVAL_MONTHS):
        problems.append(f"自{anchor.isoformat()}起至{end.isoformat()}超过2个月未召开业委会会议")
    return problems


def _assembly_gaps(assemblies: list[date], start: date, end: date) -> list[str]:
    # Whole 12-month windows from the period start; a trailing partial year cannot be judged yet.
    problems = []
    window_start = start
    while (window_end := add_months(window_start, 12) - timedelta(days=1)) <= end:
        if not any(window_start <= d <= window_end for d in assemblies):
            problems.append(f"{window_start.isoformat()}至{window_end.isoformat()}未召开业主大会")
        window_start = window_end + timedelta(days=1)
    return problems


def _reception_gaps(receptions: list[date], start: date, end: date) -> list[str]:
    # Every calendar month touching the period, except a month that has not ended by `end`. Counted as
    # (year, month) numbers: a district's summary checks some 18,000 committees' years of months.
    months_with_reception = {(d.year, d.month) for d in receptions}
    ended = end.month if (end + timedelta(days=1)).day == 1 else end.month - 1
    last = (end.year, ended) if ended else (end.year - 1, 12)
    problems = []
    year, month = start.year, start.month
    while (year, month) <= last:
        if (year, month) not in months_with_reception:
            problems.append(f"{year}年{month}月无业委会接待日")
        year, month = (year, month + 1) if month < 12 else (year + 1, 1)
    return problems


def operation_compliance(
    *,
    meeting_dates: Iterable[date],
    assembly_dates: Iterable[date],
    reception_dates: Iterable[date],
    period_start: date,
    period_end: date,
) -> OperationReport:
    """Check a period against: meetings every 2 months, an 业主大会 each year, a reception day each month."""
    if period_end < period_start:
        raise ValueError("检查期间的结束日期早于开始日期")
    problems = (
        _meeting_gaps(sorted(meeting_dates), period_start, period_end)
        + _assembly_gaps(list(assembly_dates), period_start, period_end)
        + _reception_gaps(list(reception_dates), period_start, period_end)
    )
    return OperationReport(tuple(problems))


OPERATION_REVIEW_MONTHS = 12  # 规范运作 is judged over the last year of the current term


def operation_review_start(term_start: date, today: date) -> date:
    """The first day of the 规范运作 review: a year back from `today`, or the term start if later."""
    return max(term_start, add_months(today, -OPERATION_REVIEW_MONTHS) + timedelta(days=1))


# The 运作记录 kinds 规范运作 is judged on.
MEETING_KIND, ASSEMBLY_KIND, RECEPTION_KIND = "业委会会议", "业主大会", "接待日"
OPERATION_KINDS = (MEETING_KIND, ASSEMBLY_KIND, RECEPTION_KIND)


def recent_operation(dates_by_kind: Mapping[str, Iterable[date]], *, term_start: date, today: date) -> OperationReport:
    """规范运作 of a committee in term, from its 运作记录 dates keyed by kind (业委会会议, 业主大会, 接待日)."""
    return operation_compliance(
        meeting_dates=dates_by_kind.get(MEETING_KIND, ()),
        assembly_dates=dates_by_kind.get(ASSEMBLY_KIND, ()),
        reception_dates=dates_by_kind.get(RECEPTION_KIND, ()),
        period_start=operation_review_start(term_start, today),
        period_end=today,
    )


# --- annual audit ------------------------------------------------------------------

ANNUAL_AUDIT_REPORT_BY = (6, 30)  # the audit of year Y−1 reports by Y-06-30


def annual_audit_due_on(audit_year: int) -> date:
    """The audit of `audit_year` (its 1 January – 31 December) reports by 30 June of the next year."""
    month, day = ANNUAL_AUDIT_REPORT_BY
    return date(audit_year + 1, month, day)


def annual_audit_years(*, today: date, ahead_days: int, applies: tuple[date | None, date | None]) -> tuple[int, ...]:
    """The audit years whose 年度审计 can be owed as of `today`, for any estate.

    The audit of year Y−1 is due Y-06-30. A year counts when its due date falls within the days the
    rule `applies` (never one due before its document took effect) and is at most `ahead_days`
    away: reminded from `ahead_days` before, overdue from the day after.
    """
    first, last = applies
    year = (first or today).year - 1
    if first is not None and annual_audit_due_on(year) < first:
        year += 1
    years = []
    while (due := annual_audit_due_on(year)) - timedelta(days=ahead_days) <= today:
        if last is not None and due > last:
            break
        years.append(year)
        year += 1
    return tuple(years)


def annual_audits_owed(
    audit_years: Iterable[int], *, assembly_year: int | None, audited_in: Collection[int]
) -> tuple[int, ...]:
    """Which of `audit_years` (from `annual_audit_years`) an estate's 业主大会 has not had audited.

    The audit of year Y−1 is done by a 运作记录 of kind 审计 dated in year Y, 1 January to
    31 December (a late audit still completes it); `audited_in` are the years of those records. A
    year is owed only when the 业主大会 existed by the end of the audited year: `assembly_year` is
    the year it was formed (or its first committee took office), None when it exists but since
    when is not recorded.
    """
    years = tuple(audit_years)
    if not audited_in and (assembly_year is None or (years and assembly_year <= years[0])):
        return years  # the usual case at district scale: nothing recorded, every year owed
    return tuple(
        year for year in years if (assembly_year is None or assembly_year <= year) and year + 1 not in audited_in
    )
