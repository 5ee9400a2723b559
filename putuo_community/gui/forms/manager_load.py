"""Warns, in an estate's form, when the chosen project manager already serves 3 other estates.

The rule (沪房规范〔2021〕6号: one project manager, at most 3 areas) is a warning, not a refusal:
the clerk may still save, and the warning says which rule it cites.
"""

from __future__ import annotations

from PySide6.QtCore import QObject

from putuo_community.gui.forms.record_form import RecordForm
from putuo_community.gui.worker import BackgroundRunner, Task
from putuo_community.services.credit import CreditService

FIELD = "manager_id"


class ManagerLoadCheck(QObject):
    """Follows a form's 项目经理 and asks the credit service, off the UI thread, how many estates they serve."""

    def __init__(
        self,
        form: RecordForm,
        credit: CreditService,
        runner: BackgroundRunner,
        estate_id: int | None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.form = form
        self.credit = credit
        self.runner = runner
        self.estate_id = estate_id
        self.checked: int | None = None  # the manager last asked about
        self.task: Task | None = None
        form.changed.connect(self._changed)
        self._changed()

    def _changed(self) -> None:
        manager_id = self.form.values().get(FIELD)
        if manager_id == self.checked:
            return
        self.checked = manager_id
        if not isinstance(manager_id, int):
            self.form.set_field_warnings({})
            return
        credit, estate_id = self.credit, self.estate_id
        self.task = self.runner.run(
            lambda _progress: credit.manager_placement_warning(manager_id, estate_id=estate_id),
            on_result=lambda warning: self._answered(manager_id, warning),
            description=self.tr("核对项目经理负责的小区数"),
            parent=self.form,
        )

    def _answered(self, manager_id: int, warning: str | None) -> None:
        self.task = None
        if manager_id == self.checked:
            self.form.set_field_warnings({FIELD: warning} if warning else {})
