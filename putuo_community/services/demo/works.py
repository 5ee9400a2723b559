"""Demo works and money: renovation projects, lifts, 加装电梯, the repair fund, complaints and hazards."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

from putuo_community.domain.dates import add_years
from putuo_community.domain.lifts import ASSESSMENT_AGE_YEARS, PRICE_AUDIT_ABOVE_YUAN, lift_addition_subsidy
from putuo_community.domain.registers.records import ISSUE_CATEGORIES
from putuo_community.domain.registers.works import LIFT_PROJECT_STAGES, PROJECT_STAGES
from putuo_community.services.demo import names
from putuo_community.services.demo.model import Building, Context, Estate, Unit, money
from putuo_community.services.demo.names import OLD_TYPES
from putuo_community.storage.bulk import Row

# --- renovation -------------------------------------------------------------------

PROJECT_STAGE_WEIGHTS = (4, 4, 4, 6, 6, 6, 6, 16, 14, 14, 20)
PROJECT_NOTES = ("含屋面防水、外墙修缮、雨污分流", "含非机动车棚改造", "居民意见征询两轮后通过", "含楼道综合整治")
# Days from 申报 to entering each stage.
PROJECT_STAGE_DAYS = (0, 30, 60, 100, 140, 180, 220, 250, 480, 600, 700)
# Cost per ㎡ of floor area, in 元, and the shares paid by city, district, repair fund and owners.
PROJECT_KINDS: dict[str, tuple[tuple[int, int], tuple[int, int, int, int]]] = {
    "综合修缮": ((700, 1500), (45, 55, 0, 0)),
    "成套改造": ((4500, 8000), (40, 45, 0, 15)),
    "美丽家园": ((150, 450), (0, 85, 15, 0)),
    "专项提升": ((80, 300), (0, 60, 40, 0)),
}


def _project_kinds(ctx: Context, estate: Estate) -> list[str]:
    rng = ctx.rng
    old = estate.housing_type in OLD_TYPES or (estate.housing_type == "混合" and estate.completion_year < 2000)
    chances = (
        (
            ("综合修缮", 0.35),
            ("美丽家园", 0.25),
            ("专项提升", 0.15),
            ("成套改造", 0.08 if estate.housing_type == "直管公房" else 0.02),
        )
        if old
        else (("专项提升", 0.10), ("美丽家园", 0.05))
    )
    return [kind for kind, chance in chances if rng.random() < chance]


def projects(ctx: Context, estate: Estate) -> None:
    rng, today = ctx.rng, ctx.today
    for kind in _project_kinds(ctx, estate):
        stage_index = PROJECT_STAGES.index(ctx.cycled("project_stage", PROJECT_STAGES, PROJECT_STAGE_WEIGHTS))
        # Later stages belong to earlier batches; batches run from 7 years ago to this year.
        low, high = ((0, 0), (0, 0), (0, 0), (0, 1), (0, 1), (0, 1), (1, 2), (1, 2), (1, 3), (2, 5), (3, 7))[
            stage_index
        ]
        batch_year = today.year - rng.randint(low, high)
        applied = date(batch_year - 1, rng.randint(9, 12), rng.randint(1, 28))
        if applied > today:
            applied = today - timedelta(days=rng.randint(5, 30))
        entered = [min(today, applied + timedelta(days=d + rng.randint(0, 20))) for d in PROJECT_STAGE_DAYS]
        for i in range(1, len(entered)):
            entered[i] = max(entered[i], entered[i - 1])
        count = max(1, round(len(estate.buildings) * rng.uniform(0.4, 1.0)))
        first = rng.randint(0, len(estate.buildings) - count)
        chosen = estate.buildings[first : first + count]
        area_cents = sum(b.floor_area_cents for b in chosen)
        households = sum(b.households for b in chosen)
        rate, shares = PROJECT_KINDS[kind]
        budget_wan = area_cents * rng.randint(*rate) // 10_000  # 0.01 ㎡ × 元/㎡ → 0.01 万元
        funding = _funding(budget_wan, shares)
        started = entered[7] if stage_index >= 7 else None
        completed = entered[8] if stage_index >= 8 else None
        contractor = rng.choice(ctx.contractors) if stage_index >= 6 else None
        buildings_text = (
            "全部"
            if count == len(estate.buildings)
            else f"{chosen[0].number}—{chosen[-1].number}"
            if count > 1
            else chosen[0].number
        )
        ctx.writer.add(
            "projects",
            project := {
                "estate_id": estate.id,
                "name": f"{estate.name}{batch_year}年度{'旧住房' if kind == '综合修缮' else ''}{kind}工程",
                "kind": kind,
                "batch_year": batch_year,
                "buildings": buildings_text,
                "floor_area": money(area_cents),
                "households": households,
                "budget": money(budget_wan),
                "final_cost": money(round(budget_wan * rng.uniform(0.88, 1.03))) if stage_index >= 9 else None,
                "city_funding": money(funding[0]) if shares[0] else None,
                "district_funding": money(funding[1]) if shares[1] else None,
                "fund_funding": money(funding[2]) if shares[2] else None,
                "owner_funding": money(funding[3]) if shares[3] else None,
                "stage": PROJECT_STAGES[stage_index],
                "stage_on": entered[stage_index],
                "applied_on": applied,
                "started_on": started,
                "completed_on": completed,
                "consent_rate": money(rng.randint(8000 if kind == "成套改造" else 6700, 10000))
                if stage_index >= 3
                else None,
                "signing_rate": money(rng.randint(9500 if stage_index >= 5 else 8000, 10000))
                if kind == "成套改造" and stage_index >= 3
                else None,
                "agree_households": None,  # the tallies behind the rates: `_add_tallies`
                "signed_households": None,
                "satisfaction_rate": money(rng.randint(8500, 9900)) if stage_index == 10 else None,
                "contractor": contractor,
                "supervisor": rng.choice(ctx.supervisors) if contractor else None,
                "note": rng.choice(PROJECT_NOTES) if rng.random() < 0.3 else None,
            },
        )
        _add_tallies(project)


def _add_tallies(project: Row) -> None:
    """The households counted behind the consent and signing rates (rounded up: a rate is never overstated)."""
    for rate_key, count_key in (("consent_rate", "agree_households"), ("signing_rate", "signed_households")):
        rate = project[rate_key]
        if rate is not None:
            project[count_key] = math.ceil(project["households"] * rate / 100)


def _funding(total: int, shares: tuple[int, int, int, int]) -> list[int]:
    """Split `total` by percentage shares so the parts add up to it exactly."""
    parts = [total * share // 100 for share in shares]
    last = max(i for i, share in enumerate(shares) if share)
    parts[last] += total - sum(parts)
    return parts


# --- lifts --------------------------------------------------------------------------

RISK_CLASSES = ("无", "Ⅱ类", "Ⅰ类")
RISK_WEIGHTS = (70, 24, 6)
ACTION_STATES = ("未启动", "实施中", "已完成")
MONITORING_FROM = date(2018, 1, 1)  # remote monitoring was fitted from 2018 on
MONITORING_DRIVE = (date(2024, 1, 1), date(2028, 1, 1))  # the push to fit every lift by the end of 2027
ASSESSMENT_LOOKAHEAD_DAYS = 120  # lifts turning 15 this soon may be assessed already
ASSESSED_OLD_SHARE = 0.993  # lifts 15 years old for over a year that have been assessed
PRICE_AUDIT_CENTS = int(PRICE_AUDIT_ABOVE_YUAN) * 100


def _registration_code(ctx: Context, year: int) -> str:
    serial = ctx.lift_serials.get(year, ctx.rng.randint(100, 900)) + ctx.rng.randint(1, 40)
    ctx.lift_serials[year] = serial
    return f"3110310107{year:04d}{serial:06d}"


@dataclass(frozen=True)
class LiftBatch:
    """What the lifts of one building share: bought, registered and looked after together."""

    make: str
    models: tuple[str, ...]
    first_use: date
    maintainer: str
    monitoring_on: date | None
    insured: bool
    inspected_on: date
    assessed_on: date | None  # the building's lifts are assessed together, once 15 years old
    note: str | None


def _monitored_share(today: date) -> float:
    """Remote monitoring spreads towards every lift by the end of 2027: about 78 % in 2024, 97 % by 2028."""
    done = (today - MONITORING_DRIVE[0]).days / (MONITORING_DRIVE[1] - MONITORING_DRIVE[0]).days
    return 0.78 + 0.19 * min(1.0, max(0.0, done))


def _assessment(ctx: Context, due: date) -> date | None:
    """The building's 安全评估: nearly always done once 15 years old, sometimes in the year before;
    the few missing are mostly lifts that turned 15 this past year."""
    rng, today = ctx.rng, ctx.today
    year_before = add_years(due, -1) + timedelta(days=1)  # an assessment from here on counts
    if due > today + timedelta(days=ASSESSMENT_LOOKAHEAD_DAYS):
        return None
    if due > today:  # turns 15 within the next months: some assessed ahead
        return ctx.between(year_before, today) if rng.random() < 0.5 else None
    roll = rng.random()
    if due > today - timedelta(days=365):  # turned 15 this past year
        if roll < 0.25:
            return ctx.between(year_before, due - timedelta(days=1))
        return ctx.between(due, today) if roll < 0.93 else None
    if roll < ASSESSED_OLD_SHARE:
        if due > today - timedelta(days=730) and roll < 0.2:
            return ctx.between(year_before, due - timedelta(days=1))
        return ctx.between(due, min(today, due + timedelta(days=300)))
    return None  # never assessed: a backlog item


def lift_batch(ctx: Context, first_use: date, maintainer: str, note: str | None) -> LiftBatch:
    rng, today = ctx.rng, ctx.today
    make, models = rng.choice(names.LIFT_MAKES)
    monitored = rng.random() < _monitored_share(today)
    monitoring = ctx.between(max(first_use, MONITORING_FROM), today) if monitored else None
    inspected = max(first_use, today - timedelta(days=rng.randint(0, 420)))  # some past the yearly inspection
    assessed = _assessment(ctx, add_years(first_use, ASSESSMENT_AGE_YEARS))
    return LiftBatch(make, models, first_use, maintainer, monitoring, rng.random() < 0.85, inspected, assessed, note)


def _risk(ctx: Context, assessed: date) -> tuple[str, str, int | None, str | None, date | None, date | None]:
    """(risk class, action, cost in cents, action status, 风险防控方案 date, 审价 date) after an assessment."""
    rng, today = ctx.rng, ctx.today
    risk = rng.pick(RISK_CLASSES, RISK_WEIGHTS)
    if risk == "无":
        return risk, "无", None, None, None, None
    recent = assessed > today - timedelta(days=365)
    if risk == "Ⅰ类":
        action = rng.choice(("重大修理", "改造", "更新"))
        cost = rng.randint(60_000, 480_000) * 100
    else:
        action = "一般修理"
        cost = rng.randint(8_000, 80_000) * 100
    status = rng.pick(ACTION_STATES, (20, 35, 45) if recent else (0, 2, 98))
    plan = None
    if risk == "Ⅱ类":
        roll = rng.random()
        if roll < 0.94 or not recent:  # the few without a plan were assessed this past year
            plan = assessed + timedelta(days=rng.randint(3, 28) if roll < 0.9 else rng.randint(31, 75))
            plan = plan if plan <= today else None
    audit = None
    if cost > PRICE_AUDIT_CENTS and status != "未启动":
        share = 0.97 if status == "已完成" else 0.6
        if rng.random() < share or not recent:
            audit = ctx.between(min(today, assessed + timedelta(days=30)), today)
    return risk, action, cost, status, plan, audit


def lift(ctx: Context, estate: Estate, building: Building, unit: Unit, batch: LiftBatch) -> None:
    rng = ctx.rng
    first_use = batch.first_use
    assessed = batch.assessed_on
    risk = action = action_status = None
    cost = None
    plan = price_audit = None
    if assessed is not None:
        risk, action, cost, action_status, plan, price_audit = _risk(ctx, assessed)
    year = first_use.year
    ctx.writer.add(
        "lifts",
        {
            "estate_id": estate.id,
            "building_id": building.id,
            "unit_id": unit.id,
            "registration_code": _registration_code(ctx, year),
            "use_cert_no": f"梯11沪G{rng.randint(0, 99_999):05d}({year % 100:02d})" if rng.random() < 0.85 else None,
            "make": batch.make,
            "model": rng.choice(batch.models),
            "stops": unit.floors,
            "first_use_on": first_use,
            "maintainer": batch.maintainer,
            "last_inspection_on": batch.inspected_on,
            "remote_monitoring": batch.monitoring_on is not None,
            "monitoring_on": batch.monitoring_on,
            "insured": batch.insured,
            "assessed_on": assessed,
            "risk_class": risk,
            "risk_plan_on": plan,
            "action": action,
            "action_cost": money(cost) if cost else None,
            "price_audit_on": price_audit,
            "action_status": action_status,
            "note": batch.note,
        },
    )


def building_lifts(ctx: Context, estate: Estate) -> None:
    """Lifts in every stairwell of buildings of 7 floors or more; one maintainer for the estate."""
    rng, today = ctx.rng, ctx.today
    maintainer = rng.choice(ctx.maintainers)
    for building in estate.buildings:
        if building.floors < 7:
            continue
        note = None
        if building.completion_year < 1990:
            year = rng.randint(1990, 2012)
            note = "原电梯已整梯更新"
        else:
            year = building.completion_year
        batch = lift_batch(ctx, min(today, date(year, rng.randint(1, 12), rng.randint(1, 28))), maintainer, note)
        per_unit = 2 if building.floors >= 19 and rng.random() < 0.6 else 1
        for unit in building.units:
            for _ in range(per_unit):
                lift(ctx, estate, building, unit, batch)


# --- 加装电梯 ----------------------------------------------------------------------

LIFT_PROJECT_STAGE_WEIGHTS = (10, 18, 10, 8, 8, 8, 10, 6, 22)
LIFT_PROJECT_STAGE_DAYS = (0, 60, 120, 170, 220, 260, 320, 470, 500)


def lift_projects(ctx: Context, estate: Estate) -> None:
    """加装电梯 in walk-up 单元 of old estates, at every stage, with the unit's vote tally."""
    rng = ctx.rng
    if estate.completion_year > 2005 or rng.random() > 0.3:
        return
    walk_ups = [(b, u) for b in estate.buildings if 4 <= b.floors <= 6 for u in b.units]
    if not walk_ups:
        return
    for building, unit in rng.sample(walk_ups, min(len(walk_ups), rng.choice((1, 1, 2, 3)))):
        _lift_project(ctx, estate, building, unit)


