"""Check a record's values against its register declaration and the domain rules."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from putuo_community.domain.committee import term_length_problem
from putuo_community.domain.credit import Band
from putuo_community.domain.credit_code import credit_code_problem
from putuo_community.domain.errors import FieldProblem, ValidationReport
from putuo_community.domain.fields import Field, FieldType, Register

RecordCheck = Callable[[Mapping[str, Any]], list[FieldProblem]]

_PYTHON_TYPES: dict[FieldType, tuple[type, ...]] = {
    FieldType.TEXT: (str,),
    FieldType.LONG_TEXT: (str,),
    FieldType.CHOICE: (str,),
    FieldType.INTEGER: (int,),
    FieldType.REF: (int,),
    FieldType.DECIMAL: (Decimal, int),
    FieldType.DATE: (date,),
    FieldType.BOOL: (bool,),
}


def is_empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def field_problem(field: Field, value: object) -> str | None:
    """Why `value` does not fit `field`, in Chinese; None when it fits."""
    if is_empty(value):
        return "必填" if field.required else None
    expected = _PYTHON_TYPES[field.type]
    # bool is an int in Python; an integer field must not take True.
    if not isinstance(value, expected) or (isinstance(value, bool) and field.type is not FieldType.BOOL):
        return f"类型不对（应为{_TYPE_NAMES[field.type]}）"
    if isinstance(value, str) and len(value) > field.max_length:
        return f"过长（最多 {field.max_length} 字，现有 {len(value)} 字）"
    if field.type is FieldType.CHOICE and value not in field.choices:
        return f"“{value}”不是可选值（可选：{'、'.join(field.choices)}）"
    if field.type in (FieldType.INTEGER, FieldType.DECIMAL) and isinstance(value, (int, Decimal)):
        number = Decimal(value)
        if field.minimum is not None and number < field.minimum:
            return f"不能小于 {field.minimum}"
        if field.maximum is not None and number > field.maximum:
            return f"不能大于 {field.maximum}"
    return None


_TYPE_NAMES = {
    FieldType.TEXT: "文字",
    FieldType.LONG_TEXT: "文字",
    FieldType.CHOICE: "可选值",
    FieldType.INTEGER: "整数",
    FieldType.REF: "关联记录",
    FieldType.DECIMAL: "数字",
    FieldType.DATE: "日期",
    FieldType.BOOL: "是/否",
}


def normalise_values(register: Register, values: Mapping[str, Any]) -> dict[str, Any]:
    """``values`` with each text in the spelling its field stores (统一社会信用代码 upper-case, half-width, no spaces).

    A text that is nothing but spaces becomes None: an empty code is no code, not a second "" to collide.
    """
    normalised = dict(values)
    for field in register.canonical_fields:
        value = normalised.get(field.key)
        if isinstance(value, str):
            normalised[field.key] = field.normalise_text(value) or None
    return normalised


def validate_record(register: Register, values: Mapping[str, Any], *, partial: bool = False) -> ValidationReport:
    """Check every declared field (only the given ones when `partial`) and the register's own rules."""
    problems: list[FieldProblem] = []
    for key in values:
        if not register.has_field(key):
            problems.append(FieldProblem(key, key, f"“{register.label}”台账没有这个字段"))
    for field in register.fields:
        if partial and field.key not in values:
            continue
        message = field_problem(field, values.get(field.key))
        if message:
            problems.append(FieldProblem(field.key, field.label, message))
    if not problems:
        problems.extend(record_problems(register, values))
    return ValidationReport(tuple(problems))


def record_problems(register: Register, values: Mapping[str, Any]) -> list[FieldProblem]:
    """The register's own rules across fields (dates in order, points match the band ...)."""
    problems: list[FieldProblem] = []
    for check in _RECORD_CHECKS.get(register.key, ()):
        problems.extend(check(values))
    return problems


def _dates_in_order(start_key: str, end_key: str, register_label: str) -> RecordCheck:
    def check(values: Mapping[str, Any]) -> list[FieldProblem]:
        start, end = values.get(start_key), values.get(end_key)
        if isinstance(start, date) and isinstance(end, date) and end < start:
            return [FieldProblem(end_key, register_label, "结束日期早于开始日期")]
        return []

    return check


def _credit_code(values: Mapping[str, Any]) -> list[FieldProblem]:
    code = values.get("credit_code")
    if isinstance(code, str) and code.strip():
        problem = credit_code_problem(code)
        if problem:
            return [FieldProblem("credit_code", "统一社会信用代码", problem)]
    return []


def _term_length(values: Mapping[str, Any]) -> list[FieldProblem]:
    start, end = values.get("start_on"), values.get("end_on")
    if isinstance(start, date) and isinstance(end, date):
        problem = term_length_problem(start, end)
        if problem:
            return [FieldProblem("end_on", "任期届满", problem)]
    return []


def _credit_dates(values: Mapping[str, Any]) -> list[FieldProblem]:
    problems = []
    act, found, scored = (
        values.get("act_on"),
        values.get("discovered_on"),
        values.get("scored_on"),
    )
    if isinstance(act, date) and isinstance(found, date) and found < act:
        problems.append(FieldProblem("discovered_on", "发现日期", "早于行为发生日期"))
    if isinstance(act, date) and isinstance(scored, date) and scored < act:
        problems.append(FieldProblem("scored_on", "记分日期", "早于行为发生日期"))
    band, points = values.get("band"), values.get("points")
    if isinstance(band, str) and band != "业绩" and isinstance(points, int):
        expected = Band.from_label(band).points
        if points != expected:
            problems.append(FieldProblem("points", "分值", f"“{band}”失信行为记{expected}分，不是{points}分"))
    if values.get("subject") == "项目经理" and values.get("manager_id") is None:
        problems.append(FieldProblem("manager_id", "项目经理", "记分对象为项目经理时必填"))
    return problems


def _vote_counts(values: Mapping[str, Any]) -> list[FieldProblem]:
    problems = []
    pairs = (
        ("agree_owners", "voting_owners", "同意人数", "参与表决人数"),
        ("voting_owners", "households", "参与表决人数", "单元户数"),
        ("agree_area", "voting_area", "同意面积", "参与表决面积"),
        ("voting_area", "total_area", "参与表决面积", "单元专有面积"),
    )
    for part, whole, part_label, whole_label in pairs:
        a, b = values.get(part), values.get(whole)
        if a is not None and b is not None and a > b:
            problems.append(FieldProblem(part, part_label, f"不能大于{whole_label}"))
    return problems


_RECORD_CHECKS: dict[str, tuple[RecordCheck, ...]] = {
    "companies": (_credit_code,),
    "committee_terms": (
        _dates_in_order("start_on", "end_on", "任期届满"),
        _term_length,
    ),
    "contracts": (_dates_in_order("start_on", "end_on", "结束日期"),),
    "credit_events": (_credit_dates,),
    "projects": (_dates_in_order("started_on", "completed_on", "竣工日期"),),
    "lift_projects": (
        _vote_counts,
        _dates_in_order("started_on", "completed_on", "竣工日期"),
    ),
    "committee_members": (_dates_in_order("joined_on", "left_on", "离任日期"),),
}
