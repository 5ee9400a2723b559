"""Whether the archive may be written now, and whether the session's account may do it, for every
button and menu entry that writes.

Writes are refused for good when the archive was opened read-only (asked for with --read-only, or
its file or folder cannot be written), and from the moment a damaged file is found until a restore
mends it. With accounts on, each control's `Action` is refused to the roles that may not take it, and
a 街镇经办人's edits to the records of another 街镇. Controls that write follow this state: disabled
while refused, with a tooltip saying why. The services refuse such writes as well, so a control
missed here still writes nothing.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QWidget

from putuo_community.domain.accounts import Action, Actor
from putuo_community.domain.registers import get_register
from putuo_community.services import Services
from putuo_community.services.permissions import action_for

_OWN_TIP = "putuo_own_tip"  # the control's tooltip for when it may write, kept while the refusal shows
READ_ONLY_STYLE = "color: white; background: #a15c00; font-weight: bold; padding: 1px 8px; border-radius: 3px;"


def _tr(text: str) -> str:
    return QCoreApplication.translate("WriteAccess", text)


def action_of_register(register_key: str) -> Action:
    """The right a form for the records of `register_key` needs (信用记分 is recorded by the district),
    as the services check it."""
    return action_for(get_register(register_key))


class WriteAccess(QObject):
    """The write state of one archive's services, shared by the windows that show it."""

    # The state may have changed (a damaged file found, a restore done): controls look again.
    changed = Signal()

    def __init__(self, services: Services, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.services = services
        # An estate window's: the 街镇 (id, name) of the records its controls write; None: no one 街镇.
        self.street: tuple[int | None, str] | None = None

    def for_street(self, parent: QObject) -> WriteAccess:
        """A view of this state for the records of one 街镇 (an estate's window), following its changes;
        its 街镇 is unknown (refused to a 街镇经办人) until `set_street`."""
        scoped = WriteAccess(self.services, parent)
        scoped.street = (None, "")
        self.changed.connect(scoped.changed)
        return scoped

    def set_street(self, street_id: int | None, street_name: str) -> None:
        if self.street != (street_id, street_name):
            self.street = (street_id, street_name)
            self.changed.emit()

    @property
    def actor(self) -> Actor:
        return self.services.actor

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

    def refusal_of(
        self, action: Action = Action.EDIT_RECORDS, *, street: tuple[int | None, str] | None = None
    ) -> str | None:
        """Why `action` is refused now (the archive's state first, then the account's role and 街镇);
        None when allowed. `street`: the 街镇 of the record concerned, else this view's own."""
        refusal = self.refusal
        if refusal is not None:
            return refusal
        street = street if street is not None else self.street
        if street is None:
            return self.actor.why_not(action)
        return self.actor.why_not_in_street(action, *street)

    def may(self, action: Action) -> bool:
        """The account's role allows `action` at all (whatever the archive's state): for what to offer."""
        return self.actor.may(action)

    def follow(
        self,
        control: QWidget | QAction,
        wanted: bool = True,
        action: Action = Action.EDIT_RECORDS,
        *,
        street: tuple[int | None, str] | None = None,
    ) -> None:
        """Enable `control` when `wanted` (a record chosen …) and `action` is allowed (most write controls
        add, change or delete records). While refused its tooltip says why: a disabled button still shows it."""
        _apply(control, wanted, self.refusal_of(action, street=street))

    def follow_right(self, control: QWidget | QAction, action: Action, wanted: bool = True) -> None:
        """As `follow`, for what writes nothing to the archive (an export, a backup to a file): only the
        account's right to `action` counts, not whether the archive may be written."""
        _apply(control, wanted, self.actor.why_not(action))


def _apply(control: QWidget | QAction, wanted: bool, refusal: str | None) -> None:
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
