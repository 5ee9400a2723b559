"""业委会 reminders: forming the first 业主大会 and committee, the 换届 of each term, the 备案 and
换届审计 an election leaves, the committee's size, early re-election and the annual audit.

One query per kind of deadline; the counts and dates a rule needs per term or estate (members,
latest activity, audit years) come from GROUP BY subqueries, never a query per estate.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from typing import Any

from sqlalchemy import and_, case, extract, func, or_, select

from putuo_community.domain import rules
from putuo_community.domain.committee import (
    INACTIVITY_MONTHS,
    SMALL_ESTATE_AREA,
    annual_audit_due_on,
    annual_audit_years,
    annual_audits_owed,
    committee_member_count,
    committee_size_problem,
    election_day_of,
    election_follow_up,
    first_assembly_due_on,
    formation_due_on,
    formation_report_due_on,
    inactivity_deadline,
    members_below_half_on,
    prep_group_due_on,
    renewal_events,
    renewal_timeline,
)
from putuo_community.domain.dates import add_months
from putuo_community.services.reminders.core import DATE_SLACK, Reminder, Scan, is_latest
from putuo_community.storage.schema import TABLES

ALTERNATE = "候补委员"  # not counted in a committee's size nor in its members remaining
FIRST_TERM = "首届"
AUDIT_KIND = "审计"


def reminders(scan: Scan) -> Iterator[Reminder]:
    """Formation for estates without any term; the 换届 steps of each estate's latest term; the
    备案 and 换届审计 of the election that made it; its size and early re-election while in term;
    the annual audit of each estate with an 业主大会."""
    yield from _formation(scan)
    yield from _renewals(scan)
    yield from _elections(scan)
    yield from _current_terms(scan)
    yield from _annual_audits(scan)


def _found(*found: Reminder | None) -> Iterator[Reminder]:
    yield from (r for r in found if r is not None)


# --- formation ---------------------------------------------------------------------------


def _formation(scan: Scan) -> Iterator[Reminder]:
    estates, terms = TABLES["estates"], TABLES["committee_terms"]
    no_term = ~select(terms.c.id).where(terms.c.estate_id == estates.c.id).exists()
    for estate in scan.rows(
        estates,
        estates.c.id.label("estate_id"),
        estates.c.first_delivery_on,
        estates.c.half_delivered_on,
        estates.c.formation_report_on,
        estates.c.prep_group_on,
        where=and_(
            no_term,
            estates.c.first_assembly_on.is_(None),
            or_(estates.c.first_delivery_on.is_not(None), estates.c.half_delivered_on.is_not(None)),
        ),
    ):
        ready = formation_due_on(
            first_delivery_on=estate.first_delivery_on, half_area_delivered_on=estate.half_delivered_on
        )
        if ready is None:
            continue
        if estate.prep_group_on is not None:
            yield from _found(
                scan.reminder(
                    estate,
                    "业委会组建",
                    "首次业主大会",
                    f"筹备组已于{estate.prep_group_on.isoformat()}成立，应自成立之日起90日内召开首次业主大会",
                    first_assembly_due_on(estate.prep_group_on),
                    rules.FIRST_ASSEMBLY,
                )
            )
            continue
        report = estate.formation_report_on
        if report is None:
            yield from _found(
                scan.reminder(
                    estate,
                    "业委会组建",
                    "成立业主大会报告",
                    f"自具备成立业主大会条件之日（{ready.isoformat()}）起30日内，建设单位应向街镇书面报告并报送筹备资料",
                    formation_report_due_on(ready),
                    rules.FORMATION_REPORT,
                )
            )
            counted_from = f"未登记建设单位报告日期，自报告期限（{formation_report_due_on(ready).isoformat()}）起算"
        else:
            counted_from = f"自建设单位书面报告之日（{report.isoformat()}）起算"
        yield from _found(
            scan.reminder(
                estate,
                "业委会组建",
                "筹备组",
                f"街镇应在60日内组建筹备组（{counted_from}）",
                prep_group_due_on(ready_on=ready, report_on=report),
                rules.PREP_GROUP,
            )
        )


# --- 换届 of the latest term -------------------------------------------------------------

_TERM_COLUMNS = (
    "term_no",
    "end_on",
    "dissolved_on",
    "renewal_report_on",
    "renewal_group_on",
    "seals_handover_on",
    "renewal_election_on",
    "renewal_filed_on",
    "renewal_audit_on",
)


def _renewals(scan: Scan) -> Iterator[Reminder]:
    terms = TABLES["committee_terms"]
    # The watch starts 6 months before the term end: later ends are not watched yet.
    watch_until = add_months(scan.today, scan.policy.renewal_watch_months) + DATE_SLACK
    for term in scan.rows(
        terms,
        *(terms.c[k] for k in ("estate_id", *_TERM_COLUMNS)),
        where=and_(
            terms.c.dissolved_on.is_(None),
            terms.c.end_on <= watch_until,
            is_latest(terms, terms.c.term_no, unique=True),
        ),
    ):
        if scan.today < add_months(term.end_on, -scan.policy.renewal_watch_months):
            continue
        events = renewal_events(term._mapping)
        subject = f"第{term.term_no}届业委会（{term.end_on.isoformat()}届满）"
        for milestone in renewal_timeline(term.end_on, events):
            if milestone.done_on is None:
                r = scan.reminder(term, "换届", subject, milestone.label, milestone.due_on, milestone.rule)
                if r:
                    yield r


# --- the election that made the latest term ------------------------------------------------


def _elections(scan: Scan) -> Iterator[Reminder]:
    """The latest term's 备案 and, after a 换届, its 换届审计, recorded on it or on the term before."""
    terms = TABLES["committee_terms"]
    previous = terms.alias("previous")
    filed = func.coalesce(previous.c.renewal_filed_on, terms.c.filed_on)
    elections = (
        select(
            terms.c.id,
            terms.c.estate_id,
            terms.c.term_no,
            terms.c.kind,
            terms.c.elected_on,
            terms.c.start_on,
            previous.c.id.label("previous_id"),
            previous.c.renewal_election_on.label("previous_election_on"),
            filed.label("filed_on"),
            previous.c.renewal_audit_on.label("audit_on"),
        )
        .select_from(
            terms.outerjoin(
                previous,
                and_(previous.c.estate_id == terms.c.estate_id, previous.c.term_no == terms.c.term_no - 1),
            )
        )
        .where(
            terms.c.dissolved_on.is_(None),
            is_latest(terms, terms.c.term_no, unique=True),
            or_(filed.is_(None), and_(previous.c.id.is_not(None), previous.c.renewal_audit_on.is_(None))),
        )
        .subquery()
    )
    for term in scan.rows(elections, *elections.c):
        first_term = term.kind == FIRST_TERM or (term.kind is None and term.previous_id is None and term.term_no == 1)
        elected = election_day_of(
            elected_on=term.elected_on, predecessor_election_on=term.previous_election_on, start_on=term.start_on
        )
        how = "首届" if first_term else "换届"
        subject = f"第{term.term_no}届业委会（{elected.isoformat()}{how}选举）"
        for milestone in election_follow_up(
            elected, filed_on=term.filed_on, audit_on=term.audit_on, first_term=first_term
        ):
            # Without the term before it recorded, a 换届审计 has nowhere to be entered: not reminded.
            if milestone.is_done or (milestone.key == "audit" and term.previous_id is None):
                continue
            days = "30日" if milestone.key == "filing" else "1个月"
            message = f"{milestone.label}（选举后{days}内，自{elected.isoformat()}起算）"
            category = "业委会" if first_term else "换届"
            r = scan.reminder(term, category, subject, message, milestone.due_on, milestone.rule)
            if r:
                yield r


