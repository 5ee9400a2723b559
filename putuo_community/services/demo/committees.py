"""Demo 业主大会 / 业委会: formation, terms in every state, their members and the 换届 steps taken or missed."""

from __future__ import annotations

from datetime import date, timedelta

from putuo_community.domain.committee import SMALL_ESTATE_AREA, formation_due_on
from putuo_community.domain.dates import add_months, add_years
from putuo_community.domain.registers.votes import VOTE_COLUMNS
from putuo_community.services.demo import names
from putuo_community.services.demo.activities import activities
from putuo_community.services.demo.model import Context, Estate, Term

# Estates whose 业主大会 fell due long ago (or that have none to form): most formed a committee long ago;
# a few are being formed now at the owners' request, and a very few never were.
# The plan's 组建率 of about 95 % counts estates whose formation is due by their delivery dates.
FORMATION_PATHS = ("已组建", "业主要求筹备", "筹备组已成立", "未组建")
FORMATION_WEIGHTS = {True: (944, 24, 23, 9), False: (975, 10, 10, 5)}  # by whether delivery dates are known
# Newly delivered estates: how far the formation has got.
YOUNG_STAGES = ("待报告", "待组建筹备组", "待首次大会", "已组建")
YOUNG_WEIGHTS = (12, 12, 16, 60)
YOUNG_YEARS = 3  # formation due within this many years: still the developer's and 街镇's steps
# The latest term of a committee: most in term, a few expiring, a handful overdue or just renewed.
COMMITTEE_STATES = ("任期内", "即将届满", "届满未换届", "新换届")
COMMITTEE_STATE_WEIGHTS = (86, 8, 3, 3)
# What a few committees in term get wrong (early re-election, unlawful size).
QUIRKS = ("", "6人", "3人大区", "委员过半离任", "半年无活动")
QUIRK_WEIGHTS = (966, 5, 5, 10, 12)
# The vote fields of terms and activities, left blank (the demo records no tallies for them).
_UNCOUNTED_TERM = dict.fromkeys(VOTE_COLUMNS["committee_terms"].vote_keys)
EARLIEST_COMMITTEE_YEAR = 1997


def committee(ctx: Context, estate: Estate) -> None:
    """Decide the estate's formation and committee state and write its terms, members and activities."""
    rng, today = ctx.rng, ctx.today
    row = estate.row
    row["has_assembly"] = False
    due = formation_due_on(first_delivery_on=row["first_delivery_on"], half_area_delivered_on=row["half_delivered_on"])
    if due is None and estate.completion_year >= today.year - 1:
        return  # nothing delivered to speak of: formation is not due yet
    if due is not None and due > add_years(today, -YOUNG_YEARS):
        first = _formation_steps(ctx, estate, due)
        if first is None:
            return
        length = rng.pick((5, 3, 4), (60, 30, 10))
        terms = [Term(1, "首届", first, first, add_years(first, length) - timedelta(days=1))]
        state = "任期内"
    else:
        delivered = due is not None
        path = ctx.cycled(f"formation {delivered}", FORMATION_PATHS, FORMATION_WEIGHTS[delivered])
        if path != "已组建":
            _not_formed(ctx, estate, path)
            return
        state = ctx.cycled("committee", COMMITTEE_STATES, COMMITTEE_STATE_WEIGHTS)
        terms = _terms(ctx, estate, state)
    quirk = ctx.cycled("quirk", QUIRKS, QUIRK_WEIGHTS) if state == "任期内" else ""
    if quirk == "3人大区" and estate.floor_area_cents <= int(SMALL_ESTATE_AREA) * 100:
        ctx.cycles["quirk"] -= 1  # 3 members are lawful here: offer this quirk to the next committee
        quirk = ""
    for i, term in enumerate(terms):
        term.seats = _seats(ctx, estate)
        if i == len(terms) - 1 and quirk in ("6人", "3人大区"):
            term.seats = 6 if quirk == "6人" else 3
        following = terms[i + 1] if i + 1 < len(terms) else None
        _write_term(ctx, estate, term, following, state, watched=i >= len(terms) - 2)
    row["has_assembly"] = True
    row["first_assembly_on"] = terms[0].elected
    if row["prep_group_on"] is None and terms[0].start.year >= 2005:
        prep_group = terms[0].elected - timedelta(days=rng.randint(60, 150))
        row["prep_group_on"] = prep_group
        if rng.random() < 0.6:  # older files often lack the report
            row["formation_report_on"] = prep_group - timedelta(days=rng.randint(10, 55))
    row["agency_bookkeeping"] = rng.random() < 0.55
    estate.has_committee = True
    current = terms[-1]
    _members(ctx, estate, current, current=True, most_left=quirk == "委员过半离任")
    if len(terms) > 1 and rng.random() < 0.25:
        _members(ctx, estate, terms[-2], current=False)
    activities(ctx, estate, terms, state, silent=quirk == "半年无活动")


