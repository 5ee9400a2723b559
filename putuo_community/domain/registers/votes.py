"""Which records keep a vote's counts, in which fields, judged by which rule — declared once.

A committee term keeps its election, an 业主大会 activity its decision, a 加装电梯 project its
单元's consent and a 成套改造 project its start and signing counts. Forms, imports and ledgers
follow the fields (declared in the registers with `estate_scope_fields` and `vote_count_fields`);
the verdict is worked out from the stored counts by `evaluate_vote` wherever it is shown, never stored.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from putuo_community.domain.fields import Field, FieldType, Register, choice, decimal, integer
from putuo_community.domain.votes import (
    MATTER_SYNONYMS,
    MATTERS,
    MATTERS_BY_LABEL,
    VoteResult,
    VoteRule,
    VoteTally,
    evaluate_vote,
    verdict_text,
)

# -- the fields, declared once for every register that keeps a vote ---------------------------------


def estate_scope_fields() -> tuple[Field, ...]:
    """The voting scope's totals when the whole estate votes (a committee election, an 业主大会 decision)."""
    return (
        decimal(
            "total_area",
            "专有面积总数",
            unit="㎡",
            width=14,
            synonyms=("表决范围专有面积", "专有部分面积总数", "业主专有面积总数"),
            note="表决范围内全体业主的专有部分面积之和",
        ),
        integer(
            "total_owners",
            "业主总人数",
            unit="人",
            synonyms=("表决范围业主人数", "业主人数", "全体业主人数"),
            note="表决范围内的业主人数",
        ),
    )


def vote_count_fields() -> tuple[Field, ...]:
    """Who took part and who agreed, each by 专有面积 and by 人数 (民法典 第278条 counts both)."""
    return (
        integer(
            "voting_owners",
            "参与表决人数",
            unit="人",
            synonyms=("参与表决业主人数", "参加表决人数", "参与表决户数", "投票人数"),
        ),
        decimal("voting_area", "参与表决面积", unit="㎡", synonyms=("参与表决专有面积", "参加表决面积", "投票面积")),
        integer("agree_owners", "同意人数", unit="人", synonyms=("同意业主人数", "同意户数", "赞成人数")),
        decimal("agree_area", "同意面积", unit="㎡", synonyms=("同意专有面积", "赞成面积")),
    )


def matter_field(key: str = "vote_matter") -> Field:
    """The matter of 第278条 a decision is about; it chooses the rule (过半 or 3/4)."""
    return choice(
        key,
        "表决事项",
        tuple(m.label for m in MATTERS),
        width=14,
        choice_synonyms=MATTER_SYNONYMS,
        synonyms=("决定事项", "表决内容", "事项类别"),
        note="按《民法典》第二百七十八条：筹集维修资金、改建重建、改变共有部分用途或经营须3/4同意，其余事项过半数",
    )


# -- where a register keeps one vote ---------------------------------------------------------------


class Scope(enum.Enum):
    """Who votes, and so where the totals are prefilled from."""

    ESTATE = "estate"  # the estate's owners: 单元 areas and the estate's households
    UNIT = "unit"  # one 单元 (加装电梯); a building when no 单元 is named
    PROJECT = "project"  # the households a 成套改造 project covers


