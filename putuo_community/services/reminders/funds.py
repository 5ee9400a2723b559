"""Repair-fund reminders: a balance below 30 % of the initial amount; the half-yearly publication of the accounts."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import ROUND_DOWN, Decimal

from sqlalchemy import and_, case, func, or_, select

from putuo_community.domain import rules
from putuo_community.domain.fund import (
    TOPUP_BELOW,
    Publication,
    needs_topup,
    publications_to_remind,
    topup_deadline,
)
from putuo_community.services.reminders.core import Reminder, Scan, is_latest
from putuo_community.storage.schema import TABLES

_FUND_SLACK = Decimal(1)  # yuan: floating-point amounts in SQLite are compared exactly in Python


def reminders(scan: Scan) -> Iterator[Reminder]:
    yield from _topups(scan)
    yield from _publications(scan)


def _topups(scan: Scan) -> Iterator[Reminder]:
    """Each estate's latest snapshot, when its balance is below 30 % of the initial amount."""
    columns = ("as_of", "initial_amount", "balance", "topup_started_on")
    funds = TABLES["funds"]
    near_or_below = and_(
        funds.c.initial_amount > 0, funds.c.balance < funds.c.initial_amount * TOPUP_BELOW + _FUND_SLACK
    )
    for snapshot in scan.rows(
        funds,
        *(funds.c[k] for k in ("estate_id", *columns)),
        where=and_(near_or_below, is_latest(funds, funds.c.as_of, unique=True)),
    ):
        if needs_topup(balance=snapshot.balance, initial=snapshot.initial_amount):
            # Rounded down: a balance just under 30 % must never read as "30.0%".
            ratio = (snapshot.balance / snapshot.initial_amount * 100).quantize(Decimal("0.01"), ROUND_DOWN)
            r = scan.reminder(
                snapshot,
                "维修资金",
                f"截至{snapshot.as_of.isoformat()}",
                f"余额为首期归集的{ratio}%，低于30%，应续筹至50%以上",
                topup_deadline(snapshot.topup_started_on or snapshot.as_of),
                rules.FUND_TOPUP,
            )
            if r:
                yield r


def _publications(scan: Scan) -> Iterator[Reminder]:
    """Each estate with a fund record whose accounts are not yet published for a half-year due now.

    One grouped query: per estate and publication, the latest 账目公布日期 within the publication's
    window (None: none there), which `Publication.done_by` then judges.
    """
    due = publications_to_remind(scan.today, scan.policy.periodic_ahead_days)
    if not due:
        return
    funds = TABLES["funds"]
    published = [
        func.max(case((funds.c.published_on.between(p.counts_from, p.counts_until), funds.c.published_on))).label(
            f"published_{n}"
        )
        for n, p in enumerate(due)
    ]
    per_estate = (
        select(func.min(funds.c.id).label("id"), funds.c.estate_id, *published)
        .group_by(funds.c.estate_id)
        .having(or_(*(on.is_(None) for on in published)))
        .subquery()
    )
    columns = [per_estate.c[f"published_{n}"] for n in range(len(due))]
    for estate in scan.rows(per_estate, per_estate.c.estate_id, *columns):
        for n, publication in enumerate(due):
            if not publication.done_by(estate[n + 1]):
                r = _publication_reminder(scan, estate, publication)
                if r:
                    yield r


def _publication_reminder(scan: Scan, estate: object, publication: Publication) -> Reminder | None:
    month = publication.counts_from.month
    return scan.reminder(
        estate,
        "维修资金",
        f"{publication.due_on.year}年{month}月账目公布",
        f"应在{publication.due_on.isoformat()}前公布维修资金收支情况（每年1月、7月公布），尚未登记公布日期",
        publication.due_on,
        rules.FUND_PUBLICATION,
    )