def _formation_steps(ctx: Context, estate: Estate, due: date) -> date | None:
    """The formation of a newly delivered estate, as far as it has got: report, 筹备组, first 业主大会.

    Returns the day of the first 业主大会, or None while it has not been held.
    """
    rng, today = ctx.rng, ctx.today
    row = estate.row
    elapsed = (today - due).days
    if ctx.cycles.get("young", 0) < len(YOUNG_STAGES) or elapsed <= 300:
        stage = ctx.cycled("young", YOUNG_STAGES, YOUNG_WEIGHTS)
    else:  # a year on, most have their committee
        stage = rng.pick(YOUNG_STAGES, (3, 4, 8, 85))
    if stage == "待报告":
        return None
    report = due + timedelta(days=rng.randint(3, 28) if rng.random() < 0.85 else rng.randint(31, 60))
    if report >= today:
        return None
    row["formation_report_on"] = report
    if stage == "待组建筹备组":
        return None
    prep = report + timedelta(days=rng.randint(15, 58) if rng.random() < 0.9 else rng.randint(61, 100))
    if prep >= today:
        return None
    row["prep_group_on"] = prep
    if stage == "待首次大会":
        return None
    first = prep + timedelta(days=rng.randint(40, 88) if rng.random() < 0.85 else rng.randint(91, 150))
    return first if first < today else None


def _not_formed(ctx: Context, estate: Estate, path: str) -> None:
    """An older estate without a committee: being formed now at the owners' request, or never formed."""
    rng = ctx.rng
    row = estate.row
    if path == "业主要求筹备":
        row["formation_report_on"] = ctx.days_ago(5, 100)
        row["note"] = "业主书面要求成立业主大会，街镇正在筹备"
    elif path == "筹备组已成立":
        row["prep_group_on"] = ctx.days_ago(10, 130)
        row["formation_report_on"] = row["prep_group_on"] - timedelta(days=rng.randint(15, 58))
    elif rng.random() < 0.7:
        row["note"] = rng.choice(("业主意愿不足，暂未成立业主大会，居委会协调管理", "小区规模小，由居委会代管"))


def _terms(ctx: Context, estate: Estate, state: str) -> list[Term]:
    """The committee's terms, oldest first, ending in the latest term in `state`."""
    rng, today = ctx.rng, ctx.today
    length = rng.pick((5, 3, 4), (60, 30, 10))
    if state == "任期内":
        end = today + timedelta(days=rng.randint(200, length * 365 - 40))
    elif state == "即将届满":
        end = today + timedelta(days=rng.randint(3, 175))
    elif state == "届满未换届":
        end = today - timedelta(days=rng.randint(1, 300) if rng.random() < 0.85 else rng.randint(301, 700))
    else:  # 新换届: the new term began a few weeks ago
        end = add_years(today - timedelta(days=rng.randint(3, 40)), length) - timedelta(days=1)
    start = add_years(end + timedelta(days=1), -length)
    earliest = date(max(estate.completion_year + 1, EARLIEST_COMMITTEE_YEAR), 1, 1)
    if start < earliest:  # a young estate: its first committee was elected recently
        start = ctx.between(earliest, today - timedelta(days=30))
        end = add_years(start, length) - timedelta(days=1)
    terms = [Term(0, "换届", start, start, end)]
    early = rng.random() < 0.06 and state != "新换届"
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
        terms.append(Term(0, "换届", prev_start, prev_start, prev_end))
        if not (early and len(terms) == 2):
            later.elected = prev_end - timedelta(days=rng.randint(5, 45))  # elected before the old term ends
    terms.reverse()
    terms[0].elected = terms[0].start - timedelta(days=rng.choice((0, 0, rng.randint(1, 10))))
    for number, term in enumerate(terms, start=1):
        term.number = number
    terms[0].kind = "首届"
    if early and len(terms) > 1:
        terms[-1].kind = "提前换届"
    return terms


