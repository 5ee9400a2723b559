"""Demo 业委会运作记录: filings, meetings, 业主大会, reception days and annual audits.

Only the current term's last year or so is recorded month by month (what 规范运作 is judged on);
most committees keep every rule, a few are lax in one way, a few fall silent.
"""

from __future__ import annotations

from datetime import date, timedelta

from putuo_community.domain.committee import operation_review_start
from putuo_community.domain.registers.votes import VOTE_COLUMNS
from putuo_community.services.demo.model import Context, Estate, Term
from putuo_community.storage.bulk import Row

_UNCOUNTED_ACTIVITY = dict.fromkeys(VOTE_COLUMNS["committee_activities"].vote_keys)
# What an 业主大会's topic decides, as 第278条 lists it (None: a general meeting).
_ASSEMBLY_MATTERS = {
    "业主大会（书面征询）：续聘物业服务企业": "选聘解聘物业",
    "业主大会：使用维修资金维修屋面": "使用维修资金",
    "业主大会：修改管理规约": "管理规约",
    "业主大会：调整物业服务收费标准": "其他共有和共同管理事项",
}
_ASSEMBLY_TOPICS = ("年度业主大会", *_ASSEMBLY_MATTERS)
# How a lax committee falls short of 规范运作 (the rest keep every rule).
LAPSES = ("", "漏接待日", "会议间隔过长", "未开业主大会")
LAPSE_WEIGHTS = (850, 80, 38, 32)
MEETING_DAYS = (38, 58)  # days between meetings: always within 2 months
AUDIT_YEARS = 6  # annual audits recorded for at most this year and the five before
AUDITS_FROM = 2024  # and none before (the demo keeps no older running records)
_RECEPTION_NOTES = (None, None, None, "反映停车问题", "咨询维修资金使用", "反映楼道堆物")
_ONE_DAY = timedelta(days=1)
AUDIT_SKIPPED = (0.04, 0.015)  # share without the audit: this year's, and (long overdue by now) an earlier year's


class _Recorder:
    """Adds one estate's activities, keeping the register's natural key unique."""

    def __init__(self, ctx: Context, estate: Estate) -> None:
        self.add_row = ctx.writer.add
        self.template: Row = {**_UNCOUNTED_ACTIVITY, "estate_id": estate.id, "note": None}
        self.seen: set[tuple[str, date, str]] = set()

    def add(
        self, term: Term, kind: str, held: date, subject: str, attendees: int | None, note: str | None = None
    ) -> Row:
        key = (kind, held, subject)
        row = self.template.copy()
        if key not in self.seen:
            self.seen.add(key)
            row["term_id"] = term.id
            row["kind"] = kind
            row["held_on"] = held
            row["subject"] = subject
            row["attendees"] = attendees
            row["note"] = note
            self.add_row("committee_activities", row)
        return row


def activities(ctx: Context, estate: Estate, terms: list[Term], state: str, *, silent: bool) -> None:
    """The committee's records: each term's 备案, the seal hand-over, and the current term's running."""
    rng, today = ctx.rng, ctx.today
    current = terms[-1]
    record = _Recorder(ctx, estate)
    for term in terms:
        if term.filed is not None:
            record.add(term, "备案", term.filed, f"第{term.number}届业委会备案", None)
    if len(terms) > 1 and rng.random() < 0.6:
        handover = current.start + timedelta(days=rng.randint(1, 10))
        if handover <= today:
            record.add(current, "印章移交", handover, "上届业委会印章及档案资料移交", 4)
    # A silent committee stopped over six months ago (提前换届 is due); a few expired ones too.
    if silent or (state == "届满未换届" and rng.random() < 0.2):
        stop = today - timedelta(days=rng.randint(190, 300))
        lapse = ""
    else:
        stop = today
        lapse = rng.pick(LAPSES, LAPSE_WEIGHTS)
    review_start = operation_review_start(current.start, today)
    _meetings(ctx, record, current, review_start, stop, long_gap=lapse == "会议间隔过长")
    _assemblies(ctx, record, estate, current, review_start, stop, skipped=lapse == "未开业主大会")
    _receptions(ctx, record, current, review_start, stop, missed=lapse == "漏接待日")
    _audits(ctx, record, terms, stop)


