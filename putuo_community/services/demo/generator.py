"""Generate a realistic, deterministic demo district: estates of 普陀's 10 街镇 and everything in their dossiers.

Used for training, screenshots and load tests. The same seed and `today` always give the same data;
every record satisfies its register's declaration.
"""

from __future__ import annotations

import logging
import time as clock
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import Connection, delete, func, insert, select

from putuo_community.domain.accounts import Action, Actor
from putuo_community.domain.errors import UserError
from putuo_community.domain.registers import REGISTERS
from putuo_community.domain.streets import PUTUO_STREETS
from putuo_community.services.demo import names
from putuo_community.services.demo.committees import committee
from putuo_community.services.demo.model import (
    Building,
    Context,
    DemoRandom,
    Estate,
    Unit,
    in_year,
    money,
)
from putuo_community.services.demo.property import (
    EstatePlan,
    companies_and_managers,
    contracts,
    credit_events,
)
from putuo_community.services.demo.works import building_lifts, funds, issues, lift_projects, projects
from putuo_community.services.permissions import Permissions
from putuo_community.storage.bulk import WRITE_ORDER, BulkWriter
from putuo_community.storage.database import Database
from putuo_community.storage.schema import TABLES, change_batches, now

log = logging.getLogger(__name__)

DEMO_BATCH_KIND = "演示数据"
CHUNK_ROWS = 5000
PROGRESS_STEPS = 200  # at most this many progress calls, however many estates
PROFILE_YEAR = 2026  # the year the housing profiles describe
BUILDING_STILL_GOES_ON = 2020  # housing types still completed after this year
FRESH_SHARE = 0.02  # estates of the newer types delivered in the last two years or so
FORCED_FRESH_ESTATES = 4  # so that even a small demo shows every formation step


@dataclass(frozen=True)
class DemoSummary:
    """What a demo run wrote: rows per register key, and how long it took."""

    estates: int
    seed: int
    today: date
    counts: dict[str, int]
    elapsed_seconds: float

    @property
    def total_rows(self) -> int:
        return sum(self.counts.values())


def generate_demo(
    database: Database,
    *,
    estates: int = 1000,
    seed: int = 2026,
    today: date | None = None,
    replace: bool = False,
    progress: Callable[[int, int], None] | None = None,
    user: str = "演示数据",
    actor: Actor | None = None,
) -> DemoSummary:
    """Fill the database with `estates` demo estates in one transaction.

    Refuses a database that already holds records unless `replace`, which first deletes every
    register's records (the 10 街镇 stay). `actor`: the session asking (None: accounts off).
    """
    if actor is not None:
        Permissions(database, actor).require(Action.GENERATE_DEMO)
    if estates < 1:
        raise UserError("演示小区数量至少为 1 个。")
    today = today or date.today()
    started = clock.perf_counter()
    with database.transaction() as conn:
        _make_room(conn, replace=replace)
        writer = BulkWriter(conn, datetime.combine(today, time(9, 0)), chunk=CHUNK_ROWS)
        ctx = Context(rng=DemoRandom(seed), today=today, writer=writer)
        _generate(ctx, conn, estates, progress)
        writer.flush()
        writer.advance_sequences()
        conn.execute(
            insert(change_batches).values(
                started_at=now(),
                user=user[:64],
                kind=DEMO_BATCH_KIND,
                description=f"生成演示数据：{estates} 个小区，随机种子 {seed}，基准日期 {today.isoformat()}"
                + ("（替换原有数据）" if replace else ""),
            )
        )
    elapsed = clock.perf_counter() - started
    log.info("demo data: %d estates, seed %d, %d rows in %.1f s", estates, seed, sum(writer.counts.values()), elapsed)
    return DemoSummary(estates, seed, today, dict(writer.counts), elapsed)


def _make_room(conn: Connection, *, replace: bool) -> None:
    counts = {key: int(conn.scalar(select(func.count()).select_from(TABLES[key])) or 0) for key in WRITE_ORDER}
    present = {key: n for key, n in counts.items() if n}
    if not present:
        return
    if not replace:
        if counts["estates"]:
            held = f"数据库中已有 {counts['estates']} 个小区"
        else:
            held = "数据库中已有" + "、".join(f"{REGISTERS[k].label} {n} 条" for k, n in present.items())
        raise UserError(
            f"{held}，不能在现有数据上生成演示数据，以免与真实台账混在一起。"
            "如需用演示数据替换全部台账（街镇保留），请选择“替换现有数据”。"
        )
    for key in reversed(WRITE_ORDER):  # children first, so no reference is left dangling
        conn.execute(delete(TABLES[key]))
    conn.execute(delete(change_batches))


