"""The sections of an estate's dossier (一小区一档案) and the columns of their tables, declared once.

The printed PDF and the estate window on screen both read `DOSSIER_SECTIONS`: which
registers each section lists, with which declared fields, and which columns are worked
out by the rules (`COMPUTED`: a term's state, a lift's age and what it is due, the fund's
ratio ...). A section's extra facts and notes (the 换届 timeline, the company's standing)
are written by the dossier service beside these tables.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from putuo_community.domain.attachments import LINKS, format_size, link_label
from putuo_community.domain.committee import committee_term_status
from putuo_community.domain.credit import status_of_values
from putuo_community.domain.fund import fund_ratio
from putuo_community.domain.lifts import lift_age_years, needs_assessment, remote_monitoring_overdue
from putuo_community.domain.registers import REGISTERS
from putuo_community.domain.registers.votes import VOTE_COLUMNS, VoteColumn


class RecordView(Protocol):
    """What a computed column reads of a record: its values and their display texts."""

    @property
    def id(self) -> int: ...

    @property
    def values(self) -> Mapping[str, Any]: ...

    def display(self, key: str) -> str: ...


@dataclass(frozen=True)
class ColumnContext:
    """What computed columns need besides the record: the day, and the estate's current term."""

    today: date
    latest_term_id: int | None = None


@dataclass(frozen=True)
class ComputedColumn:
    key: str
    header: str
    compute: Callable[[RecordView, ColumnContext], str]


@dataclass(frozen=True)
class DossierTable:
    """One register's records in a section, with the declared fields shown and the computed columns."""

    register: str
    columns: tuple[str, ...]
    computed: tuple[str, ...] = ()
    caption: str = ""
    # The table lists the records of the row chosen in this other table of the section
    # (the units of a building, the members of a term, a contract's fee changes).
    within: str = ""
    printed: bool = True  # False: on screen only (the PDF says the same more briefly)


@dataclass(frozen=True)
class DossierSection:
    key: str
    title: str
    tables: tuple[DossierTable, ...] = ()
    # The completeness check's name for this part of the dossier (domain/completeness.SECTIONS).
    gap_section: str = ""
    # The register whose new record fills a gap of this section ("": the gap is mended by editing
    # what is there — the estate's own facts in 基本情况, a lift's assessment date in 电梯).
    fills_gap: str = ""
    # The reminder categories (services/reminders) whose work is done in this section.
    reminder_categories: tuple[str, ...] = ()


# -- computed columns ---------------------------------------------------------------------------


def _term_state(term: RecordView, context: ColumnContext) -> str:
    start, end = term.values.get("start_on"), term.values.get("end_on")
    if term.values.get("dissolved_on"):
        return "提前终止"
    if start is None or end is None:
        return "—"
    return committee_term_status(start, end, context.today, renewed=term.id != context.latest_term_id).label


def _credit_state(event: RecordView, context: ColumnContext) -> str:
    status = status_of_values(event.values, context.today)  # the one status every view shows
    return status.label if status is not None else "—"


def _lift_location(lift: RecordView, _context: ColumnContext) -> str:
    return " ".join(x for x in (lift.display("building_id"), lift.display("unit_id")) if x)


def _lift_age(lift: RecordView, context: ColumnContext) -> str:
    first = lift.values.get("first_use_on")
    return f"{lift_age_years(first, context.today)}年" if first else "—"


def lift_flags(lift: RecordView, context: ColumnContext) -> str:
    """What a lift is due: 满15年未评估, Ⅰ类风险待处置, 未装远程监测."""
    values = lift.values
    found = []
    first = values.get("first_use_on")
    if first and needs_assessment(first, values.get("assessed_on"), context.today):
        found.append("满15年未评估")
    if values.get("risk_class") == "Ⅰ类" and values.get("action_status") != "已完成":
        found.append("Ⅰ类风险待处置")
    if not values.get("remote_monitoring"):
        found.append("未装远程监测（逾期）" if remote_monitoring_overdue(False, context.today) else "未装远程监测")
    return "、".join(found)


def _lift_risk(lift: RecordView, _context: ColumnContext) -> str:
    parts = (lift.display("risk_class"), lift.display("action"), lift.display("action_status"))
    return " ".join(p for p in parts if p and p != "无")


