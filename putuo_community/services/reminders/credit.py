"""Credit reminders: objections awaiting a decision, scores about to lapse; a company's own as well as an estate's."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from sqlalchemy import ColumnElement, and_, or_, select

from putuo_community.domain import rules
from putuo_community.domain.credit import (
    CreditStatus,
    ObjectionState,
    objection_accepted_on,
    objection_deadline,
    status_of_values,
)
from putuo_community.domain.dates import add_years
from putuo_community.services.reminders.core import DATE_SLACK, Reminder, Scan
from putuo_community.services.workdays import load_calendar
from putuo_community.storage.schema import TABLES


def _may_remind(scan: Scan) -> ColumnElement[bool]:
    """Events a rule below may remind of, by a looser test: still active (scored within a year, or
    later), and either with an objection not yet decided or lapsing within the policy's days."""
    events = TABLES["credit_events"]
    decided = [state.value for state in ObjectionState if not state.pending]  # older words pass: looser
    last_year = add_years(scan.today, -1) - DATE_SLACK
    lapsing_by = add_years(scan.today + timedelta(days=scan.policy.credit_expiry_days), -1) + DATE_SLACK
    return and_(
        events.c.scored_on >= last_year,
        or_(events.c.objection.not_in(decided), events.c.scored_on <= lapsing_by),  # no objection (NULL): not pending
    )


def reminders(scan: Scan) -> Iterator[Reminder]:
    events, companies = TABLES["credit_events"], TABLES["companies"]
    columns = (
        "estate_id",
        "band",
        "points",
        "act_on",
        "discovered_on",
        "scored_on",
        "objection",
        "objection_filed_on",
        "objection_accepted_on",
        "corrected_on",
    )
    named = (
        select(events.c.id, *(events.c[k] for k in columns), companies.c.name.label("company"))
        .outerjoin(companies, companies.c.id == events.c.company_id)
        .where(_may_remind(scan))
        .subquery()
    )
    calendar = load_calendar(scan.conn)  # the official holidays and 调休 working days
    # A company's own events name no estate: they come too (with an empty estate name), when no 街镇 is chosen.
    for event in scan.rows(named, named.c.company, *(named.c[k] for k in columns), optional_estate=True):
        company = event.company or ""
        values = dict(event._mapping)  # a plain dict: the rules ask for keys a row does not have
        status = status_of_values(values, scan.today)
        accepted = objection_accepted_on(values)
        if status is CreditStatus.OBJECTION_PENDING and accepted is not None:
            deadline = objection_deadline(accepted, calendar)
            r = scan.reminder(
                event,
                "信用",
                company,
                f"{event.band}记分异议已受理待核查：应在受理后15个工作日内作出决定{deadline.note}",
                deadline.on,
                rules.CREDIT_OBJECTION,
            )
            if r:
                yield r
        active_until = add_years(event.scored_on, 1)
        if (
            event.band != "业绩"
            and status is not None
            and status.counts
            and active_until <= scan.today + timedelta(days=scan.policy.credit_expiry_days)
        ):
            yield Reminder(
                event.estate_id,
                event.estate_name or "",
                event.street_name or "",
                "信用",
                company,
                f"{event.points}分记分将于{active_until.isoformat()}期满，不再计入",
                active_until,
                False,
                rules.CREDIT_ACTIVE,
            )
