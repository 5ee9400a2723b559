"""The sections of an estate's dossier (一小区一档案), written from its records as a document.

Column headers and value formats come from the register declarations; this module only
chooses which fields each section shows and adds what the rules say (term state, the 换届
timeline, lift age and flags, the fund's ratio, the completeness gaps).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from putuo_community.domain.committee import (
    committee_term_status,
    formation_due_on,
    operation_review_start,
    recent_operation,
    renewal_events,
    renewal_timeline,
)
from putuo_community.domain.completeness import DossierFacts, completeness_ratio, dossier_gaps
from putuo_community.domain.credit import active_until
from putuo_community.domain.dates import add_months
from putuo_community.domain.fields import FieldType, Register
from putuo_community.domain.formatting import mask_personal
from putuo_community.domain.fund import fund_ratio, needs_topup
from putuo_community.domain.lifts import lift_age_years, needs_assessment, remote_monitoring_overdue
from putuo_community.domain.registers import REGISTERS
from putuo_community.io.document import Document, Facts, Section, Table, Text
from putuo_community.services.dossier.data import EstateFile
from putuo_community.services.history import Change
from putuo_community.services.records import Record

NUMERALS = "一二三四五六七八九十"
BASIC_MISSING_CHECK = ("address", "housing_type", "completion_year", "households", "floor_area", "management_mode")
RECENT_ACTIVITIES = 12
CREDIT_YEARS = 3


def chapter(number: int, title: str) -> str:
    """一、基本情况 … 十二、近期变更."""
    numeral = NUMERALS[number - 1] if number <= 10 else "十" + NUMERALS[number - 11]
    return f"{numeral}、{title}"


@dataclass(frozen=True)
class Computed:
    """A column worked out from a record (状态, 梯龄, 提示 ...), beside the declared ones."""

    header: str
    compute: Callable[[Record], str]


def register_table(
    register_key: str,
    records: Sequence[Record],
    keys: Sequence[str],
    *,
    caption: str = "",
    extra: Sequence[Computed] = (),
) -> Table:
    """A table of records with the declared headers of `keys`, plus computed columns."""
    register = REGISTERS[register_key]
    fields = [register.field(k) for k in keys]
    headers = tuple(f.header for f in fields) + tuple(c.header for c in extra)
    rows = tuple(tuple(_cell(register, r, k) for k in keys) + tuple(c.compute(r) for c in extra) for r in records)
    numeric = tuple(i for i, f in enumerate(fields) if f.type in (FieldType.INTEGER, FieldType.DECIMAL))
    # No weights: the renderer sizes columns from what they hold, so short columns never wrap.
    return Table(headers, rows, caption=caption, numeric=numeric)


def _cell(register: Register, record: Record, key: str) -> str:
    f = register.field(key)
    text = record.display(key)
    if f.personal and text:
        return mask_personal(text)  # a printed dossier never carries a full ID or phone number
    if f.ref == "committee_terms" and text:
        return f"第{text}届"
    return text


def build_document(data: EstateFile, today: date) -> Document:
    estate = data.estate
    name = estate.title
    sections = [
        _basic(data),
        _buildings(data),
        _committee(data, today),
        _service(data, today),
        _projects(data),
        _lifts(data, today),
        _lift_projects(data),
        _fund(data),
        _issues(data),
        _attachments(data),
        _completeness(data, today),
        _changes(data),
    ]
    numbered = tuple(Section(chapter(i, s.title), s.blocks) for i, s in enumerate(sections, start=1))
    return Document(
        title=f"{name} 小区档案",
        running_header=f"{name}（{data.street}）",
        printed_on=today,
        sections=numbered,
        cover=(
            ("小区名称", name),
            ("小区编码", estate.display("code") or "—"),
            ("所属街镇", data.street),
            ("居委会", estate.display("neighbourhood_id") or "—"),
            ("地址", estate.display("address") or "—"),
        ),
        keywords=(name, data.street, "一小区一档案"),
    )


# -- sections --------------------------------------------------------------------------------


def _basic(data: EstateFile) -> Section:
    estate = data.estate
    register = REGISTERS["estates"]
    items = [
        (f.header, estate.display(f.key) or "—")
        for f in register.fields
        if f.type is not FieldType.LONG_TEXT and f.key not in ("street_id",)
    ]
    aliases = "、".join(r.display("alias") for r in data.of("estate_aliases"))
    items.append(("别名", aliases or "—"))
    blocks: list[Facts | Table | Text] = [Facts(tuple(items))]
    if estate.values.get("note"):
        blocks.append(Text(f"备注：{estate.display('note')}"))
    return Section("基本情况", tuple(blocks))


def _buildings(data: EstateFile) -> Section:
    buildings = data.of("buildings")
    keys = ("number", "address", "floors", "unit_count", "households", "floor_area", "completion_year", "structure")
    table = register_table("buildings", buildings, keys, extra=(Computed("有电梯", lambda r: r.display("has_lift")),))
    blocks: list[Facts | Table | Text] = [table]
    if buildings:
        households = sum(r.values.get("households") or 0 for r in buildings)
        area = sum((r.values.get("floor_area") or Decimal(0) for r in buildings), Decimal(0))
        blocks.append(Text(f"共 {len(buildings)} 幢，户数合计 {households} 户，建筑面积合计 {area:,.2f} ㎡。", "note"))
    return Section("楼栋", tuple(blocks))


def _latest_term(data: EstateFile) -> Record | None:
    terms = data.of("committee_terms")
    return max(terms, key=lambda r: r.values["term_no"]) if terms else None


def _committee(data: EstateFile, today: date) -> Section:
    estate = data.estate
    due = formation_due_on(
        first_delivery_on=estate.values.get("first_delivery_on"),
        half_area_delivered_on=estate.values.get("half_delivered_on"),
    )
    facts = Facts(
        (
            ("已成立业主大会", estate.display("has_assembly") or "—"),
            ("组建到期日", due.isoformat() if due else "—"),
            ("筹备组成立日期", estate.display("prep_group_on") or "—"),
            ("首次业主大会日期", estate.display("first_assembly_on") or "—"),
            ("代理记账", estate.display("agency_bookkeeping") or "—"),
        )
    )
    blocks: list[Facts | Table | Text] = [facts]
    terms = sorted(data.of("committee_terms"), key=lambda r: r.values["term_no"])
    latest = _latest_term(data)

    def state(term: Record) -> str:
        start, end = term.values.get("start_on"), term.values.get("end_on")
        if term.values.get("dissolved_on"):
            return "提前终止"
        if start is None or end is None:
            return "—"
        return committee_term_status(start, end, today, renewed=term is not latest).label

    blocks.append(
        register_table(
            "committee_terms",
            terms,
            ("term_no", "kind", "elected_on", "start_on", "end_on", "seats", "filed_on", "filing_no"),
            caption="业委会届次与备案",
            extra=(Computed("状态", state),),
        )
    )
    if latest is None:
        return Section("业主大会与业委会", tuple(blocks))
    members = data.members.get(latest.id, [])
    blocks.append(
        register_table(
            "committee_members",
            members,
            ("name", "role", "gender", "birth_year", "party_member", "seal", "room", "phone", "joined_on", "left_on"),
            caption=f"第{latest.values['term_no']}届业委会成员",
        )
    )
    end = latest.values.get("end_on")
    if end is not None and not latest.values.get("dissolved_on"):
        blocks.append(_renewal_table(latest, end, today))
    blocks += _operation(data, latest, today)
    return Section("业主大会与业委会", tuple(blocks))


def _renewal_table(term: Record, end: date, today: date) -> Table:
    v = term.values
    events = renewal_events(v)
    rows = []
    for m in renewal_timeline(end, events):
        if m.is_done:
            status = "已完成"
        elif m.is_overdue(today):
            status = "逾期"
        else:
            status = "未到期"
        rows.append(
            (
                m.label,
                m.due_on.isoformat() if m.due_on else "—",
                m.done_on.isoformat() if m.done_on else "",
                status,
                m.rule.title,
            )
        )
    return Table(
        ("换届步骤", "应完成日期", "实际完成日期", "状态", "依据"),
        tuple(rows),
        caption=f"换届时间表（任期届满 {end.isoformat()}）",
    )


def _operation(data: EstateFile, term: Record, today: date) -> list[Facts | Table | Text]:
    activities = sorted(data.of("committee_activities"), key=lambda r: r.values.get("held_on") or date.min)
    start, end = term.values.get("start_on"), term.values.get("end_on")
    blocks: list[Facts | Table | Text] = []
    if start is not None and end is not None and start <= today <= end:
        period_start = operation_review_start(start, today)
        dates: dict[str, list[date]] = defaultdict(list)
        for a in activities:
            if a.values.get("held_on"):
                dates[a.values["kind"]].append(a.values["held_on"])
        report = recent_operation(dates, term_start=start, today=today)
        if report.compliant:
            blocks.append(Text(f"规范运作：{period_start.isoformat()}至{today.isoformat()}达标。", "note"))
        else:
            listed = "；".join(report.problems[:6]) + ("……" if len(report.problems) > 6 else "")
            blocks.append(Text(f"规范运作未达标（{report.rule.title}）：{listed}。", "alert"))
    recent = list(reversed(activities))[:RECENT_ACTIVITIES]
    blocks.append(
        register_table(
            "committee_activities",
            recent,
            ("held_on", "kind", "subject", "attendees"),
            caption=f"近期运作记录（最近{RECENT_ACTIVITIES}条）",
        )
    )
    return blocks


def _service(data: EstateFile, today: date) -> Section:
    contracts = sorted(data.of("contracts"), key=lambda r: r.values.get("start_on") or date.min, reverse=True)
    blocks: list[Facts | Table | Text] = [
        register_table(
            "contracts",
            contracts,
            ("company_id", "kind", "pricing", "start_on", "end_on", "open_ended", "filed_on", "fee", "terminated_on"),
            caption="物业服务合同",
        )
    ]
    company, standing = data.company, data.standing
    if company is None:
        blocks.append(Text("未登记在管物业服务企业。", "note"))
        return Section("物业服务与企业信用", tuple(blocks))
    level = f"{standing.level.label}色" if standing else "—"
    blocks.append(
        Facts(
            (
                ("在管企业", company.title),
                ("统一社会信用代码", company.display("credit_code") or "—"),
                ("项目经理", data.estate.display("manager_id") or "—"),
                ("法定代表人", company.display("legal_rep") or "—"),
                ("信用预警等级", level),
                ("有效记分", f"{standing.active_points} 分" if standing else "—"),
                ("信用分（本区排名口径）", str(standing.score) if standing else "—"),
                ("在管小区数", str(standing.estates) if standing else "—"),
            ),
            caption="在管物业服务企业",
        )
    )
    if standing is not None and standing.level.rank >= 2:
        blocks.append(Text(f"该企业当前为{level}预警，有效记分 {standing.active_points} 分。", "alert"))
    since = add_months(today, -12 * CREDIT_YEARS)
    events = [e for e in data.credit_events if (e.values.get("scored_on") or date.min) >= since]

    def status(e: Record) -> str:
        scored = e.values.get("scored_on")
        if e.values.get("band") == "业绩":
            return "加分"
        if e.values.get("corrected_on"):
            return "已修正"
        if scored is None:
            return "—"
        return "有效" if today < active_until(scored) else "已过期"

    blocks.append(
        register_table(
            "credit_events",
            events,
            ("scored_on", "subject", "manager_id", "estate_id", "band", "points", "description"),
            caption=f"企业信用记分（近{CREDIT_YEARS}年）",
            extra=(Computed("状态", status),),
        )
    )
    return Section("物业服务与企业信用", tuple(blocks))


def _projects(data: EstateFile) -> Section:
    projects = sorted(data.of("projects"), key=lambda r: (r.values.get("batch_year") or 0, r.title))
    keys = ("name", "kind", "batch_year", "floor_area", "households", "budget", "stage", "stage_on", "completed_on")
    return Section("修缮改造项目", (register_table("projects", projects, keys),))


def _lifts(data: EstateFile, today: date) -> Section:
    lifts = sorted(data.of("lifts"), key=lambda r: (r.display("building_id"), r.title))

    def location(r: Record) -> str:
        return " ".join(x for x in (r.display("building_id"), r.display("unit_id")) if x)

    def age(r: Record) -> str:
        first = r.values.get("first_use_on")
        return f"{lift_age_years(first, today)}年" if first else "—"

    def flags(r: Record) -> str:
        v = r.values
        found = []
        first = v.get("first_use_on")
        if first and needs_assessment(first, v.get("assessed_on"), today):
            found.append("满15年未评估")
        if v.get("risk_class") == "Ⅰ类" and v.get("action_status") != "已完成":
            found.append("Ⅰ类风险待处置")
        if not v.get("remote_monitoring"):
            found.append("未装远程监测（逾期）" if remote_monitoring_overdue(False, today) else "未装远程监测")
        return "、".join(found)

    def risk(r: Record) -> str:
        parts = (r.display("risk_class"), r.display("action"), r.display("action_status"))
        return " ".join(p for p in parts if p and p != "无")

    table = register_table(
        "lifts",
        lifts,
        ("registration_code", "first_use_on", "last_inspection_on", "assessed_on"),
        extra=(
            Computed("位置", location),
            Computed("梯龄", age),
            Computed("风险与处置", risk),
            Computed("提示", flags),
        ),
    )
    blocks: list[Facts | Table | Text] = [table]
    flagged = sum(1 for r in lifts if flags(r))
    if flagged:
        blocks.append(Text(f"共 {len(lifts)} 台电梯，其中 {flagged} 台有待办事项（见“提示”列）。", "alert"))
    if lifts:
        blocks.append(Text("住宅电梯应于2027年底前全部安装远程监测；投用满15年应做安全评估。", "note"))
    return Section("电梯", tuple(blocks))


def _lift_projects(data: EstateFile) -> Section:
    projects = data.of("lift_projects")

    def votes(r: Record) -> str:
        v = r.values
        if not v.get("households") or v.get("agree_owners") is None:
            return ""
        return f"{v['agree_owners']}/{v['households']} 户"

    keys = ("building_id", "unit_id", "stage", "stage_on", "households", "construction_cost", "subsidy")
    table = register_table("lift_projects", projects, keys, extra=(Computed("同意户数", votes),))
    return Section("加装电梯", (table,))


def _fund(data: EstateFile) -> Section:
    funds = sorted(data.of("funds"), key=lambda r: r.values.get("as_of") or date.min, reverse=True)

    def ratio(r: Record) -> str:
        initial, balance = r.values.get("initial_amount"), r.values.get("balance")
        if not initial or balance is None:
            return "—"
        value = fund_ratio(balance=balance, initial=initial)
        return f"{value * 100:.1f}%" if value is not None else "—"

    keys = ("as_of", "initial_amount", "balance", "income", "expense", "published_on", "topup_started_on")
    blocks: list[Facts | Table | Text] = [register_table("funds", funds, keys, extra=(Computed("余额比例", ratio),))]
    if funds:
        latest = funds[0].values
        initial, balance = latest.get("initial_amount"), latest.get("balance")
        if initial and balance is not None and needs_topup(balance=balance, initial=initial):
            blocks.append(Text(f"账面余额为首期归集金额的{ratio(funds[0])}，低于30%，业主应续筹维修资金。", "alert"))
    return Section("维修资金", tuple(blocks))


def _issues(data: EstateFile) -> Section:
    issues = sorted(data.of("estate_issues"), key=lambda r: r.values.get("reported_on") or date.min, reverse=True)
    keys = ("reported_on", "kind", "category", "description", "status", "due_on", "closed_on")
    return Section("投诉与隐患", (register_table("estate_issues", issues, keys),))


def _attachments(data: EstateFile) -> Section:
    attachments = sorted(data.of("attachments"), key=lambda r: r.values.get("added_on") or date.min)

    def short_hash(r: Record) -> str:
        return str(r.values.get("sha256") or "")[:12]

    table = register_table(
        "attachments",
        attachments,
        ("kind", "title", "added_on"),
        extra=(Computed("SHA-256（前12位）", short_hash),),
    )
    return Section("附件目录", (table,))


def _completeness(data: EstateFile, today: date) -> Section:
    gaps = dossier_gaps(facts_of(data, today), today)
    ratio = completeness_ratio(gaps)
    if not gaps:
        return Section("档案完整性", (Text("档案完整：各部分均已登记且在有效期内。"),))
    table = Table(
        ("部分", "缺项或过期事项", "类型"),
        tuple((g.section, g.message, "过期" if g.stale else "缺失") for g in gaps),
    )
    summary = Text(f"完整度 {float(ratio) * 100:.0f}%：{len(gaps)} 项待补充或更新。", "alert")
    return Section("档案完整性", (summary, table))


def facts_of(data: EstateFile, today: date) -> DossierFacts:
    """What the completeness check needs, from the loaded records."""
    estate = data.estate.values
    latest = _latest_term(data)
    due = formation_due_on(
        first_delivery_on=estate.get("first_delivery_on"), half_area_delivered_on=estate.get("half_delivered_on")
    )
    contracts = [c for c in data.of("contracts") if not c.values.get("terminated_on")]
    current_contract = max(contracts, key=lambda c: c.values.get("start_on") or date.min, default=None)
    funds = [f.values["as_of"] for f in data.of("funds") if f.values.get("as_of")]
    lifts = data.of("lifts")
    unassessed = sum(
        1
        for r in lifts
        if r.values.get("first_use_on")
        and needs_assessment(r.values["first_use_on"], r.values.get("assessed_on"), today)
    )
    last_change = max((datetime.fromisoformat(c.changed_at).date() for c in data.changes), default=None)
    register = REGISTERS["estates"]
    return DossierFacts(
        missing_basic_fields=tuple(register.field(k).label for k in BASIC_MISSING_CHECK if estate.get(k) in (None, "")),
        building_count=len(data.of("buildings")),
        committee_expected=bool(estate.get("has_assembly")) or (due is not None and due <= today),
        current_term_end=latest.values.get("end_on") if latest else None,
        current_term_filed=bool(latest and (latest.values.get("filed_on") or latest.values.get("renewal_filed_on"))),
        member_count=len(data.members.get(latest.id, [])) if latest else 0,
        contract_end=(current_contract.values.get("end_on") or date.max) if current_contract else None,
        management_mode=estate.get("management_mode"),
        latest_fund_on=max(funds, default=None),
        lift_count=len(lifts),
        lifts_unassessed=unassessed,
        attachment_count=len(data.of("attachments")),
        last_change_on=last_change,
    )


def _changes(data: EstateFile) -> Section:
    rows = tuple(
        (
            c.changed_at[:16].replace("T", " "),
            c.user,
            c.action,
            c.register_label,
            c.record_title,
            c.field_label,
            _change_text(c),
        )
        for c in data.changes
    )
    table = Table(
        ("时间", "操作人", "操作", "台账", "记录", "字段", "变更内容"),
        rows,
        caption=f"最近{len(rows)}条变更" if rows else "",
    )
    return Section("近期变更", (table,))


def _change_text(change: Change) -> str:
    """What changed, as a person reads it; a created or deleted record's snapshot is summarised, not dumped."""
    if change.action in ("新增", "删除"):
        snapshot = change.new_value if change.action == "新增" else change.old_value
        return f"{change.action}记录（{len(_snapshot_keys(snapshot))} 项内容）" if snapshot else f"{change.action}记录"
    if change.old_value and change.new_value:
        return f"{change.old_value} → {change.new_value}"
    return change.new_value or (f"清除“{change.old_value}”" if change.old_value else "")


def _snapshot_keys(snapshot: str) -> list[str]:
    try:
        data = json.loads(snapshot)
    except ValueError:
        return []
    return list(data) if isinstance(data, dict) else []
