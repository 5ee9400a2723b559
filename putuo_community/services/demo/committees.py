"""Demo 业主大会 / 业委会: terms in every state, their members, the 换届 steps taken or missed, and activities."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from putuo_community.domain.committee import SMALL_ESTATE_AREA
from putuo_community.domain.dates import add_months, add_years
from putuo_community.domain.registers.votes import VOTE_COLUMNS
from putuo_community.services.demo import names
from putuo_community.services.demo.model import Context, Estate
from putuo_community.storage.bulk import Row

COMMITTEE_STATES = ("无业主大会", "筹备中", "任期内", "即将届满", "届满未换届")
COMMITTEE_STATE_WEIGHTS = (8, 5, 63, 16, 8)
# The vote fields of terms and activities, left blank (the demo records no tallies for them).
_UNCOUNTED_TERM = dict.fromkeys(VOTE_COLUMNS["committee_terms"].vote_keys)
_UNCOUNTED_ACTIVITY = dict.fromkeys(VOTE_COLUMNS["committee_activities"].vote_keys)
# What an 业主大会's topic decides, as 第278条 lists it (None: a general meeting).
_ASSEMBLY_MATTERS = {
    "业主大会（书面征询）：续聘物业服务企业": "选聘解聘物业",
    "业主大会：使用维修资金维修屋面": "使用维修资金",
    "业主大会：修改管理规约": "管理规约",
    "业主大会：调整物业服务收费标准": "其他共有和共同管理事项",
}
EARLIEST_COMMITTEE_YEAR = 1997


@dataclass(slots=True)
class _Term:
    number: int
    kind: str
    elected: date
    start: date
    end: date
    seats: int = 0
    id: int = 0
    filed: date | None = None


def committee(ctx: Context, estate: Estate) -> None:
    """Decide the estate's committee state and write its terms, members and activities."""
    rng, today = ctx.rng, ctx.today
    row = estate.row
    state = ctx.cycled("committee", COMMITTEE_STATES, COMMITTEE_STATE_WEIGHTS)
    if estate.completion_year >= today.year - 1 and state not in COMMITTEE_STATES[:2]:
        state = rng.choice(COMMITTEE_STATES[:2])  # formation is not due yet
    row["has_assembly"] = False
    if state == "无业主大会":
        return
    if state == "筹备中":
        row["prep_group_on"] = ctx.days_ago(5, 80)
        return
    length = rng.pick((5, 3, 4), (60, 30, 10))
    if state == "任期内":
        end = today + timedelta(days=rng.randint(200, length * 365 - 40))
    elif state == "即将届满":
        end = today + timedelta(days=rng.randint(3, 175))
    else:
        end = today - timedelta(days=rng.randint(1, 700))
    start = add_years(end + timedelta(days=1), -length)
    earliest = date(max(estate.completion_year + 1, EARLIEST_COMMITTEE_YEAR), 1, 1)
    if start < earliest:  # a young estate: its first committee was elected recently
        start = ctx.between(earliest, today - timedelta(days=30))
        end = add_years(start, length) - timedelta(days=1)
    terms = [_Term(0, "换届", start, start, end)]
    early = rng.random() < 0.06
    while len(terms) < 4:
        later = terms[-1]
        prev_length = rng.pick((5, 3, 4), (55, 35, 10))
        if early and len(terms) == 1:
            prev_end = later.start + timedelta(days=rng.randint(100, 600))
        else:
            prev_end = later.start - timedelta(days=1)
        prev_start = add_years(prev_end + timedelta(days=1), -prev_length)
        if prev_start < earliest:
            break
        terms.append(_Term(0, "换届", prev_start, prev_start, prev_end))
        if not (early and len(terms) == 2):
            later.elected = prev_end - timedelta(days=rng.randint(5, 45))  # elected before the old term ends
    terms.reverse()
    terms[0].elected = terms[0].start - timedelta(days=rng.choice((0, 0, rng.randint(1, 10))))
    for number, term in enumerate(terms, start=1):
        term.number = number
    terms[0].kind = "首届"
    if early and len(terms) > 1:
        terms[-1].kind = "提前换届"
    for i, term in enumerate(terms):
        term.seats = _seats(ctx, estate)
        _write_term(ctx, estate, term, terms[i + 1] if i + 1 < len(terms) else None, state)
    row["has_assembly"] = True
    row["first_assembly_on"] = terms[0].elected
    if terms[0].start.year >= 2005:
        row["prep_group_on"] = terms[0].elected - timedelta(days=rng.randint(60, 150))
    row["agency_bookkeeping"] = rng.random() < 0.55
    estate.has_committee = True
    current = terms[-1]
    _members(ctx, estate, current, current=True)
    if len(terms) > 1 and rng.random() < 0.25:
        _members(ctx, estate, terms[-2], current=False)
    _activities(ctx, estate, terms, state)


