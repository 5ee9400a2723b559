"""Shanghai property-service credit as a demerit ledger (沪房规范〔2023〕2号、3号) plus 普陀's local warning levels.

One function, `credit_status`, says what an event is on a given day (有效, 已过期, 已修正,
异议处理中, 已撤销, 不予记分); whether its points count is read off that status, so every list,
window, PDF and summary shows the same word and adds up the same points.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import date, timedelta
from enum import Enum
from typing import Any

from putuo_community.domain import rules
from putuo_community.domain.dates import add_months, add_years
from putuo_community.domain.errors import FieldProblem
from putuo_community.domain.workdays import Deadline, WorkCalendar

COMMENDATION = "业绩"  # the band of a commendation: published like a demerit, never a demerit


class Band(Enum):
    SEVERE = (18, "特别严重")
    SERIOUS = (6, "较严重")
    MINOR = (3, "轻微")

    @property
    def points(self) -> int:
        return self.value[0]

    @property
    def label(self) -> str:
        return self.value[1]

    @classmethod
    def from_label(cls, text: str) -> Band:
        """Accepts 特别严重 / 特别严重失信行为 / 18 / 18分 and the like, as registers spell them."""
        cleaned = text.strip().removesuffix("失信行为").removesuffix("分").strip()
        for band in cls:
            if cleaned in (band.label, str(band.points)):
                return band
        raise ValueError(f"无法识别的失信等级：{text!r}（应为特别严重/较严重/轻微或18/6/3分）")

    @classmethod
    def from_points(cls, points: int) -> Band:
        for band in cls:
            if band.points == points:
                return band
        raise ValueError(f"失信记分只能是18、6或3分，而不是{points}分")


class Subject(Enum):
    COMPANY = "企业"
    MANAGER = "项目经理"


class ObjectionState(Enum):
    """Where an objection (异议) stands: 提出 → 受理 → 维持 (points kept) or 撤销 (points removed)."""

    NONE = "无"
    FILED = "已提出"
    ACCEPTED = "已受理"
    KEPT = "维持"
    REVOKED = "撤销"

    @property
    def label(self) -> str:
        return self.value

    @property
    def pending(self) -> bool:
        """Filed or under review: the score stays in force meanwhile (2号 第十条)."""
        return self in (ObjectionState.FILED, ObjectionState.ACCEPTED)

    @classmethod
    def from_text(cls, text: str | None) -> ObjectionState:
        """The stored word, and the words of earlier versions (审核中, 异议成立, 异议不成立)."""
        return _OBJECTION_WORDS.get((text or "").strip() or "无", ObjectionState.NONE)


_OBJECTION_WORDS = {
    **{state.value: state for state in ObjectionState},
    "审核中": ObjectionState.ACCEPTED,
    "异议成立": ObjectionState.REVOKED,
    "异议不成立": ObjectionState.KEPT,
}
OBJECTION_STATES = tuple(state.value for state in ObjectionState)


class CreditStatus(Enum):
    """What an event is on one day. Only 有效 and 异议处理中 count."""

    ACTIVE = "有效"
    EXPIRED = "已过期"
    CORRECTED = "已修正"
    OBJECTION_PENDING = "异议处理中"
    REVOKED = "已撤销"
    NOT_SCORED = "不予记分"

    @property
    def label(self) -> str:
        return self.value

    @property
    def counts(self) -> bool:
        return self in (CreditStatus.ACTIVE, CreditStatus.OBJECTION_PENDING)


@dataclass(frozen=True)
class CreditEvent:
    """One scored act. Manager events carry the company key too: they count for the company."""

    band: Band
    act_on: date
    discovered_on: date
    scored_on: date
    subject: Subject = Subject.COMPANY
    company_key: int | None = None
    manager_key: int | None = None
    objection: ObjectionState = ObjectionState.NONE
    corrected_on: date | None = None


def is_scorable(act_on: date, discovered_on: date) -> bool:
    """Acts discovered more than one year after they happened are not scored (3号 第三条)."""
    return discovered_on <= add_years(act_on, 1)


def active_until(scored_on: date) -> date:
    """Last day a score is published and active: one year from the scoring date (2号 第十四条)."""
    return add_years(scored_on, 1)


def credit_status(event: CreditEvent, today: date) -> CreditStatus:
    """The one status of an event on `today`; its points count exactly when the status says so.

    A score counts through the anniversary of its scoring date (inclusive). A scoring date still
    ahead (a slip of the pen) counts already, so no points go unseen.
    """
    if not is_scorable(event.act_on, event.discovered_on):
        return CreditStatus.NOT_SCORED
    if event.objection is ObjectionState.REVOKED:
        return CreditStatus.REVOKED
    until = active_until(event.scored_on)
    if event.corrected_on is not None and event.corrected_on <= today and event.corrected_on <= until:
        return CreditStatus.CORRECTED
    if today > until:
        return CreditStatus.EXPIRED
    if event.objection.pending:
        return CreditStatus.OBJECTION_PENDING
    return CreditStatus.ACTIVE


def commendation_status(scored_on: date, today: date) -> CreditStatus:
    """A commendation (业绩) is published for one year like a demerit: 有效, then 已过期."""
    return CreditStatus.ACTIVE if today <= active_until(scored_on) else CreditStatus.EXPIRED


def is_active(event: CreditEvent, today: date) -> bool:
    return credit_status(event, today).counts


def expires_within(event: CreditEvent, today: date, days: int) -> bool:
    """Active now and dropping out within ``days`` (for the 'points expiring' reminder)."""
    return is_active(event, today) and active_until(event.scored_on) <= today + timedelta(days=days)


def correctable_from(band: Band, scored_on: date) -> date | None:
    """First day a correction (修正) may be asked; None for 18-point acts, which cannot be corrected."""
    if band is Band.MINOR:
        return add_months(scored_on, 1)
    if band is Band.SERIOUS:
        return add_months(scored_on, 3)
    return None


OBJECTION_WORKING_DAYS = 15


def objection_deadline(accepted_on: date, calendar: WorkCalendar | None = None) -> Deadline:
    """The 区房管局 decides within 15 working days of accepting (受理) the objection, on the official calendar.

    Without a calendar the count is Monday–Friday and the deadline says it is estimated.
    """
    return (calendar or WorkCalendar()).add_working_days(accepted_on, OBJECTION_WORKING_DAYS)


def active_points(events: Iterable[CreditEvent], today: date) -> int:
    return sum(e.band.points for e in events if is_active(e, today))


def company_events(company_key: int, events: Iterable[CreditEvent]) -> tuple[CreditEvent, ...]:
    """The company's own events and those of its project managers."""
    return tuple(e for e in events if e.company_key == company_key)


