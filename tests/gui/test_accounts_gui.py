"""Accounts in the GUI: the login at start, what each role's window offers (and why not, on hover),
账户管理 for the administrator, 启用账户 while accounts are off."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from gui_helpers import Answers, street_id, wait_loaded
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QDialog

from putuo_community.domain.accounts import Action, Actor, Role
from putuo_community.gui import application
from putuo_community.gui.dialogs.accounts_dialog import AccountsDialog, EnableAccountsDialog, NewAccountDialog
from putuo_community.gui.login_dialog import LoginDialog
from putuo_community.gui.main_window import MainWindow
from putuo_community.gui.pages.export_page import ExportPage
from putuo_community.gui.pages.import_page import ImportPage
from putuo_community.gui.pages.policy_page import PolicyPage
from putuo_community.gui.pages.register_page import RegisterPage
from putuo_community.services import Services
from putuo_community.services.accounts import AccountService

ADMIN, CLERK, READER, SUPERVISOR = "管理员甲", "曹杨经办", "只读乙", "监管丙"
PASSWORDS = {ADMIN: "Admin#2024x", CLERK: "Clerk#2024y", READER: "Reader#2024z", SUPERVISOR: "Super#2024w"}
WRONG = "账户名或密码不正确"


@pytest.fixture
def accounts_on(services: Services, estates: dict[str, int]) -> Services:
    """Accounts on, with one account of each role (the clerk's 街镇: 曹杨); the administrator's services."""
    admin = Services.build(services.database, actor=services.accounts.enable(ADMIN, PASSWORDS[ADMIN]))
    admin.accounts.create(CLERK, PASSWORDS[CLERK], Role.STREET_CLERK, street_id(services, "曹杨"))
    admin.accounts.create(READER, PASSWORDS[READER], Role.READER)
    admin.accounts.create(SUPERVISOR, PASSWORDS[SUPERVISOR], Role.SUPERVISOR)
    return admin


def session(services: Services, name: str, backups: Path | None = None) -> Services:
    """The services of `name`'s login; `backups` given, 备份 and 恢复 are offered."""
    actor = services.accounts.authenticate(name, PASSWORDS[name])
    return Services.build(services.database, actor=actor, backup_dir=backups)


def main_window(qtbot: Any, services: Services) -> MainWindow:
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    wait_loaded(qtbot, window.page("estates"))
    return window


def estate_page(window: MainWindow) -> RegisterPage:
    page = window.page("estates")
    assert isinstance(page, RegisterPage)
    return page


def select_title(page: RegisterPage, title: str) -> None:
    for row in range(page.model.rowCount()):
        record = page.model.row_object(row)
        if record is not None and record.title == title:
            page.view.setCurrentIndex(page.model.index(row, 0))
            return
    raise AssertionError(f"{title} is not listed")


def log_in(qtbot: Any, dialog: LoginDialog, name: str, password: str) -> None:
    dialog.show()  # Enter presses the default button of a dialog on screen
    dialog.name_edit.setText(name)
    dialog.password_edit.setText(password)
    qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)  # Enter logs in


# -- the login ---------------------------------------------------------------------------------------


def test_the_right_password_logs_in_and_the_wrong_one_is_refused_in_the_dialog(qtbot: Any, accounts_on) -> None:
    dialog = LoginDialog(accounts_on.accounts, database_name="测试库")
    qtbot.addWidget(dialog)
    dialog.show()
    log_in(qtbot, dialog, CLERK, "Clerk#2024")  # one character short of the right one
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert dialog.isVisible()
    assert dialog.refusal == WRONG
    assert dialog.password_edit.text() == ""  # typed again, from the password field
    assert dialog.focusWidget() is dialog.password_edit
    log_in(qtbot, dialog, CLERK, PASSWORDS[CLERK])
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.actor == Actor(CLERK, Role.STREET_CLERK, street_id(accounts_on, "曹杨"), "曹杨新村街道", True)


