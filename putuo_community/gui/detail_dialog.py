"""A read-only view of one record: every declared field with its label and value."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from putuo_community.domain.fields import FieldType, Register
from putuo_community.gui.models import field_text
from putuo_community.gui.widgets import enlarged_font
from putuo_community.services import Record


def record_caption(register: Register, record: Record) -> str:
    """How a record is named in a heading: its title, after its estate's name when it belongs to one."""
    title = record.title
    if register.estate_field:
        estate = record.ref_titles.get(register.estate_field, "")
        if estate and register.estate_field != register.title_field:
            return f"{estate} · {register.field(register.title_field).label} {title}"
    return title


class RecordDetailDialog(QDialog):
    def __init__(self, register: Register, record: Record, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.register = register
        self.record = record
        self.caption = record_caption(register, record)
        self.setWindowTitle(self.tr("{register}：{title}").format(register=register.label, title=self.caption))
        self.resize(560, 640)

        form_widget = QWidget()
        form = QFormLayout(form_widget)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        # Label text → value label, for tests and for copying.
        self.value_labels: dict[str, QLabel] = {}
        for field in register.fields:
            text = field_text(record, field)
            if text and field.unit and field.type in (FieldType.INTEGER, FieldType.DECIMAL):
                text = f"{text} {field.unit}"
            value = QLabel(text or self.tr("—"))
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            if not text:
                value.setStyleSheet("color: #999999;")
            label = QLabel(self.tr("{label}：").format(label=field.label))
            if field.note:
                label.setToolTip(field.note)
            form.addRow(label, value)
            self.value_labels[field.label] = value

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(form_widget)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        heading = QLabel(self.caption)
        heading.setWordWrap(True)
        heading.setFont(enlarged_font(heading.font(), 1.3))
        layout.addWidget(heading)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)

    def value_text(self, label: str) -> str:
        return self.value_labels[label].text()
