"""What an empty archive shows instead of a blank list: three ways to begin, each one click away."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from putuo_community import APP_TITLE
from putuo_community.gui.widgets import enlarged_font


class FirstStartPanel(QWidget):
    """Shown in place of the estate list while the database holds no estate."""

    import_requested = Signal()
    new_estate_requested = Signal()
    demo_requested = Signal()

    def __init__(self, *, demo_available: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("firstStart")
        self._notes: dict[QPushButton, QLabel] = {}
        heading = QLabel(self.tr("欢迎使用{app}").format(app=APP_TITLE), self)
        heading.setFont(enlarged_font(heading.font(), 1.6))
        intro = QLabel(
            self.tr(
                "数据库里还没有小区。“一小区一档案”从小区开始：把现有的 Excel 台账导入进来，"
                "或者逐个登记小区；想先看看程序能做什么，可以载入一个演示用的普陀区。"
            ),
            self,
        )
        intro.setWordWrap(True)

        self.import_button = self._choice(
            self.tr("导入台账(&I)…"),
            self.tr("选择街镇现有的小区、楼栋、业委会、电梯等 Excel/WPS 台账，预览每一行后再写入。"),
        )
        self.import_button.clicked.connect(self.import_requested)
        self.new_button = self._choice(
            self.tr("新建小区(&N)…"),
            self.tr("手工登记第一个小区，之后在它的档案窗口里补充楼栋、业委会、物业服务等信息。"),
        )
        self.new_button.clicked.connect(self.new_estate_requested)
        self.demo_button = self._choice(
            self.tr("载入演示数据(&D)…"),
            self.tr("在单独的演示文件夹中生成约 1,000 个模拟小区并在新窗口中打开，不会写入您自己的档案。"),
        )
        self.demo_button.clicked.connect(self.demo_requested)
        self.demo_button.setEnabled(demo_available)

        column = QVBoxLayout()
        column.addWidget(heading)
        column.addSpacing(8)
        column.addWidget(intro)
        column.addSpacing(16)
        for button in (self.import_button, self.new_button, self.demo_button):
            column.addWidget(button)
            column.addWidget(self._notes[button])
            column.addSpacing(10)
        column.addStretch(1)
        frame = QFrame(self)
        frame.setMaximumWidth(640)
        frame.setLayout(column)
        centred = QHBoxLayout()
        centred.addStretch(1)
        centred.addWidget(frame, 100)  # as wide as it may be, so the notes wrap at full width
        centred.addStretch(1)
        outer = QVBoxLayout(self)
        outer.addSpacing(24)
        outer.addLayout(centred)
        outer.addStretch(1)
        self.setFocusProxy(self.import_button)

    def _choice(self, text: str, note: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setFont(enlarged_font(button.font(), 1.15))
        button.setMinimumHeight(button.sizeHint().height() + 12)
        label = QLabel(note, self)
        label.setWordWrap(True)
        label.setStyleSheet("color: #555555;")
        self._notes[button] = label
        return button
