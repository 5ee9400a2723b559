"""Dossier completeness: what an estate's 一小区一档案 is missing or has let go stale."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from putuo_community.domain.dates import add_months

SECTIONS = ("基本信息", "楼栋", "业委会", "物业服务", "维修资金", "电梯", "附件")
COMPANY_MODE = "物业企业"
FUND_STALE_MONTHS = 7  # accounts are published every January and July; allow one month's slack
DOSSIER_STALE_MONTHS = 12


@dataclass(frozen=True)
class DossierFacts:
    """The facts the check needs, gathered by the service layer from one estate's records."""

    missing_basic_fields: tuple[str, ...] = ()
    building_count: int = 0
    committee_expected: bool = False  # an 业主大会 exists or formation is due
    current_term_end: date | None = None
    current_term_filed: bool = False
    # A scan of the 备案证明 is attached to the current term (not in the bin): the filing is on file.
    current_term_certificate: bool = False
    member_count: int = 0
    contract_end: date | None = None  # current service contract; None if none
    management_mode: str | None = None
    latest_fund_on: date | None = None
    lift_count: int = 0
    lifts_unassessed: int = 0  # in service ≥ 15 years without an assessment
    attachment_count: int = 0  # attachments in the dossier, not those in the bin
    last_change_on: date | None = None


@dataclass(frozen=True)
class Gap:
    section: str
    message: str
    stale: bool = False  # True: the record exists but is out of date


def _committee_gaps(facts: DossierFacts, today: date) -> list[Gap]:
    if facts.current_term_end is None:
        if facts.committee_expected:
            return [Gap("业委会", "应成立业主大会，但无现任业委会任期记录")]
        return []
    gaps = []
    if facts.current_term_end < today:
        gaps.append(Gap("业委会", f"业委会任期已于{facts.current_term_end.isoformat()}届满，未登记新一届", True))
    if not (facts.current_term_filed or facts.current_term_certificate):
        gaps.append(Gap("业委会", "现任业委会未登记备案"))
    if facts.member_count < 3:
        gaps.append(Gap("业委会", f"业委会委员不足3人（现登记{facts.member_count}人）"))
    return gaps


def _service_gaps(facts: DossierFacts, today: date) -> list[Gap]:
    if facts.contract_end is None:
        if facts.management_mode == COMPANY_MODE:
            return [Gap("物业服务", "由物业企业管理，但无现行物业服务合同")]
        return []
    if facts.contract_end < today:
        return [Gap("物业服务", f"物业服务合同已于{facts.contract_end.isoformat()}到期", True)]
    return []


def dossier_gaps(facts: DossierFacts, today: date) -> tuple[Gap, ...]:
    """Every gap, in section order; an empty tuple means the dossier is complete."""
    gaps = [Gap("基本信息", f"缺少{label}") for label in facts.missing_basic_fields]
    if facts.last_change_on is not None and today > add_months(facts.last_change_on, DOSSIER_STALE_MONTHS):
        gaps.append(Gap("基本信息", f"档案自{facts.last_change_on.isoformat()}起超过12个月未更新", True))
    if facts.building_count <= 0:
        gaps.append(Gap("楼栋", "未登记楼栋"))
    gaps += _committee_gaps(facts, today)
    gaps += _service_gaps(facts, today)
    if facts.latest_fund_on is None:
        gaps.append(Gap("维修资金", "无维修资金余额记录"))
    elif today > add_months(facts.latest_fund_on, FUND_STALE_MONTHS):
        gaps.append(Gap("维修资金", f"维修资金余额停留在{facts.latest_fund_on.isoformat()}，已超过7个月未更新", True))
    if facts.lifts_unassessed > 0:
        gaps.append(Gap("电梯", f"{facts.lifts_unassessed}台电梯（共{facts.lift_count}台）使用满15年未做安全评估"))
    if facts.attachment_count <= 0:
        gaps.append(Gap("附件", "无附件（备案证明、合同、表决材料等扫描件）"))
    return tuple(gaps)


def completeness_ratio(gaps: Iterable[Gap]) -> Fraction:
    """Share of dossier sections with no gap (0 to 1), for a progress bar or a league table."""
    with_gaps = {g.section for g in gaps}
    return Fraction(len(SECTIONS) - len(with_gaps & set(SECTIONS)), len(SECTIONS))
