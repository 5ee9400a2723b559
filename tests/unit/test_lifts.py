from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from putuo_community.domain.lifts import (
    REMOTE_MONITORING_DEADLINE,
    RiskClass,
    assessment_due_on,
    lift_addition_subsidy,
    lift_age_years,
    needs_assessment,
    needs_price_audit,
    remote_monitoring_overdue,
)


def test_age_in_whole_years() -> None:
    first = date(2010, 6, 15)
    assert lift_age_years(first, date(2025, 6, 14)) == 14
    assert lift_age_years(first, date(2025, 6, 15)) == 15
    assert lift_age_years(first, date(2009, 1, 1)) == 0


def test_age_from_feb_29() -> None:
    first = date(2008, 2, 29)
    assert lift_age_years(first, date(2009, 2, 27)) == 0
    assert lift_age_years(first, date(2009, 2, 28)) == 1
    assert assessment_due_on(first) == date(2023, 2, 28)


def test_assessment_due_at_fifteen_years() -> None:
    first = date(2010, 6, 15)
    assert not needs_assessment(first, None, date(2025, 6, 14))
    assert needs_assessment(first, None, date(2025, 6, 15))
    # an assessment in the year before the 15-year date counts; one done earlier does not
    assert not needs_assessment(first, date(2025, 6, 1), date(2025, 7, 1))
    assert not needs_assessment(first, date(2024, 6, 15), date(2025, 7, 1))
    assert needs_assessment(first, date(2024, 6, 14), date(2025, 7, 1))
    assert not needs_assessment(first, date(2025, 6, 15), date(2025, 7, 1))


def test_risk_classes_say_what_to_do() -> None:
    assert RiskClass.I.label == "Ⅰ类"
    assert "停用" in RiskClass.I.action
    assert "风险防控" in RiskClass.II.action
    assert RiskClass("Ⅱ类") is RiskClass.II


def test_price_audit_above_fifty_thousand() -> None:
    assert not needs_price_audit(Decimal("50000.00"))
    assert needs_price_audit(Decimal("50000.01"))


def test_remote_monitoring_deadline_end_2027() -> None:
    assert date(2027, 12, 31) == REMOTE_MONITORING_DEADLINE
    assert not remote_monitoring_overdue(False, date(2027, 12, 31))
    assert remote_monitoring_overdue(False, date(2028, 1, 1))
    assert not remote_monitoring_overdue(True, date(2030, 1, 1))


@pytest.mark.parametrize(
    ("cost", "subsidy"),
    [
        ("500000", "200000.00"),
        ("699999.90", "279999.96"),
        ("700000", "280000.00"),  # the cap is reached exactly here
        ("700000.01", "280000.00"),
        ("1000000", "280000.00"),
        ("123456.78", "49382.71"),  # 49382.712 rounded to the fen
        ("0", "0.00"),
    ],
)
def test_lift_addition_subsidy(cost: str, subsidy: str) -> None:
    expected = Decimal(subsidy).quantize(Decimal("0.01"))
    assert lift_addition_subsidy(Decimal(cost)) == expected


def test_negative_cost_is_refused() -> None:
    with pytest.raises(ValueError, match="不能为负数"):
        lift_addition_subsidy(Decimal("-1"))
