"""The columns each register's list shows: its declared list fields, then what the listing service computes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from putuo_community.domain.committee import TermState
from putuo_community.domain.credit import WarningLevel
from putuo_community.domain.fields import Register
from putuo_community.domain.registers.votes import VOTE_COLUMNS, Verdict
from putuo_community.gui.i18n import translator
from putuo_community.gui.list_model import ListColumn, field_column
from putuo_community.services.listing import DISSOLVED, FORMATION_DUE, Assessment, ListRow

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_CENTER = Qt.AlignmentFlag.AlignCenter

ALERT = QColor("#b71c1c")
WARNING_TEXT = QColor("#a84300")
# Light cell backgrounds for the warning levels: the level stays readable on any row colour.
LEVEL_BACKGROUNDS = {
    WarningLevel.RED: QColor("#f4b4b4"),
    WarningLevel.ORANGE: QColor("#fbd3a5"),
    WarningLevel.YELLOW: QColor("#fbeea0"),
    WarningLevel.GREEN: QColor("#c9e7c4"),
}


_tr = translator("list_columns")


def level_text(level: WarningLevel | None) -> str:
    if level is None:
        return ""
    return {
        WarningLevel.RED: _tr("红色"),
        WarningLevel.ORANGE: _tr("橙色"),
        WarningLevel.YELLOW: _tr("黄色"),
        WarningLevel.GREEN: _tr("绿色"),
    }[level]


def _value(key: str) -> Callable[[ListRow], Any]:
    return lambda r: r.computed.get(key)


def _level_column(header: str, tip: str) -> ListColumn:
    def text(row: ListRow) -> str:
        return level_text(row.computed.get("warning_level"))

    def background(row: ListRow) -> QColor | None:
        level = row.computed.get("warning_level")
        return LEVEL_BACKGROUNDS.get(level) if isinstance(level, WarningLevel) else None

    def sort_value(row: ListRow) -> object:
        level = row.computed.get("warning_level")
        return level.rank if isinstance(level, WarningLevel) else None

    return ListColumn(
        "warning_level",
        header,
        text,
        sort_value,
        alignment=_CENTER,
        tooltip=lambda _r: tip,
        background=background,
        width_chars=8,
    )


def _number_column(key: str, header: str, width: int = 8, suffix: str = "") -> ListColumn:
    def text(row: ListRow) -> str:
        value = row.computed.get(key)
        return "" if value is None else f"{value:,}{suffix}"

    return ListColumn(key, header, text, _value(key), alignment=_RIGHT, width_chars=width)


def _committee_column(key: str, header: str) -> ListColumn:
    def foreground(row: ListRow) -> QColor | None:
        state = row.computed.get(key)
        if state in (TermState.OVERDUE.label, FORMATION_DUE):
            return ALERT
        if state in (TermState.EXPIRING.label, DISSOLVED):
            return WARNING_TEXT
        return None

    return ListColumn(
        key,
        header,
        lambda r: str(r.computed.get(key) or ""),
        _value(key),
        foreground=foreground,
        width_chars=10,
    )


def _completeness_column() -> ListColumn:
    def foreground(row: ListRow) -> QColor | None:
        value = row.computed.get("completeness")
        return ALERT if isinstance(value, int) and value < 50 else None

    return ListColumn(
        "completeness",
        _tr("档案完整度"),
        lambda r: "" if r.computed.get("completeness") is None else f"{r.computed['completeness']}%",
        _value("completeness"),
        alignment=_RIGHT,
        tooltip=lambda _r: _tr("一小区一档案 7 个部分中，没有缺项或过期事项的部分所占比例"),
        foreground=foreground,
        width_chars=9,
    )


def _match_column() -> ListColumn:
    return ListColumn(
        "matched",
        _tr("匹配"),
        lambda r: _tr("匹配：{why}").format(why=r.matched) if r.matched else "",
        lambda r: r.matched or None,
        tooltip=lambda r: r.matched,
        width_chars=24,
    )


def _assessment_text(row: ListRow) -> str:
    value = row.computed.get("assessment")
    if not isinstance(value, Assessment):
        return ""
    if value.done:
        return _tr("已评估")
    if value.overdue:
        return _tr("满15年未评估（{due}）").format(due=value.due_on.isoformat())
    return value.due_on.isoformat()


def _assessment_tip(row: ListRow) -> str:
    value = row.computed.get("assessment")
    if not isinstance(value, Assessment):
        return ""
    if value.overdue:
        return _tr("使用满15年（{due}）仍未做安全评估").format(due=value.due_on.isoformat())
    if value.done:
        return _tr("已在满15年前一年内或之后完成安全评估")
    return _tr("使用满15年之日，应在此前一年内完成安全评估")


def _monitoring_text(row: ListRow) -> str:
    value = row.computed.get("monitoring")
    return {"已安装": _tr("已安装"), "未安装": _tr("未安装"), "逾期未装": _tr("逾期未装")}.get(str(value), "")


def _lift_columns() -> list[ListColumn]:
    return [
        _number_column("age_years", _tr("梯龄（年）"), 8),
        ListColumn(
            "assessment",
            _tr("评估到期"),
            _assessment_text,
            lambda r: getattr(r.computed.get("assessment"), "due_on", None),
            tooltip=_assessment_tip,
            foreground=lambda r: ALERT if getattr(r.computed.get("assessment"), "overdue", False) else None,
            width_chars=22,
        ),
        ListColumn(
            "monitoring",
            _tr("远程监测"),
            _monitoring_text,
            _value("monitoring"),
            alignment=_CENTER,
            foreground=lambda r: ALERT if r.computed.get("monitoring") == "逾期未装" else None,
            tooltip=lambda _r: _tr("住宅电梯应在2027年底前全部安装远程监测"),
            width_chars=8,
        ),
    ]


def _days_column() -> ListColumn:
    def text(row: ListRow) -> str:
        days = row.computed.get("days_to_end")
        if days is None:
            return ""
        return _tr("已过 {days} 天").format(days=f"{-days:,}") if days < 0 else f"{days:,}"

    return ListColumn(
        "days_to_end",
        _tr("距届满（天）"),
        text,
        _value("days_to_end"),
        alignment=_RIGHT,
        foreground=lambda r: ALERT if (r.computed.get("days_to_end") or 0) < 0 else None,
        width_chars=10,
    )


def _street_column() -> ListColumn:
    return ListColumn("street", _tr("街镇"), lambda r: str(r.computed.get("street") or ""), _value("street"))


def _vote_column(register_key: str) -> ListColumn:
    """A record's vote judged from its counts: 通过 / 未通过 and why; every count and the rule in the tooltip."""
    declared = VOTE_COLUMNS[register_key]

    def verdict(row: ListRow) -> Verdict | None:
        value = row.computed.get(declared.key)
        return value if isinstance(value, Verdict) else None

    def foreground(row: ListRow) -> QColor | None:
        found = verdict(row)
        if found is None or found.passed:
            return None
        return ALERT if found.passed is False else WARNING_TEXT

    return ListColumn(
        declared.key,
        declared.header,  # declared once, as the dossier prints it
        lambda r: getattr(verdict(r), "text", ""),
        lambda r: getattr(verdict(r), "text", None),
        tooltip=lambda r: getattr(verdict(r), "detail", ""),
        foreground=foreground,
        width_chars=28,
    )