def _consent(project: RecordView, _context: ColumnContext) -> str:
    values = project.values
    if not values.get("households") or values.get("agree_owners") is None:
        return ""
    return f"{values['agree_owners']}/{values['households']} 户"


def fund_ratio_text(fund: RecordView, _context: ColumnContext) -> str:
    initial, balance = fund.values.get("initial_amount"), fund.values.get("balance")
    if not initial or balance is None:
        return "—"
    value = fund_ratio(balance=balance, initial=initial)
    return f"{value * 100:.1f}%" if value is not None else "—"


def _short_hash(attachment: RecordView, _context: ColumnContext) -> str:
    return str(attachment.values.get("sha256") or "")[:12]


def attachment_link(attachment: RecordView, _context: ColumnContext) -> str:
    """What a scan belongs to (第3届业委会, 物业服务合同 …); blank when it is the estate's as a whole."""
    for link in LINKS:
        if attachment.values.get(link.field) is not None:
            return link_label(link.register, attachment.display(link.field))
    return ""


def _attachment_size(attachment: RecordView, _context: ColumnContext) -> str:
    return format_size(attachment.values.get("size_bytes"))


def _vote_verdict(column: VoteColumn) -> ComputedColumn:
    """A record's vote, judged from its stored counts (domain/registers/votes.py)."""
    register = REGISTERS[column.register]
    return ComputedColumn(column.key, column.header, lambda record, _context: column.cell(register, record.values))


COMPUTED: dict[str, ComputedColumn] = {
    c.key: c
    for c in (
        *(_vote_verdict(v) for v in VOTE_COLUMNS.values()),
        ComputedColumn("term_state", "状态", _term_state),
        ComputedColumn("credit_state", "状态", _credit_state),
        ComputedColumn("lift_location", "位置", _lift_location),
        ComputedColumn("lift_age", "梯龄", _lift_age),
        ComputedColumn("lift_risk", "风险与处置", _lift_risk),
        ComputedColumn("lift_flags", "提示", lift_flags),
        ComputedColumn("consent", "同意户数", _consent),
        ComputedColumn("fund_ratio", "余额比例", fund_ratio_text),
        ComputedColumn("short_hash", "SHA-256（前12位）", _short_hash),
        ComputedColumn("attachment_link", "关联记录", attachment_link),
        ComputedColumn("attachment_size", "大小", _attachment_size),
    )
}

# -- the sections ---------------------------------------------------------------------------------