def _street_shares(estates: int) -> list[int]:
    """Estates per street by the streets' weights (largest remainder), in PUTUO_STREETS order."""
    weights = [names.STREET_PROFILES[s.short_name].weight for s in PUTUO_STREETS]
    total = sum(weights)
    exact = [estates * w / total for w in weights]
    shares = [int(x) for x in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: (shares[i] - exact[i], i))
    for i in by_remainder[: estates - sum(shares)]:
        shares[i] += 1
    return shares


def _plans(ctx: Context, estates: int) -> list[EstatePlan]:
    rng = ctx.rng
    plans: list[EstatePlan] = []
    for street, share in zip(PUTUO_STREETS, _street_shares(estates), strict=True):
        profile = names.STREET_PROFILES[street.short_name]
        for _ in range(share):
            housing_type = names.weighted(rng, profile.housing_mix)
            self_run = 12 if housing_type == "直管公房" else 6
            mode = rng.pick(("物业企业", "自管", "居委兜底"), (92, 2, self_run))
            plans.append(EstatePlan(len(plans), street.short_name, housing_type, mode))
    return plans


def _generate(ctx: Context, conn: Connection, estates: int, progress: Callable[[int, int], None] | None) -> None:
    rng, writer = ctx.rng, ctx.writer
    street_ids = {row.name: row.id for row in conn.execute(select(TABLES["streets"].c.name, TABLES["streets"].c.id))}
    ctx.contractors = tuple(names.works_company(rng, "contractor") for _ in range(30))
    ctx.supervisors = tuple(names.works_company(rng, "supervisor") for _ in range(15))
    ctx.maintainers = tuple(m for m, _ in names.LIFT_MAKES) + tuple(names.works_company(rng, "lift") for _ in range(12))
    neighbourhoods = {s.short_name: _neighbourhoods(ctx, street_ids[s.name], s.short_name) for s in PUTUO_STREETS}
    handlers = {
        s.short_name: tuple(names.person_name(rng, rng.random() < 0.4) for _ in range(6)) for s in PUTUO_STREETS
    }
    plans = _plans(ctx, estates)
    book = companies_and_managers(ctx, plans, estates)
    writer.checkpoint()
    street_id_by_short = {s.short_name: street_ids[s.name] for s in PUTUO_STREETS}
    taken: dict[str, set[str]] = {s.short_name: set() for s in PUTUO_STREETS}
    serials: dict[str, int] = dict.fromkeys(taken, 0)
    estate_ids: list[int] = []
    step = max(1, estates // PROGRESS_STEPS)
    if progress is not None:
        progress(0, estates)
    for plan in plans:
        serials[plan.street] += 1
        estate = _estate(
            ctx,
            plan,
            street_id_by_short[plan.street],
            neighbourhoods[plan.street],
            taken[plan.street],
            serials[plan.street],
        )
        estate_ids.append(estate.id)
        committee(ctx, estate)
        contracts(ctx, estate, estate.row["first_delivery_on"])
        projects(ctx, estate)
        lift_projects(ctx, estate)  # before the lifts: a finished 加装电梯 adds one
        building_lifts(ctx, estate)
        funds(ctx, estate)
        issues(ctx, estate, handlers[plan.street])
        writer.checkpoint()
        done = plan.index + 1
        if progress is not None and (done % step == 0 or done == estates):
            progress(done, estates)
    credit_events(ctx, book, estate_ids)


def _neighbourhoods(ctx: Context, street_id: int, short: str) -> list[tuple[str, int]]:
    """(name without 居委会, id) for the street's 8–25 居委会."""
    rng = ctx.rng
    profile = names.STREET_PROFILES[short]
    result = []
    count = min(25, max(8, round(profile.weight / 5) + rng.randint(-3, 3)))  # bigger streets, more 居委会
    for name in names.neighbourhood_names(rng, profile, count):
        road = rng.choice(profile.roads)
        row_id = ctx.writer.add(
            "neighbourhoods",
            {
                "street_id": street_id,
                "name": name,
                "address": f"{road}{names.lane_number(rng)}弄{rng.randint(1, 60)}号"
                if rng.random() < 0.6
                else f"{road}{rng.randint(1, 2000)}号",
                "phone": names.landline(rng) if rng.random() < 0.85 else None,
            },
        )
        result.append((name.removesuffix("居委会"), row_id))
    return result


def _floors(ctx: Context, profile: names.HousingProfile, year: int, housing_type: str) -> int:
    value = ctx.rng.pick(*profile.floor_choices)
    if housing_type in names.OLD_TYPES and year < 1985 and value > 6:
        return 6  # tall public housing came later
    return value


def _fresh_formation_due(ctx: Context, housing_type: str) -> date | None:
    """For a newly delivered estate, the day half its area was delivered (its 业主大会 falls due); else None.

    The first few are always new, far enough along that every formation step can show.
    """
    if housing_type in names.OLD_TYPES:
        return None
    rng = ctx.rng
    done = ctx.cycles.get("fresh", 0)
    ctx.cycles["fresh"] = done + 1
    if done < FORCED_FRESH_ESTATES:
        return ctx.days_ago(150, 400)
    if rng.random() < FRESH_SHARE:
        return ctx.days_ago(0, 800)
    return None


def _estate(
    ctx: Context, plan: EstatePlan, street_id: int, neighbourhoods: list[tuple[str, int]], taken: set[str], serial: int
) -> Estate:
    rng, today = ctx.rng, ctx.today
    profile = names.STREET_PROFILES[plan.street]
    housing = names.HOUSING_PROFILES[plan.housing_type]
    low, high, mode = housing.years
    if high >= BUILDING_STILL_GOES_ON:  # new estates keep coming: a later `today` has later ones
        high += max(0, today.year - PROFILE_YEAR)
    year = min(today.year - 1, int(rng.triangular(low, high + 1, mode)))
    if plan.street == "曹杨" and plan.housing_type == "售后公房" and rng.random() < 0.3:
        year = rng.randint(1952, 1960)  # the first workers' village
    fresh_due = _fresh_formation_due(ctx, plan.housing_type)
    if fresh_due is not None:  # newly delivered: its 业主大会 is being formed about now
        fresh_first = fresh_due - timedelta(days=rng.randint(90, 540))
        year = min(fresh_first.year, today.year - 1)
    single = rng.random() < 0.07
    naming = names.estate_name(rng, profile, plan.housing_type, single, taken)
    neighbourhood_id = next((nid for key, nid in neighbourhoods if key in naming.name), None)
    if neighbourhood_id is None or rng.random() < 0.3:
        neighbourhood_id = rng.choice(neighbourhoods)[1]
    first_delivery = None
    if fresh_due is not None:
        first_delivery = fresh_first
    elif plan.housing_type not in names.OLD_TYPES:
        first_delivery = in_year(ctx, year)
    elif year <= 2000 and rng.random() < 0.25:
        first_delivery = in_year(ctx, rng.randint(max(year, 1994), 2000))
    estate = Estate(
        plan.index,
        0,
        plan.street,
        naming.name,
        plan.housing_type,
        year,
        0,
        0,
        rng.randint(*housing.fee),
        plan.company_id,
        plan.manager_id,
        {},
    )
    estate.row = {
        "code": f"PT-{profile.code}-{serial:04d}",
        "name": naming.name,
        "street_id": street_id,
        "neighbourhood_id": neighbourhood_id if rng.random() < 0.96 else None,
        "address": naming.address if rng.random() < 0.95 else None,
        "boundaries": "东至{}，南至{}，西至{}，北至{}".format(*rng.sample(profile.roads, 4))
        if rng.random() < 0.6
        else None,
        "housing_type": plan.housing_type,
        "completion_year": year,
        "management_mode": plan.mode,
        "company_id": plan.company_id,
        "manager_id": plan.manager_id if rng.random() < 0.96 else None,
        "fee": money(estate.fee_cents),
        "has_assembly": False,
        "first_delivery_on": first_delivery,
        "half_delivered_on": fresh_due
        if fresh_due is not None
        else min(today, first_delivery + timedelta(days=rng.randint(30, 540)))
        if first_delivery is not None and plan.housing_type not in names.OLD_TYPES
        else None,
        "formation_report_on": None,
        "prep_group_on": None,
        "first_assembly_on": None,
        "agency_bookkeeping": None,
        "note": rng.choice(names.ESTATE_NOTES).format(place=rng.choice(profile.places)) if rng.random() < 0.1 else None,
    }
    estate.id = ctx.writer.add("estates", estate.row)
    _aliases(ctx, estate, naming.aliases, profile)
    _buildings(ctx, estate, housing, single, naming.address)
    row = estate.row
    row["building_count"] = len(estate.buildings)
    row["households"] = estate.households
    row["floor_area"] = money(estate.floor_area_cents)
    far = rng.uniform(1.0, 1.8) if max(b.floors for b in estate.buildings) <= 7 else rng.uniform(1.8, 3.5)
    row["land_area"] = money(int(estate.floor_area_cents / far)) if rng.random() < 0.85 else None
    row["office_area"] = (
        money(max(2000, int(estate.floor_area_cents * rng.uniform(0.002, 0.005)))) if rng.random() < 0.88 else None
    )
    return estate


def _aliases(ctx: Context, estate: Estate, aliases: tuple[str, ...], profile: names.StreetProfile) -> None:
    rng = ctx.rng
    written = {estate.name}
    extra = [(alias, "导入确认" if rng.random() < 0.5 else "手工") for alias in aliases]
    if rng.random() < 0.05:
        extra.append((f"{rng.choice(profile.places)}新村", "曾用名"))
    for alias, source in extra:
        if alias not in written:
            written.add(alias)
            ctx.writer.add("estate_aliases", {"estate_id": estate.id, "alias": alias, "source": source})


@dataclass(frozen=True)
class _Design:
    """A standard building of the estate: most estates repeat one to three designs."""

    floors: int
    unit_count: int
    per_floor: int  # households per floor in one 单元
    area: float  # ㎡ per household
    structure: str


def _design(ctx: Context, estate: Estate, housing: names.HousingProfile, single: bool, per_household: int) -> _Design:
    rng = ctx.rng
    year = estate.completion_year
    floors = rng.choice((8, 12, 14, 18, 24, 28)) if single else _floors(ctx, housing, year, estate.housing_type)
    if floors <= 7:
        unit_count = rng.choice((1, 2, 2, 2, 3, 3, 3, 4, 4, 5))
        per_floor = 2 if rng.random() < 0.7 else 3
    elif floors <= 18:
        unit_count = rng.choice((1, 2, 2, 3))
        per_floor = rng.choice((2, 4, 4, 6))
    else:
        unit_count = rng.choice((1, 1, 2))
        crowded = estate.housing_type in ("动迁安置房", "保障性住房")
        per_floor = rng.choice((4, 6, 8) if crowded else (2, 3, 4))
    area = min(140.0, max(45.0, per_household * rng.uniform(0.95, 1.05)))
    if year < 1960 and floors <= 3:
        structure = "砖木"
    elif floors <= 7 and year < 2000:
        structure = "砖混"
    else:
        structure = rng.choice(("钢混", "钢混", "框架"))
    return _Design(floors, unit_count, per_floor, area, structure)


def _buildings(ctx: Context, estate: Estate, housing: names.HousingProfile, single: bool, address: str) -> None:
    rng, add = ctx.rng, ctx.writer.add
    low, high, mode = housing.buildings
    count = 1 if single else max(2, int(rng.triangular(low, high + 1, mode)))
    style = rng.choice(("{}号", "{}号", "{}幢", "{}号楼"))
    per_household = rng.randint(*housing.area_per_household)
    designs = [_design(ctx, estate, housing, single, per_household) for _ in range(rng.choice((1, 1, 2, 2, 3)))]
    lane = address if address.endswith("弄") else ""
    latest_year = ctx.today.year - 1
    for n in range(1, count + 1):
        number = style.format(n)
        year = estate.completion_year
        if count > 3 and rng.random() < 0.1:
            year = min(latest_year, year + rng.randint(1, 3))  # a later phase
        design = rng.choice(designs)
        floors, unit_count = design.floors, design.unit_count
        unit_households = floors * design.per_floor
        households = unit_count * unit_households
        building_area = int(households * design.area * 100)
        row = {
            "estate_id": estate.id,
            "number": number,
            "address": f"{lane}{n}号" if lane else None,
            "floors": floors,
            "unit_count": unit_count,
            "households": households,
            "floor_area": money(building_area),
            "completion_year": year,
            "structure": design.structure,
            "has_lift": floors >= 7,
        }
        building = Building(add("buildings", row), number, floors, year, households, building_area, row)
        unit_area = int(unit_households * design.area * 92)  # 专有面积: 92 % of the floor area
        template = {
            "building_id": building.id,
            "number": "",
            "floors": floors,
            "households": unit_households,
            "exclusive_area": money(unit_area),
            "has_lift": floors >= 7,
        }
        units = building.units
        for u in range(1, unit_count + 1):
            unit_row = template.copy()
            unit_row["number"] = unit_number = f"{u}单元"
            units.append(Unit(add("units", unit_row), unit_number, floors, unit_households, unit_area, unit_row))
        estate.buildings.append(building)
        estate.households += households
        estate.floor_area_cents += building_area
