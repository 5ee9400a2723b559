"""Step 3: which field each column of the file goes to. The choice is remembered for files of the same shape."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from putuo_community.domain.fields import Field
from putuo_community.gui.import_wizard.common import (
    ERROR_STYLE,
    LEFT_OUT_STYLE,
    NOTE_STYLE,
    ImportSession,
    StepPage,
    message_label,
)
from putuo_community.gui.import_wizard.models import cell_text, column_letter
from putuo_community.gui.widgets import enlarged_font
from putuo_community.gui.worker import BackgroundRunner
from putuo_community.services.importing import ImportSource, UnmappedColumn
from putuo_community.services.importing.plan import unmapped_columns

log = logging.getLogger(__name__)

NOT_IMPORTED = None  # the data of the "（不导入）" entry
EXAMPLES = 3


def missing_required(source: ImportSource, mapping: dict[int, str]) -> list[Field]:
    """Required fields no column is mapped to and the importer cannot fill in by itself."""
    mapped = set(mapping.values())
    missing = []
    for f in source.kind.register.fields:
        if not f.required or f.key in mapped:
            continue
        if f.key == "street_id" and (source.default_street_id is not None or "_street" in mapped):
            continue  # from the sheet's or the file's name, or a lookup column
        if f.key == "estate_id" and "_estate" in mapped:
            continue
        missing.append(f)
    return missing


def examples(source: ImportSource, index: int) -> str:
    seen: list[str] = []
    for row in source.table.rows[:200]:
        text = cell_text(row.cells[index]) if index < len(row.cells) else ""
        if text and text not in seen:
            seen.append(text)
            if len(seen) == EXAMPLES:
                break
    joined = "、".join(seen)
    return joined if len(joined) <= 40 else joined[:39] + "…"


class MappingPage(StepPage):
    def __init__(self, session: ImportSession, runner: BackgroundRunner, parent: QWidget | None = None) -> None:
        super().__init__(session, runner, parent)
        self.setTitle(self.tr("列对应"))
        self.setSubTitle(self.tr("核对文件的每一列导入到哪一项。不需要的列选“（不导入）”。"))
        self.combos: dict[int, QComboBox] = {}

        self.remembered_label = QLabel(self)
        self.remembered_label.setWordWrap(True)
        self.remembered_label.setStyleSheet("color: #1565c0;")
        self.remembered_label.hide()

        self.scroll_area = QScrollArea(self)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.StyledPanel)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        self.missing_label = message_label(self)
        self.missing_label.setObjectName("missingRequired")
        self.missing_label.setStyleSheet(ERROR_STYLE)
        self.default_label = message_label(self)
        self.default_label.setStyleSheet(NOTE_STYLE)
        # Every column that will not be imported, with a value from it: none is dropped without a word.
        self.left_out_label = message_label(self)
        self.left_out_label.setObjectName("leftOutColumns")
        self.left_out_label.setStyleSheet(LEFT_OUT_STYLE)

        layout = QVBoxLayout(self)
        layout.addWidget(self.remembered_label)
        layout.addWidget(self.scroll_area, 1)
        layout.addWidget(self.left_out_label)
        layout.addWidget(self.missing_label)
        layout.addWidget(self.default_label)
        layout.addWidget(self.error_label)

    # -- what a test or the page calls --------------------------------------------------------

    def combo_for(self, column_index: int) -> QComboBox:
        return self.combos[column_index]

    def set_field(self, column_index: int, field_key: str | None) -> None:
        combo = self.combos[column_index]
        combo.setCurrentIndex(combo.findData(field_key))

    def missing_fields(self) -> list[str]:
        source = self.session.source
        return [f.label for f in missing_required(source, self.session.mapping)] if source else []

    def left_out_columns(self) -> tuple[UnmappedColumn, ...]:
        """The columns the current mapping does not import, in the sheet's order."""
        source = self.session.source
        return unmapped_columns(source, self.session.mapping) if source else ()

    def duplicated_fields(self) -> list[str]:
        source = self.session.source
        if source is None:
            return []
        keys = list(self.session.mapping.values())
        return [source.kind.field(k).label for k in dict.fromkeys(keys) if keys.count(k) > 1]

    # -- QWizardPage ----------------------------------------------------------------------------

    def initializePage(self) -> None:
        source = self.session.source
        assert source is not None
        self._build_grid(source)
        if source.remembered:
            self.remembered_label.setText(
                self.tr("已按上次的列对应：这种格式的{kind}台账以前导入过，沿用了当时的选择，请再核对一遍。").format(
                    kind=source.kind.label
                )
            )
        self.remembered_label.setVisible(source.remembered)
        self._update_problems()

    def isComplete(self) -> bool:
        return bool(self.session.mapping) and not self.duplicated_fields()

    def validatePage(self) -> bool:
        source = self.session.source
        if source is None or not self.isComplete():
            return False
        try:
            self.session.imports.remember_mapping(source, self.session.mapping)
        except OSError as error:  # only the convenience is lost; the import goes on
            log.warning("could not remember the column mapping: %s", error)
        return True

    # -- building -------------------------------------------------------------------------------

    def _build_grid(self, source: ImportSource) -> None:
        self.combos.clear()
        container = QWidget(self.scroll_area)
        grid = QGridLayout(container)
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(6)
        headings = (self.tr("列"), self.tr("表头"), self.tr("示例"), self.tr("导入为"))
        for position, heading in enumerate(headings):
            label = QLabel(heading, container)
            label.setFont(enlarged_font(label.font(), 1.0))
            grid.addWidget(label, 0, position)
        fields = source.kind.all_fields
        for row, column in enumerate(source.table.columns, start=1):
            letter = QLabel(column_letter(column.index), container)
            letter.setAlignment(Qt.AlignmentFlag.AlignCenter)
            header_text = column.text or self.tr("（无表头）")
            if column.group and column.group not in column.text:
                header_text = f"{column.group} · {header_text}"
            if column.hidden:
                header_text += self.tr("（隐藏列）")
            header = QLabel(header_text, container)
            example = QLabel(examples(source, column.index), container)
            example.setStyleSheet(NOTE_STYLE)
            example.setToolTip(example.text())
            # Examples give way when the window is narrow; the header and the choice never do.
            example.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            combo = QComboBox(container)
            combo.addItem(self.tr("（不导入）"), NOT_IMPORTED)
            for f in fields:
                text = f.header + (self.tr("（必填）") if f.required else "")
                combo.addItem(text, f.key)
                if f.note:
                    combo.setItemData(combo.count() - 1, f.note, Qt.ItemDataRole.ToolTipRole)
            combo.setCurrentIndex(max(combo.findData(self.session.mapping.get(column.index)), 0))
            combo.setAccessibleName(self.tr("“{header}”导入为").format(header=header_text))
            combo.setMinimumContentsLength(16)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setProperty("column_index", column.index)
            combo.currentIndexChanged.connect(self._combo_changed)
            header.setBuddy(combo)
            grid.addWidget(letter, row, 0)
            grid.addWidget(header, row, 1)
            grid.addWidget(example, row, 2)
            grid.addWidget(combo, row, 3)
            self.combos[column.index] = combo
        grid.setColumnStretch(2, 1)
        grid.setRowStretch(len(source.table.columns) + 1, 1)
        old = self.scroll_area.takeWidget()
        if old is not None:
            old.deleteLater()
        self.scroll_area.setWidget(container)

    # -- slots ----------------------------------------------------------------------------------

    def _combo_changed(self) -> None:
        combo = self.sender()
        if not isinstance(combo, QComboBox):
            return
        index = int(combo.property("column_index"))
        key = combo.currentData()
        if key is NOT_IMPORTED:
            self.session.mapping.pop(index, None)
        else:
            self.session.mapping[index] = str(key)
        self._update_problems()

    def _update_problems(self) -> None:
        source = self.session.source
        if source is None:
            return
        problems = []
        missing = self.missing_fields()
        if missing:
            problems.append(self.tr("必填项还没有对应的列：{fields}").format(fields="、".join(missing)))
        duplicated = self.duplicated_fields()
        if duplicated:
            problems.append(
                self.tr("以下各项对应了不止一列，请只保留一列：{fields}").format(fields="、".join(duplicated))
            )
        if not self.session.mapping:
            problems.append(self.tr("还没有任何列要导入。"))
        self.missing_label.setText("\n".join(problems))
        self.missing_label.setVisible(bool(problems))
        left_out = self.left_out_columns()
        self.left_out_label.setText(
            self.tr("不导入的列（{count} 列）：{columns}。如需导入，请在上面为它选择对应的项。").format(
                count=len(left_out), columns="、".join(c.describe() for c in left_out)
            )
        )
        self.left_out_label.setVisible(bool(left_out))
        duplicated_keys = {k for k in self.session.mapping.values() if list(self.session.mapping.values()).count(k) > 1}
        for index, combo in self.combos.items():
            combo.setStyleSheet(ERROR_STYLE if self.session.mapping.get(index) in duplicated_keys else "")
        street_from_name = (
            source.kind.register.has_field("street_id")
            and source.default_street_id is not None
            and "street_id" not in self.session.mapping.values()
            and "_street" not in self.session.mapping.values()
        )
        self.default_label.setText(self.tr("文件中没有“街镇”列：各行的街镇按工作表名或文件名确定。"))
        self.default_label.setVisible(street_from_name)
        self.completeChanged.emit()
