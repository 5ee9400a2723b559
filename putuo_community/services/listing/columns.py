"""The computed columns of the lists: an estate's committee state, company warning and completeness, a company's
and a manager's credit, a lift's age and assessment, a term's state and 街镇."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Connection, case, func, or_, select

from putuo_community.domain.attachments import CERTIFICATE_KIND
from putuo_community.domain.committee import TermState, committee_term_status, formation_due_on
from putuo_community.domain.completeness import DossierFacts, completeness_ratio, dossier_gaps
from putuo_community.domain.credit import (
    CreditEvent,
    WarningThresholds,
    active_points,
    manager_warning_level,
)
from putuo_community.domain.dates import add_years
from putuo_community.domain.lifts import (
    ASSESSMENT_AGE_YEARS,
    assessment_due_on,
    lift_age_years,
    needs_assessment,
    remote_monitoring_overdue,
)
from putuo_community.domain.registers import REGISTERS
from putuo_community.services.credit import CompanyCredit, company_credit, no_credit, to_credit_event
from putuo_community.services.dossier.content import BASIC_MISSING_CHECK
from putuo_community.services.listing.model import DISSOLVED, FORMATION_DUE, NO_COMMITTEE, Assessment, ListFilter
from putuo_community.services.listing.ordering import _ids_clause
from putuo_community.storage.schema import TABLES

# -- estates ----------------------------------------------------------------------------------


def _estate_matches(values: Mapping[str, Any], where: ListFilter) -> bool:
    if where.committee_state and values.get("committee_state") != where.committee_state:
        return False
    if where.warning_level is not None and values.get("warning_level") is not where.warning_level:
        return False
    return not (where.completeness_below is not None and values.get("completeness", 100) >= where.completeness_below)


def estate_columns(
    conn: Connection,
    ids: Sequence[int] | None,
    today: date,
    wanted: set[str],
    thresholds: WarningThresholds,
) -> dict[int, dict[str, Any]]:
    """Committee state, the serving company's warning level and dossier completeness (percent) per estate."""
    estates = TABLES["estates"]
    columns = [
        estates.c.id,
        estates.c.company_id,
        estates.c.has_assembly,
        estates.c.first_delivery_on,
        estates.c.half_delivered_on,
        estates.c.management_mode,
        *(estates.c[k] for k in BASIC_MISSING_CHECK if k != "management_mode"),
    ]
    rows = conn.execute(select(*columns).where(*_ids_clause(estates.c.id, ids))).all()
    result: dict[int, dict[str, Any]] = {r.id: {} for r in rows}
    if "warning_level" in wanted:
        companies = {r.company_id for r in rows if r.company_id is not None}
        credit = _company_credit(conn, sorted(companies) if ids is not None else None, today, thresholds)
        for r in rows:
            if r.company_id is not None:
                result[r.id]["warning_level"] = credit.get(r.company_id, _NO_CREDIT).level
            else:
                result[r.id]["warning_level"] = None
    if not wanted & {"committee_state", "completeness"}:
        return result
    terms = _latest_terms(conn, ids)
    for r in rows:
        term = terms.get(r.id)
        due = formation_due_on(first_delivery_on=r.first_delivery_on, half_area_delivered_on=r.half_delivered_on)
        expected = bool(r.has_assembly) or (due is not None and due <= today)
        result[r.id]["committee_state"] = _committee_state(term, expected, today)
    if "completeness" in wanted:
        _add_completeness(conn, ids, rows, terms, today, result)
    return result


def _committee_state(term: Any, expected: bool, today: date) -> str:
    if term is None:
        return FORMATION_DUE if expected else NO_COMMITTEE
    if term.dissolved_on is not None:
        return DISSOLVED
    return committee_term_status(term.start_on, term.end_on, today, renewed=False).label


def _latest_terms(conn: Connection, estate_ids: Sequence[int] | None) -> dict[int, Any]:
    terms = TABLES["committee_terms"]
    query = select(
        terms.c.id,
        terms.c.estate_id,
        terms.c.term_no,
        terms.c.start_on,
        terms.c.end_on,
        terms.c.filed_on,
        terms.c.renewal_filed_on,
        terms.c.dissolved_on,
    ).where(*_ids_clause(terms.c.estate_id, estate_ids))
    latest: dict[int, Any] = {}
    for row in conn.execute(query):
        held = latest.get(row.estate_id)
        if held is None or row.term_no > held.term_no:
            latest[row.estate_id] = row
    return latest


def _grouped(
    conn: Connection, table_key: str, value: Callable[[Any], Any], ids: Sequence[int] | None, by: str = "estate_id"
) -> dict[Any, Any]:
    table = TABLES[table_key]
    column = table.c[by]
    query = select(column, value(table)).where(column.is_not(None), *_ids_clause(column, ids)).group_by(column)
    return {row[0]: row[1] for row in conn.execute(query)}


