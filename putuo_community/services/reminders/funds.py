"""Repair-fund reminders: a balance below 30 % of the initial amount."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import ROUND_DOWN, Decimal

from sqlalchemy import and_

from putuo_community.domain import rules
from putuo_community.domain.fund import TOPUP_BELOW, needs_topup, topup_deadline
from putuo_community.services.reminders.core import Reminder, Scan, is_latest
from putuo_community.storage.schema import TABLES

_FUND_SLACK = Decimal(1)  # yuan: floating-point amounts in SQLite are compared exactly in Python


def reminders(scan: Scan) -> Iterator[Reminder]:
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
