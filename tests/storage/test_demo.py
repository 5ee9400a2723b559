"""The demo district: deterministic, valid against every declaration, and showing every state staff look for."""

from __future__ import annotations

import functools
import os
import re
import sqlite3
import subprocess
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from real_names import real_estate_names
from sqlalchemy import func, select

from putuo_community.domain.committee import (
    RenewalEvents,
    TermState,
    committee_size_problem,
    committee_term_status,
    overdue_milestones,
)
from putuo_community.domain.credit import CreditStatus, WarningLevel, entry_problems, status_of_values
from putuo_community.domain.credit_code import is_valid_credit_code
from putuo_community.domain.dates import add_years
from putuo_community.domain.errors import UserError
from putuo_community.domain.fund import needs_topup
from putuo_community.domain.lifts import lift_addition_subsidy, needs_assessment, needs_price_audit
from putuo_community.domain.registers import REGISTERS
from putuo_community.domain.registers.works import LIFT_PROJECT_STAGES, PROJECT_STAGES
from putuo_community.domain.streets import PUTUO_STREETS
from putuo_community.domain.validation import validate_record
from putuo_community.domain.votes import VoteRule, VoteTally, evaluate_vote
from putuo_community.services.credit import CreditService
from putuo_community.services.demo import DemoSummary, generate_demo
from putuo_community.services.demo import generator as demo
from putuo_community.services.reminders import ReminderService
from putuo_community.storage.bulk import BulkWriter
from putuo_community.storage.database import Database, open_database
from putuo_community.storage.schema import TABLES, change_batches

TODAY = date(2026, 3, 15)
ESTATES = 200

Rows = dict[str, list[dict[str, Any]]]


def _open(folder: Path) -> Database:
    folder.mkdir(parents=True, exist_ok=True)
    return open_database(f"sqlite:///{folder / 'demo.sqlite3'}")


def _all_rows(database: Database) -> Rows:
    """Every register's rows as dicts (system columns included), by id."""
    tables = {**TABLES, "change_batches": change_batches}
    with database.read() as conn:
        return {
            key: [dict(row._mapping) for row in conn.execute(select(table).order_by(table.c.id))]
            for key, table in tables.items()
        }


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, DemoSummary, Rows]]:
    database = _open(tmp_path_factory.mktemp("demo"))
    summary = generate_demo(database, estates=ESTATES, seed=2026, today=TODAY)
    yield database, summary, _all_rows(database)
    database.dispose()


@pytest.fixture(scope="module")
def rows(generated: tuple[Database, DemoSummary, Rows]) -> Rows:
    return generated[2]


def _by_id(rows: Rows, key: str) -> dict[int, dict[str, Any]]:
    return {row["id"]: row for row in rows[key]}


def _values(key: str, row: dict[str, Any]) -> dict[str, Any]:
    return {f.key: row[f.key] for f in REGISTERS[key].fields}


def _invalid(rows: Rows) -> list[str]:
    problems = []
    for key, register in REGISTERS.items():
        for row in rows[key]:
            report = validate_record(register, _values(key, row))
            if not report.ok:
                problems.append(f"{key}#{row['id']}: {report.summary()}")
    return problems


# --- declarations and references -------------------------------------------------------


def test_every_record_satisfies_its_declaration(rows: Rows) -> None:
    problems = _invalid(rows)
    assert not problems, problems[:10]


def test_every_reference_points_to_an_existing_record(rows: Rows) -> None:
    ids = {key: {row["id"] for row in rows[key]} for key in REGISTERS}
    dangling = []
    for key, register in REGISTERS.items():
        for ref in register.ref_fields:
            for row in rows[key]:
                value = row[ref.key]
                if value is not None and value not in ids[ref.ref]:
                    dangling.append(f"{key}#{row['id']}.{ref.key} → {ref.ref}#{value}")
    assert not dangling, dangling[:10]


@pytest.mark.parametrize("today", [date(2028, 2, 29), date(2031, 1, 1), date(2025, 12, 31)])
def test_any_today_gives_valid_records(tmp_path: Path, today: date) -> None:
    database = _open(tmp_path)
    generate_demo(database, estates=80, seed=11, today=today)
    problems = _invalid(_all_rows(database))
    database.dispose()
    assert not problems, problems[:10]