def _meetings(ctx: Context, record: _Recorder, term: Term, review_start: date, stop: date, *, long_gap: bool) -> None:
    """业委会会议 every 38–58 days from a little before the review period (or from the term start)."""
    rng = ctx.rng
    if review_start > term.start:
        day = max(term.start, review_start - timedelta(days=rng.randint(0, 45)))
    else:
        day = term.start + timedelta(days=rng.randint(0, 40))
    gap_at = rng.randint(1, 5) if long_gap else -1
    number = (day - term.start).days // 48 + 1  # numbered from the start of the term
    while day <= stop:
        record.add(
            term,
            "业委会会议",
            day,
            f"第{term.number}届业委会第{number}次会议",
            max(2, term.seats - rng.choice((0, 0, 1, 2))),
        )
        step = rng.randint(75, 110) if number % 6 == gap_at else rng.randint(*MEETING_DAYS)
        number += 1
        day += timedelta(days=step)


def _assemblies(
    ctx: Context, record: _Recorder, estate: Estate, term: Term, review_start: date, stop: date, *, skipped: bool
) -> None:
    """An 业主大会 within the review year (none if `skipped`), and often one the year before."""
    rng, today = ctx.rng, ctx.today
    days: list[date] = []
    if rng.random() < 0.6 or skipped:
        before = ctx.between(review_start - timedelta(days=330), review_start - timedelta(days=1))
        if before > term.elected:
            days.append(before)
    if not skipped:
        days.append(ctx.between(max(review_start, term.elected + timedelta(days=1)), today))
    for held in days:
        if held > stop or held <= term.elected:
            continue
        topic = rng.choice(_ASSEMBLY_TOPICS)
        attendees = max(1, round(estate.households * rng.uniform(0.45, 0.85)))
        row = record.add(term, "业主大会", held, f"{held.year}年{topic}", attendees)
        row["vote_matter"] = _ASSEMBLY_MATTERS.get(topic)  # the row may change until the writer's next checkpoint


def _receptions(ctx: Context, record: _Recorder, term: Term, review_start: date, stop: date, *, missed: bool) -> None:
    """One 接待日 in every month of the review period (the current month if it has come yet)."""
    rng, today = ctx.rng, ctx.today
    months = []  # (first day, last day) of each month from the review start's to today's
    first = date(review_start.year, review_start.month, 1)
    while first <= today:
        following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
        months.append((first, following - _ONE_DAY))
        first = following
    judged = [m for m in months if m[1] <= today]
    skip = set(rng.sample(judged, min(len(judged), rng.choice((1, 1, 2))))) if missed and judged else set()
    last = min(today, stop)
    for month in months:
        low = max(month[0], term.start)
        high = min(month[1], last)
        if month in skip or high < low:
            continue
        held = low + timedelta(days=int(rng.random() * ((high - low).days + 1)))
        subject = f"{held.year}年{held.month}月业委会接待日"
        record.add(term, "接待日", held, subject, rng.randint(2, 15), rng.choice(_RECEPTION_NOTES))


def _audits(ctx: Context, record: _Recorder, terms: list[Term], stop: date) -> None:
    """The annual audit of the previous year, reported by 30 June of each recent year the committee ran."""
    rng, today = ctx.rng, ctx.today
    first_start = terms[0].start
    for year in range(max(AUDITS_FROM, today.year - AUDIT_YEARS + 1), today.year + 1):
        if first_start >= date(year - 1, 7, 1) or rng.random() < AUDIT_SKIPPED[year != today.year]:
            continue  # too new to audit a year, or not done
        held = ctx.between(date(year, 2, 15), date(year, 6, 25))
        if held > stop:
            continue
        term = next((t for t in reversed(terms) if t.start <= held), terms[0])
        record.add(term, "审计", held, f"{year - 1}年度业主大会、业委会账户资金及管理责任审计", None)
