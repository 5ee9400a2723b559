"""Company credit standings from stored 信用记分 rows: official points, warning level, local score."""

from __future__ import annotations

from datetime import date

import pytest

from putuo_community.domain.credit import WarningLevel, WarningThresholds
from putuo_community.domain.errors import UserError, ValidationFailed
from putuo_community.services import Services
from putuo_community.services.credit import CompanyStanding, ObjectionStep

TODAY = date(2026, 11, 23)


@pytest.fixture
def company(services: Services) -> int:
    return services.records.create("companies", {"name": "上海长风物业管理有限公司"})


def _event(services: Services, company: int, band: str, points: int, scored_on: date, **extra: object) -> int:
    values = {
        "subject": "企业",
        "company_id": company,
        "band": band,
        "points": points,
        "act_on": scored_on,
        "scored_on": scored_on,
        "description": f"{band}行为 {scored_on}",
        **extra,
    }
    return services.records.create("credit_events", values)


def _standing(services: Services, company: int, today: date = TODAY) -> CompanyStanding:
    return next(s for s in services.credit.company_standings(today=today) if s.company_id == company)


def test_a_company_without_events_is_green_with_the_base_score(services: Services, company: int) -> None:
    standing = _standing(services, company)
    assert (standing.active_points, standing.level, standing.score) == (0, WarningLevel.GREEN, 100)


def test_points_count_for_one_year_then_drop_out(services: Services, company: int) -> None:
    _event(services, company, "轻微", 3, date(2025, 11, 23))
    assert _standing(services, company).active_points == 3  # scored exactly one year ago: still active
    assert _standing(services, company, date(2026, 11, 24)).active_points == 0


def test_a_managers_points_count_for_the_company(services: Services, company: int) -> None:
    manager = services.records.create("managers", {"company_id": company, "name": "王建国"})
    _event(services, company, "较严重", 6, date(2026, 10, 1), subject="项目经理", manager_id=manager)
    _event(services, company, "较严重", 6, date(2026, 3, 1), subject="项目经理", manager_id=manager)
    standing = _standing(services, company)
    assert standing.active_points == 12
    assert standing.level is WarningLevel.ORANGE
    managers = services.credit.manager_standings(today=TODAY)
    assert [(m.name, m.active_points, m.level) for m in managers] == [("王建国", 12, WarningLevel.RED)]


def test_a_severe_act_is_red_and_an_upheld_objection_removes_it(services: Services, company: int) -> None:
    event = _event(services, company, "特别严重", 18, date(2026, 5, 1))
    assert _standing(services, company).level is WarningLevel.RED
    version = services.credit.advance_objection(event, ObjectionStep.FILE, date(2026, 5, 6), expected_version=1)
    version = services.credit.advance_objection(event, ObjectionStep.ACCEPT, date(2026, 5, 7), expected_version=version)
    assert _standing(services, company).level is WarningLevel.RED  # under review: the score still counts
    services.credit.advance_objection(event, ObjectionStep.REVOKE, date(2026, 5, 20), expected_version=version)
    assert _standing(services, company).level is WarningLevel.GREEN


def test_commendations_raise_the_local_score_but_not_the_official_figure(services: Services, company: int) -> None:
    _event(services, company, "轻微", 3, date(2026, 9, 1))
    _event(services, company, "业绩", 5, date(2026, 9, 2))
    standing = _standing(services, company)
    assert standing.active_points == 3
    assert standing.score == 102


def test_points_must_match_the_band(services: Services, company: int) -> None:
    with pytest.raises(ValidationFailed, match="记6分"):
        _event(services, company, "较严重", 3, date(2026, 9, 1))


def test_thresholds_are_district_settings(services: Services, company: int) -> None:
    _event(services, company, "轻微", 3, date(2026, 1, 5))
    _event(services, company, "轻微", 3, date(2026, 2, 5))
    assert _standing(services, company).level is WarningLevel.YELLOW
    services.credit.set_thresholds(WarningThresholds(orange_points=6))
    assert services.credit.thresholds().orange_points == 6
    assert _standing(services, company).level is WarningLevel.ORANGE
    with pytest.raises(UserError, match="黄色"):
        services.credit.set_thresholds(WarningThresholds(yellow_points=20))