def _seats(ctx: Context, estate: Estate) -> int:
    rng = ctx.rng
    if estate.floor_area_cents <= int(SMALL_ESTATE_AREA) * 100 and rng.random() < 0.7:
        return 3
    if estate.households > 2000:
        return rng.choice((7, 9, 9, 11))
    return rng.choice((5, 5, 7, 7, 7, 9))


def _write_term(ctx: Context, estate: Estate, term: _Term, following: _Term | None, state: str) -> None:
    rng, today = ctx.rng, ctx.today
    filed_roll = rng.random()
    filed: date | None = None
    if filed_roll < 0.8:
        filed = term.elected + timedelta(days=rng.randint(5, 28))
    elif filed_roll < 0.88:
        filed = term.elected + timedelta(days=rng.randint(31, 60))  # 备案 late
    if filed is not None and filed > today:
        filed = None
    term.filed = filed
    row = {
        "estate_id": estate.id,
        "term_no": term.number,
        "kind": term.kind,
        "elected_on": term.elected,
        "start_on": term.start,
        "end_on": term.end,
        "seats": term.seats,
        "filed_on": filed,
        "filing_no": f"普{estate.street}业备〔{filed.year}〕{rng.randint(1, 180):03d}号" if filed else None,
        "renewal_report_on": None,
        "renewal_group_on": None,
        "seals_handover_on": None,
        "renewal_election_on": None,
        "renewal_filed_on": None,
        "renewal_audit_on": None,
        "dissolved_on": None,
        **_UNCOUNTED_TERM,
        "note": None,
    }
    if following is not None and following.kind == "提前换届":
        row["dissolved_on"] = following.start - timedelta(days=rng.randint(5, 40))
        row["renewal_election_on"] = following.elected
        row["note"] = rng.choice(("委员不足半数，提前换届", "业委会连续6个月未开展活动，提前换届"))
    elif following is not None:
        report = add_months(term.end, -5) - timedelta(days=rng.randint(0, 25))
        group = report + timedelta(days=rng.randint(20, 60))
        seals = group + timedelta(days=rng.randint(2, 10))
        row.update(
            {
                "renewal_report_on": report if rng.random() < 0.9 else None,
                "renewal_group_on": group if rng.random() < 0.9 else None,
                "seals_handover_on": seals if rng.random() < 0.85 else None,
                "renewal_election_on": following.elected,
                "renewal_filed_on": following.filed,
                "renewal_audit_on": min(today, following.elected + timedelta(days=rng.randint(10, 30)))
                if rng.random() < 0.8
                else None,
            }
        )
    else:
        _renewal_so_far(ctx, term, row, state)
    term.id = ctx.writer.add("committee_terms", row)


def _renewal_so_far(ctx: Context, term: _Term, row: dict[str, object], state: str) -> None:
    """The current term's 换届 steps up to today: some done on time, some late, some missing."""
    rng, today = ctx.rng, ctx.today
    report_due = add_months(term.end, -5)
    if today < report_due - timedelta(days=20) or rng.random() < 0.35:
        if state == "届满未换届":
            row["note"] = rng.choice(("居委会代行业委会职责", "街镇已组建物业治理委员会", "换届工作停滞", None))
        return
    report = ctx.between(report_due - timedelta(days=30), min(today, report_due + timedelta(days=20)))
    row["renewal_report_on"] = report
    if today <= report + timedelta(days=20) or rng.random() < 0.3:
        return
    group = report + timedelta(days=rng.randint(10, 75))
    if group > today:
        return
    row["renewal_group_on"] = group
    seals = group + timedelta(days=rng.randint(2, 15))
    if seals <= today and rng.random() < 0.7:
        row["seals_handover_on"] = seals
    if state == "届满未换届":
        row["note"] = rng.choice(("换届选举未能召开业主大会", "候选人不足，换届延期", None))


def _room(ctx: Context, estate: Estate) -> str | None:
    rng = ctx.rng
    if not estate.buildings or rng.random() < 0.08:
        return None
    building = rng.choice(estate.buildings)
    floor = rng.randint(1, building.floors)
    number = building.number.removesuffix("号楼").removesuffix("幢").removesuffix("号")
    return f"{number}号{floor}{rng.randint(1, 4):02d}室"


