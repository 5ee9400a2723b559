"""Double-count vote calculator (专有面积 and 人数) with exact arithmetic, per 民法典 第278条 and the 规定 §18."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from fractions import Fraction

from putuo_community.domain import rules
from putuo_community.domain.rules import Rule

AREA = "专有面积"
OWNERS = "人数"
_AREA_QUANTUM = Decimal("0.01")  # areas are registered to 0.01 ㎡


class VoteRule(Enum):
    GENERAL = "一般事项"
    MAJOR = "重大事项"  # 第278条 (六)–(八): 筹集维修资金, 改建重建, 改变共有部分用途或经营
    LIFT_ADDITION = "加装电梯"
    FULL_SET_START = "成套改造启动"
    FULL_SET_SIGNING = "成套改造协议生效"

    @property
    def label(self) -> str:
        return self.value

    @property
    def rule_ref(self) -> Rule:
        return _RULE_REFS[self]


_RULE_REFS = {
    VoteRule.GENERAL: rules.VOTE_GENERAL,
    VoteRule.MAJOR: rules.VOTE_MAJOR,
    VoteRule.LIFT_ADDITION: rules.VOTE_LIFT_ADDITION,
    VoteRule.FULL_SET_START: rules.FULL_SET_START,
    VoteRule.FULL_SET_SIGNING: rules.FULL_SET_SIGNING,
}


@dataclass(frozen=True)
class VoteTally:
    """Counts for one voting scope (the estate, or one 单元 for 加装电梯)."""

    total_area: Decimal
    total_owners: int
    participating_area: Decimal
    participating_owners: int
    agree_area: Decimal
    agree_owners: int

    def __post_init__(self) -> None:
        for name, value in (
            ("总面积", self.total_area),
            ("参与面积", self.participating_area),
            ("同意面积", self.agree_area),
            ("总人数", self.total_owners),
            ("参与人数", self.participating_owners),
            ("同意人数", self.agree_owners),
        ):
            if isinstance(value, Decimal) and not value.is_finite():
                raise ValueError(f"{name}不是有效数字")
            if value < 0:
                raise ValueError(f"{name}不能为负数")
        if self.total_owners == 0:
            raise ValueError("表决范围内的业主人数须大于0")
        if self.participating_area > self.total_area:
            raise ValueError("参与面积不能大于总面积")
        if self.participating_owners > self.total_owners:
            raise ValueError("参与人数不能大于总人数")
        if self.agree_area > self.participating_area:
            raise ValueError("同意面积不能大于参与面积")
        if self.agree_owners > self.participating_owners:
            raise ValueError("同意人数不能大于参与人数")

    @classmethod
    def households(cls, *, total: int, agreed: int) -> VoteTally:
        """A household-only count for 成套改造 (all households are consulted; area is not counted)."""
        return cls(Decimal(0), total, Decimal(0), total, Decimal(0), agreed)


@dataclass(frozen=True)
class CountOutcome:
    """One of the counts behind a result: which measure, against which base, and by how much."""

    label: str  # e.g. 参与面积, 同意人数, 签约户数
    measure: str  # AREA or OWNERS
    value: Decimal | int
    base: Decimal | int
    threshold: Fraction
    strict: bool  # True: more than threshold (过半); False: at least threshold
    required: Decimal | int  # the least value that passes
    margin: Decimal | int  # value − required: ≥ 0 passed, negative = short by −margin
    passed: bool
    household: bool = False  # counted in households (成套改造), not owners

    @property
    def unit(self) -> str:
        if self.measure == AREA:
            return "㎡"
        return "户" if self.household else "人"

    @property
    def threshold_text(self) -> str:
        return _threshold_text(self.threshold, self.strict)


@dataclass(frozen=True)
class VoteResult:
    rule: VoteRule
    rule_ref: Rule
    passed: bool
    participation: tuple[CountOutcome, ...]
    agreement: tuple[CountOutcome, ...]
    summary: str

    @property
    def outcomes(self) -> tuple[CountOutcome, ...]:
        return self.participation + self.agreement

    @property
    def cited(self) -> tuple[Rule, ...]:
        return rules_cited(self.rule)


def rules_cited(rule: VoteRule) -> tuple[Rule, ...]:
    """Every rule a vote under `rule` applies: an 业主大会's participation threshold, then the matter's own rule
    (the 加装电梯 rule states its own participation; 成套改造 counts households only)."""
    assembly = rule in (VoteRule.GENERAL, VoteRule.MAJOR)
    return ((rules.VOTE_PARTICIPATION,) if assembly else ()) + (rule.rule_ref,)


@dataclass(frozen=True)
class _Spec:
    participation: Fraction | None
    agreement: Fraction
    strict: bool


_TWO_THIRDS = Fraction(2, 3)
_SPECS = {
    VoteRule.GENERAL: _Spec(_TWO_THIRDS, Fraction(1, 2), strict=True),
    VoteRule.MAJOR: _Spec(_TWO_THIRDS, Fraction(3, 4), strict=False),
    VoteRule.LIFT_ADDITION: _Spec(_TWO_THIRDS, Fraction(3, 4), strict=False),
    VoteRule.FULL_SET_START: _Spec(None, Fraction(4, 5), strict=False),
    VoteRule.FULL_SET_SIGNING: _Spec(None, Fraction(19, 20), strict=False),
}


def _shown(threshold: Fraction) -> str:
    # The rules say 2/3, 3/4 but 80 %, 95 %: write each the way the rule does.
    if (100 * threshold).denominator == 1 and threshold.denominator not in (2, 4):
        return f"{100 * threshold}%"
    return f"{threshold.numerator}/{threshold.denominator}"


def _is_majority(threshold: Fraction, strict: bool) -> bool:
    return strict and threshold == Fraction(1, 2)


def _threshold_text(threshold: Fraction, strict: bool) -> str:
    if _is_majority(threshold, strict):
        return "过半"
    return f"{'超过' if strict else '达'}{_shown(threshold)}"


def _area_quantum(*values: Decimal) -> Decimal:
    # The finest precision among the inputs (at least 0.01), so `required` is reachable by `value`.
    exponents = [v.as_tuple().exponent for v in values]
    finest = min([e for e in exponents if isinstance(e, int)] + [-2])
    return Decimal(1).scaleb(finest)


def _count_owners(
    label: str, value: int, base: int, threshold: Fraction, strict: bool, household: bool = False
) -> CountOutcome:
    target = threshold * base
    required = math.floor(target) + 1 if strict else math.ceil(target)
    if base == 0:
        required = 1  # nobody to count against: nothing passes, and the margin must say so
    return _outcome(label, OWNERS, value, base, threshold, strict, required, household)


def _count_area(label: str, value: Decimal, base: Decimal, threshold: Fraction, strict: bool) -> CountOutcome:
    value, base = Decimal(value), Decimal(base)  # tolerate int areas from callers
    quantum = _area_quantum(value, base)
    scaled = threshold * Fraction(base) / Fraction(quantum)
    steps = math.floor(scaled) + 1 if strict else math.ceil(scaled)
    required = Decimal(steps) * quantum
    if base == 0:
        required = quantum
    return _outcome(label, AREA, value, base, threshold, strict, required)


def _outcome(
    label: str,
    measure: str,
    value: Decimal | int,
    base: Decimal | int,
    threshold: Fraction,
    strict: bool,
    required: Decimal | int,
    household: bool = False,
) -> CountOutcome:
    # Decided by exact comparison; `required` is the least passing value on the input's grid,
    # so `margin >= 0` agrees with `passed`.
    target = threshold * Fraction(base)
    passed = base != 0 and (Fraction(value) > target if strict else Fraction(value) >= target)
    return CountOutcome(
        label=label,
        measure=measure,
        value=value,
        base=base,
        threshold=threshold,
        strict=strict,
        required=required,
        margin=value - required,
        passed=passed,
        household=household,
    )


def _amount_text(outcome: CountOutcome, amount: Decimal | int, household: bool) -> str:
    if outcome.measure == AREA:
        shown = Decimal(amount)
        exponent = shown.as_tuple().exponent
        if isinstance(exponent, int) and exponent > -2:  # show at least two decimals
            shown = shown.quantize(_AREA_QUANTUM)
        return f"{shown}㎡"
    return f"{amount}{'户' if household else '人'}"


def _phrase(outcome: CountOutcome, household: bool) -> str:
    if outcome.passed:
        return f"{outcome.label}{outcome.threshold_text}（余{_amount_text(outcome, outcome.margin, household)}）"
    if _is_majority(outcome.threshold, outcome.strict):
        missed = "未过半"
    else:
        missed = f"{'未超过' if outcome.strict else '不足'}{_shown(outcome.threshold)}"
    return f"{outcome.label}{missed}，差{_amount_text(outcome, -outcome.margin, household)}"


def evaluate_vote(tally: VoteTally, rule: VoteRule) -> VoteResult:
    """Apply ``rule`` to ``tally``: participation first, then agreement, each by area and by owners."""
    spec = _SPECS[rule]
    participation: tuple[CountOutcome, ...] = ()
    if spec.participation is None:  # 成套改造: share of all households, no participation rule
        label = "签约户数" if rule is VoteRule.FULL_SET_SIGNING else "同意户数"
        agreement: tuple[CountOutcome, ...] = (
            _count_owners(label, tally.agree_owners, tally.total_owners, spec.agreement, spec.strict, household=True),
        )
    else:
        if tally.total_area <= 0:
            raise ValueError("该表决需按专有面积计票，总面积须大于0")
        participation = (
            _count_area("参与面积", tally.participating_area, tally.total_area, spec.participation, False),
            _count_owners("参与人数", tally.participating_owners, tally.total_owners, spec.participation, False),
        )
        agreement = (
            _count_area("同意面积", tally.agree_area, tally.participating_area, spec.agreement, spec.strict),
            _count_owners("同意人数", tally.agree_owners, tally.participating_owners, spec.agreement, spec.strict),
        )
    outcomes = participation + agreement
    passed = all(o.passed for o in outcomes)
    household = spec.participation is None
    if passed:
        summary = "通过：" + "；".join(_phrase(o, household) for o in outcomes)
    else:
        summary = "未通过：" + "；".join(_phrase(o, household) for o in outcomes if not o.passed)
    if household:
        summary += "（按户数计，不计面积）"
    return VoteResult(rule, rule.rule_ref, passed, participation, agreement, summary)


# -- how a result reads -------------------------------------------------------------------------


def quantity_text(outcome: CountOutcome, amount: Decimal | int) -> str:
    """An amount of the outcome's measure as a clerk writes it: 6,000.00 ㎡, 3 人, 40 户."""
    if outcome.measure == AREA:
        shown = Decimal(amount)
        exponent = shown.as_tuple().exponent
        if isinstance(exponent, int) and exponent > -2:
            shown = shown.quantize(_AREA_QUANTUM)
        return f"{shown:,} ㎡"
    return f"{amount:,} {outcome.unit}"


