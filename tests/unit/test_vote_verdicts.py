"""The vote calculator's rules at their boundaries, as the clerk reads them: pass or fail, the margin, the rule."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from putuo_community.domain import rules
from putuo_community.domain.registers import REGISTERS
from putuo_community.domain.registers.votes import VOTE_COLUMNS, check_declarations
from putuo_community.domain.validation import validate_record
from putuo_community.domain.votes import (
    MATTERS,
    MATTERS_BY_LABEL,
    CountOutcome,
    VoteRule,
    VoteTally,
    evaluate_vote,
    margin_text,
    required_text,
    verdict_text,
)

D = Decimal


def counts(total: tuple[str, int], took_part: tuple[str, int], agreed: tuple[str, int], **more: Any) -> dict[str, Any]:
    """A record's vote fields, as a committee term stores them."""
    return {
        "total_area": D(total[0]),
        "total_owners": total[1],
        "voting_area": D(took_part[0]),
        "voting_owners": took_part[1],
        "agree_area": D(agreed[0]),
        "agree_owners": agreed[1],
        **more,
    }


def by_label(outcomes: tuple[CountOutcome, ...], label: str) -> CountOutcome:
    return next(o for o in outcomes if o.label == label)


def election(values: dict[str, Any]) -> str:
    return VOTE_COLUMNS["committee_terms"].cell(REGISTERS["committee_terms"], values)


# -- the boundaries the issue names ----------------------------------------------------------------


def test_exactly_two_thirds_taking_part_is_enough() -> None:
    result = evaluate_vote(VoteTally(D("9000.00"), 300, D("6000.00"), 200, D("6000.00"), 200), VoteRule.GENERAL)
    area, owners = result.participation
    assert area.passed
    assert owners.passed
    assert margin_text(area) == "面积恰好达到"
    assert margin_text(owners) == "人数恰好达到"
    assert required_text(owners) == "达2/3，至少 200 人"
    assert result.passed


def test_exactly_half_agreeing_is_a_fail_by_the_smallest_step() -> None:
    result = evaluate_vote(VoteTally(D("1200.00"), 12, D("1000.00"), 10, D("500.00"), 5), VoteRule.GENERAL)
    area = by_label(result.agreement, "同意面积")
    owners = by_label(result.agreement, "同意人数")
    assert not result.passed
    assert margin_text(area) == "面积差 0.01 ㎡"
    assert margin_text(owners) == "人数差 1 人"
    assert verdict_text(result) == "未通过（一般事项表决）：同意面积未过半，差0.01㎡；同意人数未过半，差1人"


def test_exactly_three_quarters_passes_a_major_matter_and_a_lift_consent() -> None:
    tally = VoteTally(D("1000.00"), 12, D("800.00"), 12, D("600.00"), 9)
    for rule in (VoteRule.MAJOR, VoteRule.LIFT_ADDITION):
        result = evaluate_vote(tally, rule)
        assert result.passed
        assert [margin_text(o) for o in result.agreement] == ["面积恰好达到", "人数恰好达到"]
    assert verdict_text(evaluate_vote(tally, VoteRule.LIFT_ADDITION)) == "通过（加装电梯意愿征询）"


def test_eighty_of_a_hundred_households_start_a_full_set_renovation_but_eighty_of_101_do_not() -> None:
    start = evaluate_vote(VoteTally.households(total=100, agreed=80), VoteRule.FULL_SET_START)
    assert start.passed
    assert margin_text(start.agreement[0]) == "户数恰好达到"
    short = evaluate_vote(VoteTally.households(total=101, agreed=80), VoteRule.FULL_SET_START)
    assert not short.passed
    (count,) = short.agreement
    assert count.required == 81  # 80 % of 101 is 80.8
    assert margin_text(count) == "户数差 1 户"
    assert verdict_text(short) == "未通过（成套改造启动）：同意户数不足80%，差1户"


def test_a_margin_above_the_line_says_by_how_much() -> None:
    result = evaluate_vote(VoteTally(D("3000.00"), 30, D("2500.50"), 26, D("2000.00"), 20), VoteRule.GENERAL)
    owners = by_label(result.participation, "参与人数")
    area = by_label(result.participation, "参与面积")
    assert margin_text(owners) == "人数超 6 人"  # 20 needed
    assert margin_text(area) == "面积超 500.50 ㎡"
    assert result.cited == (rules.VOTE_PARTICIPATION, rules.VOTE_GENERAL)


