"""The sections of an estate's dossier (一小区一档案), written from its records as a document.

Which registers each section lists, with which fields and computed columns, is declared
once in `domain.registers.dossier` (the estate window reads it too); this module writes
the tables from it and adds what the rules say beside them (the 换届 timeline, the
company's standing, the fund's alert, the completeness gaps).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from putuo_community.domain.attachments import CERTIFICATE_KIND
from putuo_community.domain.committee import (
    formation_due_on,
    operation_review_start,
    recent_operation,
    renewal_events,
    renewal_timeline,
)
from putuo_community.domain.completeness import DossierFacts, completeness_ratio, dossier_gaps
from putuo_community.domain.dates import add_months
from putuo_community.domain.fields import FieldType, Register
from putuo_community.domain.formatting import mask_personal
from putuo_community.domain.fund import needs_topup
from putuo_community.domain.lifts import needs_assessment
from putuo_community.domain.registers import REGISTERS
from putuo_community.domain.registers.dossier import (
    COMPUTED,
    DOSSIER_SECTIONS,
    SECTIONS_BY_KEY,
    ColumnContext,
    DossierTable,
    dossier_table,
    fund_ratio_text,
    lift_flags,
)
from putuo_community.io.document import Document, Facts, Section, Table, Text
from putuo_community.services.change_log import Change
from putuo_community.services.dossier.data import EstateFile
from putuo_community.services.records import Record

NUMERALS = "一二三四五六七八九十"
BASIC_MISSING_CHECK = ("address", "housing_type", "completion_year", "households", "floor_area", "management_mode")
RECENT_ACTIVITIES = 12
CREDIT_YEARS = 3


def chapter(number: int, title: str) -> str:
    """一、基本情况 … 十二、近期变更."""
    numeral = NUMERALS[number - 1] if number <= 10 else "十" + NUMERALS[number - 11]
    return f"{numeral}、{title}"


def register_table(
    table: DossierTable,
    records: Sequence[Record],
    context: ColumnContext,
    *,
    caption: str | None = None,
) -> Table:
    """A declared table of records: the declared headers of its fields, then its computed columns."""
    register = REGISTERS[table.register]
    fields = [register.field(k) for k in table.columns]
    computed = [COMPUTED[k] for k in table.computed]
    headers = tuple(f.header for f in fields) + tuple(c.header for c in computed)
    rows = tuple(
        tuple(_cell(register, r, k) for k in table.columns) + tuple(c.compute(r, context) for c in computed)
        for r in records
    )
    numeric = tuple(i for i, f in enumerate(fields) if f.type in (FieldType.INTEGER, FieldType.DECIMAL))
    # No weights: the renderer sizes columns from what they hold, so short columns never wrap.
    return Table(
        headers,
        rows,
        caption=table.caption if caption is None else caption,
        numeric=numeric,
        register=table.register,
        record_ids=tuple(r.id for r in records),
    )


def _table(section: str, register_key: str, records: Sequence[Record], context: ColumnContext, **kw: str) -> Table:
    return register_table(dossier_table(section, register_key), records, context, **kw)


def _cell(register: Register, record: Record, key: str) -> str:
    f = register.field(key)
    text = record.display(key)
    if f.personal and text:
        return mask_personal(text)  # a printed dossier never carries a full ID or phone number
    if f.ref == "committee_terms" and text:
        return f"第{text}届"
    return text


def column_context(data: EstateFile, today: date) -> ColumnContext:
    latest = _latest_term(data)
    return ColumnContext(today, latest.id if latest is not None else None)


def build_sections(data: EstateFile, today: date) -> dict[str, Section]:
    """Every section of the dossier, by its declared key, titled but not numbered."""
    context = column_context(data, today)
    built = {
        "basic": _basic(data),
        "buildings": _buildings(data, context),
        "committee": _committee(data, context),
        "service": _service(data, context),
        "projects": _plain_section(
            "projects", data, context, sort=lambda r: (r.values.get("batch_year") or 0, r.title)
        ),
        "lifts": _lifts(data, context),
        "lift_projects": _plain_section("lift_projects", data, context),
        "funds": _fund(data, context),
        "issues": _plain_section("issues", data, context, sort=_newest("reported_on")),
        "attachments": _plain_section("attachments", data, context, sort=_oldest("added_on")),
        "completeness": _completeness(data, today),
        "changes": _changes(data),
    }
    return {s.key: Section(s.title, built[s.key].blocks) for s in DOSSIER_SECTIONS}


def screen_tables(data: EstateFile, records: Mapping[str, Sequence[Record]], today: date) -> dict[str, Table]:
    """Every declared table of the dossier with all the estate's records, by register (for the screen)."""
    context = column_context(data, today)
    return {
        table.register: register_table(table, records.get(table.register, ()), context)
        for section in DOSSIER_SECTIONS
        for table in section.tables
    }


