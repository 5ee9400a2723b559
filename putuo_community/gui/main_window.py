"""The main window: navigation on the left, one page per register (and 提醒, 导入, 导出) on the right."""

from __future__ import annotations

import functools
import html
import logging
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, QSize, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from putuo_community import APP_NAME, APP_TITLE, __version__
from putuo_community.domain.registers import COMMITTEE_TERMS, COMPANIES, LIFTS, PROJECTS
from putuo_community.gui.changes import ChangeHub
from putuo_community.gui.estate_window import EstateWindow
from putuo_community.gui.pages.base import Page, PageContext
from putuo_community.gui.pages.estate_page import EstatePage
from putuo_community.gui.pages.export_page import ExportPage
from putuo_community.gui.pages.import_page import ImportPage
from putuo_community.gui.pages.register_page import RegisterPage
from putuo_community.gui.pages.reminders_page import RemindersPage
from putuo_community.gui.settings_dialog import FontDialog
from putuo_community.gui.widgets import enlarged_font
from putuo_community.gui.worker import BackgroundRunner
from putuo_community.services import Record, Services

log = logging.getLogger(__name__)

ORGANIZATION = "putuo"
PAGE_KEYS = ("estates", "committees", "companies", "projects", "lifts", "reminders", "import", "export")


def window_settings() -> QSettings:
    """Per-user window state (an .ini file under the user's roaming profile, never the registry)."""
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APP_NAME)