def manager_events(manager_key: int, events: Iterable[CreditEvent]) -> tuple[CreditEvent, ...]:
    return tuple(e for e in events if e.subject is Subject.MANAGER and e.manager_key == manager_key)


def company_active_points(company_key: int, events: Iterable[CreditEvent], today: date) -> int:
    return active_points(company_events(company_key, events), today)


def manager_active_points(manager_key: int, events: Iterable[CreditEvent], today: date) -> int:
    return active_points(manager_events(manager_key, events), today)


# --- a stored 信用记分 record --------------------------------------------------------------


def event_from_values(values: Mapping[str, Any]) -> CreditEvent | None:
    """A record's values as a domain event; None for a commendation (业绩), which is no demerit."""
    if values.get("band") == COMMENDATION:
        return None
    act_on: date = values["act_on"]
    return CreditEvent(
        band=Band.from_label(values["band"]),
        act_on=act_on,
        discovered_on=values.get("discovered_on") or act_on,
        scored_on=values["scored_on"],
        subject=Subject.MANAGER if values.get("subject") == Subject.MANAGER.value else Subject.COMPANY,
        company_key=values.get("company_id"),
        manager_key=values.get("manager_id"),
        objection=ObjectionState.from_text(values.get("objection")),
        corrected_on=values.get("corrected_on"),
    )


def status_of_values(values: Mapping[str, Any], today: date) -> CreditStatus | None:
    """The status of a stored record (a commendation's too); None while its dates are not filled in."""
    scored_on = values.get("scored_on")
    if not isinstance(scored_on, date) or not isinstance(values.get("act_on"), date) or not values.get("band"):
        return None
    if values.get("band") == COMMENDATION:
        return commendation_status(scored_on, today)
    event = event_from_values(values)
    return credit_status(event, today) if event is not None else None


def objection_accepted_on(values: Mapping[str, Any]) -> date | None:
    """The day the 15 working days count from: acceptance, or (an old record) the day it was filed."""
    state = ObjectionState.from_text(values.get("objection"))
    if state is ObjectionState.NONE:
        return None
    accepted = values.get("objection_accepted_on")
    if isinstance(accepted, date):
        return accepted
    filed = values.get("objection_filed_on")
    return filed if isinstance(filed, date) and state is not ObjectionState.FILED else None


# --- entry rules ---------------------------------------------------------------------------------


def _day(values: Mapping[str, Any], key: str) -> date | None:
    value = values.get(key)
    return value if isinstance(value, date) else None


def _problem(key: str, label: str, message: str, *, warning: bool = False) -> FieldProblem:
    return FieldProblem(key, label, message, warning=warning)