def build_document(data: EstateFile, today: date) -> Document:
    estate = data.estate
    name = estate.title
    sections = build_sections(data, today).values()
    numbered = tuple(
        Section(chapter(i, s.title), tuple(b for b in s.blocks if _printed(b))) for i, s in enumerate(sections, start=1)
    )
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


def _printed(block: Facts | Table | Text) -> bool:
    """Tables declared for the screen only stay out of the PDF."""
    if not isinstance(block, Table) or not block.register:
        return True
    return any(t.printed for s in DOSSIER_SECTIONS for t in s.tables if t.register == block.register)


def _by_batch(project: Record) -> tuple[int, str]:
    return project.values.get("batch_year") or 0, project.title


def _newest(key: str) -> Callable[[Record], Any]:
    return lambda r: _descending(r.values.get(key))


def _oldest(key: str) -> Callable[[Record], Any]:
    return lambda r: r.values.get(key) or date.min


def _descending(value: date | None) -> int:
    return -(value or date.min).toordinal()


def _plain_section(
    key: str, data: EstateFile, context: ColumnContext, *, sort: Callable[[Record], Any] | None = None
) -> Section:
    """A section that is just its declared tables, records in `sort` order (else as stored)."""
    section = SECTIONS_BY_KEY[key]
    blocks = []
    for table in section.tables:
        records = data.of(table.register)
        blocks.append(register_table(table, sorted(records, key=sort) if sort else records, context))
    return Section(section.title, tuple(blocks))


def _basic(data: EstateFile) -> Section:
    estate = data.estate
    register = REGISTERS["estates"]
    items = [
        (f.header, estate.display(f.key) or "—")
        for f in register.fields
        if f.type is not FieldType.LONG_TEXT and f.key not in ("street_id",)
    ]
    aliases = data.of("estate_aliases")
    items.append(("别名", "、".join(r.display("alias") for r in aliases) or "—"))
    blocks: list[Facts | Table | Text] = [Facts(tuple(items))]
    if estate.values.get("note"):
        blocks.append(Text(f"备注：{estate.display('note')}"))
    blocks.append(_table("basic", "estate_aliases", aliases, ColumnContext(date.min)))
    return Section("基本情况", tuple(blocks))


def _buildings(data: EstateFile, context: ColumnContext) -> Section:
    buildings = data.of("buildings")
    blocks: list[Facts | Table | Text] = [_table("buildings", "buildings", buildings, context)]
    if buildings:
        households = sum(r.values.get("households") or 0 for r in buildings)
        area = sum((r.values.get("floor_area") or Decimal(0) for r in buildings), Decimal(0))
        blocks.append(Text(f"共 {len(buildings)} 幢，户数合计 {households} 户，建筑面积合计 {area:,.2f} ㎡。", "note"))
    blocks.append(_table("buildings", "units", data.of("units"), context))
    return Section("楼栋", tuple(blocks))


def _latest_term(data: EstateFile) -> Record | None:
    terms = data.of("committee_terms")
    return max(terms, key=lambda r: r.values["term_no"]) if terms else None


