"""Shanghai property-service credit as a demerit ledger (沪房规范〔2023〕2号、3号) plus 普陀's local warning levels."""

from __future__ import annotations

import functools
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum

from putuo_community.domain.dates import add_months, add_working_days, add_years


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
    NONE = "无"
    PENDING = "审核中"  # still active while under review (2号 第十条)
    UPHELD = "异议成立（撤销）"
    REJECTED = "异议不成立"


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


def is_active(event: CreditEvent, today: date) -> bool:
    if not is_scorable(event.act_on, event.discovered_on):
        return False
    if event.objection is ObjectionState.UPHELD:
        return False
    if event.corrected_on is not None and event.corrected_on <= today:
        return False
    return event.scored_on <= today <= active_until(event.scored_on)


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


def objection_deadline(filed_on: date, holidays: Collection[date] = frozenset()) -> date:
    """The 区房管局 decides an objection within 15 working days of accepting it."""
    return add_working_days(filed_on, OBJECTION_WORKING_DAYS, holidays)


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


# --- 普陀 local warning levels (configurable, not a published rule) -----------------


@dataclass(frozen=True)
class WarningThresholds:
    red_points: int = 18
    red_on_severe: bool = True
    orange_points: int = 12
    orange_recent_serious_days: int = 90
    yellow_points: int = 1
    manager_red_points: int = 9


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


def ranking_score(active_points: int, *, commendation_points: int = 0, base: int = 100) -> int:
    """Local measure for rankings and trend charts (not an official figure): base − demerits + 业绩."""
    return base - active_points + commendation_points
