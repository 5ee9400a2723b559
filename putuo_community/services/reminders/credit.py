"""Credit reminders: objections awaiting a decision, scores about to lapse."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from sqlalchemy import select

from putuo_community.domain import rules
from putuo_community.domain.credit import CreditStatus, objection_accepted_on, objection_deadline, status_of_values
from putuo_community.domain.dates import add_years
from putuo_community.services.reminders.core import Reminder, Scan
from putuo_community.services.workdays import load_calendar
from putuo_community.storage.schema import TABLES


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
        .subquery()
    )
    calendar = load_calendar(scan.conn)  # the official holidays and 调休 working days
    for event in scan.rows(named, named.c.company, *(named.c[k] for k in columns)):
        company = event.company or ""
        values = event._mapping
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
                event.estate_name,
                event.street_name,
                "信用",
                company,
                f"{event.points}分记分将于{active_until.isoformat()}期满，不再计入",
                active_until,
                False,
                rules.CREDIT_ACTIVE,
            )