def test_a_login_without_a_name_asks_for_it(qtbot: Any, accounts_on) -> None:
    dialog = LoginDialog(accounts_on.accounts)
    qtbot.addWidget(dialog)
    log_in(qtbot, dialog, "  ", PASSWORDS[ADMIN])
    assert dialog.refusal == "请输入账户名。"
    assert dialog.focusWidget() is dialog.name_edit


def test_five_wrong_passwords_lock_the_account_for_five_minutes(qtbot: Any, accounts_on) -> None:
    moment = [datetime(2025, 3, 3, 9, 0, 0)]
    accounts = AccountService(accounts_on.database, accounts_on.actor, clock=lambda: moment[0])
    dialog = LoginDialog(accounts)
    qtbot.addWidget(dialog)
    for _ in range(4):
        log_in(qtbot, dialog, READER, "not-the-password")
        assert dialog.refusal == WRONG  # four: not yet locked
    log_in(qtbot, dialog, READER, "not-the-password")
    assert "账户已锁定" in dialog.refusal
    assert "2025-03-03 09:05:00" in dialog.refusal  # said until when
    moment[0] += timedelta(minutes=5, seconds=-1)
    log_in(qtbot, dialog, READER, PASSWORDS[READER])  # the right password, a second too early
    assert "账户已锁定" in dialog.refusal
    assert dialog.result() != QDialog.DialogCode.Accepted
    moment[0] += timedelta(seconds=1)
    log_in(qtbot, dialog, READER, PASSWORDS[READER])
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_with_accounts_on_the_window_acts_for_the_account_logged_in(accounts_on, monkeypatch) -> None:
    clerk = Actor(CLERK, Role.STREET_CLERK, 1, "曹杨新村街道", True)
    monkeypatch.setattr(application, "ask_login", lambda *_a, **_k: clerk)
    local = Services.build(accounts_on.database, user="电脑登录名")
    built: list[Actor] = []

    def services_as(actor: Actor) -> Services:
        built.append(actor)
        return Services.build(local.database, actor=actor)

    logged_in = application._logged_in(local, services_as)
    assert logged_in is not None
    assert logged_in.actor == clerk
    assert built == [clerk]
    monkeypatch.setattr(application, "ask_login", lambda *_a, **_k: None)  # 退出
    assert application._logged_in(local, services_as) is None


def test_退出_at_the_login_ends_the_program_without_a_window(qapp, accounts_on, monkeypatch, tmp_path) -> None:
    monkeypatch.setattr(application, "ask_login", lambda *_a, **_k: None)
    monkeypatch.setattr(application, "MainWindow", None)  # a window would fail the test
    local = Services.build(accounts_on.database, user="电脑登录名")
    assert application.run_gui(local, log_file=tmp_path / "app.log", crash_dialog=False) == 0


def test_with_accounts_off_no_login_is_asked(services: Services, monkeypatch) -> None:
    def asked(*_args: Any, **_kwargs: Any) -> None:
        raise AssertionError("no login with accounts off")

    monkeypatch.setattr(application, "ask_login", asked)
    assert application._logged_in(services, None) is services


# -- what each role's window offers ------------------------------------------------------------------


def test_a_reader_sees_every_write_disabled_with_the_reason(qtbot: Any, accounts_on, data_paths) -> None:
    window = main_window(qtbot, session(accounts_on, READER, data_paths.backups))
    assert window.account_label.isVisibleTo(window)
    assert window.account_label.text() == f"账户：{READER}（只读）"
    refusal = f"当前账户“{READER}”（只读）无权新增、修改或删除档案记录"
    page = estate_page(window)
    select_title(page, "曹杨新村")
    for button in (page.new_button, page.edit_button, page.delete_button):
        assert not button.isEnabled()
        assert button.toolTip() == refusal
    import_page = window.page("import")
    assert isinstance(import_page, ImportPage)
    assert not import_page.import_button.isEnabled()
    assert import_page.import_button.toolTip().endswith("无权导入台账")
    assert not window.backup_action.isEnabled()
    assert window.backup_action.toolTip().endswith("无权备份数据库")
    assert not window.restore_action.isEnabled()
    assert window.restore_action.toolTip().endswith("无权从备份恢复数据库")
    assert window.account_tools.manage_action is not None
    assert not window.account_tools.manage_action.isEnabled()
    assert window.account_tools.password_action is not None
    assert window.account_tools.password_action.isEnabled()  # their own password
    assert window.account_tools.enable_action is None


