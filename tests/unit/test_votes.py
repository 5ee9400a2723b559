from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from putuo_community.domain import rules
from putuo_community.domain.votes import (
    AREA,
    OWNERS,
    CountOutcome,
    VoteRule,
    VoteTally,
    evaluate_vote,
)

D = Decimal


def tally(total: tuple[str, int], took_part: tuple[str, int], agreed: tuple[str, int]) -> VoteTally:
    return VoteTally(
        total_area=D(total[0]),
        total_owners=total[1],
        participating_area=D(took_part[0]),
        participating_owners=took_part[1],
        agree_area=D(agreed[0]),
        agree_owners=agreed[1],
    )


def by_label(outcomes: tuple[CountOutcome, ...], label: str) -> CountOutcome:
    return next(o for o in outcomes if o.label == label)


def test_exactly_two_thirds_participation_passes() -> None:
    result = evaluate_vote(tally(("9000.00", 300), ("6000.00", 200), ("6000.00", 200)), VoteRule.MAJOR)
    area = by_label(result.participation, "参与面积")
    owners = by_label(result.participation, "参与人数")
    assert area.passed
    assert area.required == D("6000.00")
    assert area.margin == 0
    assert owners.passed
    assert owners.required == 200
    assert owners.margin == 0
    assert result.passed


def test_one_owner_short_of_two_thirds_fails() -> None:
    result = evaluate_vote(tally(("9000.00", 300), ("6000.00", 199), ("6000.00", 199)), VoteRule.GENERAL)
    owners = by_label(result.participation, "参与人数")
    assert not owners.passed
    assert owners.margin == -1
    assert not result.passed
    assert result.summary == "未通过：参与人数不足2/3，差1人"


def test_participation_required_rounds_up_for_owners_and_area() -> None:
    # 2/3 of 100 owners is 66.67: 67 owners needed; 2/3 of 1000.00 ㎡ is 666.666…: 666.67 ㎡ needed.
    result = evaluate_vote(tally(("1000.00", 100), ("666.66", 66), ("666.66", 66)), VoteRule.GENERAL)
    area = by_label(result.participation, "参与面积")
    owners = by_label(result.participation, "参与人数")
    assert area.required == D("666.67")
    assert area.margin == D("-0.01")
    assert owners.required == 67
    assert result.summary == "未通过：参与面积不足2/3，差0.01㎡；参与人数不足2/3，差1人"


def test_summary_reports_area_shortfall() -> None:
    result = evaluate_vote(tally(("3000.00", 30), ("1987.50", 20), ("1987.50", 20)), VoteRule.GENERAL)
    assert result.summary == "未通过：参与面积不足2/3，差12.50㎡"


def test_exactly_half_does_not_pass_a_general_matter() -> None:
    result = evaluate_vote(tally(("1200.00", 12), ("1000.00", 10), ("500.00", 5)), VoteRule.GENERAL)
    area = by_label(result.agreement, "同意面积")
    owners = by_label(result.agreement, "同意人数")
    assert not area.passed
    assert area.required == D("500.01")
    assert not owners.passed
    assert owners.required == 6
    assert not result.passed
    assert result.summary == "未通过：同意面积未过半，差0.01㎡；同意人数未过半，差1人"


def test_just_over_half_passes_a_general_matter() -> None:
    result = evaluate_vote(tally(("1200.00", 12), ("1000.00", 10), ("500.01", 6)), VoteRule.GENERAL)
    assert result.passed
    assert result.rule_ref is rules.VOTE_GENERAL
    assert result.summary.startswith("通过：参与面积达2/3")
    assert "同意人数过半（余0人）" in result.summary


def test_exactly_three_quarters_passes_a_major_matter() -> None:
    result = evaluate_vote(tally(("1000.00", 12), ("800.00", 12), ("600.00", 9)), VoteRule.MAJOR)
    assert result.passed
    assert all(o.margin == 0 for o in result.agreement)
    assert result.rule_ref is rules.VOTE_MAJOR


def test_just_under_three_quarters_fails_a_major_matter() -> None:
    result = evaluate_vote(tally(("1000.00", 12), ("800.00", 12), ("599.99", 9)), VoteRule.MAJOR)
    assert not result.passed
    assert result.summary == "未通过：同意面积不足3/4，差0.01㎡"


def test_area_and_owners_must_both_pass() -> None:
    # A few large owners carry the area but not the head count.
    result = evaluate_vote(tally(("1000.00", 10), ("1000.00", 10), ("900.00", 4)), VoteRule.GENERAL)
    assert by_label(result.agreement, "同意面积").passed
    assert not by_label(result.agreement, "同意人数").passed
    assert not result.passed


