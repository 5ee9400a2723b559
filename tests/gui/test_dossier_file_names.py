"""The names the window suggests and writes for dossiers follow the file-name rule, and a batch says what failed."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from gui_helpers import make_estate, street_id, wait_loaded

from putuo_community.gui import long_task
from putuo_community.gui.dossier_preview import DossierPreviewDialog
from putuo_community.gui.main_window import MainWindow
from putuo_community.gui.pages.estate_page import EstatePage
from putuo_community.gui.pages.export_page import ExportPage
from putuo_community.services import Services
from putuo_community.services.dossier import service

TODAY = date.today().isoformat()


class Dialogs:
    """Stands in for the save and folder dialogs and the message that says what was written."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, target: Path) -> None:
        self.target = target
        self.suggested: list[str] = []
        self.announced: list[str] = []
        monkeypatch.setattr(long_task, "ask_save_path", self.ask_save_path)
        monkeypatch.setattr(long_task, "ask_folder", lambda _parent, _title: self.target)
        monkeypatch.setattr(long_task, "announce_file", lambda _p, _t, text, _f: self.announced.append(text))

    def ask_save_path(self, _parent: Any, _title: str, file_name: str, _suffix: str, _filter: str) -> Path:
        self.suggested.append(file_name)
        return self.target


def _window(qtbot: Any, services: Services) -> MainWindow:
    main = MainWindow(services)
    qtbot.addWidget(main)
    main.show()
    wait_loaded(qtbot, main.page("estates"))
    return main


def test_the_preview_suggests_a_name_windows_can_open(
    qtbot: Any, services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    estate = make_estate(services, "万里城")
    pdf = services.dossiers.pdf_bytes(estate, today=date.today())
    dialogs = Dialogs(monkeypatch, tmp_path / "存.pdf")
    for title, expected in [("CON", "CON_.pdf"), ("梅川\u202e一村 小区档案", "梅川一村 小区档案.pdf")]:
        dialog = DossierPreviewDialog(pdf, title)
        qtbot.addWidget(dialog)
        dialog.save_button.click()
        assert dialogs.suggested[-1] == expected
        dialog.close()


def test_exporting_a_long_hostile_estate_name_suggests_a_short_safe_name(
    qtbot: Any, services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = "曹杨<新村>:" + "第一期" * 64  # 199 characters, near the longest a name may be
    estate = make_estate(services, name)
    dialogs = Dialogs(monkeypatch, tmp_path / "档案.pdf")
    main = _window(qtbot, services)
    page = main.page("estates")
    assert isinstance(page, EstatePage)
    assert page.select_record(estate)
    page.panel.pdf_button.click()
    qtbot.waitUntil(lambda: bool(dialogs.announced), timeout=20000)
    (suggested,) = dialogs.suggested
    assert suggested.startswith("曹杨_新村__第一期")
    assert suggested.endswith(".pdf")
    assert len(suggested) <= 100
    assert (tmp_path / "档案.pdf").is_file()


def test_a_batch_with_a_failed_estate_prints_the_rest_and_names_it_in_the_message(
    qtbot: Any, services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ["CON", "ABC小区", "abc小区", "无法排版小区"]:
        make_estate(services, name, street="长征")
    real = service.build_document

    def build_or_fail(data: Any, today: date) -> Any:
        if data.estate.title == "无法排版小区":
            raise KeyError("排版")
        return real(data, today)

    monkeypatch.setattr(service, "build_document", build_or_fail)
    folder = tmp_path / "长征镇"
    folder.mkdir()
    dialogs = Dialogs(monkeypatch, folder)
    main = _window(qtbot, services)
    page = main.show_page("export")
    assert isinstance(page, ExportPage)
    wait_loaded(qtbot, page)
    index = page.dossier_street.findData(street_id(services, "长征"))
    page.dossier_street.setCurrentIndex(index)
    qtbot.waitUntil(page.dossier_button.isEnabled)
    page.dossier_button.click()
    qtbot.waitUntil(lambda: bool(dialogs.announced), timeout=30000)

    text = dialogs.announced[0]
    assert text.startswith("已生成长征镇 3 个小区的档案")
    assert "1 个小区未能打印（目录中列有全部原因）：\n无法排版小区：程序错误（KeyError），详情已写入日志" in text
    assert sorted(p.name for p in folder.iterdir()) == [
        "ABC小区.pdf",
        "CON_.pdf",
        "abc小区（2）.pdf",
        "长征镇小区档案目录.pdf",
    ]
