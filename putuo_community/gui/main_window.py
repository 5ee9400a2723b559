"""The main window: navigation on the left, one page per register (and 提醒, 导入, 导出) on the right."""

from __future__ import annotations

import functools
import html
import logging
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
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
from putuo_community.domain.accounts import Action
from putuo_community.domain.changes import Changes
from putuo_community.domain.registers import COMMITTEE_TERMS, COMPANIES, LIFT_PROJECTS, LIFTS, MANAGERS, PROJECTS
from putuo_community.gui.backup_actions import BackupActions
from putuo_community.gui.changes import ChangeHub
from putuo_community.gui.dialogs import RecordDialog
from putuo_community.gui.dialogs.accounts_dialog import AccountTools
from putuo_community.gui.dialogs.credit_settings_dialog import add_credit_tools
from putuo_community.gui.dialogs.slot import DialogSlot
from putuo_community.gui.estate_window import EstateWindow
from putuo_community.gui.first_start import FirstStartPanel
from putuo_community.gui.long_task import LongTask, run_long_task
from putuo_community.gui.models import OVERDUE_COLOUR
from putuo_community.gui.pages.base import Page, PageContext, own_street_only
from putuo_community.gui.pages.dashboard_page import DashboardPage
from putuo_community.gui.pages.estate_page import EstatePage
from putuo_community.gui.pages.export_page import ExportPage
from putuo_community.gui.pages.import_page import ImportPage
from putuo_community.gui.pages.policy_page import PolicyPage
from putuo_community.gui.pages.register_page import RegisterPage
from putuo_community.gui.pages.reminders_page import RemindersPage
from putuo_community.gui.reminder_feed import ReminderFeed
from putuo_community.gui.settings_dialog import FontDialog
from putuo_community.gui.widgets import enlarged_font
from putuo_community.gui.worker import BackgroundRunner, Progress
from putuo_community.gui.write_access import WriteAccess, read_only_notice, read_only_notice_tip
from putuo_community.services import Record, Services
from putuo_community.services.dashboard import Drill
from putuo_community.services.workspace import open_demo

log = logging.getLogger(__name__)

ORGANIZATION = "putuo"
PREFERRED_SIZE = QSize(1280, 780)
# Reminders are first computed this long after the estate list is on screen, when the window has settled.
REMINDERS_AFTER_START_MS = 500
DAILY_BACKUP_MESSAGE_MS = 8000
FRAME_ALLOWANCE = 40  # a title bar and borders, before the window is shown and can measure its own
PAGE_KEYS = (
    "estates",
    "dashboard",
    "committees",
    "companies",
    "managers",
    "projects",
    "lifts",
    "lift_projects",
    "reminders",
    "policies",
    "import",
    "export",
)
SHORTCUT_PAGES = 10  # Ctrl+1 … Ctrl+9, Ctrl+0
# The page that lists each register the 概览 page opens.
LIST_PAGE_OF_REGISTER = {
    "estates": "estates",
    "committee_terms": "committees",
    "companies": "companies",
    "lifts": "lifts",
    "projects": "projects",
}


def window_settings() -> QSettings:
    """Per-user window state (an .ini file under the user's roaming profile, never the registry)."""
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APP_NAME)


