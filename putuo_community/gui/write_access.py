"""Whether the archive may be written now, for every button and menu entry that writes.

Writes are refused for good when the archive was opened read-only (asked for with --read-only, or
its file or folder cannot be written), and from the moment a damaged file is found until a restore
mends it. Controls that write follow this state: disabled while writes are refused, with a tooltip
saying why. The services refuse such writes as well, so a control missed here still writes nothing.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QWidget

from putuo_community.services import Services

_OWN_TIP = "putuo_own_tip"  # the control's tooltip for when it may write, kept while the refusal shows
READ_ONLY_STYLE = "color: white; background: #a15c00; font-weight: bold; padding: 1px 8px; border-radius: 3px;"


def _tr(text: str) -> str:
    return QCoreApplication.translate("WriteAccess", text)


class WriteAccess(QObject):
    """The write state of one archive's services, shared by the windows that show it."""

    # The state may have changed (a damaged file found, a restore done): controls look again.
    changed = Signal()

    def __init__(self, services: Services, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services = services

    @property
    def refusal(self) -> str | None:
        """Why writes are refused, as the clerk is told; None while they are allowed."""
        return self.services.writes_refused

    @property
    def allowed(self) -> bool:
        return self.refusal is None

    @property
    def read_only(self) -> bool:
        return self.services.read_only

    def recheck(self) -> None:
        self.changed.emit()

    def follow(self, control: QWidget | QAction, wanted: bool = True) -> None:
        """Enable `control` when `wanted` (a record chosen …) and writes are allowed. While they are
        refused its tooltip says why: a disabled button still shows its tooltip."""
        refusal = self.refusal
        own = control.property(_OWN_TIP)
        if own is None:
            own = control.toolTip()
            control.setProperty(_OWN_TIP, own)
        control.setEnabled(wanted and refusal is None)
        control.setToolTip(str(own) if refusal is None else refusal)


def read_only_notice_tip(refusal: str) -> str:
    """The tooltip of the 只读 notice: why, and what that leaves the clerk able to do."""
    return refusal + "\n" + _tr("可以查看、搜索、导出和打印；新增、修改、删除、导入、撤销和恢复都已停用。")


def read_only_notice(parent: QWidget) -> QLabel:
    """只读, for the status bar of a window whose archive was opened read-only (hidden until shown)."""
    label = QLabel(_tr("只读"), parent)
    label.setObjectName("readOnlyNotice")
    label.setStyleSheet(READ_ONLY_STYLE)
    label.setAccessibleName(_tr("数据库以只读方式打开"))
    label.hide()
    return label