def list_columns(register: Register) -> list[ListColumn]:
    """Every column a register's list can show, in their default order."""
    fields = [field_column(register, f.key) for f in register.columns]
    key = register.key
    level_tip = _tr("普陀信用信息预警等级（本区政策，按有效失信记分）")
    if register.is_estate:
        return _after(
            fields,
            "neighbourhood_id",
            _committee_column("committee_state", _tr("业委会")),
            _level_column(_tr("物业预警"), level_tip),
            _completeness_column(),
            _match_column(),
        )
    if key == "companies":
        return [
            *fields[:1],
            _level_column(_tr("预警等级"), level_tip),
            _number_column("active_points", _tr("有效记分"), 8),
            _number_column("score", _tr("信用分（本区）"), 10),
            _number_column("estates_served", _tr("服务小区数"), 9),
            *fields[1:],
        ]
    if key == "managers":
        return [
            *fields,
            _level_column(_tr("预警等级"), _tr("项目经理有效记分达9分为红色")),
            _number_column("active_points", _tr("有效记分"), 8),
            _number_column("estates_managed", _tr("负责小区数"), 9),
        ]
    if key == "lifts":
        age, assessment, monitoring = _lift_columns()
        fields = [c if c.key != "remote_monitoring" else monitoring for c in fields]  # the field, read by the rule
        return _after(fields, "first_use_on", age, assessment)
    if key == "committee_terms":
        return [
            _street_column(),
            *fields[:1],
            _committee_column("term_state", _tr("状态")),
            _days_column(),
            *fields[1:],
            _vote_column(key),
        ]
    if key == "lift_projects":
        return [_street_column(), *fields, _vote_column(key)]
    if key == "projects":
        return [*fields, _vote_column(key)]
    return fields


def _after(columns: list[ListColumn], key: str, *inserted: ListColumn) -> list[ListColumn]:
    """`columns` with `inserted` placed after the column `key` (at the end if there is none)."""
    keys = [c.key for c in columns]
    at = keys.index(key) + 1 if key in keys else len(columns)
    return [*columns[:at], *inserted, *columns[at:]]