def _seats(ctx: Context, estate: Estate) -> int:
    rng = ctx.rng
    if estate.floor_area_cents <= int(SMALL_ESTATE_AREA) * 100 and rng.random() < 0.7:
        return 3
    if estate.households > 2000:
        return rng.choice((7, 9, 9, 11))
    return rng.choice((5, 5, 7, 7, 7, 9))


def _write_term(ctx: Context, estate: Estate, term: Term, following: Term | None, state: str, *, watched: bool) -> None:
    rng, today = ctx.rng, ctx.today
    # The latest two terms are what the clerk still watches: their papers are nearly always complete,
    # except a just-renewed committee's, whose 备案 and 审计 are often still to come.
    just_renewed = state == "新换届" and following is None
    filed_roll = rng.random()
    filed: date | None = None
    if filed_roll < (0.4 if just_renewed else 0.9 if watched else 0.8):
        filed = term.elected + timedelta(days=rng.randint(5, 28))
    elif filed_roll < (0.4 if just_renewed else 0.99 if watched else 0.88):
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
    audit = following.elected + timedelta(days=rng.randint(10, 30)) if following is not None else today
    audit_done = audit <= today and rng.random() < (0.4 if state == "新换届" else 0.97 if watched else 0.8)
    if following is not None and following.kind == "提前换届":
        row["dissolved_on"] = following.start - timedelta(days=rng.randint(5, 40))
        row["renewal_election_on"] = following.elected
        row["renewal_filed_on"] = following.filed
        row["renewal_audit_on"] = audit if audit_done else None
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
                "renewal_audit_on": audit if audit_done else None,
            }
        )
    else:
        _renewal_so_far(ctx, term, row, state)
    term.id = ctx.writer.add("committee_terms", row)


def _renewal_so_far(ctx: Context, term: Term, row: dict[str, object], state: str) -> None:
    """The current term's 换届 steps up to today: some done on time, some late, some missing."""
    rng, today = ctx.rng, ctx.today
    report_due = add_months(term.end, -5)
    if today < report_due - timedelta(days=20) or rng.random() < (0.5 if state == "届满未换届" else 0.12):
        if state == "届满未换届":
            row["note"] = rng.choice(("居委会代行业委会职责", "街镇已组建物业治理委员会", "换届工作停滞", None))
        return
    report = ctx.between(report_due - timedelta(days=30), min(today, report_due + timedelta(days=20)))
    row["renewal_report_on"] = report
    if today <= report + timedelta(days=20) or rng.random() < 0.12:
        return
    group = report + timedelta(days=rng.randint(10, 58) if rng.random() < 0.9 else rng.randint(61, 90))
    if group > today:
        return
    row["renewal_group_on"] = group
    seals = group + timedelta(days=rng.randint(2, 15))
    if seals <= today and rng.random() < 0.88:
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


def _members(ctx: Context, estate: Estate, term: Term, *, current: bool, most_left: bool = False) -> None:
    """The term's members; with `most_left`, more than half the voting members have left (提前换届 is due)."""
    rng, today = ctx.rng, ctx.today
    seats = term.seats
    deputies = 1 if seats <= 5 else rng.choice((1, 2))
    roles = ["主任"] + ["副主任"] * deputies + ["委员"] * (seats - 1 - deputies)
    roles += ["候补委员"] * rng.choice((0, 1, 1, 2)) + (["秘书"] if rng.random() < 0.3 else [])
    seals = {0: "业主大会印章", 1: "业委会印章", 1 + deputies: "财务专用章"}
    leaving = set(rng.sample(range(1, seats), seats // 2 + 1)) if most_left else set()
    taken: set[str] = set()
    for i, role in enumerate(roles):
        male = rng.random() < 0.55
        name = names.person_name(rng, male)
        while name in taken:
            name = names.person_name(rng, male)
        taken.add(name)
        birth_year = rng.randint(1945, 1988)
        left = None
        if i in leaving:
            left = ctx.between(min(today, max(term.start + timedelta(days=30), today - timedelta(days=170))), today)
        elif current and role in ("委员", "副主任") and rng.random() < 0.06:
            left = ctx.between(term.start + timedelta(days=60), today)
            if not term.start < left <= today:
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