def test_a_reader_may_not_export_personal_numbers(qtbot: Any, accounts_on) -> None:
    window = main_window(qtbot, session(accounts_on, READER))
    personal = _personal_check(window)
    assert not personal.isEnabled()
    assert not personal.isChecked()
    assert personal.toolTip().endswith("无权导出或打印完整的身份证号、手机号")
    admin_personal = _personal_check(main_window(qtbot, accounts_on))
    assert admin_personal.isEnabled()


def _personal_check(window: MainWindow) -> QCheckBox:
    """包含完整的身份证号、手机号, for the 项目经理 ledger (which has them)."""
    page = window.page("export")
    assert isinstance(page, ExportPage)
    page.kind_combo.setCurrentIndex(page.kind_combo.findData("managers"))
    return page.personal_check


def test_a_street_clerk_edits_their_own_street_and_not_another(qtbot: Any, accounts_on, estates) -> None:
    window = main_window(qtbot, session(accounts_on, CLERK))
    assert window.account_label.text() == f"账户：{CLERK}（街镇经办人·曹杨新村街道）"
    page = estate_page(window)
    select_title(page, "曹杨新村")
    assert page.edit_button.isEnabled()
    assert page.delete_button.isEnabled()
    qtbot.waitUntil(lambda: not page.loading, timeout=5000)
    with pytest.raises(AssertionError, match="万里城 is not listed"):  # a clerk's lists hold their own 街镇
        select_title(page, "万里城")
    assert page.new_button.isEnabled()  # a new estate of their own 街镇

    own = window.open_estate(estates["曹杨新村"], "buildings")
    qtbot.waitUntil(lambda: own.dossier is not None and "buildings" in own.boxes, timeout=5000)
    assert own.edit_estate_button.isEnabled()
    assert own.boxes["buildings"].new_button.isEnabled()
    own.close()
    # Another 街镇's estate is not listed, and its dossier is refused by the service (tests/storage/test_roles.py).


def test_a_street_clerks_street_filters_show_their_own_street_fixed(qtbot: Any, accounts_on) -> None:
    clerk = main_window(qtbot, session(accounts_on, CLERK))
    qtbot.waitUntil(lambda: estate_page(clerk).street_filter.count() == 2, timeout=5000)
    reminders = clerk.show_page("reminders")
    export = clerk.show_page("export")
    assert isinstance(export, ExportPage)
    for combo in (estate_page(clerk).street_filter, reminders.street_filter, export.street_combo):
        assert combo.currentText() == "曹杨新村街道"  # not 全部街镇: their lists hold nothing else
        assert not combo.isEnabled()
        assert "街镇经办人" in combo.toolTip()
    assert estate_page(clerk).street_id == street_id(accounts_on, "曹杨")

    admin = main_window(qtbot, accounts_on)
    qtbot.waitUntil(lambda: estate_page(admin).street_filter.count() == 11, timeout=5000)
    assert estate_page(admin).street_filter.currentText() == "全部街镇"
    assert estate_page(admin).street_filter.isEnabled()


def test_a_street_clerk_may_not_change_the_local_policy(qtbot: Any, accounts_on) -> None:
    window = main_window(qtbot, session(accounts_on, CLERK))
    page = window.show_page("policies")
    assert isinstance(page, PolicyPage)
    refusal = f"当前账户“{CLERK}”（街镇经办人）无权{Action.LOCAL_POLICY.label}"
    assert not page.credit_button.isEnabled()
    assert page.credit_button.toolTip() == refusal
    assert all(not spin.isEnabled() for spin in page.editors.values())