def _members(ctx: Context, estate: Estate, term: _Term, *, current: bool) -> None:
    rng, today = ctx.rng, ctx.today
    seats = term.seats
    deputies = 1 if seats <= 5 else rng.choice((1, 2))
    roles = ["主任"] + ["副主任"] * deputies + ["委员"] * (seats - 1 - deputies)
    roles += ["候补委员"] * rng.choice((0, 1, 1, 2)) + (["秘书"] if rng.random() < 0.3 else [])
    seals = {0: "业主大会印章", 1: "业委会印章", 1 + deputies: "财务专用章"}
    taken: set[str] = set()
    for i, role in enumerate(roles):
        male = rng.random() < 0.55
        name = names.person_name(rng, male)
        while name in taken:
            name = names.person_name(rng, male)
        taken.add(name)
        birth_year = rng.randint(1945, 1988)
        left = None
        if current and role in ("委员", "副主任") and rng.random() < 0.06:
            left = ctx.between(term.start + timedelta(days=60), today)
            if left <= term.start:
                left = None
        ctx.writer.add(
            "committee_members",
            {
                "term_id": term.id,
                "name": name,
                "role": role,
                "gender": "男" if male else "女",
                "birth_year": birth_year if rng.random() < 0.9 else None,
                "id_number": names.id_number(rng, birth_year, male) if rng.random() < 0.85 else None,
                "phone": names.mobile(rng) if rng.random() < 0.92 else None,
                "room": _room(ctx, estate),
                "party_member": rng.random() < 0.35,
                "related_to_company": rng.random() < 0.005,
                "seal": seals.get(i, "无") if i < seats else "无",
                "joined_on": term.start,
                "left_on": left,
            },
        )


def _activities(ctx: Context, estate: Estate, terms: list[_Term], state: str) -> None:
    rng, today = ctx.rng, ctx.today
    current = terms[-1]
    seen: set[tuple[str, date, str]] = set()

    def add(register: str, row: Row) -> None:
        key = (row["kind"], row["held_on"], row["subject"])
        if key not in seen:  # the natural key must stay unique
            seen.add(key)
            ctx.writer.add(register, {**_UNCOUNTED_ACTIVITY, **row})

    for term in terms:
        if term.filed is not None:
            add(
                "committee_activities",
                {
                    "estate_id": estate.id,
                    "term_id": term.id,
                    "kind": "备案",
                    "held_on": term.filed,
                    "subject": f"第{term.number}届业委会备案",
                    "attendees": None,
                    "note": None,
                },
            )
    if len(terms) > 1 and rng.random() < 0.6:
        handover = current.start + timedelta(days=rng.randint(1, 10))
        if handover <= today:
            add(
                "committee_activities",
                {
                    "estate_id": estate.id,
                    "term_id": current.id,
                    "kind": "印章移交",
                    "held_on": handover,
                    "subject": "上届业委会印章及档案资料移交",
                    "attendees": 4,
                    "note": None,
                },
            )
    # Meetings about every two months over the last year; some committees lax, some silent for 6 months.
    window_start = max(current.start, today - timedelta(days=365))
    silent_since = (
        today - timedelta(days=rng.randint(200, 330)) if (state == "届满未换届" and rng.random() < 0.4) else today
    )
    gap = (60, 130) if rng.random() < 0.2 else (40, 62)
    day = window_start + timedelta(days=rng.randint(0, 30))
    meeting = (day - current.start).days // 55 + 1  # numbered from the start of the term
    while day <= silent_since:
        add(
            "committee_activities",
            {
                "estate_id": estate.id,
                "term_id": current.id,
                "kind": "业委会会议",
                "held_on": day,
                "subject": f"第{current.number}届业委会第{meeting}次会议",
                "attendees": max(2, current.seats - rng.choice((0, 0, 1, 2))),
                "note": None,
            },
        )
        meeting += 1
        day += timedelta(days=rng.randint(*gap))
    for years_back in range(rng.choice((1, 2, 2))):
        held = ctx.between(
            max(current.start, today - timedelta(days=365 * (years_back + 1))), today - timedelta(days=365 * years_back)
        )
        if held < current.start or held > silent_since:
            continue
        topic = rng.choice(
            (
                "年度业主大会",
                "业主大会（书面征询）：续聘物业服务企业",
                "业主大会：使用维修资金维修屋面",
                "业主大会：修改管理规约",
                "业主大会：调整物业服务收费标准",
            )
        )
        add(
            "committee_activities",
            {
                "estate_id": estate.id,
                "term_id": current.id,
                "kind": "业主大会",
                "held_on": held,
                "subject": f"{held.year}年{topic}",
                "attendees": max(1, round(estate.households * rng.uniform(0.45, 0.85))),
                "vote_matter": _ASSEMBLY_MATTERS.get(topic),
                "note": None,
            },
        )
    this_month = date(today.year, today.month, 1)
    for back in range(3):
        month = add_months(this_month, -back)
        held = ctx.between(month, min(today, add_months(month, 1) - timedelta(days=1)))
        if current.start <= held <= silent_since and rng.random() < 0.85:
            add(
                "committee_activities",
                {
                    "estate_id": estate.id,
                    "term_id": current.id,
                    "kind": "接待日",
                    "held_on": held,
                    "subject": f"{held.year}年{held.month}月业委会接待日",
                    "attendees": rng.randint(2, 15),
                    "note": rng.choice((None, None, "反映停车问题", "咨询维修资金使用", "反映楼道堆物")),
                },
            )