def _add_completeness(
    conn: Connection,
    ids: Sequence[int] | None,
    rows: Sequence[Any],
    terms: Mapping[int, Any],
    today: date,
    result: dict[int, dict[str, Any]],
) -> None:
    """The dossier check of services/dossier (`facts_of`), with each fact gathered for all estates at once."""
    buildings = _grouped(conn, "buildings", lambda t: func.count(), ids)
    # Attachments in the bin are out of the dossier; a 备案证明 on the current term counts as its filing.
    attachments = _grouped(conn, "attachments", lambda t: func.count(case((t.c.removed_on.is_(None), 1))), ids)
    scans = TABLES["attachments"]
    certified = set(
        conn.scalars(
            select(scans.c.term_id).where(
                scans.c.kind == CERTIFICATE_KIND, scans.c.removed_on.is_(None), *_ids_clause(scans.c.estate_id, ids)
            )
        )
    )
    funds = _grouped(conn, "funds", lambda t: func.max(t.c.as_of), ids)
    changes = _grouped(conn, "change_history", lambda t: func.max(t.c.changed_at), ids)
    term_ids = [t.id for t in terms.values()]
    members = _grouped(
        conn, "committee_members", lambda t: func.count(), term_ids if ids is not None else None, "term_id"
    )
    contracts_table = TABLES["contracts"]
    current_contract: dict[int, tuple[date, date | None]] = {}
    query = select(contracts_table.c.estate_id, contracts_table.c.start_on, contracts_table.c.end_on).where(
        contracts_table.c.terminated_on.is_(None), *_ids_clause(contracts_table.c.estate_id, ids)
    )
    for estate_id, start_on, end_on in conn.execute(query):
        held = current_contract.get(estate_id)
        if held is None or (start_on or date.min) > held[0]:
            current_contract[estate_id] = (start_on or date.min, end_on)
    lifts = TABLES["lifts"]
    lift_counts = _grouped(conn, "lifts", lambda t: func.count(), ids)
    unassessed: dict[int, int] = defaultdict(int)
    # Only lifts near or past 15 years can need an assessment; a day's slack covers 2-29.
    cutoff = add_years(today, -ASSESSMENT_AGE_YEARS).toordinal() + 1
    # And only those not assessed after it (SQLite's date steps differ from ours on 2-29: keep 3 days' slack).
    query = select(lifts.c.estate_id, lifts.c.first_use_on, lifts.c.assessed_on).where(
        lifts.c.first_use_on <= date.fromordinal(cutoff), *_ids_clause(lifts.c.estate_id, ids)
    )
    if conn.dialect.name == "sqlite":
        step = f"+{ASSESSMENT_AGE_YEARS} years"
        assessed_in_time = lifts.c.assessed_on >= func.date(lifts.c.first_use_on, step, "+3 days")
        query = query.where(or_(lifts.c.assessed_on.is_(None), ~assessed_in_time))
    for estate_id, first_use_on, assessed_on in conn.execute(query):
        if needs_assessment(first_use_on, assessed_on, today):
            unassessed[estate_id] += 1
    labels = {k: REGISTERS["estates"].field(k).label for k in BASIC_MISSING_CHECK}
    for r in rows:
        term = terms.get(r.id)
        contract = current_contract.get(r.id)
        last_change = changes.get(r.id)
        state = result[r.id]["committee_state"]
        facts = DossierFacts(
            missing_basic_fields=tuple(labels[k] for k in BASIC_MISSING_CHECK if getattr(r, k) in (None, "")),
            building_count=buildings.get(r.id, 0),
            committee_expected=state != NO_COMMITTEE,
            current_term_end=term.end_on if term is not None else None,
            current_term_filed=bool(term is not None and (term.filed_on or term.renewal_filed_on)),
            current_term_certificate=term is not None and term.id in certified,
            member_count=members.get(term.id, 0) if term is not None else 0,
            contract_end=(contract[1] or date.max) if contract is not None else None,
            management_mode=r.management_mode,
            latest_fund_on=funds.get(r.id),
            lift_count=lift_counts.get(r.id, 0),
            lifts_unassessed=unassessed.get(r.id, 0),
            attachment_count=attachments.get(r.id, 0),
            last_change_on=_day(last_change),
        )
        ratio = completeness_ratio(dossier_gaps(facts, today))
        result[r.id]["completeness"] = round(float(ratio) * 100)


def _day(value: Any) -> date | None:
    if value is None:
        return None
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    if isinstance(value, date):
        return value if type(value) is date else value.date()  # type: ignore[attr-defined]
    return None


# -- companies and their managers --------------------------------------------------------------


_NO_CREDIT = no_credit(WarningThresholds())  # a company without events: green (its score: `no_credit`)


def _company_credit(
    conn: Connection, company_ids: Sequence[int] | None, today: date, thresholds: WarningThresholds
) -> dict[int, CompanyCredit]:
    """Active points, warning level and local score per company: the credit service's one computation."""
    return company_credit(conn, company_ids, today, thresholds)