@dataclass(frozen=True)
class VoteCounts:
    """The fields of one vote in a register, and the rule that judges it.

    Household-only votes (成套改造) leave the area and participation keys empty.
    """

    rule: VoteRule | None = None  # fixed; else the rule of the matter in `matter_field`
    matter: str = ""  # the 第278条 matter a fixed-rule vote is about (an election)
    matter_field: str = ""
    total_area: str = "total_area"
    total_owners: str = "total_owners"
    voting_area: str = "voting_area"
    voting_owners: str = "voting_owners"
    agree_area: str = "agree_area"
    agree_owners: str = "agree_owners"
    applies_when: tuple[str, str] | None = None  # (field, value): only such records vote

    @property
    def by_households(self) -> bool:
        return not self.voting_owners

    @property
    def total_keys(self) -> tuple[str, ...]:
        return tuple(k for k in (self.total_area, self.total_owners) if k)

    @property
    def cast_keys(self) -> tuple[str, ...]:
        """The counts of the votes cast, in the order a clerk reads them off a tally sheet."""
        return tuple(k for k in (self.voting_area, self.voting_owners, self.agree_area, self.agree_owners) if k)

    @property
    def keys(self) -> tuple[str, ...]:
        return self.total_keys + self.cast_keys

    def applies(self, values: Mapping[str, Any]) -> bool:
        if self.applies_when is None:
            return True
        key, wanted = self.applies_when
        return bool(values.get(key) == wanted)

    def rule_for(self, values: Mapping[str, Any]) -> VoteRule | None:
        if self.rule is not None:
            return self.rule
        matter = MATTERS_BY_LABEL.get(str(values.get(self.matter_field) or ""))
        return matter.rule if matter is not None else None

    def limits(self) -> tuple[tuple[str, str], ...]:
        """(part, whole) pairs of keys: a part can never exceed its whole."""
        if self.by_households:
            return ((self.agree_owners, self.total_owners),)
        return (
            (self.voting_area, self.total_area),
            (self.voting_owners, self.total_owners),
            (self.agree_area, self.voting_area),
            (self.agree_owners, self.voting_owners),
        )


@dataclass(frozen=True)
class VoteJudgement:
    """What the stored counts of one vote say: a result, or why there is none yet."""

    counts: VoteCounts
    result: VoteResult | None = None
    missing: tuple[str, ...] = ()  # labels of the counts not filled in
    problem: str = ""  # counts that contradict each other, or no matter chosen

    @property
    def text(self) -> str:
        """The verdict as a table cell writes it."""
        if self.result is not None:
            return verdict_text(self.result)
        if self.problem:
            return f"无法判定：{self.problem}"
        return f"计票不全：未填{'、'.join(self.missing)}"


