"""Check a record's values against its register declaration and the domain rules."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from putuo_community.domain.committee import term_length_problem
from putuo_community.domain.contracts import temporary_service_problem
from putuo_community.domain.credit import entry_problems as credit_entry_problems
from putuo_community.domain.credit_code import credit_code_problem
from putuo_community.domain.errors import FieldProblem, ValidationReport
from putuo_community.domain.fields import Field, FieldType, Register
from putuo_community.domain.registers import REGISTERS
from putuo_community.domain.registers.votes import VOTE_COLUMNS, limit_problems

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
    # Rules across fields need the whole record: for a partial change the service checks them on the merged record.
    if not problems and not partial:
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


def _temporary_service(values: Mapping[str, Any]) -> list[FieldProblem]:
    start, end = values.get("start_on"), values.get("end_on")
    if isinstance(start, date) and isinstance(end, date):
        problem = temporary_service_problem(values.get("kind"), start, end)
        if problem:
            return [FieldProblem("end_on", "结束日期", problem)]
    return []


def _credit_dates(values: Mapping[str, Any]) -> list[FieldProblem]:
    # The credit rules (discovery within a year, points of the band, correction, objection) are the domain's.
    return credit_entry_problems(values)


def _vote_counts(register_key: str) -> RecordCheck:
    """No count above the whole it is part of (同意 ≤ 参与 ≤ 总数), for the votes the register keeps."""
    column = VOTE_COLUMNS[register_key]

    def check(values: Mapping[str, Any]) -> list[FieldProblem]:
        register = REGISTERS[register_key]
        return [
            FieldProblem(key, register.field(key).label, message)
            for vote in column.votes
            for key, message in limit_problems(vote, register, values)
        ]

    return check


_RECORD_CHECKS: dict[str, tuple[RecordCheck, ...]] = {
    "companies": (_credit_code,),
    "committee_terms": (
        _dates_in_order("start_on", "end_on", "任期届满"),
        _term_length,
        _vote_counts("committee_terms"),
    ),
    "committee_activities": (_vote_counts("committee_activities"),),
    "contracts": (_dates_in_order("start_on", "end_on", "结束日期"), _temporary_service),
    "credit_events": (_credit_dates,),
    "projects": (_dates_in_order("started_on", "completed_on", "竣工日期"), _vote_counts("projects")),
    "lift_projects": (
        _vote_counts("lift_projects"),
        _dates_in_order("started_on", "completed_on", "竣工日期"),
    ),
    "committee_members": (_dates_in_order("joined_on", "left_on", "离任日期"),),
}