def entry_problems(values: Mapping[str, Any]) -> list[FieldProblem]:
    """What refuses (or, as a warning, questions) a 信用记分 record, each naming its field and its rule."""
    problems: list[FieldProblem] = []
    act, found, scored = _day(values, "act_on"), _day(values, "discovered_on"), _day(values, "scored_on")
    band_text, points = values.get("band"), values.get("points")
    if act is not None and found is not None and found < act:
        problems.append(_problem("discovered_on", "发现日期", "早于行为发生日期"))
    if act is not None and scored is not None and scored < act:
        problems.append(_problem("scored_on", "记分日期", "早于行为发生日期"))
    if found is not None and scored is not None and scored < found:
        problems.append(_problem("scored_on", "记分日期", "早于发现日期"))
    rule = rules.CREDIT_SCORING
    if act is not None and found is not None and not is_scorable(act, found):
        problems.append(
            _problem(
                "discovered_on",
                "发现日期",
                f"距行为发生（{act.isoformat()}）已超过1年，依{rule.source}不予记分，不能登记",
            )
        )
    elif act is not None and scored is not None and found is None and not is_scorable(act, scored):
        problems.append(
            _problem(
                "discovered_on",
                "发现日期",
                "记分日期距行为发生已超过1年，请填写发现日期（发现时已超过1年的行为不予记分）",
                warning=True,
            )
        )
    band: Band | None = None
    if isinstance(band_text, str) and band_text != COMMENDATION:
        try:
            band = Band.from_label(band_text)
        except ValueError as exc:
            problems.append(_problem("band", "情形", str(exc)))
    if band is not None and isinstance(points, int) and points != band.points:
        problems.append(
            _problem("points", "分值", f"“{band.label}”失信行为记{band.points}分，不是{points}分（{rule.source}）")
        )
    if values.get("subject") == Subject.MANAGER.value and values.get("manager_id") is None:
        problems.append(_problem("manager_id", "项目经理", "记分对象为项目经理时必填"))
    if band is not None and scored is not None:
        problems += _correction_problems(band, scored, values.get("corrected_on"))
    problems += _objection_problems(values, scored)
    return problems


def _correction_problems(band: Band, scored: date, corrected: object) -> list[FieldProblem]:
    if not isinstance(corrected, date):
        return []
    rule = rules.CREDIT_CORRECTION
    first = correctable_from(band, scored)
    if first is None:
        return [_problem("corrected_on", "信用修正日期", f"特别严重失信行为（18分）不得修正（{rule.source}）")]
    if corrected < first:
        wait = "1个月" if band is Band.MINOR else "3个月"
        return [
            _problem(
                "corrected_on",
                "信用修正日期",
                f"早于可申请修正之日 {first.isoformat()}：{band.label}失信行为记分满{wait}后方可修正（{rule.source}）",
            )
        ]
    if corrected > active_until(scored):
        return [
            _problem(
                "corrected_on",
                "信用修正日期",
                f"晚于公示期满之日 {active_until(scored).isoformat()}，记分届时已不再计入，无需修正",
            )
        ]
    return []


def _objection_problems(values: Mapping[str, Any], scored: date | None) -> list[FieldProblem]:
    state = ObjectionState.from_text(values.get("objection"))
    filed, accepted, decided = (
        values.get("objection_filed_on"),
        values.get("objection_accepted_on"),
        values.get("objection_decided_on"),
    )
    problems = []
    if state is ObjectionState.NONE:
        for key, label, value in (
            ("objection_filed_on", "异议提出日期", filed),
            ("objection_accepted_on", "异议受理日期", accepted),
            ("objection_decided_on", "异议决定日期", decided),
        ):
            if value is not None:
                problems.append(_problem(key, label, "未提出异议时不应填写（请先选择异议状态）"))
        return problems
    if filed is None:
        problems.append(_problem("objection_filed_on", "异议提出日期", f"异议状态为“{state.label}”时必填"))
    if state is not ObjectionState.FILED and accepted is None:
        problems.append(_problem("objection_accepted_on", "异议受理日期", f"异议状态为“{state.label}”时必填"))
    if state is ObjectionState.FILED and accepted is not None:
        problems.append(_problem("objection", "异议", "已填写受理日期，状态应为“已受理”"))
    if not state.pending and decided is None:
        problems.append(
            _problem("objection_decided_on", "异议决定日期", f"异议已{state.label}记分，请填写决定日期", warning=True)
        )
    if state.pending and decided is not None:
        problems.append(_problem("objection", "异议", "已填写决定日期，请选择“维持”或“撤销”"))
    ordered = (
        ("objection_filed_on", "异议提出日期", filed, "记分日期", scored),
        ("objection_accepted_on", "异议受理日期", accepted, "异议提出日期", filed),
        ("objection_decided_on", "异议决定日期", decided, "异议受理日期", accepted),
    )
    for key, label, value, before_label, before in ordered:
        if isinstance(value, date) and isinstance(before, date) and value < before:
            problems.append(_problem(key, label, f"早于{before_label}"))
    return problems