def limit_problems(counts: VoteCounts, register: Register, values: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(key, message) for each count larger than the whole it is part of."""
    found = []
    for part, whole in counts.limits():
        a, b = values.get(part), values.get(whole)
        if isinstance(a, int | Decimal) and isinstance(b, int | Decimal) and a > b:
            found.append((part, f"不能大于{register.field(whole).label}"))
    return found


def judge(counts: VoteCounts, register: Register, values: Mapping[str, Any]) -> VoteJudgement | None:
    """The verdict of the counts in `values`; None when the record holds no vote (none cast, or not its kind)."""
    if not counts.applies(values) or all(values.get(k) is None for k in counts.cast_keys):
        return None
    missing = tuple(register.field(k).label for k in counts.keys if values.get(k) is None)
    if missing:
        return VoteJudgement(counts, missing=missing)
    rule = counts.rule_for(values)
    if rule is None:
        return VoteJudgement(counts, problem=f"未选择{register.field(counts.matter_field).label}")
    problems = limit_problems(counts, register, values)
    if problems:
        key, message = problems[0]
        return VoteJudgement(counts, problem=f"{register.field(key).label}{message}")
    try:
        tally = _tally(counts, values)
        return VoteJudgement(counts, result=evaluate_vote(tally, rule))
    except ValueError as refused:  # a nought where a total must be positive
        return VoteJudgement(counts, problem=str(refused))


def _tally(counts: VoteCounts, values: Mapping[str, Any]) -> VoteTally:
    if counts.by_households:
        return VoteTally.households(total=values[counts.total_owners], agreed=values[counts.agree_owners])
    return VoteTally(
        total_area=Decimal(values[counts.total_area]),
        total_owners=values[counts.total_owners],
        participating_area=Decimal(values[counts.voting_area]),
        participating_owners=values[counts.voting_owners],
        agree_area=Decimal(values[counts.agree_area]),
        agree_owners=values[counts.agree_owners],
    )


@dataclass(frozen=True)
class Verdict:
    """A record's votes as lists show them: the cell, whether all passed (None: not judged), every count."""

    text: str
    passed: bool | None
    detail: str


def _detail(judgement: VoteJudgement) -> str:
    result = judgement.result
    if result is None:
        return judgement.text
    cited = "；".join(f"{r.title}：{r.text}（{r.source}）" for r in result.cited)
    return f"{result.summary}\n依据：{cited}"


# -- the registers that keep votes -----------------------------------------------------------------


@dataclass(frozen=True)
class VoteColumn:
    """A register's votes as one computed column of its lists, its estate-window table and the dossier."""

    register: str
    key: str  # the computed column's key
    header: str
    scope: Scope
    votes: tuple[VoteCounts, ...]
    title: str  # what the vote is, as the vote dialog names it

    def judgements(self, register: Register, values: Mapping[str, Any]) -> list[VoteJudgement]:
        found = (judge(v, register, values) for v in self.votes)
        return [j for j in found if j is not None]

    def verdict(self, register: Register, values: Mapping[str, Any]) -> Verdict | None:
        """The verdict of every vote the record holds; None when it holds none."""
        judgements = self.judgements(register, values)
        if not judgements:
            return None
        results = [j.result for j in judgements]
        passed = None if any(r is None for r in results) else all(r.passed for r in results if r is not None)
        return Verdict("；".join(j.text for j in judgements), passed, "\n".join(_detail(j) for j in judgements))

    def cell(self, register: Register, values: Mapping[str, Any]) -> str:
        """The verdict as a table cell writes it ("" when the record holds no vote)."""
        verdict = self.verdict(register, values)
        return verdict.text if verdict is not None else ""

    @property
    def count_keys(self) -> tuple[str, ...]:
        """Every count key of its votes, each once, totals first."""
        keys = [k for v in self.votes for k in v.total_keys] + [k for v in self.votes for k in v.cast_keys]
        return tuple(dict.fromkeys(keys))

    @property
    def vote_keys(self) -> tuple[str, ...]:
        """The fields the votes add to a record: the counts and the matter."""
        return tuple(dict.fromkeys((*self.count_keys, *(v.matter_field for v in self.votes if v.matter_field))))

    @property
    def read_keys(self) -> tuple[str, ...]:
        """Every field a verdict reads: the counts, the matter, the kind that decides whether it applies."""
        extra = [v.matter_field for v in self.votes if v.matter_field]
        extra += [v.applies_when[0] for v in self.votes if v.applies_when]
        return tuple(dict.fromkeys((*self.count_keys, *extra)))


FULL_SET = "成套改造"

VOTE_COLUMNS: dict[str, VoteColumn] = {
    c.register: c
    for c in (
        VoteColumn(
            "committee_terms",
            "election_vote",
            "选举表决",
            Scope.ESTATE,
            (VoteCounts(rule=VoteRule.GENERAL, matter="选举或更换业委会"),),
            "业委会选举",
        ),
        VoteColumn(
            "committee_activities",
            "assembly_vote",
            "表决结果",
            Scope.ESTATE,
            (VoteCounts(matter_field="vote_matter", applies_when=("kind", "业主大会")),),
            "业主大会表决",
        ),
        VoteColumn(
            "lift_projects",
            "lift_vote",
            "意愿征询结果",
            Scope.UNIT,
            (VoteCounts(rule=VoteRule.LIFT_ADDITION, total_owners="households"),),
            "加装电梯意愿征询",
        ),
        VoteColumn(
            "projects",
            "full_set_vote",
            "成套改造表决",
            Scope.PROJECT,
            tuple(
                VoteCounts(
                    rule=rule,
                    total_area="",
                    total_owners="households",
                    voting_area="",
                    voting_owners="",
                    agree_area="",
                    agree_owners=agree,
                    applies_when=("kind", FULL_SET),
                )
                for rule, agree in (
                    (VoteRule.FULL_SET_START, "agree_households"),
                    (VoteRule.FULL_SET_SIGNING, "signed_households"),
                )
            ),
            "成套改造征询与签约",
        ),
    )
}


def vote_column(register_key: str) -> VoteColumn | None:
    return VOTE_COLUMNS.get(register_key)


def check_declarations(registers: Mapping[str, Register]) -> None:
    """Every key a vote names is a declared field of the right type (a test calls this)."""
    numeric = (FieldType.INTEGER, FieldType.DECIMAL)
    for column in VOTE_COLUMNS.values():
        register = registers[column.register]
        for key in column.count_keys:
            if register.field(key).type not in numeric:
                raise ValueError(f"{register.key}.{key} is not a count")
        for vote in column.votes:
            if vote.matter_field and register.field(vote.matter_field).type is not FieldType.CHOICE:
                raise ValueError(f"{register.key}.{vote.matter_field} is not a choice")