def test_lift_addition_is_a_unit_vote_with_major_thresholds() -> None:
    # One 单元 of 12 flats: 8 take part (2/3), 6 agree (3/4 of 8).
    unit = tally(("780.00", 12), ("520.00", 8), ("390.00", 6))
    result = evaluate_vote(unit, VoteRule.LIFT_ADDITION)
    assert result.passed
    assert result.rule_ref is rules.VOTE_LIFT_ADDITION


def test_full_set_start_needs_eighty_percent_of_households() -> None:
    start = evaluate_vote(VoteTally.households(total=50, agreed=40), VoteRule.FULL_SET_START)
    assert start.passed
    assert start.participation == ()
    (count,) = start.agreement
    assert count.measure == OWNERS
    assert count.required == 40
    assert count.base == 50
    assert start.summary.endswith("（按户数计，不计面积）")
    short = evaluate_vote(VoteTally.households(total=50, agreed=39), VoteRule.FULL_SET_START)
    assert short.summary == "未通过：同意户数不足80%，差1户（按户数计，不计面积）"


def test_full_set_signing_needs_ninety_five_percent() -> None:
    # 95 % of 41 households is 38.95: 39 signatures needed.
    assert evaluate_vote(VoteTally.households(total=41, agreed=39), VoteRule.FULL_SET_SIGNING).passed
    result = evaluate_vote(VoteTally.households(total=41, agreed=38), VoteRule.FULL_SET_SIGNING)
    assert not result.passed
    assert result.rule_ref is rules.FULL_SET_SIGNING
    assert result.summary.startswith("未通过：签约户数不足95%，差1户")


def test_finer_area_precision_is_respected() -> None:
    result = evaluate_vote(tally(("100.000", 3), ("66.667", 2), ("66.667", 2)), VoteRule.MAJOR)
    area = by_label(result.participation, "参与面积")
    assert area.passed
    assert area.required == D("66.667")
    assert area.measure == AREA


def test_nobody_taking_part_fails_every_count() -> None:
    result = evaluate_vote(tally(("100.00", 3), ("0", 0), ("0", 0)), VoteRule.MAJOR)
    assert not result.passed
    assert all(not o.passed and o.margin < 0 for o in result.participation + result.agreement)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ((("100", 3), ("101", 3), ("50", 2)), "参与面积不能大于总面积"),
        ((("100", 3), ("100", 4), ("50", 2)), "参与人数不能大于总人数"),
        ((("100", 3), ("60", 3), ("61", 2)), "同意面积不能大于参与面积"),
        ((("100", 3), ("60", 2), ("50", 3)), "同意人数不能大于参与人数"),
        ((("100", 3), ("-1", 2), ("0", 0)), "参与面积不能为负数"),
        ((("100", 0), ("0", 0), ("0", 0)), "业主人数须大于0"),
        ((("NaN", 3), ("0", 0), ("0", 0)), "总面积不是有效数字"),
    ],
)
def test_inconsistent_tallies_are_refused(
    values: tuple[tuple[str, int], tuple[str, int], tuple[str, int]], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        tally(*values)


def test_area_rule_without_area_is_refused() -> None:
    with pytest.raises(ValueError, match="总面积须大于0"):
        evaluate_vote(VoteTally.households(total=10, agreed=9), VoteRule.GENERAL)


@st.composite
def tallies(draw: st.DrawFn) -> VoteTally:
    total_owners = draw(st.integers(1, 400))
    took_part = draw(st.integers(0, total_owners))
    agreed = draw(st.integers(0, took_part))
    cents = draw(st.integers(1, 10_000_000))
    part_cents = draw(st.integers(0, cents))
    agree_cents = draw(st.integers(0, part_cents))
    return VoteTally(
        D(cents).scaleb(-2),
        total_owners,
        D(part_cents).scaleb(-2),
        took_part,
        D(agree_cents).scaleb(-2),
        agreed,
    )


@given(tallies(), st.sampled_from(list(VoteRule)))
def test_margin_agrees_with_exact_arithmetic(t: VoteTally, rule: VoteRule) -> None:
    result = evaluate_vote(t, rule)
    for o in result.participation + result.agreement:
        assert o.passed == (o.margin >= 0)
        if o.base:
            exact = Fraction(o.value) / Fraction(o.base)
            assert o.passed == (exact > o.threshold if o.strict else exact >= o.threshold)
    assert result.passed == all(o.passed for o in result.participation + result.agreement)
    assert result.summary.startswith("通过" if result.passed else "未通过")
