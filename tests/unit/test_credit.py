from __future__ import annotations

from datetime import date, timedelta

import pytest

from putuo_community.domain.credit import (
    Band,
    CreditEvent,
    CreditStatus,
    ObjectionState,
    Subject,
    WarningLevel,
    WarningThresholds,
    active_points,
    active_until,
    company_active_points,
    company_events,
    company_warning_level,
    correctable_from,
    credit_status,
    entry_problems,
    expires_within,
    is_active,
    is_scorable,
    manager_active_points,
    manager_load_warning,
    manager_warning_level,
    objection_deadline,
    ranking_score,
    status_of_values,
)
from putuo_community.domain.workdays import WorkCalendar, YearArrangement

TODAY = date(2025, 6, 1)


def scored(band: Band, scored_on: date, **kwargs: object) -> CreditEvent:
    """An event acted on and discovered the day it was scored."""
    return CreditEvent(band, scored_on, scored_on, scored_on, **kwargs)  # type: ignore[arg-type]


def test_bands() -> None:
    assert [b.points for b in Band] == [18, 6, 3]
    assert Band.SERIOUS.label == "较严重"
    assert Band.from_label("特别严重") is Band.SEVERE
    assert Band.from_label(" 轻微失信行为 ") is Band.MINOR
    assert Band.from_label("6分") is Band.SERIOUS
    assert Band.from_points(3) is Band.MINOR
    with pytest.raises(ValueError, match="无法识别"):
        Band.from_label("严重")
    with pytest.raises(ValueError, match="只能是18、6或3分"):
        Band.from_points(5)


def test_discovered_one_year_after_the_act_is_still_scored() -> None:
    act = date(2024, 3, 15)
    assert is_scorable(act, date(2025, 3, 15))
    assert not is_scorable(act, date(2025, 3, 16))


def test_discovery_window_from_feb_29() -> None:
    assert is_scorable(date(2024, 2, 29), date(2025, 2, 28))
    assert not is_scorable(date(2024, 2, 29), date(2025, 3, 1))


def test_unscorable_events_never_count() -> None:
    late = CreditEvent(Band.SERIOUS, date(2023, 1, 1), date(2024, 6, 1), date(2024, 6, 1))
    assert not is_active(late, date(2024, 6, 2))


def test_active_for_a_year_from_scoring() -> None:
    event = scored(Band.MINOR, date(2023, 6, 1))
    assert active_until(event.scored_on) == date(2024, 6, 1)
    # 2023-06-01 → 2024-06-01 spans 2024-02-29, so that year is 366 days.
    assert is_active(event, date(2024, 6, 1))
    assert not is_active(event, date(2024, 6, 2))


def test_scored_365_days_ago_active_366_not() -> None:
    scored_on = date(2022, 6, 1)  # 2022-06-01 → 2023-06-01 has no Feb 29
    event = scored(Band.SERIOUS, scored_on)
    assert is_active(event, scored_on + timedelta(days=365))
    assert not is_active(event, scored_on + timedelta(days=366))


def test_objection_and_correction() -> None:
    base = date(2025, 3, 1)
    assert is_active(scored(Band.SERIOUS, base, objection=ObjectionState.FILED), TODAY)
    assert is_active(scored(Band.SERIOUS, base, objection=ObjectionState.ACCEPTED), TODAY)
    assert is_active(scored(Band.SERIOUS, base, objection=ObjectionState.KEPT), TODAY)
    assert not is_active(scored(Band.SERIOUS, base, objection=ObjectionState.REVOKED), TODAY)
    corrected = scored(Band.SERIOUS, base, corrected_on=date(2025, 6, 1))
    assert is_active(corrected, date(2025, 5, 31))
    assert not is_active(corrected, date(2025, 6, 1))


def test_correction_periods() -> None:
    assert correctable_from(Band.MINOR, date(2025, 1, 31)) == date(2025, 2, 28)
    assert correctable_from(Band.SERIOUS, date(2025, 1, 31)) == date(2025, 4, 30)
    assert correctable_from(Band.SEVERE, date(2025, 1, 31)) is None


def test_objection_decided_in_fifteen_working_days() -> None:
    # Accepted Monday 2025-04-28; 劳动节 2025-05-01..05 closed (3 weekdays off).
    may_day = YearArrangement(2025, frozenset(date(2025, 5, d) for d in range(1, 6)), frozenset())
    without = objection_deadline(date(2025, 4, 28))
    assert (without.on, without.estimated) == (date(2025, 5, 19), True)  # no calendar: Mon–Fri, and it says so
    with_holidays = objection_deadline(date(2025, 4, 28), WorkCalendar({2025: may_day}))
    assert (with_holidays.on, with_holidays.estimated) == (date(2025, 5, 22), False)


