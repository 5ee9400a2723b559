"""Property companies' credit: the official demerit figure, the warning level and the local score.

The warning thresholds and the score base are 普陀's own policy, so they are district settings
(stored in the database, every change in the history marked as local policy) with DOMAIN.md's
defaults. Objections and corrections go through `RecordService`, so the entry rules, the
history and the change bus apply to them as to any other edit.
"""

from __future__ import annotations

import enum
import json
from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import asdict, dataclass, fields
from datetime import date
from typing import Any

from sqlalchemy import Connection, delete, insert, select

from putuo_community.domain.accounts import Action, Actor
from putuo_community.domain.credit import (
    COMMENDATION,
    DEFAULT_SCORE_BASE,
    THRESHOLD_LABELS,
    CreditEvent,
    ObjectionState,
    WarningLevel,
    WarningThresholds,
    active_points,
    commendation_status,
    company_warning_level,
    event_from_values,
    is_active,
    manager_load_warning,
    manager_warning_level,
    ranking_score,
    threshold_problems,
)
from putuo_community.domain.errors import UserError
from putuo_community.domain.workdays import WorkCalendar
from putuo_community.services.history import ChangeWriter
from putuo_community.services.permissions import Permissions
from putuo_community.services.records import RecordService
from putuo_community.services.workdays import CalendarService, load_calendar
from putuo_community.storage.database import Database
from putuo_community.storage.schema import TABLES, app_settings

THRESHOLDS_KEY = "credit.warning_thresholds"
SCORE_BASE_KEY = "credit.score_base"
POLICY_TITLE = "信用预警设置（本区管理口径，非公开发布的规定）"
# Either key changing changes every company's level or score.
POLICY_KEYS = frozenset({THRESHOLDS_KEY, SCORE_BASE_KEY})


@dataclass(frozen=True)
class CompanyStanding:
    company_id: int
    name: str
    active_points: int  # the official figure: active demerit points, managers' included
    level: WarningLevel
    score: int  # local ranking measure: base − active points + active commendations
    active_events: int
    estates: int


@dataclass(frozen=True)
class ManagerStanding:
    manager_id: int
    name: str
    company: str
    active_points: int
    level: WarningLevel


@dataclass(frozen=True)
class CompanyCredit:
    """One company's credit on one day, as every list, window, dossier and summary shows it."""

    points: int
    level: WarningLevel
    score: int
    active_events: int = 0


def to_credit_event(row: Any) -> CreditEvent | None:
    """A stored 信用记分 row (or a record's values) as a domain event; None for commendations (业绩)."""
    values = row._mapping if hasattr(row, "_mapping") else row
    return event_from_values(values)


def company_credit(
    conn: Connection, company_ids: Sequence[int] | None, today: date, thresholds: WarningThresholds
) -> dict[int, CompanyCredit]:
    """Active points, warning level and local score per company (its managers' events count for it).

    Every company that has events or is asked for is in the answer.
    """
    events = TABLES["credit_events"]
    query = select(events)
    if company_ids is not None:
        query = query.where(events.c.company_id.in_(sorted(company_ids)))
    demerits: dict[int, list[CreditEvent]] = defaultdict(list)
    commendations: dict[int, int] = defaultdict(int)
    for row in conn.execute(query):
        event = to_credit_event(row)
        if event is None:
            if commendation_status(row.scored_on, today).counts:
                commendations[row.company_id] += row.points
        else:
            demerits[row.company_id].append(event)
    result = {}
    for company_id in set(demerits) | set(commendations) | set(company_ids or ()):
        mine = demerits.get(company_id, [])
        points = active_points(mine, today)
        result[company_id] = CompanyCredit(
            points,
            company_warning_level(mine, today, thresholds),
            ranking_score(points, commendation_points=commendations.get(company_id, 0), base=thresholds.score_base),
            sum(1 for e in mine if is_active(e, today)),
        )
    return result


def no_credit(thresholds: WarningThresholds) -> CompanyCredit:
    """A company without events: green, the base score."""
    return CompanyCredit(0, WarningLevel.GREEN, thresholds.score_base)


def read_thresholds(conn: Connection) -> WarningThresholds:
    """The district's policy as stored, DOMAIN.md's defaults for whatever is not."""
    stored: dict[str, Any] = {}
    query = select(app_settings.c.key, app_settings.c.value).where(app_settings.c.key.in_(POLICY_KEYS))
    rows: dict[str, str] = {key: value for key, value in conn.execute(query)}
    if rows.get(THRESHOLDS_KEY):
        loaded = json.loads(rows[THRESHOLDS_KEY])
        if isinstance(loaded, dict):
            stored.update(loaded)
    if rows.get(SCORE_BASE_KEY):
        stored["score_base"] = int(json.loads(rows[SCORE_BASE_KEY]))
    known = {f.name for f in fields(WarningThresholds)}
    return WarningThresholds(**{k: v for k, v in stored.items() if k in known})


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