DOSSIER_SECTIONS: tuple[DossierSection, ...] = (
    DossierSection(
        "basic",
        "基本情况",
        (DossierTable("estate_aliases", ("alias", "source"), caption="别名", printed=False),),
        gap_section="基本信息",
    ),
    DossierSection(
        "buildings",
        "楼栋",
        (
            DossierTable(
                "buildings",
                (
                    "number",
                    "address",
                    "floors",
                    "unit_count",
                    "households",
                    "floor_area",
                    "completion_year",
                    "structure",
                    "has_lift",
                ),
            ),
            DossierTable(
                "units",
                ("number", "floors", "households", "exclusive_area", "has_lift"),
                caption="单元",
                within="buildings",
                printed=False,
            ),
        ),
        gap_section="楼栋",
        fills_gap="buildings",
    ),
    DossierSection(
        "committee",
        "业主大会与业委会",
        (
            DossierTable(
                "committee_terms",
                ("term_no", "kind", "elected_on", "start_on", "end_on", "seats", "filed_on", "filing_no"),
                computed=("term_state", "election_vote"),
                caption="业委会届次与备案",
            ),
            DossierTable(
                "committee_members",
                (
                    "name",
                    "role",
                    "gender",
                    "birth_year",
                    "party_member",
                    "seal",
                    "room",
                    "phone",
                    "joined_on",
                    "left_on",
                ),
                caption="业委会成员",
                within="committee_terms",
            ),
            DossierTable(
                "committee_activities",
                ("held_on", "kind", "subject", "attendees", "vote_matter"),
                computed=("assembly_vote",),
                caption="运作记录",
            ),
        ),
        gap_section="业委会",
        fills_gap="committee_terms",
        reminder_categories=("业委会组建", "换届"),
    ),
    DossierSection(
        "service",
        "物业服务与企业信用",
        (
            DossierTable(
                "contracts",
                (
                    "company_id",
                    "kind",
                    "pricing",
                    "start_on",
                    "end_on",
                    "open_ended",
                    "filed_on",
                    "fee",
                    "terminated_on",
                ),
                caption="物业服务合同",
            ),
            DossierTable(
                "fee_adjustments",
                ("effective_on", "old_fee", "new_fee", "method", "vote_passed"),
                caption="物业费调整",
                within="contracts",
            ),
            DossierTable(
                "credit_events",
                ("scored_on", "subject", "manager_id", "estate_id", "band", "points", "description"),
                computed=("credit_state",),
                caption="企业信用记分",
            ),
        ),
        gap_section="物业服务",
        fills_gap="contracts",
        reminder_categories=("物业合同", "信用"),
    ),
    DossierSection(
        "projects",
        "修缮改造项目",
        (
            DossierTable(
                "projects",
                (
                    "name",
                    "kind",
                    "batch_year",
                    "floor_area",
                    "households",
                    "budget",
                    "stage",
                    "stage_on",
                    "completed_on",
                ),
                computed=("full_set_vote",),
            ),
        ),
    ),
    DossierSection(
        "lifts",
        "电梯",
        (
            DossierTable(
                "lifts",
                ("registration_code", "first_use_on", "last_inspection_on", "assessed_on"),
                computed=("lift_location", "lift_age", "lift_risk", "lift_flags"),
            ),
        ),
        gap_section="电梯",
        reminder_categories=("电梯",),
    ),
    DossierSection(
        "lift_projects",
        "加装电梯",
        (
            DossierTable(
                "lift_projects",
                ("building_id", "unit_id", "stage", "stage_on", "households", "construction_cost", "subsidy"),
                computed=("consent", "lift_vote"),
            ),
        ),
    ),
    DossierSection(
        "funds",
        "维修资金",
        (
            DossierTable(
                "funds",
                ("as_of", "initial_amount", "balance", "income", "expense", "published_on", "topup_started_on"),
                computed=("fund_ratio",),
            ),
        ),
        gap_section="维修资金",
        fills_gap="funds",
        reminder_categories=("维修资金",),
    ),
    DossierSection(
        "issues",
        "投诉与隐患",
        (
            DossierTable(
                "estate_issues", ("reported_on", "kind", "category", "description", "status", "due_on", "closed_on")
            ),
        ),
    ),
    DossierSection(
        "attachments",
        "附件目录",
        (
            DossierTable(
                "attachments",
                ("kind", "title", "dated_on"),
                computed=("attachment_link", "attachment_size", "short_hash"),
            ),
        ),
        gap_section="附件",
        # No form fills it: a scan is dropped on the window or chosen with 添加附件 (gui/attachments_view.py).
        fills_gap="",
    ),
    DossierSection("completeness", "档案完整性"),
    DossierSection("changes", "近期变更"),
)

SECTIONS_BY_KEY: dict[str, DossierSection] = {s.key: s for s in DOSSIER_SECTIONS}


def dossier_table(section_key: str, register_key: str) -> DossierTable:
    """The declared table of `register_key` in a section."""
    for table in SECTIONS_BY_KEY[section_key].tables:
        if table.register == register_key:
            return table
    raise KeyError(f"section {section_key} lists no {register_key}")


def section_of_gap(gap_section: str) -> DossierSection | None:
    """The dossier section a completeness gap belongs to, where its form is."""
    return next((s for s in DOSSIER_SECTIONS if s.gap_section == gap_section), None)


def section_of_reminder(category: str) -> str:
    """The key of the dossier section where a reminder's work is done ("basic" when none says)."""
    return next((s.key for s in DOSSIER_SECTIONS if category in s.reminder_categories), "basic")


def section_of_register(register_key: str) -> str:
    """The key of the dossier section that lists a register's records ("basic" for the estate itself)."""
    for section in DOSSIER_SECTIONS:
        if any(t.register == register_key for t in section.tables):
            return section.key
    return "basic"
