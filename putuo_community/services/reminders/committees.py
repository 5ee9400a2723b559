"""业委会 reminders: forming the first 业主大会 and committee, and the 换届 of each term."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from sqlalchemy import and_, or_, select

from putuo_community.domain import rules
from putuo_community.domain.committee import formation_due_on, renewal_events, renewal_timeline
from putuo_community.domain.dates import add_months
from putuo_community.services.reminders.core import DATE_SLACK, Reminder, Scan, is_latest
from putuo_community.storage.schema import TABLES


def reminders(scan: Scan) -> Iterator[Reminder]:
    """Formation for estates without any term; the 换届 steps of each estate's latest term."""
    yield from _formation(scan)
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
        yield from _renewal(scan, term)


def _formation(scan: Scan) -> Iterator[Reminder]:
    estates, terms = TABLES["estates"], TABLES["committee_terms"]
    no_term = ~select(terms.c.id).where(terms.c.estate_id == estates.c.id).exists()
    for estate in scan.rows(
        estates,
        estates.c.id.label("estate_id"),
        estates.c.first_delivery_on,
        estates.c.half_delivered_on,
        estates.c.prep_group_on,
        where=and_(
            no_term,
            estates.c.first_assembly_on.is_(None),
            or_(estates.c.first_delivery_on.is_not(None), estates.c.half_delivered_on.is_not(None)),
        ),
    ):
        due = formation_due_on(
            first_delivery_on=estate.first_delivery_on, half_area_delivered_on=estate.half_delivered_on
        )
        if due is None:
            continue
        if estate.prep_group_on is None:
            r = scan.reminder(
                estate,
                "业委会组建",
                "筹备组",
                f"已具备成立业主大会条件（{due.isoformat()}），街镇应在60日内组建筹备组",
                due + timedelta(days=60),
                rules.PREP_GROUP,
            )
        else:
            r = scan.reminder(
                estate,
                "业委会组建",
                "首次业主大会",
                f"筹备组已于{estate.prep_group_on.isoformat()}成立，应在90日内召开首次业主大会",
                estate.prep_group_on + timedelta(days=90),
                rules.FIRST_ASSEMBLY,
            )
        if r:
            yield r


def _renewal(scan: Scan, term: Any) -> Iterator[Reminder]:
    if scan.today < add_months(term.end_on, -scan.policy.renewal_watch_months):
        return
    events = renewal_events(term._mapping)
    subject = f"第{term.term_no}届业委会（{term.end_on.isoformat()}届满）"
    for milestone in renewal_timeline(term.end_on, events):
        if milestone.is_done:
            continue
        r = scan.reminder(term, "换届", subject, milestone.label, milestone.due_on, milestone.rule)
        if r:
            yield r


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