def _owner_areas(ctx: Context, unit: Unit) -> list[int]:
    """Each owner's 专有面积 (0.01 ㎡), adding up to the unit's."""
    rng = ctx.rng
    weights = [rng.uniform(0.8, 1.2) for _ in range(unit.households)]
    scale = unit.area_cents / sum(weights)
    areas = [int(w * scale) for w in weights]
    areas[-1] += unit.area_cents - sum(areas)
    return areas


def _passes(owners: int, total_area: int, voting: int, voting_area: int, agreeing: int, agree_area: int) -> bool:
    """The 加装电梯 rule in whole numbers: ≥ 2/3 take part and ≥ 3/4 of them agree, by owners and by area."""
    return (
        3 * voting >= 2 * owners
        and 3 * voting_area >= 2 * total_area
        and 4 * agreeing >= 3 * voting
        and 4 * agree_area >= 3 * voting_area
    )


def _tally(ctx: Context, unit: Unit, passing: bool) -> tuple[int, int, int, int]:
    """(voting owners, voting area, agreeing owners, agreeing area) that pass 2/3 + 3/4, or fail it."""
    rng = ctx.rng
    areas = _owner_areas(ctx, unit)
    total = sum(areas)
    owners = unit.households
    for _ in range(30):
        order = list(range(owners))
        rng.shuffle(order)
        voting = rng.randint(-(-2 * owners // 3), owners) if passing else rng.randint(owners // 2, owners)
        agreeing = rng.randint(-(-3 * voting // 4), voting) if passing else rng.randint(voting // 2, voting)
        voters = order[:voting]
        voting_area = sum(areas[i] for i in voters)
        agree_area = sum(areas[i] for i in voters[:agreeing])
        if _passes(owners, total, voting, voting_area, agreeing, agree_area) == passing:
            return voting, voting_area, agreeing, agree_area
    if passing:
        return owners, total, owners, total  # everyone agreed
    half = owners // 2  # too few took part
    return half, sum(areas[:half]), half, sum(areas[:half])


def _lift_project(ctx: Context, estate: Estate, building: Building, unit: Unit) -> None:
    rng, today = ctx.rng, ctx.today
    stage = ctx.cycled("lift_project_stage", LIFT_PROJECT_STAGES, LIFT_PROJECT_STAGE_WEIGHTS)
    index = LIFT_PROJECT_STAGES.index(stage)
    start = today - timedelta(days=LIFT_PROJECT_STAGE_DAYS[index] + rng.randint(10, 400))
    entered = [min(today, start + timedelta(days=d + rng.randint(0, 15))) for d in LIFT_PROJECT_STAGE_DAYS]
    for i in range(1, len(entered)):
        entered[i] = max(entered[i], entered[i - 1])
    votes: tuple[int, int, int, int] | None = None
    note = None
    if index >= 1:
        passing = index >= 2 or rng.random() < 0.5
        votes = _tally(ctx, unit, passing)
        if not passing:
            note = rng.choice(("低层住户反对，同意比例未达到3/4", "参与表决比例不足2/3，继续征询"))
    cost = rng.randint(6_000, 11_000) * 10_000 if index >= 2 else None  # 元 in cents, 600k–1.1M
    completed = entered[7] if index >= 7 else None
    ctx.writer.add(
        "lift_projects",
        {
            "estate_id": estate.id,
            "building_id": building.id,
            "unit_id": unit.id,
            "stage": stage,
            "stage_on": entered[index],
            "households": unit.households,
            "total_area": money(unit.area_cents),
            "voting_owners": votes[0] if votes else None,
            "voting_area": money(votes[1]) if votes else None,
            "agree_owners": votes[2] if votes else None,
            "agree_area": money(votes[3]) if votes else None,
            "construction_cost": money(cost) if cost else None,
            "subsidy": lift_addition_subsidy(money(cost)) if cost else None,
            "contractor": rng.choice(ctx.contractors) if index >= 5 else None,
            "started_on": entered[6] if index >= 6 else None,
            "completed_on": completed,
            "remote_monitoring": True if index >= 7 else None,
            "note": note,
        },
    )
    if stage == "使用登记" and completed is not None:
        unit.row["has_lift"] = True
        building.row["has_lift"] = True
        first_use = min(today, completed + timedelta(days=rng.randint(10, 40)))
        lift(ctx, estate, building, unit, lift_batch(ctx, first_use, rng.choice(ctx.maintainers), "加装电梯"))


# --- repair fund ----------------------------------------------------------------------


def funds(ctx: Context, estate: Estate) -> None:
    """1–4 half-yearly snapshots; the latest below, at or above 30 % of the initial amount."""
    rng, today = ctx.rng, ctx.today
    if estate.housing_type == "直管公房":
        return  # public rented housing has no owners' fund
    profile = names.HOUSING_PROFILES[estate.housing_type]
    initial = estate.floor_area_cents * rng.randint(*profile.fund_rate) // 1000 * 10  # whole 10 元, in cents
    roll = rng.random()
    if roll < 0.03:
        latest = initial * 3 // 10  # exactly 30 %
    elif roll < 0.075:
        latest = initial * rng.randint(5, 29) // 100
    else:
        latest = initial * rng.randint(31, 150) // 100 + rng.randint(0, 99)
    as_of = date(today.year, 6, 30) if today >= date(today.year, 7, 1) else date(today.year - 1, 12, 31)
    snapshots = rng.choice((1, 2, 2, 3, 4))
    balance = latest
    below = latest * 10 < initial * 3
    for number in range(snapshots):
        newest = number == 0
        expense = rng.randint(0, initial // 12) if rng.random() < 0.6 else 0
        income = balance // 200 + rng.randint(0, 2_000_00)
        earlier = max(0, balance - income + expense)
        published = _published(ctx, as_of, newest=newest)
        ctx.writer.add(
            "funds",
            {
                "estate_id": estate.id,
                "as_of": as_of,
                "initial_amount": money(initial),
                "balance": money(balance),
                "income": money(income),
                "expense": money(expense),
                "published_on": published,
                "topup_started_on": ctx.between(as_of, today) if newest and below and rng.random() < 0.4 else None,
                "note": "余额低于首期30%，需续筹" if newest and below and rng.random() < 0.5 else None,
            },
        )
        balance = earlier
        as_of = date(as_of.year, 6, 30) if as_of.month == 12 else date(as_of.year - 1, 12, 31)


def _published(ctx: Context, as_of: date, *, newest: bool) -> date | None:
    """When the accounts to `as_of` were published: in January or July mostly, a few late or not at all."""
    rng = ctx.rng
    roll = rng.random()
    if roll < 0.92:
        published: date | None = as_of + timedelta(days=rng.randint(5, 31))  # by 31 January or 31 July
    elif roll < 0.975 or not newest:
        published = as_of + timedelta(days=rng.randint(33, 75))  # late
    else:
        published = None
    return published if published is not None and published <= ctx.today else None


# --- complaints and hazards ---------------------------------------------------------------


def issues(ctx: Context, estate: Estate, handlers: tuple[str, ...]) -> None:
    rng, today = ctx.rng, ctx.today
    seen: set[tuple[str, date, str]] = set()
    for _ in range(rng.pick((0, 1, 2, 3, 4), (30, 30, 20, 12, 8))):
        kind = "投诉" if rng.random() < 0.7 else "隐患"
        category = rng.choice(ISSUE_CATEGORIES)
        description = rng.choice(names.ISSUE_TEXTS[category])
        reported = ctx.days_ago(0, 540)
        if (kind, reported, description) in seen:
            continue
        seen.add((kind, reported, description))
        age = (today - reported).days
        status = (
            rng.pick(("已办结", "处理中", "待处理"), (85, 10, 5))
            if age > 60
            else rng.pick(("已办结", "处理中", "待处理"), (40, 35, 25))
        )
        due = reported + timedelta(days=15 if kind == "投诉" else 30)
        closed = min(today, reported + timedelta(days=rng.randint(1, 40))) if status == "已办结" else None
        ctx.writer.add(
            "estate_issues",
            {
                "estate_id": estate.id,
                "kind": kind,
                "reported_on": reported,
                "source": (
                    rng.pick(("12345热线", "来访", "居委上报", "其他"), (70, 15, 10, 5))
                    if kind == "投诉"
                    else rng.choice(("巡查", "物业上报", "居委上报"))
                ),
                "category": category,
                "description": f"{estate.name}{description}" if rng.random() < 0.3 else description,
                "status": status,
                "due_on": due,
                "closed_on": closed,
                "handler": rng.choice(handlers) if rng.random() < 0.8 else None,
            },
        )