def test_a_supervisor_records_credit_but_edits_no_estate(qtbot: Any, accounts_on, estates) -> None:
    window = main_window(qtbot, session(accounts_on, SUPERVISOR))
    estate = window.open_estate(estates["曹杨新村"], "service")
    qtbot.waitUntil(lambda: estate.dossier is not None and "credit_events" in estate.boxes, timeout=5000)
    assert estate.boxes["credit_events"].new_button.isEnabled()
    assert not estate.edit_estate_button.isEnabled()
    assert estate.edit_estate_button.toolTip().endswith("无权新增、修改或删除档案记录")
    estate.close()


# -- 账户管理 and 启用账户 -------------------------------------------------------------------------------


def test_the_administrator_adds_an_account(qtbot: Any, accounts_on, answers: Answers) -> None:
    window = main_window(qtbot, session(accounts_on, ADMIN))
    tools = window.account_tools
    assert tools.manage_action is not None
    assert tools.manage_action.isEnabled()
    tools.manage_action.trigger()
    dialog = tools.dialog
    assert isinstance(dialog, AccountsDialog)
    assert [(a.name, a.role) for a in sorted(dialog.accounts(), key=lambda a: a.name)] == sorted(
        [(ADMIN, Role.ADMIN), (CLERK, Role.STREET_CLERK), (READER, Role.READER), (SUPERVISOR, Role.SUPERVISOR)]
    )
    form = dialog.add_account()
    assert isinstance(form, NewAccountDialog)
    form.name_edit.setText("万里经办")
    form.role_combo.setCurrentIndex(list(Role).index(Role.STREET_CLERK))
    form.street_combo.setCurrentIndex(form.street_combo.findText("万里街道"))
    form.password_edit.setText("Wanli#2024a")
    form.again_edit.setText("Wanli#2024b")
    assert not form.submit()
    assert form.refusal == "两次输入的密码不一致"
    form.again_edit.setText("Wanli#2024a")
    assert form.submit()
    added = next(a for a in dialog.accounts() if a.name == "万里经办")
    assert (added.role, added.street_name, added.active) == (Role.STREET_CLERK, "万里街道", True)
    assert dialog.selected() == added
    assert accounts_on.accounts.authenticate("万里经办", "Wanli#2024a").street_name == "万里街道"

    dialog.select(READER)
    assert dialog.active_button.text().startswith("停用")
    assert dialog.toggle_active()
    assert not next(a for a in dialog.accounts() if a.name == READER).active
    assert dialog.active_button.text().startswith("启用")
    dialog.select(ADMIN)  # the only administrator: refused, with the service's reason
    assert not dialog.toggle_active()
    assert "唯一在用的管理员账户" in answers.warnings[-1]


def test_a_non_administrator_does_not_get_account_management(qtbot: Any, accounts_on) -> None:
    for name in (CLERK, SUPERVISOR):
        window = main_window(qtbot, session(accounts_on, name))
        action = window.account_tools.manage_action
        assert action is not None
        assert not action.isEnabled()
        assert action.toolTip().endswith("无权管理账户")


def test_accounts_off_offers_to_turn_them_on(qtbot: Any, services: Services, estates, answers: Answers) -> None:
    window = main_window(qtbot, services)
    assert not window.account_label.isVisibleTo(window)  # nobody logged in: nothing shown
    tools = window.account_tools
    assert tools.manage_action is None
    assert tools.password_action is None
    assert tools.enable_action is not None
    assert tools.enable_action.isEnabled()
    tools.enable_action.trigger()
    dialog = tools.dialog
    assert isinstance(dialog, EnableAccountsDialog)
    dialog.name_edit.setText("管理员")
    dialog.password_edit.setText("short")
    dialog.again_edit.setText("short")
    assert not dialog.submit()
    assert "至少8位" in dialog.refusal
    assert not services.accounts.enabled()
    dialog.password_edit.setText("Admin#2024x")
    dialog.again_edit.setText("Admin#2024x")
    assert dialog.submit()
    assert services.accounts.enabled()
    assert "下次启动程序时需要登录" in answers.informations[-1]
    assert not tools.enable_action.isEnabled()