def test_the_states_hold_on_another_day(tmp_path: Path) -> None:
    """Dates follow `today`: years later, the demo still shows every committee state and warning level."""
    later = date(2031, 7, 1)
    database = _open(tmp_path)
    generate_demo(database, estates=150, seed=2026, today=later)
    rows = _all_rows(database)
    levels = {s.level for s in CreditService(database).company_standings(today=later)}
    database.dispose()
    states = {
        committee_term_status(t["start_on"], t["end_on"], later, renewed=False) for t in _latest_terms(rows).values()
    }
    assert states == {TermState.IN_TERM, TermState.EXPIRING, TermState.OVERDUE}
    assert levels == set(WarningLevel)
    assert {p["stage"] for p in rows["projects"]} == set(PROJECT_STAGES)
    assert all(later.year - 7 <= p["batch_year"] <= later.year for p in rows["projects"])
    assert any(needs_assessment(x["first_use_on"], x["assessed_on"], later) for x in rows["lifts"])
    assert max(e["completion_year"] for e in rows["estates"]) > 2026


def test_the_summary_matches_the_database(generated: tuple[Database, DemoSummary, Rows]) -> None:
    _, summary, rows = generated
    assert summary.estates == ESTATES
    assert (summary.seed, summary.today) == (2026, TODAY)
    assert summary.elapsed_seconds > 0
    for key, count in summary.counts.items():
        assert len(rows[key]) == count, key
    assert summary.total_rows == sum(summary.counts.values())
    assert "streets" not in summary.counts


def test_one_change_batch_names_the_seed_and_count(rows: Rows) -> None:
    batches = rows["change_batches"]
    assert len(batches) == 1
    assert batches[0]["kind"] == "演示数据"
    assert "2026" in batches[0]["description"]
    assert f"{ESTATES} 个小区" in batches[0]["description"]


# --- determinism, scale, refusal -------------------------------------------------------------


def _without_batches(rows: Rows) -> Rows:
    """What the demo wrote: not the batch (stamped now) nor the streets (stamped when the file was made)."""
    return {key: value for key, value in rows.items() if key not in ("change_batches", "streets")}


def test_the_same_seed_and_day_give_the_same_data(tmp_path: Path) -> None:
    first, second, other = (_open(tmp_path / name) for name in ("a", "b", "c"))
    generate_demo(first, estates=60, seed=5, today=TODAY)
    generate_demo(second, estates=60, seed=5, today=TODAY)
    generate_demo(other, estates=60, seed=6, today=TODAY)
    a, b, c = (_without_batches(_all_rows(db)) for db in (first, second, other))
    for db in (first, second, other):
        db.dispose()
    assert a == b
    assert a["estates"] != c["estates"]
    assert [r["name"] for r in a["companies"]] != [r["name"] for r in c["companies"]]


_DIGEST_SCRIPT = """
import hashlib, sqlite3, sys
from datetime import date
from putuo_community.storage.database import open_database
from putuo_community.services.demo import generate_demo
path = sys.argv[1]
database = open_database("sqlite:///" + path)
generate_demo(database, estates=60, seed=17, today=date(2026, 3, 15))
database.dispose()
digest = hashlib.sha256()
with sqlite3.connect(path) as conn:
    for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"):
        if table not in ("streets", "change_batches", "alembic_version"):
            for row in conn.execute(f"SELECT * FROM {table} ORDER BY 1"):
                digest.update(repr(row).encode())
print(digest.hexdigest())
"""


def test_the_data_does_not_depend_on_the_process(tmp_path: Path) -> None:
    """Set and hash order change between processes (PYTHONHASHSEED); the data must not."""
    digests = []
    for hash_seed in ("1", "4242"):
        environment = {**os.environ, "PYTHONHASHSEED": hash_seed}
        result = subprocess.run(
            [sys.executable, "-c", _DIGEST_SCRIPT, str(tmp_path / f"run{hash_seed}.sqlite3")],
            capture_output=True,
            text=True,
            env=environment,
            check=True,
            timeout=120,
        )
        digests.append(result.stdout.strip())
    assert digests[0] == digests[1]
    assert len(digests[0]) == 64


def test_counts_grow_with_the_number_of_estates(tmp_path: Path) -> None:
    small = generate_demo(_open(tmp_path / "small"), estates=50, seed=3, today=TODAY)
    large = generate_demo(_open(tmp_path / "large"), estates=200, seed=3, today=TODAY)
    assert (small.counts["estates"], large.counts["estates"]) == (50, 200)
    for key in ("buildings", "units", "committee_terms", "contracts", "lifts", "funds", "companies"):
        assert 2.5 < large.counts[key] / small.counts[key] < 6, key