class MainWindow(QMainWindow):
    def __init__(self, services: Services, *, settings: QSettings | None = None, remember_state: bool = True) -> None:
        super().__init__()
        self.services = services
        self.settings = settings if settings is not None else window_settings()
        self.remember_state = remember_state  # False for smoke runs: they must not change the user's profile
        self.runner = BackgroundRunner(self)
        self.context = PageContext(services, self.runner)
        # Every committed write reaches the pages, which update what they show of it: no F5 needed.
        self.change_hub = ChangeHub(services.changes, self)
        self.setWindowTitle(self.tr("{app} — {database}").format(app=APP_TITLE, database=self.database_title()))
        self.setMinimumSize(QSize(760, 520))

        self.pages: dict[str, Page] = {}
        self.estate_windows: dict[int, EstateWindow] = {}
        self.stack = QStackedWidget(self)
        self.navigation = QListWidget(self)
        self.navigation.setObjectName("navigation")
        self.navigation.setAccessibleName(self.tr("导航"))
        self._build_pages()
        self._build_navigation()

        central = QWidget(self)
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.navigation)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self._build_menus()
        self.count_label = QLabel(self)
        self.database_label = QLabel(self.tr("数据库：{name}").format(name=services.database_name), self)
        self.database_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.statusBar().addWidget(self.count_label, 1)
        self.statusBar().addPermanentWidget(self.database_label)

        self._restore_state()
        self.navigation.setCurrentRow(0)
        self._load_streets()
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.runner.shutdown)

    # -- construction ----------------------------------------------------------------------

    def database_title(self) -> str:
        name = self.services.database_name
        return Path(name).name if self.services.database.is_sqlite else name

    def _build_pages(self) -> None:
        c = self.context
        pages: list[tuple[str, Page]] = [
            ("estates", EstatePage(c, self.tr("小区档案"))),
            (
                "committees",
                RegisterPage(c, COMMITTEE_TERMS, self.tr("业委会"), self.tr("各小区业委会的届次、任期和换届进度")),
            ),
            ("companies", RegisterPage(c, COMPANIES, self.tr("物业企业"), self.tr("在普陀区服务的物业服务企业"))),
            (
                "projects",
                RegisterPage(c, PROJECTS, self.tr("修缮项目"), self.tr("旧住房综合修缮、成套改造、美丽家园等项目")),
            ),
            ("lifts", RegisterPage(c, LIFTS, self.tr("电梯"), self.tr("住宅电梯的注册、维保、安全评估和处置"))),
            ("reminders", RemindersPage(c, self.tr("提醒"))),
            ("import", ImportPage(c, self.tr("导入"))),
            ("export", ExportPage(c, self.tr("导出"))),
        ]
        for key, page in pages:
            self.pages[key] = page
            self.stack.addWidget(page)
            page.status_changed.connect(self._page_status)
            self.change_hub.changed.connect(page.apply_changes)

    def _build_navigation(self) -> None:
        self.navigation.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.navigation.setSpacing(2)
        self.navigation.setFont(enlarged_font(self.navigation.font(), 1.1, bold=False))
        for number, page in enumerate(self.pages.values(), start=1):
            item = QListWidgetItem(page.title)
            item.setToolTip(self.tr("{page}（Ctrl+{number}）").format(page=page.title, number=number))
            item.setSizeHint(QSize(0, self.navigation.fontMetrics().height() + 16))
            self.navigation.addItem(item)
        widest = max(self.navigation.fontMetrics().horizontalAdvance(p.title) for p in self.pages.values())
        self.navigation.setFixedWidth(widest + 56)
        self.navigation.currentRowChanged.connect(self._page_chosen)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("文件(&F)"))
        quit_action = QAction(self.tr("退出(&X)"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        view_menu = self.menuBar().addMenu(self.tr("查看(&V)"))
        self.page_actions: list[QAction] = []
        for number, page in enumerate(self.pages.values(), start=1):
            action = QAction(page.title, self)
            action.setShortcut(QKeySequence(f"Ctrl+{number}"))
            action.setData(number - 1)
            action.triggered.connect(self._page_action)
            view_menu.addAction(action)
            self.page_actions.append(action)
        view_menu.addSeparator()
        self.find_action = QAction(self.tr("搜索(&S)"), self)
        self.find_action.setShortcut(QKeySequence.StandardKey.Find)
        self.find_action.triggered.connect(self.focus_search)
        view_menu.addAction(self.find_action)
        self.refresh_action = QAction(self.tr("刷新(&R)"), self)
        self.refresh_action.setShortcut(QKeySequence(Qt.Key.Key_F5))
        self.refresh_action.triggered.connect(self.refresh_current_page)
        view_menu.addAction(self.refresh_action)

        tools_menu = self.menuBar().addMenu(self.tr("工具(&T)"))
        self.font_action = QAction(self.tr("档案字体(&F)…"), self)
        self.font_action.setStatusTip(self.tr("选择打印小区档案（PDF）所用的字体"))
        self.font_action.triggered.connect(self.open_font_dialog)
        tools_menu.addAction(self.font_action)

        help_menu = self.menuBar().addMenu(self.tr("帮助(&H)"))
        about_action = QAction(self.tr("关于(&A)"), self)
        about_action.setMenuRole(QAction.MenuRole.AboutRole)
        about_action.triggered.connect(self.show_about)
        help_menu.addAction(about_action)

    # -- behaviour -------------------------------------------------------------------------

    @property
    def current_page(self) -> Page:
        page = self.stack.currentWidget()
        assert isinstance(page, Page)
        return page

    def page(self, key: str) -> Page:
        return self.pages[key]

    def show_page(self, key: str) -> Page:
        self.navigation.setCurrentRow(list(self.pages).index(key))
        return self.pages[key]

    def _page_chosen(self, row: int) -> None:
        if row < 0:
            return
        page = list(self.pages.values())[row]
        self.stack.setCurrentWidget(page)
        self.count_label.setText(page.status_text)
        page.activate()

    # Slots are bound methods, not lambdas: a lambda holding `self` would keep the window alive forever.

    def _page_status(self, text: str) -> None:
        if self.sender() is self.stack.currentWidget():
            self.count_label.setText(text)

    def _page_action(self) -> None:
        action = self.sender()
        if isinstance(action, QAction):
            self.navigation.setCurrentRow(int(action.data()))

    def focus_search(self) -> None:
        self.current_page.focus_search()

    def refresh_current_page(self) -> None:
        self.current_page.refresh()

    def _load_streets(self) -> None:
        records = self.services.records
        self.runner.run(
            lambda _progress: records.list("streets", order_by=("id",)),
            on_result=self._streets_loaded,
            description=self.tr("读取街镇"),
        )

    def _streets_loaded(self, streets: list[Record]) -> None:
        for page in self.pages.values():
            page.set_streets(streets)

    def open_estate(self, estate_id: int, section: str = "basic") -> EstateWindow:
        """The estate's own window, at `section`; one window per estate, raised if already open."""
        window = self.estate_windows.get(estate_id)
        if window is None:
            window = EstateWindow(self.services, estate_id, section=section)
            window.destroyed.connect(functools.partial(self._forget_estate_window, estate_id))
            self.estate_windows[estate_id] = window
            window.show()
        else:
            window.show_section(section)
            window.showNormal()
        window.raise_()
        window.activateWindow()
        return window

    def _forget_estate_window(self, estate_id: int) -> None:
        self.estate_windows.pop(estate_id, None)

    def open_font_dialog(self) -> FontDialog:
        dialog = FontDialog(self.services, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            self.tr("关于{app}").format(app=APP_TITLE),
            self.tr(
                "<h3>{app} {version}</h3>"
                "<p>普陀区“一小区一档案”：为 10 个街镇的住宅小区各建一份档案，"
                "汇集小区概况、业委会、物业服务、修缮改造、电梯和维修资金等台账。</p>"
                "<p>数据库：{database}</p>"
            ).format(app=APP_TITLE, version=__version__, database=html.escape(self.services.database_name)),
        )

    # -- window state ----------------------------------------------------------------------

    def _restore_state(self) -> None:
        geometry = self.settings.value("main_window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 780)
        state = self.settings.value("main_window/state")
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)

    def save_state(self) -> None:
        if not self.remember_state:
            return
        self.settings.setValue("main_window/geometry", self.saveGeometry())
        self.settings.setValue("main_window/state", self.saveState())
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        for window in list(self.estate_windows.values()):
            window.close()
        self.save_state()
        self.change_hub.close()
        self.runner.shutdown()
        super().closeEvent(event)