def _committee(data: EstateFile, context: ColumnContext) -> Section:
    estate, today = data.estate, context.today
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
    blocks.append(_table("committee", "committee_terms", terms, context))
    latest = _latest_term(data)
    if latest is None:
        return Section("业主大会与业委会", tuple(blocks))
    members = data.members.get(latest.id, [])
    caption = f"第{latest.values['term_no']}届业委会成员"
    blocks.append(_table("committee", "committee_members", members, context, caption=caption))
    end = latest.values.get("end_on")
    if end is not None and not latest.values.get("dissolved_on"):
        blocks.append(_renewal_table(latest, end, today))
    blocks += _operation(data, latest, context)
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


def _operation(data: EstateFile, term: Record, context: ColumnContext) -> list[Facts | Table | Text]:
    today = context.today
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
    caption = f"近期运作记录（最近{RECENT_ACTIVITIES}条）"
    blocks.append(_table("committee", "committee_activities", recent, context, caption=caption))
    return blocks


def _service(data: EstateFile, context: ColumnContext) -> Section:
    contracts = sorted(data.of("contracts"), key=_newest("start_on"))
    blocks: list[Facts | Table | Text] = [
        _table("service", "contracts", contracts, context),
        _table("service", "fee_adjustments", sorted(data.of("fee_adjustments"), key=_newest("effective_on")), context),
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
    since = add_months(context.today, -12 * CREDIT_YEARS)
    events = [e for e in data.credit_events if (e.values.get("scored_on") or date.min) >= since]
    caption = f"企业信用记分（近{CREDIT_YEARS}年）"
    blocks.append(_table("service", "credit_events", events, context, caption=caption))
    return Section("物业服务与企业信用", tuple(blocks))


def _lifts(data: EstateFile, context: ColumnContext) -> Section:
    lifts = sorted(data.of("lifts"), key=lambda r: (r.display("building_id"), r.title))
    blocks: list[Facts | Table | Text] = [_table("lifts", "lifts", lifts, context)]
    flagged = sum(1 for r in lifts if lift_flags(r, context))
    if flagged:
        blocks.append(Text(f"共 {len(lifts)} 台电梯，其中 {flagged} 台有待办事项（见“提示”列）。", "alert"))
    if lifts:
        blocks.append(Text("住宅电梯应于2027年底前全部安装远程监测；投用满15年应做安全评估。", "note"))
    return Section("电梯", tuple(blocks))


def _fund(data: EstateFile, context: ColumnContext) -> Section:
    funds = sorted(data.of("funds"), key=_newest("as_of"))
    blocks: list[Facts | Table | Text] = [_table("funds", "funds", funds, context)]
    if funds:
        latest = funds[0].values
        initial, balance = latest.get("initial_amount"), latest.get("balance")
        if initial and balance is not None and needs_topup(balance=balance, initial=initial):
            ratio = fund_ratio_text(funds[0], context)
            blocks.append(Text(f"账面余额为首期归集金额的{ratio}，低于30%，业主应续筹维修资金。", "alert"))
    return Section("维修资金", tuple(blocks))


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
        current_term_certificate=_certificate_attached(data, latest),
        member_count=len(data.members.get(latest.id, [])) if latest else 0,
        contract_end=(current_contract.values.get("end_on") or date.max) if current_contract else None,
        management_mode=estate.get("management_mode"),
        latest_fund_on=max(funds, default=None),
        lift_count=len(lifts),
        lifts_unassessed=unassessed,
        attachment_count=len(data.of("attachments")),
        last_change_on=last_change,
    )


def _certificate_attached(data: EstateFile, term: Record | None) -> bool:
    """A scan of the 备案证明 is attached to `term` (the bin's attachments are not loaded)."""
    return term is not None and any(
        a.values.get("term_id") == term.id and a.values.get("kind") == CERTIFICATE_KIND for a in data.of("attachments")
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
    """What changed, as a person reads it; a created or deleted record is summarised, not listed."""
    if change.action in ("新增", "删除"):
        size = change.snapshot_size
        return f"{change.action}记录（{size} 项内容）" if size else f"{change.action}记录"
    return change.text
