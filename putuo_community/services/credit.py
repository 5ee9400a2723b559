"""Property companies' credit: the official demerit figure, the warning level and the local score.

The warning thresholds are 普陀's own policy, so they are district settings (stored in
the database) with DOMAIN.md's defaults, not constants.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import asdict, dataclass, fields
from datetime import date
from typing import Any

from sqlalchemy import delete, insert, select

from putuo_community.domain.credit import (
    Band,
    CreditEvent,
    ObjectionState,
    Subject,
    WarningLevel,
    WarningThresholds,
    active_points,
    company_warning_level,
    is_active,
    manager_warning_level,
    ranking_score,
)
from putuo_community.domain.errors import UserError
from putuo_community.storage.database import Database, changes_of
from putuo_community.storage.schema import TABLES, app_settings

THRESHOLDS_KEY = "credit.warning_thresholds"
SCORE_BASE_KEY = "credit.score_base"
DEFAULT_SCORE_BASE = 100

_OBJECTIONS = {
    "审核中": ObjectionState.PENDING,
    "异议成立": ObjectionState.UPHELD,
    "异议不成立": ObjectionState.REJECTED,
}


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


def to_credit_event(row: Any) -> CreditEvent | None:
    """A stored 信用记分 row as a domain event; None for commendations (业绩), which are not demerits."""
    if row.band == "业绩":
        return None
    return CreditEvent(
        band=Band.from_label(row.band),
        act_on=row.act_on,
        discovered_on=row.discovered_on or row.act_on,
        scored_on=row.scored_on,
        subject=Subject.MANAGER if row.subject == "项目经理" else Subject.COMPANY,
        company_key=row.company_id,
        manager_key=row.manager_id,
        objection=_OBJECTIONS.get(row.objection or "无", ObjectionState.NONE),
        corrected_on=row.corrected_on,
    )


def _commendation_active(row: Any, today: date) -> bool:
    # A commendation is published for one year like a demerit, so it counts for the same span.
    probe = CreditEvent(Band.MINOR, row.act_on, row.act_on, row.scored_on)
    return is_active(probe, today)


class CreditService:
    def __init__(self, database: Database) -> None:
        self.database = database

    # -- settings ------------------------------------------------------------------------

    def thresholds(self) -> WarningThresholds:
        with self.database.read() as conn:
            text = conn.scalar(select(app_settings.c.value).where(app_settings.c.key == THRESHOLDS_KEY))
        if not text:
            return WarningThresholds()
        stored = json.loads(text)
        known = {f.name for f in fields(WarningThresholds)}
        return WarningThresholds(**{k: v for k, v in stored.items() if k in known})

    def set_thresholds(self, thresholds: WarningThresholds) -> None:
        if not 0 < thresholds.yellow_points <= thresholds.orange_points <= thresholds.red_points:
            raise UserError("预警分值应满足：黄色 ≤ 橙色 ≤ 红色，且都大于 0。")
        with self.database.transaction() as conn:
            conn.execute(delete(app_settings).where(app_settings.c.key == THRESHOLDS_KEY))
            conn.execute(insert(app_settings).values(key=THRESHOLDS_KEY, value=json.dumps(asdict(thresholds))))
            changes = changes_of(conn)
            changes.kind = "设置"
            changes.setting(THRESHOLDS_KEY)

    # -- standings -----------------------------------------------------------------------

    def company_standings(self, *, today: date, company_ids: Collection[int] | None = None) -> list[CompanyStanding]:
        """Every company (or those of `company_ids`), worst first: red before orange, then by active points."""
        thresholds = self.thresholds()
        companies, events_table, estates = TABLES["companies"], TABLES["credit_events"], TABLES["estates"]
        names_query = select(companies.c.id, companies.c.name)
        events_query = select(events_table)
        served_query = select(estates.c.company_id).where(estates.c.company_id.is_not(None))
        if company_ids is not None:
            wanted = sorted(company_ids)
            names_query = names_query.where(companies.c.id.in_(wanted))
            events_query = events_query.where(events_table.c.company_id.in_(wanted))
            served_query = served_query.where(estates.c.company_id.in_(wanted))
        with self.database.read() as conn:
            names = dict(conn.execute(names_query).all())
            rows = list(conn.execute(events_query))
            estate_counts: dict[int, int] = {}
            for (company_id,) in conn.execute(served_query):
                estate_counts[company_id] = estate_counts.get(company_id, 0) + 1
        demerits: dict[int, list[CreditEvent]] = {cid: [] for cid in names}
        commendations: dict[int, int] = {}
        for row in rows:
            event = to_credit_event(row)
            if event is None:
                if _commendation_active(row, today):
                    commendations[row.company_id] = commendations.get(row.company_id, 0) + row.points
            else:
                demerits.setdefault(row.company_id, []).append(event)
        standings = []
        for company_id, name in names.items():
            events = demerits.get(company_id, [])
            points = active_points(events, today)
            standings.append(
                CompanyStanding(
                    company_id=company_id,
                    name=name,
                    active_points=points,
                    level=company_warning_level(events, today, thresholds),
                    score=ranking_score(points, commendation_points=commendations.get(company_id, 0)),
                    active_events=sum(1 for e in events if is_active(e, today)),
                    estates=estate_counts.get(company_id, 0),
                )
            )
        return sorted(standings, key=lambda s: (-s.level.rank, -s.active_points, s.name))

    def manager_standings(self, *, today: date) -> list[ManagerStanding]:
        thresholds = self.thresholds()
        managers, companies, events_table = TABLES["managers"], TABLES["companies"], TABLES["credit_events"]
        with self.database.read() as conn:
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