class MainWindow(QMainWindow):
    def __init__(
        self,
        services: Services,
        *,
        settings: QSettings | None = None,
        remember_state: bool = True,
        demo_folder: Path | None = None,
        demo: bool = False,
    ) -> None:
        super().__init__()
        self.services = services
        self.demo_folder = demo_folder  # where 载入演示数据 builds the demo; None: not offered
        self.demo = demo  # this window shows the demo district, not the user's archive
        self.demo_windows: list[MainWindow] = []
        self.demo_task: LongTask | None = None
        self.dialogs = DialogSlot(self)
        self.estates_empty = False
        self.settings = settings if settings is not None else window_settings()
        self.remember_state = remember_state  # False for smoke runs: they must not change the user's profile
        self.runner = BackgroundRunner(self)
        # Read-only (asked for, or the file cannot be written) or found damaged: every write control follows it.
        self.write_access = WriteAccess(services, self)
        self.context = PageContext(services, self.runner, self.write_access)
        # Every committed write reaches the pages, which update what they show of it: no F5 needed.
        self.change_hub = ChangeHub(services.changes, self)
        self.reminder_feed = ReminderFeed(services, self.runner, self)
        self.backup_actions = BackupActions(services, self.runner, self)
        self.change_hub.changed.connect(self.reminder_feed.apply_changes)
        title = self.tr("{app} — {database}").format(app=APP_TITLE, database=self.database_title())
        if demo:
            title = self.tr("{title}（演示数据）").format(title=title)
        if services.read_only:
            title = self.tr("{title}（只读）").format(title=title)
        self.setWindowTitle(title)
        self.setMinimumSize(QSize(640, 440))  # fits 1366×768 at 150 % (911×512 logical)

        self.pages: dict[str, Page] = {}
        self.estate_windows: dict[int, EstateWindow] = {}
        self.stack = QStackedWidget(self)
        self.navigation = QListWidget(self)
        self.navigation.setObjectName("navigation")
        self.navigation.setAccessibleName(self.tr("导航"))
        self._build_pages()
        # The demo is built in the data folder: not from an archive opened read-only.
        demo_available = demo_folder is not None and not demo and not services.read_only
        self.first_start = FirstStartPanel(demo_available=demo_available, parent=self)
        self.first_start.import_requested.connect(self.start_import)
        self.first_start.new_estate_requested.connect(self.new_estate)
        self.first_start.demo_requested.connect(self.open_demo)
        self.write_access.follow_right(self.first_start.demo_button, Action.GENERATE_DEMO, demo_available)
        self.stack.addWidget(self.first_start)
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
        self.overdue_label = QLabel(self)
        shortcut = (PAGE_KEYS.index("reminders") + 1) % 10
        self.overdue_label.setToolTip(self.tr("打开提醒（Ctrl+{number}）").format(number=shortcut))
        self.overdue_label.linkActivated.connect(self._overdue_clicked)
        self.overdue_label.hide()
        self.read_only_label = read_only_notice(self)
        self.account_label = QLabel(self.tr("账户：{account}").format(account=services.actor.shown_as), self)
        self.account_label.setObjectName("accountLabel")
        self.account_label.setVisible(services.actor.accounts_on)  # accounts off: nobody logged in
        self.statusBar().addWidget(self.count_label, 1)
        self.statusBar().addPermanentWidget(self.account_label)
        self.statusBar().addPermanentWidget(self.overdue_label)
        self.statusBar().addPermanentWidget(self.read_only_label)
        self.statusBar().addPermanentWidget(self.database_label)
        self.reminder_feed.updated.connect(self._show_overdue_count)
        self.backup_actions.daily_done.connect(self._daily_backup_done)
        self.backup_actions.damaged.connect(self._show_damaged)
        self.backup_actions.damaged.connect(self.write_access.recheck)
        self.write_access.changed.connect(self._writes_changed)
        self._writes_changed()

        self._restore_state()
        self.navigation.setCurrentRow(0)
        self._load_streets()
        self.pages["estates"].loaded.connect(self._start_reminders, Qt.ConnectionType.SingleShotConnection)
        self.change_hub.changed.connect(self._estates_may_have_changed)
        self.change_hub.changed.connect(self._restored)
        self._count_estates()
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
            ("dashboard", DashboardPage(c, self.tr("概览"))),
            (
                "committees",
                RegisterPage(c, COMMITTEE_TERMS, self.tr("业委会"), self.tr("各小区业委会的届次、任期和换届进度")),
            ),
            ("companies", RegisterPage(c, COMPANIES, self.tr("物业企业"), self.tr("在普陀区服务的物业服务企业"))),
            ("managers", RegisterPage(c, MANAGERS, self.tr("项目经理"), self.tr("物业项目经理及其信用预警"))),
            (
                "projects",
                RegisterPage(c, PROJECTS, self.tr("修缮项目"), self.tr("旧住房综合修缮、成套改造、美丽家园等项目")),
            ),
            ("lifts", RegisterPage(c, LIFTS, self.tr("电梯"), self.tr("住宅电梯的注册、维保、安全评估和处置"))),
            (
                "lift_projects",
                RegisterPage(c, LIFT_PROJECTS, self.tr("加装电梯"), self.tr("既有多层住宅加装电梯项目的进度和补贴")),
            ),
            ("reminders", RemindersPage(c, self.tr("提醒"), self.reminder_feed)),
            ("policies", PolicyPage(c, self.tr("政策依据"))),
            ("import", ImportPage(c, self.tr("导入"))),
            ("export", ExportPage(c, self.tr("导出"))),
        ]
        for key, page in pages:
            self.pages[key] = page
            if isinstance(page, RemindersPage | RegisterPage):
                page.open_estate_requested.connect(self.open_estate)
            if isinstance(page, DashboardPage):
                page.drill_requested.connect(self.open_drill)
            self.stack.addWidget(page)
            page.status_changed.connect(self._page_status)
            self.change_hub.changed.connect(page.apply_changes)

    def _build_navigation(self) -> None:
        self.navigation.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.navigation.setSpacing(2)
        self.navigation.setFont(enlarged_font(self.navigation.font(), 1.1, bold=False))
        for number, page in enumerate(self.pages.values(), start=1):
            item = QListWidgetItem(page.title)
            if number <= SHORTCUT_PAGES:
                item.setToolTip(self.tr("{page}（Ctrl+{number}）").format(page=page.title, number=number % 10))
            item.setSizeHint(QSize(0, self.navigation.fontMetrics().height() + 16))
            self.navigation.addItem(item)
        widest = max(self.navigation.fontMetrics().horizontalAdvance(p.title) for p in self.pages.values())
        self.navigation.setFixedWidth(widest + 56)
        self.navigation.currentRowChanged.connect(self._page_chosen)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("文件(&F)"))
        file_menu.setToolTipsVisible(True)  # a refused entry says why on hover
        self.backup_action = QAction(self.tr("备份数据库(&B)…"), self)
        self.backup_action.setStatusTip(self.tr("把数据库备份到一个文件（例如 U 盘）"))
        self.backup_action.triggered.connect(self.backup_actions.backup)
        self.restore_action = QAction(self.tr("恢复数据库(&R)…"), self)
        self.restore_action.setStatusTip(self.tr("用一个备份替换当前数据库（替换前先自动备份）"))
        self.restore_action.triggered.connect(self.backup_actions.restore)
        for action in (self.backup_action, self.restore_action):
            action.setEnabled(self.backup_actions.available)
            if not self.backup_actions.available:
                action.setStatusTip(self.tr("数据库在服务器上，由服务器管理员负责备份和恢复"))
            file_menu.addAction(action)
        if self.backup_actions.available:  # the account's rights (a backup writes nothing to the archive)
            self.write_access.follow_right(self.backup_action, Action.BACKUP)
            self.write_access.follow_right(self.restore_action, Action.RESTORE)
        refusal = self.services.writes_refused
        if self.services.read_only and refusal is not None:  # a backup to a file of the clerk's choice still works
            self.restore_action.setEnabled(False)
            self.restore_action.setStatusTip(refusal)
            self.restore_action.setToolTip(refusal)
        file_menu.addSeparator()
        quit_action = QAction(self.tr("退出(&X)"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        view_menu = self.menuBar().addMenu(self.tr("查看(&V)"))
        self.page_actions: list[QAction] = []
        for number, page in enumerate(self.pages.values(), start=1):
            action = QAction(page.title, self)
            if number <= SHORTCUT_PAGES:
                action.setShortcut(QKeySequence(f"Ctrl+{number % 10}"))  # the tenth page is Ctrl+0
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
        add_credit_tools(self, tools_menu, self.services, self.write_access)  # 信用预警设置, 法定节假日安排
        self.account_tools = AccountTools(self, tools_menu, self.services, self.write_access)  # 修改密码, 账户管理 …

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
        self._show_first_start()

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
        if own_street_only(self.services):  # a 街镇经办人's lists hold their own 街镇 only (the services see to it)
            streets = [s for s in streets if s.id == self.services.actor.street_id]
        for page in self.pages.values():
            page.set_streets(streets)

    def _start_reminders(self) -> None:
        """Work that waits until the estate list is on screen: the reminders, the check of the file, its backup."""
        QTimer.singleShot(REMINDERS_AFTER_START_MS, self.reminder_feed.ensure)
        QTimer.singleShot(REMINDERS_AFTER_START_MS, self.backup_actions.check_at_start)  # then the day's backup

    def _show_overdue_count(self) -> None:
        count = self.reminder_feed.overdue_count or 0
        self.overdue_label.setText(
            self.tr('<a href="reminders" style="color: {colour};">逾期提醒 {count} 条</a>').format(
                colour=OVERDUE_COLOUR.name(), count=f"{count:,}"
            )
        )
        backlog = self.reminder_feed.backlog_count or 0
        self.overdue_label.setToolTip(
            self.tr(
                "需要办理的提醒中已逾期 {count} 条；另有长期未办（逾期超过一年）{backlog} 条\n打开提醒（Ctrl+{number}）"
            ).format(count=f"{count:,}", backlog=f"{backlog:,}", number=(PAGE_KEYS.index("reminders") + 1) % 10)
        )
        self.overdue_label.setVisible(count > 0)

    def _show_damaged(self, _problem: str) -> None:
        self.database_label.setText(
            self.tr("数据库已损坏，已停止写入：{name}").format(name=self.services.database_name)
        )
        self.database_label.setStyleSheet(f"color: {OVERDUE_COLOUR.name()};")

    def _writes_changed(self) -> None:
        """Writes were found refused (a damaged file) or allowed again (after a restore)."""
        self.write_access.follow(self.first_start.import_button, action=Action.IMPORT)
        self.write_access.follow(self.first_start.new_button)
        refusal = self.write_access.refusal
        self.read_only_label.setVisible(self.write_access.read_only)
        if refusal is not None:
            self.read_only_label.setToolTip(read_only_notice_tip(refusal))
        elif self.database_label.styleSheet():  # a restore mended the damaged archive
            self.database_label.setText(self.tr("数据库：{name}").format(name=self.services.database_name))
            self.database_label.setStyleSheet("")

    def _restored(self, changes: Changes) -> None:
        if changes.everything:
            self.write_access.recheck()

    def _daily_backup_done(self, text: str) -> None:
        if text:
            self.statusBar().showMessage(text, DAILY_BACKUP_MESSAGE_MS)

    def _overdue_clicked(self, _link: str) -> None:
        self.show_page("reminders")

    def open_drill(self, drill: Drill) -> RegisterPage | None:
        """The list behind a figure of the 概览 page, showing only the records it counts."""
        key = LIST_PAGE_OF_REGISTER.get(drill.register, "")
        page = self.pages.get(key)
        if not isinstance(page, RegisterPage):
            return None
        page.show_only(drill.ids, drill.label, street_id=drill.street_id)
        self.show_page(key)
        return page

    def open_estate(self, estate_id: int, section: str = "basic") -> EstateWindow:
        """The estate's own window, at `section`; one window per estate, raised if already open."""
        window = self.estate_windows.get(estate_id)
        if window is None:
            window = EstateWindow(self.services, estate_id, section=section, writes=self.write_access)
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

    # -- the first start -------------------------------------------------------------------

    def _count_estates(self) -> None:
        records = self.services.records
        self.runner.run(
            lambda _progress: records.count("estates"),
            on_result=self._estates_counted,
            description=self.tr("统计小区"),
        )

    def _estates_counted(self, count: int) -> None:
        self.estates_empty = count == 0
        self._show_first_start()

    def _estates_may_have_changed(self, changes: Changes) -> None:
        if changes.touches("estates"):
            self._count_estates()

    def _show_first_start(self) -> None:
        """An empty archive shows the three ways to begin in place of the (empty) estate list."""
        estates = self.pages["estates"]
        on_estates = self.stack.currentWidget() in (estates, self.first_start)
        if on_estates:
            self.stack.setCurrentWidget(self.first_start if self.estates_empty else estates)

    def start_import(self) -> None:
        page = self.show_page("import")
        if isinstance(page, ImportPage):
            page.open_wizard()

    def new_estate(self) -> RecordDialog:
        dialog = RecordDialog.for_new(self.services, "estates", self)
        dialog.saved.connect(self._estate_created)
        return self.dialogs.open(dialog)

    @property
    def new_estate_dialog(self) -> QDialog | None:
        return self.dialogs.dialog

    def _estate_created(self, _register: str, estate_id: int) -> None:
        self.open_estate(estate_id, "buildings")  # go on with the new estate's dossier

    def open_demo(self) -> LongTask | None:
        """Build (the first time) and open the demo district in its own folder, in a new window."""
        folder = self.demo_folder
        if folder is None:
            return None

        def build(progress: Progress) -> Services:
            return open_demo(folder, progress=lambda done, total: progress.report(done, total))

        self.demo_task = run_long_task(
            self,
            self.runner,
            build,
            title=self.tr("载入演示数据"),
            label=self.tr("正在生成演示用的普陀区（约 1,000 个小区）…"),
            on_result=self._demo_ready,
        )
        return self.demo_task

    def _demo_ready(self, services: Services) -> MainWindow:
        window = MainWindow(services, remember_state=False, demo=True)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.destroyed.connect(services.close)
        window.destroyed.connect(functools.partial(self._forget_demo_window, window))
        self.demo_windows.append(window)
        window.show()
        return window

    def _forget_demo_window(self, window: MainWindow) -> None:
        self.demo_windows = [w for w in self.demo_windows if w is not window]

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
        self.fit_screen(remembered=isinstance(geometry, QByteArray) and not geometry.isEmpty())
        state = self.settings.value("main_window/state")
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)

    def fit_screen(self, *, remembered: bool) -> None:
        """The window fits the screen it opens on (down to 1366×768 with a taskbar), status bar included.

        A remembered size is kept while it fits; a first start opens at a comfortable size, centred.
        """
        screen = self.screen() or QGuiApplication.primaryScreen()
        available = screen.availableGeometry()
        if remembered:
            if available.contains(self.frameGeometry()):
                return
            width, height = min(self.width(), available.width()), min(self.height(), available.height())
        else:
            width = min(PREFERRED_SIZE.width(), available.width() - FRAME_ALLOWANCE // 2)
            height = min(PREFERRED_SIZE.height(), available.height() - FRAME_ALLOWANCE)
        self.resize(width, height)
        self.move(
            available.x() + max((available.width() - width) // 2, 0),
            available.y() + max((available.height() - height - FRAME_ALLOWANCE) // 2, 0),
        )

    def save_state(self) -> None:
        if not self.remember_state:
            return
        self.settings.setValue("main_window/geometry", self.saveGeometry())
        self.settings.setValue("main_window/state", self.saveState())
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        for window in [*self.estate_windows.values(), *self.demo_windows]:
            window.close()
        self.save_state()
        self.change_hub.close()
        self.runner.shutdown()
        super().closeEvent(event)