def test_company_points_include_its_managers() -> None:
    events = [
        scored(Band.SERIOUS, date(2025, 1, 10), company_key=1),
        scored(Band.MINOR, date(2025, 2, 1), subject=Subject.MANAGER, company_key=1, manager_key=7),
        scored(Band.MINOR, date(2025, 2, 1), subject=Subject.MANAGER, company_key=2, manager_key=8),
        scored(Band.SEVERE, date(2023, 1, 1), company_key=1),  # expired
    ]
    assert company_active_points(1, events, TODAY) == 9
    assert company_active_points(2, events, TODAY) == 3
    assert manager_active_points(7, events, TODAY) == 3
    assert len(company_events(1, events)) == 3
    assert active_points(events, TODAY) == 12


def test_expiring_soon() -> None:
    event = scored(Band.MINOR, date(2024, 6, 20))
    assert expires_within(event, TODAY, 30)
    assert not expires_within(event, TODAY, 18)


# --- warning levels ------------------------------------------------------------------


DEFAULTS = WarningThresholds()


def level(*events: CreditEvent, thresholds: WarningThresholds = DEFAULTS) -> WarningLevel:
    return company_warning_level(events, TODAY, thresholds)


def test_green_without_active_points() -> None:
    assert level() is WarningLevel.GREEN
    assert level(scored(Band.SEVERE, date(2024, 5, 31))) is WarningLevel.GREEN  # expired yesterday


def test_any_active_severe_act_is_red() -> None:
    assert level(scored(Band.SEVERE, date(2024, 6, 1))) is WarningLevel.RED
    relaxed = WarningThresholds(red_on_severe=False, red_points=19)
    assert level(scored(Band.SEVERE, date(2024, 6, 1)), thresholds=relaxed) is WarningLevel.ORANGE


def test_points_thresholds() -> None:
    old = date(2024, 12, 1)  # serious acts scored more than 90 days ago
    assert level(scored(Band.MINOR, old)) is WarningLevel.YELLOW
    assert level(scored(Band.SERIOUS, old)) is WarningLevel.YELLOW
    assert level(scored(Band.SERIOUS, old), scored(Band.SERIOUS, old)) is WarningLevel.ORANGE
    three = [scored(Band.SERIOUS, old) for _ in range(3)]
    assert level(*three) is WarningLevel.RED  # 18 points


def test_recent_serious_act_is_orange() -> None:
    assert level(scored(Band.SERIOUS, TODAY - timedelta(days=90))) is WarningLevel.ORANGE
    assert level(scored(Band.SERIOUS, TODAY - timedelta(days=91))) is WarningLevel.YELLOW


def test_manager_levels() -> None:
    def mlevel(*events: CreditEvent) -> WarningLevel:
        return manager_warning_level(events, TODAY)

    assert mlevel() is WarningLevel.GREEN
    assert mlevel(scored(Band.SERIOUS, date(2025, 5, 1))) is WarningLevel.YELLOW
    assert mlevel(scored(Band.SERIOUS, date(2025, 5, 1)), scored(Band.MINOR, date(2025, 5, 1))) is WarningLevel.RED


def test_levels_are_ordered() -> None:
    assert WarningLevel.GREEN < WarningLevel.YELLOW < WarningLevel.ORANGE < WarningLevel.RED
    assert max(WarningLevel.YELLOW, WarningLevel.RED, WarningLevel.GREEN) is WarningLevel.RED
    assert WarningLevel.RED.label == "红"


def test_ranking_score_is_base_minus_points_plus_commendations() -> None:
    assert ranking_score(9) == 91
    assert ranking_score(9, commendation_points=5) == 96
    assert ranking_score(0, base=80) == 80


# --- one status per event, agreeing with the points ---------------------------------------------


def test_the_status_on_the_anniversary_is_still_active_and_the_points_count() -> None:
    event = scored(Band.SERIOUS, date(2024, 6, 1))
    anniversary = active_until(event.scored_on)
    assert (credit_status(event, anniversary), active_points([event], anniversary)) == (CreditStatus.ACTIVE, 6)
    next_day = anniversary + timedelta(days=1)
    assert (credit_status(event, next_day), active_points([event], next_day)) == (CreditStatus.EXPIRED, 0)


