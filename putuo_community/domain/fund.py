"""住宅专项维修资金 rules: the 30 % top-up trigger, the 50 % target, and the half-yearly publication dates."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

TOPUP_BELOW = Decimal("0.30")
TOPUP_TARGET = Decimal("0.50")
TOPUP_DAYS = 90


def fund_ratio(*, balance: Decimal, initial: Decimal) -> Decimal | None:
    """Balance as a share of the initial amount; None when no initial amount is recorded."""
    if initial <= 0:
        return None
    return balance / initial


def needs_topup(*, balance: Decimal, initial: Decimal) -> bool:
    """Strictly below 30 % of the initial amount (规定 第六十五条); exactly 30 % is fine.

    Without an initial amount there is no ratio to judge (补建 of a missing fund is a separate matter).
    """
    if initial <= 0:
        return False
    return balance < initial * TOPUP_BELOW  # exact in Decimal: no division


def topup_target(initial: Decimal) -> Decimal:
    """The balance owners must reach when their rules say nothing: 50 % of the initial amount."""
    return (initial * TOPUP_TARGET).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def topup_deadline(flagged_on: date) -> date:
    return flagged_on + timedelta(days=TOPUP_DAYS)


def publication_due_dates(year: int) -> tuple[date, date]:
    """Accounts are published every January and July: by the end of each month."""
    return date(year, 1, 31), date(year, 7, 31)
