"""Deleting one record: ask first, and refuse while other records still refer to it."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QMessageBox, QWidget

from putuo_community.domain.errors import UserError
from putuo_community.domain.registers import get_register
from putuo_community.gui.i18n import translator
from putuo_community.services import Record, Services
from putuo_community.services.records import Dependant

_tr = translator("confirm_delete")


def refusal_text(register_label: str, title: str, dependants: Sequence[Dependant]) -> str:
    """楼栋“3号楼”下登记了 2 台电梯、1 个加装电梯项目，不能删除。请先删除或改挂这些记录。"""
    return _tr("{register}“{title}”下登记了 {counted}，不能删除。请先删除或改挂这些记录。").format(
        register=register_label, title=title, counted="、".join(d.counted for d in dependants)
    )


def _examples(dependants: Sequence[Dependant]) -> str:
    lines = []
    for dependant in dependants:
        more = _tr(" 等") if dependant.count > len(dependant.examples) else ""
        lines.append(f"{dependant.register_label}：{'、'.join(dependant.examples)}{more}")
    return "\n".join(lines)


def confirm_delete(services: Services, record: Record, parent: QWidget | None = None) -> bool:
    """Ask, then delete `record` at the version it was read; True once it is gone.

    Refused, with the reason, while other records refer to it.
    """
    register = get_register(record.register)
    title = record.title or _tr("（无名称）")
    refused = services.writes_refused  # first: nothing can be deleted at all, whatever refers to the record
    if refused is not None:
        QMessageBox.warning(parent, _tr("无法删除"), refused)
        return False
    try:
        dependants = services.records.dependants(record.register, record.id)
    except UserError as error:
        QMessageBox.warning(parent, _tr("无法删除"), error.message)
        return False
    if dependants:
        text = refusal_text(register.label, title, dependants) + "\n\n" + _examples(dependants)
        QMessageBox.warning(parent, _tr("不能删除"), text)
        return False
    where = ""
    if register.estate_field and register.estate_field != register.title_field:
        estate = record.ref_titles.get(register.estate_field, "")
        where = _tr("{estate}的").format(estate=estate) if estate else ""
    answer = QMessageBox.question(
        parent,
        _tr("删除{register}").format(register=register.label),
        _tr("确定删除{where}{register}“{title}”吗？\n删除会记入变更记录。").format(
            where=where, register=register.label, title=title
        ),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    if answer != QMessageBox.StandardButton.Yes:
        return False
    try:
        services.records.delete(record.register, record.id, expected_version=record.version)
    except UserError as error:
        QMessageBox.warning(parent, _tr("无法删除"), error.message)
        return False
    QMessageBox.information(
        parent,
        _tr("已删除"),
        _tr("已删除{register}“{title}”。").format(register=register.label, title=title),
    )
    return True