def _company_columns(
    conn: Connection, ids: Sequence[int] | None, today: date, thresholds: WarningThresholds
) -> dict[int, dict[str, Any]]:
    companies = TABLES["companies"]
    all_ids = list(ids) if ids is not None else list(conn.scalars(select(companies.c.id)))
    credit = _company_credit(conn, ids, today, thresholds)
    served = _grouped(conn, "estates", lambda t: func.count(), ids, "company_id")
    result = {}
    for company_id in all_ids:
        standing = credit.get(company_id) or no_credit(thresholds)
        result[company_id] = {
            "warning_level": standing.level,
            "active_points": standing.points,
            "score": standing.score,
            "estates_served": served.get(company_id, 0),
        }
    return result


def _manager_columns(
    conn: Connection, ids: Sequence[int] | None, today: date, thresholds: WarningThresholds
) -> dict[int, dict[str, Any]]:
    managers, events = TABLES["managers"], TABLES["credit_events"]
    all_ids = list(ids) if ids is not None else list(conn.scalars(select(managers.c.id)))
    by_manager: dict[int, list[CreditEvent]] = defaultdict(list)
    query = select(events).where(events.c.subject == "项目经理", *_ids_clause(events.c.manager_id, ids))
    for row in conn.execute(query):
        event = to_credit_event(row)
        if event is not None and row.manager_id is not None:
            by_manager[row.manager_id].append(event)
    managed = _grouped(conn, "estates", lambda t: func.count(), ids, "manager_id")
    return {
        manager_id: {
            "warning_level": manager_warning_level(by_manager.get(manager_id, []), today, thresholds),
            "active_points": active_points(by_manager.get(manager_id, []), today),
            "estates_managed": managed.get(manager_id, 0),
        }
        for manager_id in all_ids
    }


# -- lifts and committee terms -------------------------------------------------------------------


def lift_assessment(first_use_on: date, assessed_on: date | None, today: date) -> Assessment:
    due = assessment_due_on(first_use_on)
    overdue = needs_assessment(first_use_on, assessed_on, today)
    done = today >= due and not overdue
    return Assessment(due, done, overdue)


def _lift_columns(conn: Connection, ids: Sequence[int] | None, today: date) -> dict[int, dict[str, Any]]:
    lifts = TABLES["lifts"]
    query = select(lifts.c.id, lifts.c.first_use_on, lifts.c.assessed_on, lifts.c.remote_monitoring).where(
        *_ids_clause(lifts.c.id, ids)
    )
    result = {}
    for lift_id, first_use_on, assessed_on, monitoring in conn.execute(query):
        monitored = bool(monitoring)
        result[lift_id] = {
            "age_years": lift_age_years(first_use_on, today) if first_use_on else None,
            "assessment": lift_assessment(first_use_on, assessed_on, today) if first_use_on else None,
            "monitoring": "已安装"
            if monitored
            else ("逾期未装" if remote_monitoring_overdue(False, today) else "未安装"),
        }
    return result


def _street_names(conn: Connection) -> dict[int, str]:
    streets = TABLES["streets"]
    return {row[0]: row[1] for row in conn.execute(select(streets.c.id, streets.c.name))}


def _street_columns(conn: Connection, table: Any, ids: Sequence[int] | None) -> dict[int, dict[str, Any]]:
    estates = TABLES["estates"]
    names = _street_names(conn)
    query = (
        select(table.c.id, estates.c.street_id)
        .join(estates, estates.c.id == table.c.estate_id)
        .where(*_ids_clause(table.c.id, ids))
    )
    return {row_id: {"street": names.get(street_id, "")} for row_id, street_id in conn.execute(query)}


def _term_columns(conn: Connection, ids: Sequence[int] | None, today: date) -> dict[int, dict[str, Any]]:
    """街镇, the term's state (a term followed by a later one is 已换届) and the days left to its end."""
    terms = TABLES["committee_terms"]
    result = _street_columns(conn, terms, ids)
    query = select(
        terms.c.id, terms.c.estate_id, terms.c.term_no, terms.c.start_on, terms.c.end_on, terms.c.dissolved_on
    )
    if ids is not None:
        estates_of = select(terms.c.estate_id).where(terms.c.id.in_(list(ids)))
        query = query.where(terms.c.estate_id.in_(estates_of))
    rows = conn.execute(query).all()
    latest: dict[int, int] = {}
    for row in rows:
        latest[row.estate_id] = max(latest.get(row.estate_id, 0), row.term_no)
    for row in rows:
        if row.id not in result:
            continue
        if row.dissolved_on is not None:
            state = DISSOLVED
        else:
            renewed = row.term_no < latest[row.estate_id]
            state = committee_term_status(row.start_on, row.end_on, today, renewed=renewed).label
        ended = state in (DISSOLVED, TermState.ENDED.label)
        result[row.id]["term_state"] = state
        result[row.id]["days_to_end"] = None if ended else (row.end_on - today).days
    return result