def test_progress_is_reported_from_zero_to_all(database: Database) -> None:
    calls: list[tuple[int, int]] = []
    generate_demo(database, estates=30, seed=1, today=TODAY, progress=lambda done, total: calls.append((done, total)))
    assert calls[0] == (0, 30)
    assert calls[-1] == (30, 30)
    done = [d for d, _ in calls]
    assert done == sorted(done)


def test_a_database_with_estates_is_refused_unless_replaced(database: Database) -> None:
    generate_demo(database, estates=20, seed=1, today=TODAY)
    with pytest.raises(UserError, match="数据库中已有 20 个小区"):
        generate_demo(database, estates=20, seed=2, today=TODAY)
    with database.read() as conn:
        assert conn.scalar(select(func.count()).select_from(TABLES["estates"])) == 20
    summary = generate_demo(database, estates=25, seed=2, today=TODAY, replace=True)
    assert summary.counts["estates"] == 25
    with database.read() as conn:
        assert conn.scalar(select(func.count()).select_from(TABLES["estates"])) == 25
        assert conn.scalar(select(func.count()).select_from(TABLES["streets"])) == len(PUTUO_STREETS)
        batches = conn.execute(select(change_batches.c.kind, change_batches.c.description)).all()
    assert len(batches) == 1
    assert "替换" in batches[0].description


def test_replacing_gives_the_same_data_as_a_fresh_database(tmp_path: Path) -> None:
    replaced, fresh = _open(tmp_path / "replaced"), _open(tmp_path / "fresh")
    generate_demo(replaced, estates=40, seed=8, today=TODAY)
    generate_demo(replaced, estates=30, seed=9, today=TODAY, replace=True)
    generate_demo(fresh, estates=30, seed=9, today=TODAY)
    assert _without_batches(_all_rows(replaced)) == _without_batches(_all_rows(fresh))


def test_other_records_without_estates_are_refused_too(database: Database) -> None:
    with database.transaction() as conn:
        conn.execute(
            TABLES["companies"]
            .insert()
            .values(name="上海测试物业管理有限公司", version=1, created_at=TODAY, updated_at=TODAY)
        )
    with pytest.raises(UserError, match="物业服务企业 1 条"):
        generate_demo(database, estates=5, today=TODAY)


def test_at_least_one_estate(database: Database) -> None:
    with pytest.raises(UserError):
        generate_demo(database, estates=0, today=TODAY)