@pytest.mark.parametrize(
    ("event", "status"),
    [
        (scored(Band.MINOR, date(2025, 3, 1)), CreditStatus.ACTIVE),
        (scored(Band.MINOR, date(2025, 3, 1), objection=ObjectionState.FILED), CreditStatus.OBJECTION_PENDING),
        (scored(Band.MINOR, date(2025, 3, 1), objection=ObjectionState.ACCEPTED), CreditStatus.OBJECTION_PENDING),
        (scored(Band.MINOR, date(2025, 3, 1), objection=ObjectionState.KEPT), CreditStatus.ACTIVE),
        (scored(Band.MINOR, date(2025, 3, 1), objection=ObjectionState.REVOKED), CreditStatus.REVOKED),
        (scored(Band.MINOR, date(2025, 3, 1), corrected_on=date(2025, 4, 2)), CreditStatus.CORRECTED),
        (scored(Band.MINOR, date(2024, 3, 1)), CreditStatus.EXPIRED),
        (CreditEvent(Band.SERIOUS, date(2023, 1, 1), date(2024, 6, 1), date(2024, 6, 1)), CreditStatus.NOT_SCORED),
    ],
)
def test_every_status_agrees_with_the_points(event: CreditEvent, status: CreditStatus) -> None:
    assert credit_status(event, TODAY) is status
    assert active_points([event], TODAY) == (event.band.points if status.counts else 0)


def test_old_objection_words_read_as_the_new_states() -> None:
    assert ObjectionState.from_text("审核中") is ObjectionState.ACCEPTED
    assert ObjectionState.from_text("异议成立") is ObjectionState.REVOKED
    assert ObjectionState.from_text("异议不成立") is ObjectionState.KEPT
    assert ObjectionState.from_text(None) is ObjectionState.NONE


def test_a_stored_commendation_is_active_for_a_year() -> None:
    values = {"band": "业绩", "act_on": date(2024, 6, 1), "scored_on": date(2024, 6, 1), "points": 5}
    assert status_of_values(values, date(2025, 6, 1)) is CreditStatus.ACTIVE
    assert status_of_values(values, date(2025, 6, 2)) is CreditStatus.EXPIRED


# --- entry rules ----------------------------------------------------------------------------------------


def _values(band: str, points: int, scored_on: date, **extra: object) -> dict[str, object]:
    return {"subject": "企业", "band": band, "points": points, "act_on": scored_on, "scored_on": scored_on, **extra}


def _errors(values: dict[str, object]) -> dict[str, str]:
    return {p.field: p.message for p in entry_problems(values) if not p.warning}


def test_an_act_discovered_more_than_a_year_later_is_refused_with_the_rule() -> None:
    late = _values("较严重", 6, date(2024, 6, 1), act_on=date(2023, 1, 1), discovered_on=date(2024, 6, 1))
    assert "不予记分" in _errors(late)["discovered_on"]
    assert "沪房规范〔2023〕3号" in _errors(late)["discovered_on"]
    in_time = _values("较严重", 6, date(2024, 1, 2), act_on=date(2023, 1, 1), discovered_on=date(2024, 1, 1))
    assert _errors(in_time) == {}


def test_the_points_must_match_the_band() -> None:
    assert "记6分，不是3分" in _errors(_values("较严重", 3, date(2025, 3, 1)))["points"]


def test_an_18_point_act_can_never_be_corrected() -> None:
    for days in (5, 200):
        severe = _values("特别严重", 18, date(2024, 9, 1), corrected_on=date(2024, 9, 1) + timedelta(days=days))
        assert "特别严重失信行为（18分）不得修正" in _errors(severe)["corrected_on"]


def test_a_correction_before_its_waiting_time_is_refused() -> None:
    too_soon = _values("较严重", 6, date(2025, 1, 10), corrected_on=date(2025, 4, 9))
    message = _errors(too_soon)["corrected_on"]
    assert "2025-04-10" in message
    assert "满3个月" in message
    assert _errors(_values("较严重", 6, date(2025, 1, 10), corrected_on=date(2025, 4, 10))) == {}
    assert "满1个月" in _errors(_values("轻微", 3, date(2025, 1, 10), corrected_on=date(2025, 2, 9)))["corrected_on"]
    assert _errors(_values("轻微", 3, date(2025, 1, 10), corrected_on=date(2025, 2, 10))) == {}


def test_an_objection_needs_its_dates_in_order() -> None:
    scored_on = date(2025, 3, 1)
    assert "必填" in _errors(_values("轻微", 3, scored_on, objection="已受理"))["objection_filed_on"]
    accepted = _values(
        "轻微",
        3,
        scored_on,
        objection="已受理",
        objection_filed_on=date(2025, 3, 5),
        objection_accepted_on=date(2025, 3, 4),
    )
    assert _errors(accepted) == {"objection_accepted_on": "早于异议提出日期"}
    decided = _values(
        "轻微",
        3,
        scored_on,
        objection="撤销",
        objection_filed_on=date(2025, 3, 5),
        objection_accepted_on=date(2025, 3, 6),
        objection_decided_on=date(2025, 3, 20),
    )
    assert _errors(decided) == {}


def test_a_manager_on_a_fourth_estate_is_warned_with_the_rule() -> None:
    assert manager_load_warning("王建国", ["甲", "乙"]) is None
    warning = manager_load_warning("王建国", ["甲", "乙", "丙"])
    assert warning is not None
    assert "不超过3个" in warning
    assert "沪房规范〔2021〕6号" in warning
