from __future__ import annotations

from dataclasses import replace
from datetime import date
from fractions import Fraction

from putuo_community.domain.completeness import (
    SECTIONS,
    DossierFacts,
    Gap,
    completeness_ratio,
    dossier_gaps,
)

TODAY = date(2025, 6, 1)

COMPLETE = DossierFacts(
    missing_basic_fields=(),
    building_count=12,
    committee_expected=True,
    current_term_end=date(2026, 3, 31),
    current_term_filed=True,
    member_count=7,
    contract_end=date(2026, 12, 31),
    management_mode="物业企业",
    latest_fund_on=date(2025, 1, 31),
    lift_count=4,
    lifts_unassessed=0,
    attachment_count=3,
    last_change_on=date(2025, 5, 1),
)


def messages(facts: DossierFacts) -> list[tuple[str, str, bool]]:
    return [(g.section, g.message, g.stale) for g in dossier_gaps(facts, TODAY)]


def test_complete_dossier_has_no_gaps() -> None:
    assert dossier_gaps(COMPLETE, TODAY) == ()
    assert completeness_ratio(()) == 1


def test_empty_dossier_lists_what_is_missing() -> None:
    facts = DossierFacts(missing_basic_fields=("地址", "四至"), committee_expected=True, management_mode="物业企业")
    assert messages(facts) == [
        ("基本信息", "缺少地址", False),
        ("基本信息", "缺少四至", False),
        ("楼栋", "未登记楼栋", False),
        ("业委会", "应成立业主大会，但无现任业委会任期记录", False),
        ("物业服务", "由物业企业管理，但无现行物业服务合同", False),
        ("维修资金", "无维修资金余额记录", False),
        ("附件", "无附件（备案证明、合同、表决材料等扫描件）", False),
    ]
    gaps = dossier_gaps(facts, TODAY)
    assert completeness_ratio(gaps) == Fraction(1, len(SECTIONS))  # only 电梯 is clean


def test_no_committee_expected_no_gap() -> None:
    facts = replace(COMPLETE, committee_expected=False, current_term_end=None, member_count=0)
    assert dossier_gaps(facts, TODAY) == ()


def test_committee_problems() -> None:
    facts = replace(COMPLETE, current_term_end=date(2025, 5, 31), current_term_filed=False, member_count=2)
    assert messages(facts) == [
        ("业委会", "业委会任期已于2025-05-31届满，未登记新一届", True),
        ("业委会", "现任业委会未登记备案", False),
        ("业委会", "业委会委员不足3人（现登记2人）", False),
    ]


def test_term_ending_today_is_not_expired() -> None:
    assert dossier_gaps(replace(COMPLETE, current_term_end=TODAY), TODAY) == ()


def test_contract() -> None:
    self_managed = replace(COMPLETE, contract_end=None, management_mode="自管")
    assert dossier_gaps(self_managed, TODAY) == ()
    expired = replace(COMPLETE, contract_end=date(2025, 5, 31))
    assert dossier_gaps(expired, TODAY) == (Gap("物业服务", "物业服务合同已于2025-05-31到期", True),)


def test_fund_snapshot_goes_stale_after_seven_months() -> None:
    # The July publication is due 2025-07-31; a January figure is fine until 7 months have passed.
    jan = replace(COMPLETE, latest_fund_on=date(2025, 1, 31))
    assert dossier_gaps(jan, date(2025, 8, 31)) == ()
    (gap,) = dossier_gaps(jan, date(2025, 9, 1))
    assert gap.section == "维修资金"
    assert gap.stale


def test_unassessed_lifts() -> None:
    facts = replace(COMPLETE, lifts_unassessed=2)
    assert messages(facts) == [("电梯", "2台电梯（共4台）使用满15年未做安全评估", False)]


def test_dossier_untouched_for_a_year_is_stale() -> None:
    facts = replace(COMPLETE, last_change_on=date(2024, 5, 31))
    assert messages(facts) == [("基本信息", "档案自2024-05-31起超过12个月未更新", True)]
    assert dossier_gaps(replace(COMPLETE, last_change_on=date(2024, 6, 1)), TODAY) == ()


def test_ratio_counts_sections_not_gaps() -> None:
    gaps = (Gap("基本信息", "缺少地址"), Gap("基本信息", "缺少四至"), Gap("附件", "无附件"))
    assert completeness_ratio(gaps) == Fraction(len(SECTIONS) - 2, len(SECTIONS))