def test_the_fast_sqlite_path_stores_what_a_core_insert_stores(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fast_db, core_db = _open(tmp_path / "fast"), _open(tmp_path / "core")
    generate_demo(fast_db, estates=25, seed=4, today=TODAY)
    monkeypatch.setattr(demo, "BulkWriter", functools.partial(BulkWriter, fast=False))
    generate_demo(core_db, estates=25, seed=4, today=TODAY)
    for db in (fast_db, core_db):
        db.dispose()

    def raw(path: Path) -> dict[str, list[tuple[Any, ...]]]:
        with sqlite3.connect(path) as conn:
            return {
                key: conn.execute(f"SELECT * FROM {key} ORDER BY id").fetchall()
                for key in REGISTERS
                if key != "streets"
            }

    assert raw(tmp_path / "fast" / "demo.sqlite3") == raw(tmp_path / "core" / "demo.sqlite3")


# --- places -----------------------------------------------------------------------------


def test_every_street_has_estates_and_8_to_25_neighbourhoods(rows: Rows) -> None:
    estates_per_street = Counter(r["street_id"] for r in rows["estates"])
    neighbourhoods = Counter(r["street_id"] for r in rows["neighbourhoods"])
    assert set(estates_per_street) == {r["id"] for r in rows["streets"]}
    assert all(8 <= n <= 25 for n in neighbourhoods.values())
    assert all(r["name"].endswith("居委会") for r in rows["neighbourhoods"])
    street_of = {r["id"]: r["street_id"] for r in rows["neighbourhoods"]}
    assert all(street_of[r["neighbourhood_id"]] == r["street_id"] for r in rows["estates"] if r["neighbourhood_id"])


def test_estate_names_and_codes_are_unique_and_shaped_like_puto(rows: Rows) -> None:
    names = [(r["street_id"], r["name"]) for r in rows["estates"]]
    assert len(set(names)) == len(names)
    codes = [r["code"] for r in rows["estates"]]
    assert len(set(codes)) == len(codes)
    assert all(re.fullmatch(r"PT-[A-Z]{2}-\d{4}", code) for code in codes)
    assert any(re.search(r"路\d+弄$", r["name"]) for r in rows["estates"])
    assert any(re.search(r"[一二三四五六七八九]村", r["name"]) for r in rows["estates"])
    assert any("期" in r["name"] or "（" in r["name"] or "(" in r["name"] for r in rows["estates"])
    assert all(r["address"] is None or re.search(r"路\d+[弄号]$", r["address"]) for r in rows["estates"])
    aliases = rows["estate_aliases"]
    assert aliases
    assert {a["source"] for a in aliases} >= {"手工", "导入确认"}


def test_estate_names_end_like_real_puto_names(rows: Rows) -> None:
    real, _full = real_estate_names()
    endings = {name[-1] for name in real} | {"坊", "里"}
    demo_names = [r["name"].rstrip("）)") for r in rows["estates"]]
    share = sum(name[-1] in endings or name.endswith("期") for name in demo_names) / len(demo_names)
    assert share > 0.9
    fragments = ("曹杨", "武宁", "金沙江", "真北", "桃浦", "梅川", "中山北", "长寿", "宜川", "甘泉", "铜川", "兰溪")
    assert sum(any(f in name for f in fragments) for name in demo_names) > len(demo_names) * 0.15


def test_housing_is_consistent(rows: Rows) -> None:
    street_name = {r["id"]: r["name"] for r in rows["streets"]}
    types_by_street: dict[str, Counter[str]] = defaultdict(Counter)
    for estate in rows["estates"]:
        types_by_street[street_name[estate["street_id"]]][estate["housing_type"]] += 1
        area_per_household = estate["floor_area"] / estate["households"]
        assert Decimal(45) <= area_per_household <= Decimal(140), estate["name"]
        assert 1952 <= estate["completion_year"] < TODAY.year
        fee = estate["fee"]
        if estate["housing_type"] == "商品房":
            assert Decimal("1.2") <= fee <= Decimal("4.5")
        elif estate["housing_type"] in ("售后公房", "直管公房"):
            assert Decimal("0.25") <= fee <= Decimal("0.9")
        if estate["housing_type"] == "商品房":
            assert estate["completion_year"] >= 1992
    assert types_by_street["曹杨新村街道"].most_common(1)[0][0] == "售后公房"
    assert types_by_street["甘泉路街道"].most_common(1)[0][0] == "售后公房"
    assert types_by_street["长征镇"]["商品房"] + types_by_street["长征镇"]["动迁安置房"] > 10
    assert types_by_street["桃浦镇"]["动迁安置房"] > 0
    buildings = defaultdict(list)
    for building in rows["buildings"]:
        buildings[building["estate_id"]].append(building)
    units = defaultdict(list)
    for unit in rows["units"]:
        units[unit["building_id"]].append(unit)
    for estate in rows["estates"]:
        own = buildings[estate["id"]]
        assert len(own) == estate["building_count"]
        assert sum(b["households"] for b in own) == estate["households"]
        assert sum(b["floor_area"] for b in own) == estate["floor_area"]
        for building in own:
            assert len(units[building["id"]]) == building["unit_count"]
            assert sum(u["households"] for u in units[building["id"]]) == building["households"]
            assert sum(u["exclusive_area"] for u in units[building["id"]]) <= building["floor_area"]


# --- committees ----------------------------------------------------------------------------


def _latest_terms(rows: Rows) -> dict[int, dict[str, Any]]:
    latest: dict[int, dict[str, Any]] = {}
    for term in rows["committee_terms"]:
        if term["estate_id"] not in latest or term["term_no"] > latest[term["estate_id"]]["term_no"]:
            latest[term["estate_id"]] = term
    return latest


def _events(term: dict[str, Any]) -> RenewalEvents:
    return RenewalEvents(
        term["renewal_report_on"],
        term["renewal_group_on"],
        term["seals_handover_on"],
        term["renewal_election_on"],
        term["renewal_filed_on"],
        term["renewal_audit_on"],
    )


def test_committees_occur_in_every_state(rows: Rows) -> None:
    latest = _latest_terms(rows)
    without = [e for e in rows["estates"] if e["id"] not in latest]
    assert any(not e["has_assembly"] and e["prep_group_on"] is None for e in without)  # no 业主大会
    assert any(e["prep_group_on"] is not None and not e["has_assembly"] for e in without)  # 筹备组 only
    assert all(e["has_assembly"] for e in rows["estates"] if e["id"] in latest)
    states = Counter(committee_term_status(t["start_on"], t["end_on"], TODAY, renewed=False) for t in latest.values())
    assert states[TermState.IN_TERM]
    assert states[TermState.EXPIRING]
    assert states[TermState.OVERDUE]
    expiring = [t for t in latest.values() if TODAY <= t["end_on"] <= TODAY + timedelta(days=183)]
    assert any(overdue_milestones(t["end_on"], _events(t), TODAY) for t in expiring)  # steps missed
    assert any(t["renewal_report_on"] is not None for t in expiring)  # steps taken
    overdue = [t for t in latest.values() if t["end_on"] < TODAY]
    assert overdue
    assert all(t["renewal_election_on"] is None for t in overdue)
    kinds = Counter(t["kind"] for t in rows["committee_terms"])
    assert kinds["首届"]
    assert kinds["换届"]


def test_committees_have_lawful_sizes_and_all_roles(rows: Rows) -> None:
    latest = _latest_terms(rows)
    estates = _by_id(rows, "estates")
    members = defaultdict(list)
    for member in rows["committee_members"]:
        members[member["term_id"]].append(member)
    assert all(members[t["id"]] for t in latest.values())
    with_members = [t for t in rows["committee_terms"] if members[t["id"]]]
    assert len(with_members) > len(latest)  # some earlier terms keep their members too
    unlawful = []
    for term in with_members:
        voting = [m for m in members[term["id"]] if m["role"] in ("主任", "副主任", "委员")]
        assert len(voting) == term["seats"]
        if committee_size_problem(term["seats"], estates[term["estate_id"]]["floor_area"]) is not None:
            unlawful.append(term)
        assert sum(m["role"] == "主任" for m in voting) == 1
        seals = [m["seal"] for m in members[term["id"]] if m["seal"] != "无"]
        assert len(seals) == len(set(seals)) == 3  # three seals, three keepers
    assert {m["role"] for m in rows["committee_members"]} == {"主任", "副主任", "委员", "候补委员", "秘书"}
    assert Counter(t["seats"] for t in latest.values()).keys() >= {3, 5, 7, 9}
    # A few committees in office are the wrong size (COMMITTEE_SIZE): 6 members, or 3 on a large estate.
    assert {t["seats"] for t in unlawful} == {3, 6}
    assert all(t is latest[t["estate_id"]] for t in unlawful)
    assert len(unlawful) <= len(latest) * 0.05


def _id_check(first17: str) -> str:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return "10X98765432"[sum(int(c) * w for c, w in zip(first17, weights, strict=True)) % 11]


def test_members_have_plausible_personal_data(rows: Rows) -> None:
    people = rows["committee_members"] + rows["managers"]
    numbers = [p["id_number"] for p in people if p["id_number"]]
    assert len(numbers) > len(people) * 0.7
    for number in numbers:
        assert re.fullmatch(r"310\d{14}[\dX]", number)
        assert number[17] == _id_check(number[:17])
        date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    for member in rows["committee_members"]:
        if member["id_number"] and member["birth_year"]:
            assert int(member["id_number"][6:10]) == member["birth_year"]
            assert (int(member["id_number"][16]) % 2 == 1) == (member["gender"] == "男")
    phones = [p["phone"] for p in people if p["phone"]]
    assert all(re.fullmatch(r"1[3-9]\d{9}", phone) for phone in phones)
    surnames = Counter(m["name"][0] for m in rows["committee_members"])
    assert surnames.most_common(1)[0][0] in "张王李陈刘"
    assert all(2 <= len(m["name"]) <= 4 for m in people)


def test_committees_record_activities(rows: Rows) -> None:
    kinds = Counter(a["kind"] for a in rows["committee_activities"])
    assert kinds.keys() >= {"业委会会议", "业主大会", "接待日", "备案", "印章移交", "审计"}
    assert all(a["held_on"] <= TODAY for a in rows["committee_activities"])
    # Month by month only for the last year or so: no decades of reception days.
    assert min(a["held_on"] for a in rows["committee_activities"] if a["kind"] == "接待日") >= date(2025, 3, 1)
    latest = _latest_terms(rows)
    assert kinds["接待日"] < len(latest) * 14


def test_most_committees_had_last_years_audit_some_did_not(rows: Rows) -> None:
    """The annual audit of 2024 is reported by 2025-06-30: most committees' is on record, a few are missing."""
    audited = {
        a["estate_id"]
        for a in rows["committee_activities"]
        if a["kind"] == "审计" and date(2025, 1, 1) <= a["held_on"] <= date(2025, 6, 30)
    }
    running = [e for e, t in _latest_terms(rows).items() if t["start_on"] < date(2024, 1, 1)]
    share = sum(e in audited for e in running) / len(running)
    assert 0.9 <= share < 1


def test_a_few_committees_lose_members_or_fall_silent(rows: Rows) -> None:
    latest = _latest_terms(rows)
    in_office = {t["id"]: t for t in latest.values() if t["start_on"] <= TODAY <= t["end_on"]}
    left: Counter[int] = Counter()
    for m in rows["committee_members"]:
        if m["term_id"] in in_office and m["left_on"] is not None and m["role"] in ("主任", "副主任", "委员"):
            assert in_office[m["term_id"]]["start_on"] < m["left_on"] <= TODAY
            left[m["term_id"]] += 1
    below_half = [t for t, n in left.items() if (in_office[t]["seats"] - n) * 2 < in_office[t]["seats"]]
    assert 1 <= len(below_half) <= len(in_office) * 0.05
    last_activity: dict[int, date] = {}
    for a in rows["committee_activities"]:
        last_activity[a["estate_id"]] = max(a["held_on"], last_activity.get(a["estate_id"], a["held_on"]))
    silent = [t for t in in_office.values() if last_activity[t["estate_id"]] < TODAY - timedelta(days=183)]
    assert 1 <= len(silent) <= len(in_office) * 0.05


def test_a_few_new_terms_still_owe_their_filing(rows: Rows) -> None:
    latest = _latest_terms(rows)
    terms = {(t["estate_id"], t["term_no"]): t for t in rows["committee_terms"]}
    recent = [t for t in latest.values() if t["elected_on"] >= TODAY - timedelta(days=90) and t["term_no"] > 1]
    owing = [
        t
        for t in recent
        if t["filed_on"] is None or terms[(t["estate_id"], t["term_no"] - 1)]["renewal_audit_on"] is None
    ]
    assert owing
    assert len(owing) < len(latest) * 0.05


def test_formation_reports_some_recorded_some_not(rows: Rows) -> None:
    estates = rows["estates"]
    with_report = [e for e in estates if e["formation_report_on"] is not None]
    assert with_report
    assert any(e["formation_report_on"] is None and e["prep_group_on"] is not None for e in estates)
    assert all(e["formation_report_on"] <= (e["prep_group_on"] or TODAY) for e in with_report)
    delivered = [e for e in estates if e["half_delivered_on"] is not None and e["half_delivered_on"] <= TODAY]
    waiting = [e for e in delivered if not e["has_assembly"] and e["formation_report_on"] is None]
    assert waiting  # the developer's report is awaited


# --- property management ---------------------------------------------------------------------


def test_companies_have_valid_codes_and_1_to_40_estates(rows: Rows) -> None:
    companies = rows["companies"]
    assert ESTATES * 0.08 <= len(companies) <= ESTATES * 0.16
    assert all(is_valid_credit_code(c["credit_code"]) for c in companies)
    assert all(re.search(r"物业.*有限公司$", c["name"]) for c in companies)
    served = Counter(e["company_id"] for e in rows["estates"] if e["company_id"])
    assert set(served) == {c["id"] for c in companies}
    assert all(1 <= n <= 40 for n in served.values())
    per_manager = Counter(e["manager_id"] for e in rows["estates"] if e["manager_id"])
    assert all(n <= 3 for n in per_manager.values())
    managers = _by_id(rows, "managers")
    assert all(managers[e["manager_id"]]["company_id"] == e["company_id"] for e in rows["estates"] if e["manager_id"])
    assert {e["management_mode"] for e in rows["estates"]} == {"物业企业", "自管", "居委兜底"}


def test_contracts_in_every_state(rows: Rows) -> None:
    contracts = rows["contracts"]
    assert {c["kind"] for c in contracts} == {"前期物业服务", "物业服务", "临时物业服务"}
    assert {c["pricing"] for c in contracts} == {"包干制", "酬金制"}
    assert any(c["end_on"] and TODAY <= c["end_on"] <= TODAY + timedelta(days=90) for c in contracts)
    assert any(c["end_on"] and c["end_on"] < TODAY and c["open_ended"] for c in contracts)
    assert any(c["filed_on"] and (c["filed_on"] - c["signed_on"]).days > 30 for c in contracts)  # filed late
    temporary = [c for c in contracts if c["kind"] == "临时物业服务"]
    assert all((c["end_on"] - c["start_on"]).days <= 184 for c in temporary)
    assert any(c["end_on"] < TODAY for c in temporary)  # its 6 months are up and it is still the estate's latest
    assert any(c["end_on"] >= TODAY for c in temporary)
    open_ended = [c for c in contracts if c["open_ended"]]
    with_notice = [c for c in open_ended if c["notice_on"] is not None]
    assert with_notice
    assert len(with_notice) < len(open_ended) / 2
    assert all(c["end_on"] < c["notice_on"] <= TODAY for c in with_notice)
    recent = TODAY - timedelta(days=400)
    assert all(c["filed_on"] is not None or c["signed_on"] >= recent - timedelta(days=30) for c in contracts)
    assert rows["fee_adjustments"]
    assert all(a["new_fee"] != a["old_fee"] for a in rows["fee_adjustments"])


def test_credit_events_in_every_band_and_state(rows: Rows) -> None:
    events = rows["credit_events"]
    company_level = [e for e in events if e["estate_id"] is None]
    assert company_level
    assert {"已受理", "已提出"} <= {e["objection"] for e in company_level}
    assert {e["band"] for e in events} == {"特别严重", "较严重", "轻微", "业绩"}
    assert {e["points"] for e in events if e["band"] != "业绩"} == {18, 6, 3}
    year_ago = TODAY - timedelta(days=365)
    assert any(e["scored_on"] >= year_ago for e in events)
    assert any(e["scored_on"] < year_ago for e in events)
    assert {e["objection"] for e in events} == {"无", "已提出", "已受理", "维持", "撤销"}
    # Every event is one the entry rules accept: discovered within a year, corrected late enough, dates in order.
    refused = [(e["id"], p) for e in events for p in entry_problems(e) if not p.warning]
    assert refused == []
    statuses = Counter(status_of_values(e, TODAY) for e in events)
    assert set(statuses) >= {CreditStatus.ACTIVE, CreditStatus.EXPIRED, CreditStatus.OBJECTION_PENDING}
    assert {e["source"] for e in events} >= {"巡查", "投诉", "处罚决定书", "街镇建议"}
    on_managers = [e for e in events if e["subject"] == "项目经理"]
    assert on_managers
    assert all(e["manager_id"] and e["company_id"] for e in on_managers)
    managers = _by_id(rows, "managers")
    assert all(managers[e["manager_id"]]["company_id"] == e["company_id"] for e in on_managers)


def test_companies_fall_into_every_warning_level(generated: tuple[Database, DemoSummary, Rows]) -> None:
    database = generated[0]
    levels = Counter(s.level for s in CreditService(database).company_standings(today=TODAY))
    assert set(levels) == set(WarningLevel)
    assert levels[WarningLevel.GREEN] > levels[WarningLevel.RED]


# --- works, lifts, money -------------------------------------------------------------------------


def test_projects_at_every_stage(rows: Rows) -> None:
    projects = rows["projects"]
    assert {p["stage"] for p in projects} == set(PROJECT_STAGES)
    assert {p["kind"] for p in projects} >= {"综合修缮", "美丽家园", "专项提升"}
    assert all(TODAY.year - 7 <= p["batch_year"] <= TODAY.year for p in projects)
    for project in projects:
        parts = [project[k] for k in ("city_funding", "district_funding", "fund_funding", "owner_funding")]
        assert sum(p for p in parts if p is not None) == project["budget"]
        assert project["stage_on"] <= TODAY
        per_square_metre = project["budget"] * 10_000 / project["floor_area"]
        assert Decimal(50) <= per_square_metre <= Decimal(8000), project["name"]


def test_lifts_of_every_age_and_risk(rows: Rows) -> None:
    lifts, buildings = rows["lifts"], _by_id(rows, "buildings")
    assert all(buildings[x["building_id"]]["floors"] >= 7 or x["note"] == "加装电梯" for x in lifts)
    codes = [x["registration_code"] for x in lifts]
    assert len(set(codes)) == len(codes)
    assert all(re.fullmatch(r"3110310107\d{10}", c) for c in codes)
    years = [x["first_use_on"].year for x in lifts]
    assert min(years) <= 1995
    assert max(years) >= TODAY.year - 2
    assert any(needs_assessment(x["first_use_on"], x["assessed_on"], TODAY) for x in lifts)
    assert {x["risk_class"] for x in lifts} >= {"无", "Ⅱ类", "Ⅰ类"}
    assert any(x["action_cost"] and needs_price_audit(x["action_cost"]) for x in lifts)
    assert any(not x["remote_monitoring"] for x in lifts)
    units = _by_id(rows, "units")
    assert all(units[x["unit_id"]]["has_lift"] and buildings[x["building_id"]]["has_lift"] for x in lifts)


def test_most_risks_have_a_plan_and_most_dear_works_an_audit(rows: Rows) -> None:
    lifts = rows["lifts"]
    second = [x for x in lifts if x["risk_class"] == "Ⅱ类"]
    planned = [x for x in second if x["risk_plan_on"] is not None]
    assert 0.85 <= len(planned) / len(second) < 1
    assert all(x["assessed_on"] <= x["risk_plan_on"] <= TODAY for x in planned)
    assert all(x["risk_plan_on"] is None for x in lifts if x["risk_class"] != "Ⅱ类")
    dear = [x for x in lifts if x["action_cost"] and needs_price_audit(x["action_cost"])]
    audited = [x for x in dear if x["price_audit_on"] is not None]
    assert 0.8 <= len(audited) / len(dear) < 1
    assert all(
        x["price_audit_on"] is None for x in lifts if not (x["action_cost"] and needs_price_audit(x["action_cost"]))
    )
    # Lifts 15 years in service: nearly all assessed, some in the year before the anniversary.
    old = [x for x in lifts if add_years(x["first_use_on"], 15) <= TODAY]
    assert sum(x["assessed_on"] is not None for x in old) / len(old) >= 0.9
    assert any(x["assessed_on"] and x["assessed_on"] < add_years(x["first_use_on"], 15) for x in old)


def test_lift_additions_at_every_stage_with_real_votes(rows: Rows) -> None:
    projects = rows["lift_projects"]
    assert {p["stage"] for p in projects} == set(LIFT_PROJECT_STAGES)
    results = []
    for project in projects:
        if project["voting_owners"] is None:
            assert project["stage"] == "方案"
            continue
        tally = VoteTally(
            project["total_area"],
            project["households"],
            project["voting_area"],
            project["voting_owners"],
            project["agree_area"],
            project["agree_owners"],
        )
        passed = evaluate_vote(tally, VoteRule.LIFT_ADDITION).passed
        results.append(passed)
        if LIFT_PROJECT_STAGES.index(project["stage"]) > 1:
            assert passed, project
    assert True in results
    assert False in results
    for project in projects:
        if project["construction_cost"] is not None:
            assert Decimal(600_000) <= project["construction_cost"] <= Decimal(1_100_000)
            assert project["subsidy"] == lift_addition_subsidy(project["construction_cost"])
    units = _by_id(rows, "units")
    assert all(units[p["unit_id"]]["has_lift"] for p in projects if p["stage"] == "使用登记")
    assert all(units[p["unit_id"]]["floors"] <= 6 for p in projects)


def test_repair_funds_on_both_sides_of_30_percent(rows: Rows) -> None:
    snapshots = defaultdict(list)
    for fund in rows["funds"]:
        snapshots[fund["estate_id"]].append(fund)
    assert all(1 <= len(s) <= 4 for s in snapshots.values())
    latest = [max(s, key=lambda f: f["as_of"]) for s in snapshots.values()]
    below = [f for f in latest if needs_topup(balance=f["balance"], initial=f["initial_amount"])]
    exactly = [f for f in latest if f["balance"] * 10 == f["initial_amount"] * 3]
    assert below
    assert exactly
    assert len(latest) - len(below) - len(exactly) > len(latest) / 2
    assert all(not needs_topup(balance=f["balance"], initial=f["initial_amount"]) for f in exactly)
    assert all(f["as_of"] <= TODAY for f in rows["funds"])
    # Accounts published in January (to 31 December) or July (to 30 June); a few late, a few not yet.
    published = [f for f in rows["funds"] if f["published_on"] is not None]
    on_time = [f for f in published if (f["published_on"] - f["as_of"]).days <= 31]
    assert {f["published_on"].month for f in on_time} == {1, 7}
    assert 0.85 <= len(on_time) / len(rows["funds"]) < 1
    assert len(published) > len(on_time)
    assert any(f["published_on"] is None for f in latest)


def test_complaints_and_hazards_in_every_status(rows: Rows) -> None:
    issues = rows["estate_issues"]
    assert {i["kind"] for i in issues} == {"投诉", "隐患"}
    assert {i["status"] for i in issues} == {"待处理", "处理中", "已办结"}
    assert all((i["closed_on"] is not None) == (i["status"] == "已办结") for i in issues)


def test_the_demo_gives_reminders_of_every_kind(generated: tuple[Database, DemoSummary, Rows]) -> None:
    reminders = ReminderService(generated[0]).list(today=TODAY)
    categories = {r.category for r in reminders}
    assert len(categories) >= 5, categories
    assert any(r.overdue for r in reminders)
    assert any(not r.overdue for r in reminders)