class ObjectionStep(enum.Enum):
    """What the 区房管局 does with an objection, one step at a time."""

    FILE = "提出"
    ACCEPT = "受理"
    KEEP = "维持"
    REVOKE = "撤销"


# step → (the state it starts from, the state it leads to, the date field it fills)
_STEPS: dict[ObjectionStep, tuple[ObjectionState, ObjectionState, str]] = {
    ObjectionStep.FILE: (ObjectionState.NONE, ObjectionState.FILED, "objection_filed_on"),
    ObjectionStep.ACCEPT: (ObjectionState.FILED, ObjectionState.ACCEPTED, "objection_accepted_on"),
    ObjectionStep.KEEP: (ObjectionState.ACCEPTED, ObjectionState.KEPT, "objection_decided_on"),
    ObjectionStep.REVOKE: (ObjectionState.ACCEPTED, ObjectionState.REVOKED, "objection_decided_on"),
}


def next_steps(values: Mapping[str, Any]) -> tuple[ObjectionStep, ...]:
    """The objection steps a record can take now (none for a commendation)."""
    if values.get("band") == COMMENDATION:
        return ()
    state = ObjectionState.from_text(values.get("objection"))
    return tuple(step for step, (start, _end, _key) in _STEPS.items() if start is state)


class ManagerLoads:
    """The estates each project manager serves, kept up to date as an import places managers row by row."""

    def __init__(self, conn: Connection) -> None:
        estates = TABLES["estates"]
        self.estates: dict[int, dict[str, None]] = defaultdict(dict)  # manager → estate names, in order
        query = select(estates.c.manager_id, estates.c.name).where(estates.c.manager_id.is_not(None))
        for manager_id, name in conn.execute(query.order_by(estates.c.name)):
            self.estates[manager_id][name] = None

    def place(self, manager_id: int, manager_name: str, estate_name: str) -> str | None:
        """Place the manager on the estate; the 3-estate warning when it is one too many."""
        mine = self.estates[manager_id]
        others = [name for name in mine if name != estate_name]
        mine[estate_name] = None
        return manager_load_warning(manager_name, others)