# --- the term in office: size and early re-election ----------------------------------------


def _current_terms(scan: Scan) -> Iterator[Reminder]:
    """Each estate's latest term, not dissolved and not ended: its size, and early re-election when
    fewer than half its members remain or it has had no activity for six months.

    SQL leaves out, by looser tests than the rules', the terms no rule could remind of: a lawful
    委员人数, no member gone, activity too recent to reach six months idle within the horizon.
    """
    terms, members, activities = (TABLES[k] for k in ("committee_terms", "committee_members", "committee_activities"))
    idle_before = add_months(scan.horizon, -INACTIVITY_MONTHS) + DATE_SLACK
    # Per term, seeks in the indexes (its members by term, its estate's latest activity by estate and
    # date), never a scan of every estate's monthly records: a district holds half a million of them.
    counted = and_(members.c.term_id == terms.c.id, members.c.role != ALTERNATE)
    latest_activity = (
        select(func.max(activities.c.held_on))
        .where(activities.c.estate_id == terms.c.estate_id, activities.c.held_on <= scan.today)
        .scalar_subquery()
    )
    current = (
        select(
            terms.c.id,
            terms.c.estate_id,
            terms.c.term_no,
            terms.c.start_on,
            terms.c.end_on,
            terms.c.seats,
            select(func.count(members.c.id)).where(counted).scalar_subquery().label("recorded"),
            select(func.count(members.c.left_on)).where(counted).scalar_subquery().label("departed"),
            latest_activity.label("latest_activity_on"),
        )
        .where(
            terms.c.dissolved_on.is_(None),
            terms.c.end_on >= scan.today,
            is_latest(terms, terms.c.term_no, unique=True),
        )
        # Materialised: each term's figures are made once, not again for every test below that uses them.
        .cte("current_terms")
        .prefix_with("MATERIALIZED")
    )
    # Only an activity old enough to reach six months idle within the horizon matters to the rule.
    last_activity_on = case((current.c.latest_activity_on <= idle_before, current.c.latest_activity_on)).label(
        "last_activity_on"
    )
    floor_area = TABLES["estates"].c.floor_area
    seats, recorded_now, departed_now = current.c.seats, current.c.recorded, current.c.departed
    size_wrong = or_(
        seats.is_(None),
        seats < 3,
        seats % 2 == 0,
        and_(seats == 3, or_(floor_area.is_(None), floor_area > SMALL_ESTATE_AREA)),
    )
    # Fewer than half remain once every recorded departure counts: the only terms that can ever be.
    original = case((seats > 0, seats), else_=recorded_now)
    remaining = recorded_now - departed_now
    below_half = and_(departed_now > 0, case((remaining < original, remaining), else_=original) * 2 < original)
    rows = list(
        scan.rows(
            current,
            *(column for column in current.c if column.key != "latest_activity_on"),
            last_activity_on,
            floor_area,
            size_wrong.label("size_wrong"),
            below_half.label("below_half"),
            where=or_(size_wrong, below_half, current.c.latest_activity_on <= idle_before),
        )
    )
    departures = _departures(scan, [term.id for term in rows if term.below_half])
    for term in rows:
        subject = f"第{term.term_no}届业委会（{term.start_on.isoformat()}至{term.end_on.isoformat()}）"
        found = (
            _size(scan, term, subject) if term.size_wrong else None,
            _members_below_half(scan, term, subject, departures.get(term.id, [])) if term.below_half else None,
            _inactivity(scan, term, subject),
        )
        yield from (r for r in found if r is not None)


