"""What every kind of reminder shares: the reminder itself, its order, and the scan over one archive.

Each kind of deadline lives in a module of its own (committees, contracts, lifts, funds, credit);
each reads what it needs with one query per kind of deadline (never one per estate), leaving out
by a looser test in SQL the records no rule could remind of, and asks the domain rule, which
decides exactly on every date edge.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any, NamedTuple

from sqlalchemy import Column, ColumnElement, Connection, Select, Table, and_, or_, select

from putuo_community.domain.reminder_policy import ReminderPolicy
from putuo_community.domain.rules import Rule
from putuo_community.storage.schema import TABLES

# The SQL tests are looser than the rules by this much, so a month-end or 2-29 date that the
# rule clamps is never left out before the rule sees it.
DATE_SLACK = timedelta(days=7)

# The estate-window section each kind of reminder concerns (a register key).
SECTION_OF_CATEGORY: dict[str, str] = {
    "业委会组建": "estates",
    "换届": "committee_terms",
    "业委会": "committee_terms",
    "年度审计": "committee_activities",
    "物业合同": "contracts",
    "电梯": "lifts",
    "维修资金": "funds",
    "信用": "credit_events",
}


class Reminder(NamedTuple):
    """A deadline about one estate (none for a company's own). A named tuple, not a dataclass:
    a district has tens of thousands of them and they are made in one go while the clerk waits."""

    estate_id: int | None
    estate_name: str
    street_name: str
    category: str
    subject: str
    message: str
    due_on: date | None
    overdue: bool
    rule: Rule


def in_order(found: list[Reminder]) -> list[Reminder]:
    """Overdue first, then by due date (none last), 街镇 and estate name; ties keep their order.

    The keys are whole numbers: sorting 43,000 tuples of dates and text keeps the interpreter
    for 70 ms at a stretch, and the window waits that long (Python runs one thread at a time).
    """
    streets = {name: n for n, name in enumerate(sorted({r.street_name for r in found}))}
    estates = {name: n for n, name in enumerate(sorted({r.estate_name for r in found}))}
    per_day, per_street = len(streets) * len(estates), len(estates)
    days = date.max.toordinal() + 1

    def key(r: Reminder) -> int:
        day = (r.due_on or date.max).toordinal() + (0 if r.overdue else days)
        return day * per_day + streets[r.street_name] * per_street + estates[r.estate_name]

    return sorted(found, key=key)


def is_latest(table: Table, order: Column[Any], *, unique: bool = False) -> ColumnElement[bool]:
    """`table`'s row is its estate's latest by `order`: the row a scan keeping the maximum keeps.

    Ties go to the lower id, unless the register's natural key makes (estate, `order`) `unique`.
    """
    other = table.alias()
    theirs = other.c[order.key]
    later = theirs > order if unique else or_(theirs > order, and_(theirs == order, other.c.id < table.c.id))
    return ~select(other.c.id).where(other.c.estate_id == table.c.estate_id, later).exists()


class Scan:
    """One pass over an archive as of `today`, for one 街镇 or all, under the district's `policy`."""

    def __init__(self, conn: Connection, street_id: int | None, today: date, policy: ReminderPolicy) -> None:
        self.conn = conn
        self.street_id = street_id
        self.today = today
        self.policy = policy
        self.horizon = today + timedelta(days=policy.horizon_days)

    def rows(
        self, source: Any, *columns: Any, where: ColumnElement[bool] | None = None, optional_estate: bool = False
    ) -> Iterator[Any]:
        """`columns` of `source` (a table or subquery) for the estates in scope, with the estate's name
        and 街镇 as `estate_name` and `street_name`, in the order of `source`'s id.

        With `optional_estate`, rows without an estate come too (their names empty), but only
        when no 街镇 is chosen: a row that names no estate belongs to no 街镇.
        """
        estates, streets = TABLES["estates"], TABLES["streets"]
        if source is estates:
            joined: Any = source.join(streets, streets.c.id == estates.c.street_id)
        elif optional_estate:
            joined = source.outerjoin(estates, estates.c.id == source.c.estate_id).outerjoin(
                streets, streets.c.id == estates.c.street_id
            )
        else:
            joined = source.join(estates, estates.c.id == source.c.estate_id).join(
                streets, streets.c.id == estates.c.street_id
            )
        query: Select[Any] = (
            select(*columns, estates.c.name.label("estate_name"), streets.c.name.label("street_name"))
            .select_from(joined)
            .order_by(source.c.id)
        )
        if where is not None:
            query = query.where(where)
        if self.street_id is not None:
            query = query.where(estates.c.street_id == self.street_id)
        yield from self.conn.execute(query)

    def reminder(
        self, row: Any, category: str, subject: str, message: str, due_on: date | None, rule: Rule
    ) -> Reminder | None:
        """A reminder about `row`'s estate if the deadline has passed or falls within the horizon; None otherwise."""
        overdue = due_on is not None and due_on < self.today
        if due_on is not None and not overdue and due_on > self.horizon:
            return None
        return Reminder(
            row.estate_id,
            row.estate_name or "",
            row.street_name or "",
            category,
            subject,
            message,
            due_on,
            overdue,
            rule,
        )
