"""Demo property management: companies, project managers, service contracts, fee adjustments and credit events."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta

from putuo_community.domain.credit_code import CREDIT_CODE_ALPHABET, build_credit_code
from putuo_community.domain.dates import add_months, add_years
from putuo_community.services.demo import names
from putuo_community.services.demo.model import Context, Estate, money

COMPANIES_PER_ESTATE = 0.12  # about 120 companies for the district's 1,000 estates
MAX_ESTATES_PER_COMPANY = 40
WARNING_LEVELS = ("绿", "黄", "橙", "红")
# Where companies are registered (行政区划码 in the credit code) and a few roads there for their office.
REGISTRATION_DIVISIONS = ("310107", "310000", "310104", "310105", "310106", "310115")
DIVISION_WEIGHTS = (70, 8, 5, 6, 5, 6)
OFFICE_ROADS: dict[str, tuple[str, tuple[str, ...]]] = {
    "310107": (
        "普陀区",
        ("曹杨路", "武宁路", "金沙江路", "中山北路", "长寿路", "真北路", "铜川路", "同普路", "岚皋路"),
    ),
    "310104": ("徐汇区", ("漕溪北路", "宜山路", "虹漕路", "龙华中路")),
    "310105": ("长宁区", ("长宁路", "天山路", "遵义路", "愚园路")),
    "310106": ("静安区", ("共和新路", "延长中路", "江场三路", "康定路")),
    "310115": ("浦东新区", ("张杨路", "浦东南路", "锦绣路", "川沙路")),
}


@dataclass(slots=True)
class EstatePlan:
    """What is decided about an estate before companies are shared out."""

    index: int
    street: str
    housing_type: str
    mode: str
    company_id: int | None = None
    manager_id: int | None = None


@dataclass
class PropertyBook:
    """Who serves which estates, kept for the credit events written after all estates."""

    company_ids: list[int] = field(default_factory=list)
    company_estates: dict[int, list[int]] = field(default_factory=dict)  # company id -> plan indexes
    managers: dict[int, list[tuple[int, list[int]]]] = field(default_factory=dict)  # company -> (manager, plans)


def _office_address(ctx: Context, district: str, road: str) -> str:
    rng = ctx.rng
    return f"上海市{district}{road}{rng.randint(1, 2500)}号{rng.randint(1, 12)}{rng.randint(1, 30):02d}室"


def _company_sizes(ctx: Context, companies: int, estates: int) -> list[int]:
    """How many estates each company serves: 1 to 40, a few large ones, adding up to `estates`."""
    rng = ctx.rng
    sizes = [1 + int((MAX_ESTATES_PER_COMPANY - 1) * rng.random() ** 2.5) for _ in range(companies)]
    total = sum(sizes)
    while total < estates:
        i = rng.randrange(companies)
        if sizes[i] < MAX_ESTATES_PER_COMPANY:
            sizes[i] += 1
            total += 1
    while total > estates:
        i = rng.randrange(companies)
        if sizes[i] > 1:
            sizes[i] -= 1
            total -= 1
    return sizes


def _org_body(ctx: Context, taken: set[str]) -> str:
    rng = ctx.rng
    while True:
        if rng.random() < 0.55:  # registered after 2015: MA + registration-area letters
            body = "MA1" + "".join(rng.choice(CREDIT_CODE_ALPHABET) for _ in range(5))
        else:
            body = f"{rng.choice(('13', '63', '74', '75', '78', '79'))}{rng.randint(0, 999_999):06d}"
        if body not in taken:
            taken.add(body)
            return body


def companies_and_managers(ctx: Context, plans: list[EstatePlan], estate_count: int) -> PropertyBook:
    """Write the companies and their project managers; tell each served estate who serves it."""
    rng, writer = ctx.rng, ctx.writer
    served = [p for p in plans if p.mode == "物业企业"]
    count = min(len(served), max(4, round(estate_count * COMPANIES_PER_ESTATE)))
    count = max(count, math.ceil(len(served) / MAX_ESTATES_PER_COMPANY))
    book = PropertyBook()
    if count == 0:
        return book
    taken_names: set[str] = set()
    taken_bodies: set[str] = set()
    for _ in range(count):
        name = names.company_name(rng, taken_names)
        body = _org_body(ctx, taken_bodies)
        division = rng.pick(REGISTRATION_DIVISIONS, DIVISION_WEIGHTS)
        founded = (
            ctx.between(date(2016, 1, 1), add_years(ctx.today, -1))
            if body.startswith("MA")
            else ctx.between(date(1993, 1, 1), date(2015, 9, 30))
        )
        district, roads = OFFICE_ROADS.get(division) or OFFICE_ROADS["310107"]
        road = rng.choice(roads)
        company_id = writer.add(
            "companies",
            {
                "name": name,
                "credit_code": build_credit_code(org_body=body, division=division),
                "address": _office_address(ctx, district, road) if rng.random() < 0.85 else None,
                "legal_rep": names.person_name(rng, rng.random() < 0.75),
                "contact": names.person_name(rng, rng.random() < 0.5) if rng.random() < 0.9 else None,
                "contact_phone": names.landline(rng) if rng.random() < 0.6 else names.mobile(rng),
                "established_on": founded,
                "registered_capital": money(rng.choice((50, 100, 200, 300, 500, 500, 1000, 2000, 5000)) * 100),
                "note": rng.choice(("区属国有企业", "集团下属企业", "2024年度物业服务评价优秀", "原房管所转制"))
                if rng.random() < 0.12
                else None,
            },
        )
        book.company_ids.append(company_id)
    ctx.company_ids = tuple(book.company_ids)
    sizes = _company_sizes(ctx, count, len(served))
    order = list(range(count))
    rng.shuffle(order)
    position = 0
    certificate_serial = rng.randint(1000, 5000)
    for k in order:
        company_id = book.company_ids[k]
        block = served[position : position + sizes[k]]
        position += sizes[k]
        book.company_estates[company_id] = [p.index for p in block]
        groups = book.managers.setdefault(company_id, [])
        manager_names: set[str] = set()
        i = 0
        while i < len(block):
            take = rng.pick((1, 2, 3), (45, 35, 20))
            group = block[i : i + take]
            i += take
            male = rng.random() < 0.6
            name = names.person_name(rng, male)
            while name in manager_names:
                name = names.person_name(rng, male)
            manager_names.add(name)
            certificate_serial += rng.randint(1, 9)
            manager_id = writer.add(
                "managers",
                {
                    "company_id": company_id,
                    "name": name,
                    "id_number": names.id_number(rng, rng.randint(1965, 1996), male) if rng.random() < 0.85 else None,
                    "phone": names.mobile(rng),
                    "certificate_no": f"WYJL-{rng.randint(2012, ctx.today.year - 1)}-{certificate_serial:05d}"
                    if rng.random() < 0.9
                    else None,
                },
            )
            groups.append((manager_id, [p.index for p in group]))
            for plan in group:
                plan.company_id = company_id
                plan.manager_id = manager_id
    return book


# --- contracts -------------------------------------------------------------------

CONTRACT_STATES = ("有效", "90天内到期", "不定期", "到期未续", "临时")
CONTRACT_STATE_WEIGHTS = (81, 3, 11, 2, 3)
UNFILED_WITHIN_DAYS = 400  # contracts still not 网签备案 were signed this past year or so


def _file_dates(ctx: Context, start: date) -> tuple[date, date | None]:
    rng = ctx.rng
    signed = min(ctx.today, start - timedelta(days=rng.randint(5, 40)))
    roll = rng.random()
    filed: date | None
    if roll < 0.88:
        filed = signed + timedelta(days=rng.randint(3, 28))
    elif roll < 0.95 or signed < ctx.today - timedelta(days=UNFILED_WITHIN_DAYS):
        filed = signed + timedelta(days=rng.randint(31, 75))  # 网签备案 late
    else:
        filed = None
    if filed is not None and filed > ctx.today:
        filed = None
    return signed, filed


def contracts(ctx: Context, estate: Estate, first_delivery: date | None) -> None:
    """The current service contract of an estate served by a company, with 0–2 before it."""
    if estate.company_id is None:
        return
    rng, today = ctx.rng, ctx.today
    fee = estate.fee_cents
    young = estate.completion_year >= today.year - 5
    state = ctx.cycled("contract", CONTRACT_STATES, CONTRACT_STATE_WEIGHTS)
    open_ended = False
    note = None
    end: date | None
    if young and not estate.has_committee:
        kind = "前期物业服务"
        start = first_delivery or date(estate.completion_year, 6, 1)
        if rng.random() < 0.5:
            end = None
            note = "至业主大会选聘物业服务企业时止"
        else:
            end = add_years(start, rng.choice((2, 3))) - timedelta(days=1)
            open_ended = end < today
    elif state == "临时":
        kind = "临时物业服务"
        if ctx.cycled("temporary", ("超过6个月", "6个月内"), (35, 65)) == "超过6个月":
            start = ctx.days_ago(190, 320)  # its 6 months are up, and no company has been chosen
            end = add_months(start, 6) - timedelta(days=1)
            note = "临时物业服务已满6个月，仍在选聘物业企业，原临时服务企业继续服务"
        else:
            start = ctx.days_ago(10, 150)
            end = add_months(start, rng.choice((3, 6))) - timedelta(days=1)
            note = "原物业企业退出，街镇协调临时物业服务"
    else:
        kind = "物业服务"
        years = rng.choice((2, 3, 3, 5))
        if state == "有效":
            end = today + timedelta(days=rng.randint(91, years * 365 - 30))
        elif state == "90天内到期":
            end = today + timedelta(days=rng.randint(1, 90))
        elif state == "不定期":
            end = today - timedelta(days=rng.randint(1, 900))
            open_ended = True
            note = "合同期满未续签，原企业继续提供服务"
        else:
            end = today - timedelta(days=rng.randint(1, 200))
            note = rng.choice(("续签中", "待业主大会表决续聘", None))
        start = add_years(end + timedelta(days=1), -years)
    signed, filed = _file_dates(ctx, start)
    notice = None
    if open_ended and ctx.cycled("open_ended_notice", ("告知退出", "继续服务"), (10, 90)) == "告知退出":
        after_end = (end or today) + timedelta(days=1)
        notice = ctx.between(min(today, max(after_end, today - timedelta(days=75))), today)  # leaves 60 days on
        note = "合同期满后不定期服务，企业已书面告知60日后退出"
    elif end is not None and today < end <= today + timedelta(days=90) and rng.random() < 0.3:
        notice = end - timedelta(days=rng.choice((rng.randint(90, 120), rng.randint(30, 89))))
        notice = notice if notice <= today else None
    # 协商调价: mostly agreed (the estate's fee is the new one), sometimes voted down (a rise proposed on it).
    adjusted = kind == "物业服务" and start <= add_years(today, -1) and rng.random() < 0.12
    passed = rng.random() < 0.88
    step = rng.choice((10, 15, 20, 30, 50))
    lowest = names.HOUSING_PROFILES[estate.housing_type].fee[0]
    old_fee, new_fee = (max(lowest, fee - step), fee) if passed else (fee, fee + step)
    adjusted = adjusted and old_fee < new_fee
    contract_id = ctx.writer.add(
        "contracts",
        {
            "estate_id": estate.id,
            "company_id": estate.company_id,
            "kind": kind,
            "pricing": "包干制" if rng.random() < 0.85 else "酬金制",
            "signed_on": signed,
            "start_on": start,
            "end_on": end,
            "open_ended": open_ended,
            "filed_on": filed,
            "fee": money(fee),
            "notice_on": notice,
            "terminated_on": None,
            "note": note,
        },
    )
    if adjusted:
        ctx.writer.add(
            "fee_adjustments",
            {
                "contract_id": contract_id,
                "effective_on": ctx.between(start + timedelta(days=180), today + timedelta(days=60)),
                "old_fee": money(old_fee),
                "new_fee": money(new_fee),
                "method": rng.pick(("协商调价", "业主大会表决", "政府指导价调整"), (50, 40, 10)),
                "vote_passed": passed,
                "note": None if passed else "业主大会表决未通过，维持原标准",
            },
        )
    _previous_contracts(ctx, estate, start, fee)


def _previous_contracts(ctx: Context, estate: Estate, later_start: date, fee: int) -> None:
    rng = ctx.rng
    for _ in range(rng.pick((0, 1, 2), (40, 40, 20))):
        end = later_start - timedelta(days=1)
        start = add_years(later_start, -rng.choice((2, 3, 5)))
        if start.year < max(estate.completion_year, 1995):
            return
        same = rng.random() < 0.7 or len(ctx.company_ids) < 2
        company_id = estate.company_id if same else rng.choice(ctx.company_ids)
        if company_id == estate.company_id and not same:
            same = True
        fee = max(30, round(fee * rng.uniform(0.75, 0.95)))
        signed, filed = _file_dates(ctx, start)
        ctx.writer.add(
            "contracts",
            {
                "estate_id": estate.id,
                "company_id": company_id,
                "kind": "物业服务" if start.year > estate.completion_year + 2 else "前期物业服务",
                "pricing": "包干制" if rng.random() < 0.85 else "酬金制",
                "signed_on": signed,
                "start_on": start,
                "end_on": end,
                "open_ended": False,
                "filed_on": filed,
                "fee": money(fee),
                "notice_on": None if same else end - timedelta(days=rng.randint(90, 150)),
                "terminated_on": None if same else end,
                "note": None if same else rng.choice(("业主大会决定不再续聘", "企业到期退出", "合同到期，选聘新企业")),
            },
        )
        later_start = start


# --- credit events --------------------------------------------------------------------

SOURCES = (("巡查", 35), ("投诉", 30), ("处罚决定书", 12), ("街镇建议", 15), ("媒体曝光", 5), ("其他", 3))
BAND_POINTS = {"特别严重": 18, "较严重": 6, "轻微": 3}


def credit_events(ctx: Context, book: PropertyBook, estate_ids: list[int]) -> None:
    """Events for every company so that each warning level (绿, 黄, 橙, 红) occurs, active and expired."""
    rng = ctx.rng
    red_objections = 0
    for position, company_id in enumerate(book.company_ids):
        level = (
            WARNING_LEVELS[position] if position < len(WARNING_LEVELS) else rng.pick(WARNING_LEVELS, (45, 27, 16, 12))
        )
        managers = book.managers.get(company_id, [])
        for band, days_ago in _level_events(ctx, level):
            _credit_event(ctx, company_id, managers, estate_ids, band, days_ago)
        # History that no longer counts: expired scores, upheld objections, corrections, commendations.
        for _ in range(rng.pick((0, 1, 2, 3), (40, 30, 20, 10))):
            _credit_event(
                ctx,
                company_id,
                managers,
                estate_ids,
                rng.pick(("较严重", "轻微", "特别严重"), (40, 55, 5)),
                rng.randint(380, 1000),
            )
        if ctx.cycled("objection upheld", ("撤销", ""), (8, 92)):  # the first company's, then 8 %
            _credit_event(ctx, company_id, managers, estate_ids, "轻微", rng.randint(20, 300), objection="撤销")
        if rng.random() < 0.08:
            _credit_event(ctx, company_id, managers, estate_ids, "轻微", rng.randint(60, 300), corrected=True)
        if rng.random() < 0.2:
            _credit_event(ctx, company_id, managers, estate_ids, "业绩", rng.randint(10, 700))
        if level == "红":
            # Company-level acts (no one 小区) under objection; the warning level stays red either way.
            for objection in ("已受理", "已提出") if not red_objections else ("已受理",) if rng.random() < 0.1 else ():
                red_objections += 1
                _credit_event(ctx, company_id, [], [], "轻微", rng.randint(8, 30), objection=objection)


def _level_events(ctx: Context, level: str) -> list[tuple[str, int]]:
    """Active events (band, days since scoring) that put a company at `level`."""
    rng = ctx.rng
    if level == "绿":
        return []
    if level == "黄":
        if rng.random() < 0.6:
            return [("轻微", rng.randint(5, 360)) for _ in range(rng.randint(1, 3))]
        return [("较严重", rng.randint(100, 360))]
    if level == "橙":
        if rng.random() < 0.5:
            return [("较严重", rng.randint(5, 85))] + [("轻微", rng.randint(5, 360))] * rng.randint(0, 1)
        return [("较严重", rng.randint(100, 360)), ("较严重", rng.randint(100, 360))]
    if rng.random() < 0.7:
        return [("特别严重", rng.randint(5, 360))]
    return [("较严重", rng.randint(100, 360)) for _ in range(3)]


def _credit_event(
    ctx: Context,
    company_id: int,
    managers: list[tuple[int, list[int]]],
    estate_ids: list[int],
    band: str,
    days_ago: int,
    *,
    objection: str = "",
    corrected: bool = False,
) -> None:
    rng, today = ctx.rng, ctx.today
    scored = today - timedelta(days=days_ago)
    discovered = scored - timedelta(days=rng.randint(3, 40))
    act = discovered - timedelta(days=rng.randint(0, 120))
    manager_id = None
    estate_id = None
    if managers:
        manager_id, plan_indexes = rng.choice(managers)
        estate_id = estate_ids[rng.choice(plan_indexes)]
    on_manager = band != "业绩" and manager_id is not None and rng.random() < 0.3
    source = names.weighted(rng, SOURCES)
    if not objection:
        active = days_ago <= 365
        objection = (
            ctx.cycled("objection", ("已受理", "已提出", "维持", "无"), (5, 2, 5, 88))
            if active and band != "业绩"
            else "无"
        )
    # An objection's days in order (提出 ≤ 受理 ≤ 决定 ≤ today), as the entry rules want them.
    objection_filed = objection_accepted = objection_decided = None
    if objection == "已提出":
        objection_filed = max(today - timedelta(days=rng.randint(0, 3)), scored)
    elif objection == "已受理":
        objection_accepted = max(today - timedelta(days=rng.randint(1, 18)), scored)
        objection_filed = max(objection_accepted - timedelta(days=rng.randint(0, 3)), scored)
    elif objection in ("撤销", "维持"):
        objection_filed = min(scored + timedelta(days=rng.randint(2, 10)), today)
        objection_accepted = min(objection_filed + timedelta(days=rng.randint(0, 3)), today)
        objection_decided = min(objection_accepted + timedelta(days=rng.randint(5, 20)), today)
    corrected_on = None
    if corrected and band in ("轻微", "较严重"):
        earliest = add_months(scored, 1 if band == "轻微" else 3)
        corrected_on = ctx.between(earliest, today) if earliest <= today else None
    ctx.writer.add(
        "credit_events",
        {
            "subject": "项目经理" if on_manager else "企业",
            "company_id": company_id,
            "manager_id": manager_id if on_manager else None,
            "estate_id": estate_id if rng.random() < 0.9 else None,
            "band": band,
            "points": BAND_POINTS.get(band, rng.choice((2, 3, 5))),
            "act_on": act,
            "discovered_on": discovered if rng.random() < 0.9 else None,
            "scored_on": scored,
            "source": source,
            "description": rng.choice(names.CREDIT_DESCRIPTIONS[band]),
            "document_no": f"普房管罚〔{scored.year}〕第{rng.randint(1, 300):03d}号"
            if source == "处罚决定书"
            else None,
            "objection": objection,
            "objection_filed_on": objection_filed,
            "objection_accepted_on": objection_accepted,
            "objection_decided_on": objection_decided,
            "corrected_on": corrected_on,
        },
    )