def _original_members(term: Any) -> int:
    """The number the term started with: its 委员人数, else the members ever recorded on it."""
    return int(term.seats or term.recorded)


def _departures(scan: Scan, term_ids: list[int]) -> dict[int, list[date]]:
    """The 离任日期 of the counted members of `term_ids`, in one query."""
    if not term_ids:
        return {}
    members = TABLES["committee_members"]
    found: dict[int, list[date]] = defaultdict(list)
    for term_id, left_on in scan.conn.execute(
        select(members.c.term_id, members.c.left_on).where(
            members.c.term_id.in_(term_ids), members.c.left_on.is_not(None), members.c.role != ALTERNATE
        )
    ):
        found[term_id].append(left_on)
    return found


def _size(scan: Scan, term: Any, subject: str) -> Reminder | None:
    """A standing defect, due from the term start: it stays until the size is put right."""
    count = committee_member_count(seats=term.seats, current_members=term.recorded - term.departed)
    if count is None:
        return None
    problem = committee_size_problem(count, term.floor_area)
    if problem is None:
        return None
    counted = "委员人数" if term.seats else "在任委员（不含候补委员）"
    return scan.reminder(term, "业委会", subject, f"{problem}（按{counted}计）", term.start_on, rules.COMMITTEE_SIZE)


