from __future__ import annotations

from datetime import date
from decimal import Decimal

from putuo_community.domain.fund import (
    fund_ratio,
    needs_topup,
    publication_due_dates,
    topup_deadline,
    topup_target,
)


def test_ratio() -> None:
    assert fund_ratio(balance=Decimal("250000"), initial=Decimal("1000000")) == Decimal("0.25")
    assert fund_ratio(balance=Decimal("1"), initial=Decimal("0")) is None
    assert fund_ratio(balance=Decimal("1"), initial=Decimal("-5")) is None


def test_topup_only_strictly_below_thirty_percent() -> None:
    initial = Decimal("1234567.89")
    exactly_30 = initial * Decimal("0.3")  # 370370.367, exact in Decimal
    assert not needs_topup(balance=exactly_30, initial=initial)
    assert needs_topup(balance=exactly_30 - Decimal("0.001"), initial=initial)
    assert not needs_topup(balance=Decimal("300000.00"), initial=Decimal("1000000.00"))
    assert needs_topup(balance=Decimal("299999.99"), initial=Decimal("1000000.00"))


def test_no_initial_amount_means_no_ratio_to_judge() -> None:
    assert not needs_topup(balance=Decimal("0"), initial=Decimal("0"))


def test_topup_target_and_deadline() -> None:
    assert topup_target(Decimal("1000000")) == Decimal("500000.00")
    assert topup_target(Decimal("333.33")) == Decimal("166.67")
    assert topup_deadline(date(2024, 12, 1)) == date(2025, 3, 1)


def test_publication_in_january_and_july() -> None:
    assert publication_due_dates(2025) == (date(2025, 1, 31), date(2025, 7, 31))
