"""The 政策依据 page: every document behind the rules, its validity today and the rules that cite it;
and the district's own settings (本地口径), which an administrator changes here.
"""

from __future__ import annotations

import html
from dataclasses import fields
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QSplitter,
    QStyle,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from putuo_community.domain.accounts import Action
from putuo_community.domain.changes import Changes
from putuo_community.domain.errors import UserError
from putuo_community.domain.policies import Policy, Validity, policy_library
from putuo_community.domain.reminder_policy import POLICY_LABELS, ReminderPolicy
from putuo_community.domain.rules import ALL_RULES, Rule
from putuo_community.gui.dialogs.credit_settings_dialog import CreditSettingsDialog
from putuo_community.gui.pages.base import Page, PageContext
from putuo_community.services.reminders.settings import POLICY_KEY

LAPSED_BACKGROUND = QColor("#fde2e1")
LAPSED_FOREGROUND = QColor("#9c0006")
DOCUMENT_HEADERS = ("序号", "简称", "文号", "发布机关", "施行日期", "有效期至", "状态", "引用规则")
RULE_HEADERS = ("规则", "条款", "监测内容", "期限或阈值", "产生", "状态")
STATUS_COLUMN = 6
SPIN_MAXIMUM = 9999  # the service states the limits: a value outside them is refused with the reason


def citing_rules(number: int) -> list[tuple[Rule, str]]:
    """The rules citing document `number`, each with the article(s) cited."""
    found = []
    for rule in ALL_RULES:
        articles = [c.article for c in rule.citations if c.policy == number]
        if articles:
            found.append((rule, "、".join(a for a in articles if a) or "—"))
    return found


def _day(value: date | None) -> str:
    return value.isoformat() if value is not None else "—"


def _item(text: str, tip: str = "") -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled)
    if tip:
        item.setToolTip(tip)
    return item