def _members_below_half(scan: Scan, term: Any, subject: str, departures: list[date]) -> Reminder | None:
    original = _original_members(term)
    below_half = members_below_half_on(original_members=original, recorded_members=term.recorded, departures=departures)
    if below_half is None or below_half > term.end_on:
        return None
    return scan.reminder(
        term,
        "业委会",
        subject,
        f"自{below_half.isoformat()}起在任委员不足原有{original}人的半数，应启动提前换届改选",
        below_half,
        rules.EARLY_REELECTION,
    )


def _inactivity(scan: Scan, term: Any, subject: str) -> Reminder | None:
    idle_until = inactivity_deadline(term_start=term.start_on, last_activity_on=term.last_activity_on)
    if idle_until is None or idle_until > term.end_on:
        return None
    since = max(term.start_on, term.last_activity_on)
    what = "最近运作记录" if since == term.last_activity_on else "任期开始"
    return scan.reminder(
        term,
        "业委会",
        subject,
        f"自{what}（{since.isoformat()}）起连续6个月无运作记录的，{idle_until.isoformat()}后应启动提前换届改选",
        idle_until,
        rules.EARLY_REELECTION,
    )


# --- annual audit ---------------------------------------------------------------------------


def _annual_audits(scan: Scan) -> Iterator[Reminder]:
    """The 年度审计 of each estate with an 业主大会: recorded as such, or with a committee term."""
    years = annual_audit_years(
        today=scan.today, ahead_days=scan.policy.periodic_ahead_days, applies=rules.ANNUAL_AUDIT.applies_between()
    )
    if not years:
        return
    estates, terms, activities = (TABLES[k] for k in ("estates", "committee_terms", "committee_activities"))
    audits = (
        select(activities.c.estate_id, extract("year", activities.c.held_on).label("year"))
        .where(
            activities.c.kind == AUDIT_KIND,
            activities.c.held_on >= date(years[0] + 1, 1, 1),
            activities.c.held_on <= date(years[-1] + 1, 12, 31),
        )
        .distinct()
        .subquery()
    )
    audited_years = select(audits.c.estate_id, func.count().label("years")).group_by(audits.c.estate_id).subquery()
    # Years, not dates: the rule needs no more, and 17,000 dates parsed would double the work.
    first_terms = (
        select(terms.c.estate_id, extract("year", func.min(terms.c.start_on)).label("first_term_year"))
        .group_by(terms.c.estate_id)
        .subquery()
    )
    with_assembly = (
        select(
            estates.c.id,
            estates.c.id.label("estate_id"),
            extract("year", estates.c.first_assembly_on).label("assembly_year"),
            first_terms.c.first_term_year,
        )
        .select_from(
            estates.outerjoin(first_terms, first_terms.c.estate_id == estates.c.id).outerjoin(
                audited_years, audited_years.c.estate_id == estates.c.id
            )
        )
        .where(
            or_(
                estates.c.has_assembly.is_(True),
                estates.c.first_assembly_on.is_not(None),
                first_terms.c.first_term_year.is_not(None),
            ),
            func.coalesce(audited_years.c.years, 0) < len(years),  # every year audited: nothing owed
        )
        .subquery()
    )
    audited_in: dict[int, set[int]] = defaultdict(set)
    for estate_id, year in scan.conn.execute(select(audits)):
        audited_in[estate_id].add(int(year))
    wording = {
        year: (
            f"{year}年度审计",
            f"业主大会账户资金及管理责任{year}年度审计报告应于{annual_audit_due_on(year).isoformat()}前出具",
            annual_audit_due_on(year),
        )
        for year in years
    }
    nothing: set[int] = set()
    for estate in scan.rows(with_assembly, with_assembly.c.estate_id, *with_assembly.c[2:]):
        estate_id, assembly_year, first_term_year = estate[:3]
        known = [int(y) for y in (assembly_year, first_term_year) if y is not None]
        for year in annual_audits_owed(
            years, assembly_year=min(known, default=None), audited_in=audited_in.get(estate_id, nothing)
        ):
            subject, message, due = wording[year]
            r = scan.reminder(estate, "年度审计", subject, message, due, rules.ANNUAL_AUDIT)
            if r:
                yield r