def margin_text(outcome: CountOutcome) -> str:
    """By how much a count passed or failed: 面积差 0.01 ㎡, 人数超 3 人, 户数恰好达到."""
    word = "面积" if outcome.measure == AREA else ("户数" if outcome.household else "人数")
    if not outcome.passed:
        return f"{word}差 {quantity_text(outcome, -outcome.margin)}"
    if outcome.margin == 0:
        return f"{word}恰好达到"
    return f"{word}超 {quantity_text(outcome, outcome.margin)}"


def required_text(outcome: CountOutcome) -> str:
    """The threshold and the least count that meets it: 达2/3，至少 6,000.00 ㎡."""
    return f"{outcome.threshold_text}，至少 {quantity_text(outcome, outcome.required)}"


def shortfall_text(result: VoteResult) -> str:
    """Each count that fell short and by how much ("" when the vote passed)."""
    household = _SPECS[result.rule].participation is None
    return "；".join(_phrase(o, household) for o in result.outcomes if not o.passed)


def verdict_text(result: VoteResult) -> str:
    """A result in one line, for a table cell: 通过（rule）, or 未通过（rule）：each count that fell short."""
    title = result.rule_ref.title
    if result.passed:
        return f"通过（{title}）"
    return f"未通过（{title}）：{shortfall_text(result)}"