# -- the matters of 第278条 ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "rule"),
    [
        ("使用维修资金", VoteRule.GENERAL),  # using the fund is a majority matter
        ("筹集维修资金", VoteRule.MAJOR),
        ("改建重建", VoteRule.MAJOR),
        ("改变共有部分用途或经营", VoteRule.MAJOR),
        ("选举或更换业委会", VoteRule.GENERAL),
        ("选聘解聘物业", VoteRule.GENERAL),
        ("其他共有和共同管理事项", VoteRule.GENERAL),
    ],
)
def test_only_the_sixth_to_eighth_matters_need_three_quarters(label: str, rule: VoteRule) -> None:
    assert MATTERS_BY_LABEL[label].rule is rule


def test_the_list_is_the_articles_nine_items_in_order() -> None:
    assert [m.item for m in MATTERS] == list(range(1, 10))
    assert MATTERS[5].title == "（六）筹集建筑物及其附属设施的维修资金"
    assert "使用" not in rules.VOTE_MAJOR.text  # the rule's own words agree


def test_an_assembly_decision_is_judged_by_the_rule_of_its_matter() -> None:
    register = REGISTERS["committee_activities"]
    column = VOTE_COLUMNS["committee_activities"]
    # 70 % agree: enough to use the fund, not to raise it.
    values = counts(("1000.00", 100), ("800.00", 80), ("560.00", 56), kind="业主大会")
    assert column.cell(register, {**values, "vote_matter": "使用维修资金"}) == "通过（一般事项表决）"
    raised = column.cell(register, {**values, "vote_matter": "筹集维修资金"})
    assert raised == "未通过（重大事项表决）：同意面积不足3/4，差40.00㎡；同意人数不足3/4，差4人"
    assert column.cell(register, values) == "无法判定：未选择表决事项"
    assert column.cell(register, {**values, "kind": "接待日"}) == ""  # only an 业主大会 decides by vote


# -- counts as records keep them --------------------------------------------------------------------


def test_a_record_without_counts_has_no_verdict_and_an_unfinished_tally_says_what_is_missing() -> None:
    assert election({}) == ""
    partial = {"voting_owners": 200, "agree_owners": 150}
    assert election(partial) == "计票不全：未填专有面积总数、业主总人数、参与表决面积、同意面积"
    verdict = VOTE_COLUMNS["committee_terms"].verdict(REGISTERS["committee_terms"], partial)
    assert verdict is not None
    assert verdict.passed is None


def test_a_passed_election_shows_the_rules_it_applied() -> None:
    values = counts(("9000.00", 300), ("6000.00", 200), ("3000.01", 101))
    verdict = VOTE_COLUMNS["committee_terms"].verdict(REGISTERS["committee_terms"], values)
    assert verdict is not None
    assert verdict.passed is True
    assert verdict.text == "通过（一般事项表决）"
    assert "依据：表决参与门槛" in verdict.detail
    assert "第二百七十八条" in verdict.detail


def test_a_renovation_project_is_judged_only_as_a_full_set_renovation() -> None:
    register, column = REGISTERS["projects"], VOTE_COLUMNS["projects"]
    values = {"kind": "成套改造", "households": 120, "agree_households": 96}
    assert column.cell(register, values) == "通过（成套改造启动）"
    signing = {**values, "signed_households": 113}  # 95 % of 120 is 114
    assert column.cell(register, signing) == (
        "通过（成套改造启动）；未通过（成套改造协议生效）：签约户数不足95%，差1户"
    )
    assert column.cell(register, {**signing, "kind": "综合修缮"}) == ""


def test_counts_above_their_whole_are_refused_by_the_form_and_the_import() -> None:
    register = REGISTERS["committee_terms"]
    term = {"estate_id": 1, "term_no": 2, "start_on": date(2024, 5, 1), "end_on": date(2029, 4, 30)}
    report = validate_record(register, {**term, **counts(("900.00", 9), ("600.00", 10), ("500.00", 6))})
    problems = {p.field: p.message for p in report.problems}
    assert problems["voting_owners"] == "不能大于业主总人数"
    lift = validate_record(
        REGISTERS["lift_projects"],
        {"estate_id": 1, "building_id": 1, "stage": "意愿征询", "households": 12, "voting_owners": 13},
    )
    assert [p.message for p in lift.problems] == ["不能大于单元户数"]
    assert election(counts(("900.00", 9), ("600.00", 10), ("500.00", 6))).startswith("无法判定：参与表决人数不能大于")


def test_every_vote_names_declared_count_fields() -> None:
    check_declarations(REGISTERS)
    for register_key in VOTE_COLUMNS:
        register = REGISTERS[register_key]
        assert all(register.has_field(k) for k in VOTE_COLUMNS[register_key].read_keys)