# --- 普陀 local policy: warning levels and the ranking score (configurable, not a published rule) ---

DEFAULT_SCORE_BASE = 100


@dataclass(frozen=True)
class WarningThresholds:
    """普陀's local credit policy: the warning thresholds on active points, and the ranking score's base."""

    red_points: int = 18
    red_on_severe: bool = True
    orange_points: int = 12
    orange_recent_serious_days: int = 90
    yellow_points: int = 1
    manager_red_points: int = 9
    score_base: int = DEFAULT_SCORE_BASE


# Each setting's name as the settings dialog and the change history show it.
THRESHOLD_LABELS: dict[str, str] = {
    "red_points": "红色预警：有效记分达到（分）",
    "red_on_severe": "红色预警：有特别严重失信行为即为红色",
    "orange_points": "橙色预警：有效记分达到（分）",
    "orange_recent_serious_days": "橙色预警：较严重失信行为记分后（天）内",
    "yellow_points": "黄色预警：有效记分达到（分）",
    "manager_red_points": "项目经理红色预警：有效记分达到（分）",
    "score_base": "信用分基数（本区排名口径）",
}
assert set(THRESHOLD_LABELS) == {f.name for f in fields(WarningThresholds)}


def threshold_problems(t: WarningThresholds) -> list[str]:
    """Why a set of thresholds makes no sense; empty when it does."""
    problems = []
    if not 0 < t.yellow_points <= t.orange_points <= t.red_points:
        problems.append("预警分值应满足：黄色 ≤ 橙色 ≤ 红色，且都大于 0")
    if t.manager_red_points <= 0:
        problems.append("项目经理红色预警分值应大于 0")
    if not 0 <= t.orange_recent_serious_days <= 366:
        problems.append("较严重失信行为的观察天数应在 0–366 之间")
    if not 0 < t.score_base <= 1000:
        problems.append("信用分基数应在 1–1000 之间")
    return problems


@functools.total_ordering
class WarningLevel(Enum):
    GREEN = "绿"
    YELLOW = "黄"
    ORANGE = "橙"
    RED = "红"

    @property
    def label(self) -> str:
        return self.value

    @property
    def rank(self) -> int:
        return list(WarningLevel).index(self)  # definition order: GREEN < YELLOW < ORANGE < RED

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, WarningLevel):
            return NotImplemented
        return self.rank < other.rank


def company_warning_level(
    events: Iterable[CreditEvent], today: date, thresholds: WarningThresholds = WarningThresholds()
) -> WarningLevel:
    """Level for one company; pass its events including its managers' (see ``company_events``)."""
    active = [e for e in events if is_active(e, today)]
    points = sum(e.band.points for e in active)
    if points >= thresholds.red_points or (thresholds.red_on_severe and any(e.band is Band.SEVERE for e in active)):
        return WarningLevel.RED
    recent_from = today - timedelta(days=thresholds.orange_recent_serious_days)
    if points >= thresholds.orange_points or any(e.band is Band.SERIOUS and e.scored_on >= recent_from for e in active):
        return WarningLevel.ORANGE
    if points >= thresholds.yellow_points:
        return WarningLevel.YELLOW
    return WarningLevel.GREEN


def manager_warning_level(
    events: Iterable[CreditEvent], today: date, thresholds: WarningThresholds = WarningThresholds()
) -> WarningLevel:
    """Level for one project manager; pass that manager's events (see ``manager_events``)."""
    points = active_points(events, today)
    if points >= thresholds.manager_red_points:
        return WarningLevel.RED
    if points >= thresholds.yellow_points:
        return WarningLevel.YELLOW
    return WarningLevel.GREEN


def ranking_score(active_points: int, *, commendation_points: int = 0, base: int = DEFAULT_SCORE_BASE) -> int:
    """Local measure for rankings and trend charts (not an official figure): base − demerits + 业绩."""
    return base - active_points + commendation_points


# --- project managers: at most 3 estates (沪房规范〔2021〕6号) ----------------------------------------

MANAGER_ESTATE_LIMIT = 3


def manager_load_warning(manager: str, other_estates: Iterable[str]) -> str | None:
    """A warning when placing `manager` on one more estate takes them past the limit; None otherwise."""
    others = list(other_estates)
    if len(others) < MANAGER_ESTATE_LIMIT:
        return None
    rule = rules.MANAGER_ESTATES
    shown = "、".join(others[:5]) + ("等" if len(others) > 5 else "")
    return (
        f"项目经理“{manager}”已负责 {len(others)} 个小区（{shown}），再负责本小区将超过 {MANAGER_ESTATE_LIMIT} 个："
        f"{rule.text}（{rule.source}）"
    )