class PolicyPage(Page):
    def __init__(self, context: PageContext, title: str, parent: QWidget | None = None) -> None:
        super().__init__(context, title, self.tr("提醒和计算所依据的政策文件，以及本区管理口径"), parent)
        self.today = date.today()
        self.policies: list[Policy] = sorted(policy_library().values(), key=lambda p: p.number)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self._build_documents(), self.tr("政策文件（{count}）").format(count=len(self.policies)))
        self.tabs.addTab(self._build_local(), self.tr("本地口径"))
        self.layout_.addWidget(self.tabs, 1)
        self.shown_policy = ReminderPolicy()
        self.context.writes.changed.connect(self._update_buttons)
        self._update_buttons()
        self.documents.selectRow(0)

    # -- 政策文件 ----------------------------------------------------------------------------

    def _build_documents(self) -> QWidget:
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.documents = QTableWidget(len(self.policies), len(DOCUMENT_HEADERS), splitter)
        self.documents.setHorizontalHeaderLabels([self.tr(h) for h in DOCUMENT_HEADERS])
        self.documents.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.documents.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.documents.verticalHeader().hide()
        self.documents.setWordWrap(False)
        warning_icon = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        for row, document in enumerate(self.policies):
            state = document.validity_on(self.today)
            cells = (
                str(document.number),
                document.short_name,
                document.document_no,
                document.issuer,
                _day(document.effective_from),
                document.until_text or "—",
                state.label,
                str(len(citing_rules(document.number))),
            )
            for column, text in enumerate(cells):
                item = _item(text, document.full_name if column == 1 else "")
                if state.lapsed:
                    item.setBackground(QBrush(LAPSED_BACKGROUND))
                    item.setForeground(QBrush(LAPSED_FOREGROUND))
                if state.lapsed and column == STATUS_COLUMN:
                    item.setIcon(warning_icon)
                    item.setToolTip(document.validity_note(self.today))
                self.documents.setItem(row, column, item)
        header = self.documents.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.documents.itemSelectionChanged.connect(self._document_chosen)

        detail = QWidget(splitter)
        self.detail_label = QLabel(detail)
        self.detail_label.setWordWrap(True)
        self.detail_label.setTextFormat(Qt.TextFormat.RichText)
        self.detail_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail_label.setOpenExternalLinks(False)
        self.rules_table = QTableWidget(0, len(RULE_HEADERS), detail)
        self.rules_table.setHorizontalHeaderLabels([self.tr(h) for h in RULE_HEADERS])
        self.rules_table.verticalHeader().hide()
        self.rules_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.rules_table.setWordWrap(True)
        rules_header = self.rules_table.horizontalHeader()
        rules_header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        rules_header.setStretchLastSection(True)
        for column, width in enumerate((150, 90, 260, 170, 170)):
            self.rules_table.setColumnWidth(column, width)
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 4, 0, 0)
        detail_layout.addWidget(self.detail_label)
        self.rules_heading = QLabel(detail)
        detail_layout.addWidget(self.rules_heading)
        detail_layout.addWidget(self.rules_table, 1)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        return splitter

    def current_policy(self) -> Policy | None:
        row = self.documents.currentRow()
        return self.policies[row] if 0 <= row < len(self.policies) else None

    def _document_chosen(self) -> None:
        document = self.current_policy()
        if document is None:
            return
        state = document.validity_on(self.today)
        note = document.validity_note(self.today)
        colour = LAPSED_FOREGROUND.name() if state.lapsed else "#1b6e20" if state is Validity.IN_FORCE else "#555555"
        lines = [
            f"<b>{html.escape(document.full_name)}</b>",
            self.tr("文号：{no}　发布机关：{issuer}　发布日期：{issued}　施行日期：{start}　有效期至：{until}").format(
                no=html.escape(document.document_no),
                issuer=html.escape(document.issuer),
                issued=_day(document.issued_on),
                start=_day(document.effective_from),
                until=html.escape(document.until_text or "—"),
            ),
            f'<span style="color: {colour};"><b>{html.escape(state.label)}</b>'
            + (f"：{html.escape(note)}" if note else "")
            + "</span>",
        ]
        if document.summary:
            lines.append(self.tr("要点：{summary}").format(summary=html.escape(document.summary)))
        if document.link:
            lines.append(self.tr("官方链接（可复制）：{link}").format(link=html.escape(document.link)))
        self.detail_label.setText("<br>".join(lines))
        rules = citing_rules(document.number)
        self.rules_heading.setText(self.tr("引用本文件的规则（{count} 条）：").format(count=len(rules)))
        self.rules_table.setRowCount(len(rules))
        for row, (rule, article) in enumerate(rules):
            rule_state = rule.validity_on(self.today)
            cells = (rule.title, article, rule.watches, rule.offset, rule.produces, rule_state.label)
            for column, text in enumerate(cells):
                item = _item(text or "—", rule.text if column == 0 else "")
                if rule_state.lapsed and column == len(cells) - 1:
                    item.setForeground(QBrush(LAPSED_FOREGROUND))
                    item.setToolTip(rule.validity_note(self.today))
                self.rules_table.setItem(row, column, item)
        self.rules_table.resizeRowsToContents()

    # -- 本地口径 ----------------------------------------------------------------------------

    def _build_local(self) -> QWidget:
        page = QWidget(self)
        intro = QLabel(
            self.tr(
                "以下是普陀区本地管理口径，不是公开发布的规定：提醒提前多久、逾期多久列入长期未办，"
                "以及文件未作规定的期限。修改后所有提醒立即按新口径计算，每项修改都记入变更记录。"
            ),
            page,
        )
        intro.setWordWrap(True)
        box = QGroupBox(self.tr("提醒设置"), page)
        form = QFormLayout(box)
        self.editors: dict[str, QSpinBox] = {}
        for item in fields(ReminderPolicy):
            spin = QSpinBox(box)
            spin.setRange(0, SPIN_MAXIMUM)
            spin.setMaximumWidth(160)
            spin.setSuffix(self.tr(" 个月") if item.name.endswith("_months") else self.tr(" 天"))
            spin.valueChanged.connect(self._edited)
            self.editors[item.name] = spin
            form.addRow(self.tr(POLICY_LABELS[item.name]) + "：", spin)
        self.local_status = QLabel(box)
        self.local_status.setWordWrap(True)
        self.save_button = QPushButton(self.tr("保存修改(&S)"), box)
        self.save_button.setToolTip(self.tr("保存本地口径；每项修改记入变更记录"))
        self.save_button.clicked.connect(self.save_policy)
        self.defaults_button = QPushButton(self.tr("恢复默认值"), box)
        self.defaults_button.setToolTip(self.tr("把各项填回程序的默认值（保存后生效）"))
        self.defaults_button.clicked.connect(lambda: self.show_policy(ReminderPolicy(), edited=True))
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.defaults_button)
        buttons.addStretch(1)
        form.addRow(self.local_status)
        form.addRow(buttons)

        credit = QGroupBox(self.tr("信用预警阈值"), page)
        credit_layout = QVBoxLayout(credit)
        local_rules = [r for r in ALL_RULES if r.local]
        credit_text = QLabel(
            self.tr("物业企业和项目经理的红、橙、黄、绿预警等级按本区阈值计算（{rules}）。").format(
                rules="、".join(r.title for r in local_rules)
            ),
            credit,
        )
        credit_text.setWordWrap(True)
        self.credit_button = QPushButton(self.tr("信用预警设置(&C)…"), credit)
        self.credit_button.setToolTip(self.tr("调整信用预警阈值和信用分基数（本区管理口径）"))
        self.credit_button.clicked.connect(self.open_credit_settings)
        credit_layout.addWidget(credit_text)
        credit_layout.addWidget(self.credit_button, 0, Qt.AlignmentFlag.AlignLeft)

        layout = QVBoxLayout(page)
        layout.addWidget(intro)
        layout.addWidget(box)
        layout.addWidget(credit)
        layout.addStretch(1)
        return page

    def show_policy(self, policy: ReminderPolicy, *, edited: bool = False) -> None:
        for name, spin in self.editors.items():
            spin.blockSignals(True)
            spin.setValue(getattr(policy, name))
            spin.blockSignals(False)
        if not edited:
            self.shown_policy = policy
        self._edited()

    def edited_policy(self) -> ReminderPolicy:
        return ReminderPolicy(**{name: spin.value() for name, spin in self.editors.items()})

    def _edited(self) -> None:
        changed = self.edited_policy() != self.shown_policy
        self.local_status.setStyleSheet("")
        self.local_status.setText(self.tr("有未保存的修改。") if changed else "")
        self._update_buttons()

    def _update_buttons(self) -> None:
        writes = self.context.writes
        local = Action.LOCAL_POLICY  # 本区管理口径: the administrator's
        writes.follow(self.save_button, self.edited_policy() != self.shown_policy, local)
        writes.follow(self.defaults_button, action=local)
        writes.follow(self.credit_button, action=local)
        for spin in self.editors.values():
            writes.follow(spin, action=local)

    def save_policy(self) -> bool:
        """Store the edited settings (one service method); a value outside its limits is refused, with why."""
        try:
            self.context.services.reminder_settings.save_policy(self.edited_policy())
        except UserError as error:
            self.local_status.setStyleSheet(f"color: {LAPSED_FOREGROUND.name()};")
            self.local_status.setText(self.tr("未保存：{reason}").format(reason=error.message))
            return False
        self.shown_policy = self.edited_policy()
        self._edited()
        self.local_status.setText(self.tr("已保存，修改已记入变更记录。"))
        return True

    def open_credit_settings(self) -> CreditSettingsDialog:
        dialog = CreditSettingsDialog(self.context.services, self, writes=self.context.writes)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.credit_dialog = dialog
        dialog.open()
        return dialog

    # -- Page ------------------------------------------------------------------------------

    def refresh(self) -> None:
        settings = self.context.services.reminder_settings
        self.start_load(settings.policy, self._loaded, description=self.tr("读取本地口径"))

    def _loaded(self, policy: ReminderPolicy) -> None:
        self.show_policy(policy)
        lapsed = sum(p.validity_on(self.today).lapsed for p in self.policies)
        self.set_status(
            self.tr("{count} 份政策文件，其中 {lapsed} 份已过有效期或需核实").format(
                count=len(self.policies), lapsed=lapsed
            )
        )

    def depends_on(self, changes: Changes) -> bool:
        return changes.everything or POLICY_KEY in changes.settings