class CreditService:
    def __init__(self, database: Database, *, user: str = "", actor: Actor | None = None) -> None:
        """`actor`: who may change the policy and record credit (None: `user` with every right, accounts off)."""
        self.database = database
        self.user = user
        self.actor = actor or Actor.local(user)
        self.permissions = Permissions(database, self.actor)

    # -- the local policy ----------------------------------------------------------------

    def thresholds(self) -> WarningThresholds:
        with self.database.read() as conn:
            return read_thresholds(conn)

    def set_thresholds(self, thresholds: WarningThresholds) -> None:
        """Store the district's policy; each changed item goes in the history, marked as local policy."""
        self.permissions.require(Action.LOCAL_POLICY)
        problems = threshold_problems(thresholds)
        if problems:
            raise UserError("；".join(problems) + "。")
        with self.database.transaction() as conn:
            before = read_thresholds(conn)
            changed = [
                f.name for f in fields(WarningThresholds) if getattr(before, f.name) != getattr(thresholds, f.name)
            ]
            if not changed:
                return
            items = {
                THRESHOLD_LABELS[name]: (_shown(getattr(before, name)), _shown(getattr(thresholds, name)))
                for name in changed
            }
            # Views hear of the key that changed: the thresholds, the score base, or both.
            keys = sorted({SCORE_BASE_KEY if name == "score_base" else THRESHOLDS_KEY for name in changed})
            levels = {k: v for k, v in asdict(thresholds).items() if k != "score_base"}
            conn.execute(delete(app_settings).where(app_settings.c.key.in_(POLICY_KEYS)))
            conn.execute(insert(app_settings).values(key=THRESHOLDS_KEY, value=json.dumps(levels)))
            conn.execute(insert(app_settings).values(key=SCORE_BASE_KEY, value=json.dumps(thresholds.score_base)))
            writer = ChangeWriter(conn, user=self.user, kind="设置", description=f"修改{POLICY_TITLE}")
            writer.setting_changed(keys[0], POLICY_TITLE, items)
            for key in keys[1:]:
                writer.changes.setting(key)

    def calendar(self) -> WorkCalendar:
        """The official calendar objection deadlines count on (the library and the entered years)."""
        with self.database.read() as conn:
            return load_calendar(conn)

    @property
    def calendars(self) -> CalendarService:
        """Where an administrator enters next year's holiday arrangement when the library lags."""
        return CalendarService(self.database, user=self.user, actor=self.actor)

    # -- objections and corrections ------------------------------------------------------

    def advance_objection(self, event_id: int, step: ObjectionStep, on: date, *, expected_version: int) -> int:
        """Take one step of an objection (提出, 受理, 维持 or 撤销) on day `on`; returns the new version."""
        records = RecordService(self.database, user=self.user, actor=self.actor)
        current = records.get("credit_events", event_id)
        start, end, date_key = _STEPS[step]
        state = ObjectionState.from_text(current.values.get("objection"))
        if current.values.get("band") == COMMENDATION:
            raise UserError("业绩信息不是失信记分，不适用异议程序。")
        if state is not start:
            allowed = "、".join(s.value for s in next_steps(current.values)) or "无"
            raise UserError(f"该记分的异议状态为“{state.label}”，不能“{step.value}”（现在可以：{allowed}）。")
        changes = {"objection": end.value, date_key: on}
        return records.update("credit_events", event_id, changes, expected_version=expected_version)

    def correct(self, event_id: int, corrected_on: date, *, expected_version: int) -> int:
        """Record a correction (信用修正); the entry rules refuse an 18-point act or a date too early."""
        records = RecordService(self.database, user=self.user, actor=self.actor)
        if records.get("credit_events", event_id).values.get("band") == COMMENDATION:
            raise UserError("业绩信息不是失信记分，不适用信用修正。")
        return records.update(
            "credit_events", event_id, {"corrected_on": corrected_on}, expected_version=expected_version
        )

    # -- project managers ----------------------------------------------------------------

    def manager_placement_warning(self, manager_id: int, *, estate_id: int | None) -> str | None:
        """Why placing the manager on this estate breaks the 3-estate rule (None when it does not)."""
        estates, managers = TABLES["estates"], TABLES["managers"]
        with self.database.read() as conn:
            name = conn.scalar(select(managers.c.name).where(managers.c.id == manager_id))
            query = select(estates.c.name).where(estates.c.manager_id == manager_id).order_by(estates.c.name)
            if estate_id is not None:
                query = query.where(estates.c.id != estate_id)
            others = list(conn.scalars(query))
        return manager_load_warning(name or "", others) if name is not None else None

    # -- standings -----------------------------------------------------------------------

    def company_standings(self, *, today: date, company_ids: Collection[int] | None = None) -> list[CompanyStanding]:
        """Every company (or those of `company_ids`), worst first: red before orange, then by active points."""
        companies, estates = TABLES["companies"], TABLES["estates"]
        names_query = select(companies.c.id, companies.c.name)
        served_query = select(estates.c.company_id).where(estates.c.company_id.is_not(None))
        wanted = sorted(company_ids) if company_ids is not None else None
        if wanted is not None:
            names_query = names_query.where(companies.c.id.in_(wanted))
            served_query = served_query.where(estates.c.company_id.in_(wanted))
        with self.database.read() as conn:
            thresholds = read_thresholds(conn)
            names = dict(conn.execute(names_query).all())
            credit = company_credit(conn, wanted, today, thresholds)
            estate_counts: dict[int, int] = defaultdict(int)
            for (company_id,) in conn.execute(served_query):
                estate_counts[company_id] += 1
        standings = []
        for company_id, name in names.items():
            mine = credit.get(company_id, no_credit(thresholds))
            standings.append(
                CompanyStanding(
                    company_id=company_id,
                    name=name,
                    active_points=mine.points,
                    level=mine.level,
                    score=mine.score,
                    active_events=mine.active_events,
                    estates=estate_counts.get(company_id, 0),
                )
            )
        return sorted(standings, key=lambda s: (-s.level.rank, -s.active_points, s.name))

    def manager_standings(self, *, today: date) -> list[ManagerStanding]:
        managers, companies, events_table = TABLES["managers"], TABLES["companies"], TABLES["credit_events"]
        with self.database.read() as conn:
            thresholds = read_thresholds(conn)
            people = list(
                conn.execute(
                    select(managers.c.id, managers.c.name, companies.c.name.label("company")).join(
                        companies, companies.c.id == managers.c.company_id
                    )
                )
            )
            rows = list(conn.execute(select(events_table).where(events_table.c.subject == "项目经理")))
        by_manager: dict[int, list[CreditEvent]] = {}
        for row in rows:
            event = to_credit_event(row)
            if event is not None and row.manager_id is not None:
                by_manager.setdefault(row.manager_id, []).append(event)
        result = [
            ManagerStanding(
                p.id,
                p.name,
                p.company,
                active_points(by_manager.get(p.id, []), today),
                manager_warning_level(by_manager.get(p.id, []), today, thresholds),
            )
            for p in people
        ]
        return sorted(result, key=lambda s: (-s.level.rank, -s.active_points, s.name))


__all__ = [
    "DEFAULT_SCORE_BASE",
    "CompanyCredit",
    "CompanyStanding",
    "CreditService",
    "ManagerStanding",
    "ObjectionStep",
    "company_credit",
    "next_steps",
    "read_thresholds",
    "to_credit_event",
]
