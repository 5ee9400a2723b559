"""住宅专项维修资金 rules: the 30 % top-up trigger, the 50 % target, and the half-yearly publication dates."""

from __future__ import annotations

from dataclasses import dataclass
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


@dataclass(frozen=True)
class Publication:
    """One half-year's publication of the accounts (账目公布).

    Due by the end of the half-year's first month (01-31 for January–June, 07-31 for July–December).
    It is done when any of the estate's fund records has a 账目公布日期 from the first of that month
    to the last day of the half-year: a late publication still counts for its half-year, one of an
    earlier half-year does not (it published that half-year's accounts).
    """

    due_on: date
    counts_from: date  # the 1st of January or July
    counts_until: date  # 06-30 or 12-31

    def done_by(self, published_on: date | None) -> bool:
        return published_on is not None and self.counts_from <= published_on <= self.counts_until


def publication_of_half_year(day: date) -> Publication:
    """The publication of the half-year `day` falls in."""
    if day.month <= 6:
        return Publication(date(day.year, 1, 31), date(day.year, 1, 1), date(day.year, 6, 30))
    return Publication(date(day.year, 7, 31), date(day.year, 7, 1), date(day.year, 12, 31))


def publications_to_remind(today: date, ahead_days: int) -> tuple[Publication, ...]:
    """The publications a clerk is reminded of on `today`: each from `ahead_days` before its due date
    until its half-year ends (the current half-year's, then the next one's once its time has come).

    A half-year gone by is not carried forward: a publication now is the current half-year's.
    """
    current = publication_of_half_year(today)
    following = publication_of_half_year(current.counts_until + timedelta(days=1))
    return tuple(p for p in (current, following) if today >= p.due_on - timedelta(days=ahead_days))