# -- the matters of 民法典 第278条 ----------------------------------------------------------------

_ITEM_NUMERALS = "一二三四五六七八九"


@dataclass(frozen=True)
class Matter:
    """One of the matters 第278条 第一款 lists for the owners to decide together."""

    item: int  # 1–9: the 项 of 第278条 第一款
    label: str  # the short name a register stores
    text: str  # the article's own words

    @property
    def rule(self) -> VoteRule:
        # 第六至八项 need 3/4 of the participating area and owners; the rest more than half.
        return VoteRule.MAJOR if self.item in (6, 7, 8) else VoteRule.GENERAL

    @property
    def title(self) -> str:
        """（六）筹集建筑物及其附属设施的维修资金."""
        return f"（{_ITEM_NUMERALS[self.item - 1]}）{self.text}"


MATTERS: tuple[Matter, ...] = (
    Matter(1, "议事规则", "制定和修改业主大会议事规则"),
    Matter(2, "管理规约", "制定和修改管理规约"),
    Matter(3, "选举或更换业委会", "选举业主委员会或者更换业主委员会成员"),
    Matter(4, "选聘解聘物业", "选聘和解聘物业服务企业或者其他管理人"),
    Matter(5, "使用维修资金", "使用建筑物及其附属设施的维修资金"),
    Matter(6, "筹集维修资金", "筹集建筑物及其附属设施的维修资金"),
    Matter(7, "改建重建", "改建、重建建筑物及其附属设施"),
    Matter(8, "改变共有部分用途或经营", "改变共有部分的用途或者利用共有部分从事经营活动"),
    Matter(9, "其他共有和共同管理事项", "有关共有和共同管理权利的其他重大事项"),
)
MATTERS_BY_LABEL: dict[str, Matter] = {m.label: m for m in MATTERS}
ELECTION = MATTERS_BY_LABEL["选举或更换业委会"]
# Other ways registers name a matter: the article's words, and what clerks write.
MATTER_SYNONYMS: tuple[tuple[str, str], ...] = (
    *((m.text, m.label) for m in MATTERS),
    *((m.title, m.label) for m in MATTERS),
    ("选举业委会", ELECTION.label),
    ("换届选举", ELECTION.label),
    ("更换业委会成员", ELECTION.label),
    ("选聘物业", "选聘解聘物业"),
    ("解聘物业", "选聘解聘物业"),
    ("更换物业", "选聘解聘物业"),
    ("选聘物业服务企业", "选聘解聘物业"),
    ("动用维修资金", "使用维修资金"),
    ("续筹维修资金", "筹集维修资金"),
    ("改变共有部分用途", "改变共有部分用途或经营"),
    ("利用共有部分经营", "改变共有部分用途或经营"),
)
