"""Attachments as a clerk handles them in an estate window: a scan dropped on the window (or on a record's row)
fills the dossier's gap, moves to the bin and comes back, opens in the system viewer, every step in 变更记录."""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from gui_helpers import Answers, type_text
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from putuo_community.gui.attachment_dialog import AttachmentDialog
from putuo_community.gui.attachments_view import AttachmentsView, AttachmentTableModel
from putuo_community.gui.estate_window import EstateWindow
from putuo_community.gui.main_window import MainWindow
from putuo_community.gui.models import RowSortProxy
from putuo_community.services import Services

FILING_GAP = "现任业委会未登记备案"
NO_ATTACHMENTS = "无附件（备案证明、合同、表决材料等扫描件）"
CERTIFICATE = b"%PDF-1.4 filing certificate of the third committee\n" * 400


@pytest.fixture
def term(services: Services, estates: dict[str, int]) -> int:
    """The current term of 曹杨新村, elected but not yet filed."""
    return services.records.create(
        "committee_terms",
        {"estate_id": estates["曹杨新村"], "term_no": 3, "start_on": date(2024, 1, 1), "end_on": date(2028, 12, 31)},
    )


@pytest.fixture
def estate_window(qtbot: Any, window: MainWindow, estates: dict[str, int], term: int) -> EstateWindow:
    opened = window.open_estate(estates["曹杨新村"])
    qtbot.waitUntil(lambda: opened.dossier is not None and not opened.loading)
    return opened


@pytest.fixture
def certificate(tmp_path: Path) -> Path:
    path = tmp_path / "扫描件" / "第三届业委会备案证明.pdf"
    path.parent.mkdir()
    path.write_bytes(CERTIFICATE)
    return path


def gap_messages(window: EstateWindow) -> list[str]:
    assert window.dossier is not None
    return [g.message for g in window.dossier.gaps]


def shown_gaps(qtbot: Any, window: EstateWindow) -> str:
    """The completeness section as the clerk reads it on screen."""
    window.show_section("completeness")
    page = window.pages["completeness"]
    content = page.widget()  # type: ignore[attr-defined]
    return " ".join(label.text() for label in content.findChildren(type(window.completeness_label)))


def drop_files(window: EstateWindow, files: list[Path], at: QPoint) -> None:
    """Files dragged from the file manager and dropped at `at` (window coordinates)."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(f)) for f in files])
    enter = QDragEnterEvent(
        at, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted(), "the window refused the drag"
    drop = QDropEvent(
        QPointF(at), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(window, drop)


def centre_of(window: EstateWindow, widget: QWidget) -> QPoint:
    return widget.mapTo(window, widget.rect().center())


def attachments_view(qtbot: Any, window: EstateWindow, count: int | None = None) -> AttachmentsView:
    window.show_section("attachments")
    view = window.attachments_view
    assert view is not None
    qtbot.waitUntil(lambda: view.listing is not None and not view.loading)
    if count is not None:
        qtbot.waitUntil(lambda: view.listing is not None and len(view.listing.current) == count)
    return view


def save(qtbot: Any, dialog: AttachmentDialog) -> None:
    qtbot.waitUntil(lambda: dialog.links_loaded and dialog.save_button.isEnabled())
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)


def history_rows(qtbot: Any, window: EstateWindow, wanted: int) -> list[tuple[str, str, str, str]]:
    window.show_section("changes")
    history = window.history_view
    assert history is not None

    def rows() -> list[tuple[str, str, str, str]]:
        return [
            (c.action, c.register_label, c.field_label, c.text)
            for c in history.model.rows()
            if c.register_label == "附件"
        ]

    qtbot.waitUntil(lambda: len(rows()) >= wanted)
    return rows()


@pytest.mark.usefixtures("answers")
def test_a_certificate_dropped_on_the_window_closes_the_gap_and_the_bin_takes_it_out_and_gives_it_back(
    qtbot: Any, estate_window: EstateWindow, services: Services, certificate: Path, term: int
) -> None:
    # (6) The dossier lacks the filing and any scan; the clerk drags the scan onto the window.
    assert FILING_GAP in gap_messages(estate_window)
    assert NO_ATTACHMENTS in gap_messages(estate_window)
    before = estate_window.completeness_label.text()
    drop_files(estate_window, [certificate], centre_of(estate_window, estate_window.heading))
    dialog = estate_window.dialog
    assert isinstance(dialog, AttachmentDialog)
    assert dialog.editors["kind"].text() == "备案证明"  # read from the file's name
    assert dialog.editors["title"].text() == "第三届业委会备案证明"
    qtbot.waitUntil(lambda: dialog.links_loaded)
    assert dialog.link is None  # dropped on the window, not on a record: the clerk picks the term
    assert dialog.choose_link(("committee_terms", term))
    save(qtbot, dialog)
    qtbot.waitUntil(lambda: FILING_GAP not in gap_messages(estate_window))  # no F5
    assert NO_ATTACHMENTS not in gap_messages(estate_window)
    assert estate_window.completeness_label.text() != before
    on_screen = shown_gaps(qtbot, estate_window)
    assert FILING_GAP not in on_screen
    assert "附件目录（1）" in [estate_window.sections.item(i).text() for i in range(estate_window.sections.count())]

    view = attachments_view(qtbot, estate_window, count=1)
    model = view.current_model
    shown = [model.index(0, c).data() for c in range(model.columnCount())]
    assert shown[:5] == ["备案证明", "第三届业委会备案证明", "", "第3届业委会", "19.9 KB"]
    assert shown[6:] == ["完好", "第三届业委会备案证明.pdf"]

    # (7) Into the bin: out of the dossier, the gap is back; restored: closed again.
    assert view.select(view.listing.current[0].id)  # type: ignore[union-attr]
    qtbot.mouseClick(view.remove_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: FILING_GAP in gap_messages(estate_window))
    qtbot.waitUntil(lambda: view.tabs.tabText(1) == "回收站（1）")
    assert view.tabs.tabText(0) == "档案中的附件（0）"
    assert "移入回收站" in view.message.text()
    view.show_bin()
    assert view.restore_button.isVisible()
    assert not view.remove_button.isVisible()
    assert view.select(view.listing.removed[0].id)  # type: ignore[union-attr]
    qtbot.mouseClick(view.restore_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: FILING_GAP not in gap_messages(estate_window))
    qtbot.waitUntil(lambda: view.tabs.tabText(0) == "档案中的附件（1）")

    # Every step is in the change history, as the clerk reads it.
    today = date.today().isoformat()
    rows = history_rows(qtbot, estate_window, 3)
    assert [(action, field, text) for action, _register, field, text in rows[:2]] == [
        ("修改", "移入回收站日期", f"清除“{today}”"),
        ("修改", "移入回收站日期", f"填写“{today}”"),
    ]
    assert rows[2][0] == "新增"
    assert "附件类型：备案证明" in rows[2][3]
    assert "业委会届次：3" in rows[2][3]


@pytest.mark.usefixtures("answers")
def test_a_scan_dropped_on_a_terms_row_is_linked_to_that_term(
    qtbot: Any, estate_window: EstateWindow, services: Services, certificate: Path, term: int
) -> None:
    estate_window.show_section("committee")
    box = estate_window.boxes["committee_terms"]
    qtbot.waitUntil(lambda: box.proxy.rowCount() == 1)
    row = box.view.visualRect(box.proxy.index(0, 1)).center()
    renamed = certificate.with_name("扫描0001.pdf")  # a name that says nothing: the row says what it is
    certificate.rename(renamed)
    drop_files(estate_window, [renamed], box.view.viewport().mapTo(estate_window, row))
    dialog = estate_window.dialog
    assert isinstance(dialog, AttachmentDialog)
    qtbot.waitUntil(lambda: dialog.links_loaded)
    assert dialog.link == ("committee_terms", term)
    assert dialog.editors["kind"].text() == "备案证明"  # what a term's scan usually is
    save(qtbot, dialog)
    qtbot.waitUntil(lambda: FILING_GAP not in gap_messages(estate_window))


def test_a_file_too_large_or_missing_is_marked_in_the_form_and_the_rest_are_added(
    qtbot: Any, estate_window: EstateWindow, services: Services, certificate: Path, tmp_path: Path, answers: Answers
) -> None:
    big = tmp_path / "整本扫描.pdf"
    with big.open("wb") as stream:
        stream.truncate(51 * 1024 * 1024)
    dialog = estate_window.attach_files([certificate, big, tmp_path / "已删除.pdf"])
    assert "超过附件大小上限 50 MB" in dialog.file_list.text()
    assert "找不到文件" in dialog.file_list.text()
    assert not dialog.editors["title"].isVisibleTo(dialog)  # several files: each named after its file
    save(qtbot, dialog)
    view = attachments_view(qtbot, estate_window, count=1)
    assert view.listing.current[0].title == "第三届业委会备案证明"  # type: ignore[union-attr]
    assert services.records.count("attachments") == 1


def test_open_hands_a_copy_to_the_viewer_and_a_changed_file_is_flagged_first(
    qtbot: Any,
    estate_window: EstateWindow,
    services: Services,
    certificate: Path,
    answers: Answers,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    opened: list[Path] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(Path(url.toLocalFile())) or True)
    temp = tmp_path / "data" / "tmp" / "this-run"  # where the program points tempfile while it runs
    temp.mkdir(parents=True)
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    attachment_id = services.attachments.add(estate_window.estate_id, certificate, kind="备案证明")
    view = attachments_view(qtbot, estate_window, count=1)
    assert view.select(attachment_id)
    qtbot.mouseClick(view.open_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(opened) == 1)
    assert opened[0].name == "第三届业委会备案证明.pdf"
    assert opened[0].read_bytes() == CERTIFICATE
    assert opened[0].is_relative_to(temp)  # a copy in the data folder's temp folder, never the stored file
    assert answers.questions == []

    stored = services.attachments.store.path_of(hashlib.sha256(CERTIFICATE).hexdigest())  # type: ignore[union-attr]
    stored.write_bytes(b"X" + CERTIFICATE[1:])  # edited outside the program
    view.refresh()
    qtbot.waitUntil(lambda: view.flag_label.isVisible())
    assert "已在程序外被改动" in view.flag_label.text()
    assert view.current_model.index(0, 6).data() == "⚠ 已被改动"
    answers.question_answer = QMessageBox.StandardButton.No
    assert view.select(attachment_id)
    task = view.open_selected()
    assert task is not None
    qtbot.waitUntil(lambda: task.done)
    assert len(answers.questions) == 1
    assert "已在程序外被改动" in answers.questions[0]
    assert len(opened) == 1  # the clerk said no: nothing shown


def test_an_empty_dossier_says_how_to_add_a_scan(qtbot: Any, estate_window: EstateWindow) -> None:
    view = attachments_view(qtbot, estate_window, count=0)
    assert view.drop_title.text() == "还没有附件"
    assert "拖到这里" in view.drop_hint.text()
    assert "添加附件" in view.drop_hint.text()
    assert not view.tabs.isVisibleTo(view)
    assert view.add_button.isEnabled()
    assert estate_window.fill_gap("附件") is None  # the gap's button brings the clerk here
    assert estate_window.current_section() == "attachments"


@pytest.mark.usefixtures("answers")
def test_a_scan_dropped_on_a_terms_form_is_linked_to_that_term(
    qtbot: Any, estate_window: EstateWindow, services: Services, certificate: Path, term: int
) -> None:
    form = estate_window.edit_record(services.records.get("committee_terms", term))
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(certificate))])
    at = form.rect().center()
    enter = QDragEnterEvent(
        at, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(form, enter)
    assert enter.isAccepted()
    drop = QDropEvent(
        QPointF(at), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(form, drop)
    dialog = form.attachment_drops.opened  # type: ignore[union-attr]
    assert isinstance(dialog, AttachmentDialog)
    qtbot.waitUntil(lambda: dialog.links_loaded)
    assert dialog.link == ("committee_terms", term)
    save(qtbot, dialog)
    qtbot.waitUntil(lambda: FILING_GAP not in gap_messages(estate_window))
    form.reject()


@pytest.mark.usefixtures("answers")
def test_changing_an_attachment_is_saved_and_shown_without_f5(
    qtbot: Any, estate_window: EstateWindow, services: Services, certificate: Path, term: int
) -> None:
    attachment_id = services.attachments.add(estate_window.estate_id, certificate, kind="其他", title="扫描件")
    view = attachments_view(qtbot, estate_window, count=1)
    assert view.select(attachment_id)
    qtbot.mouseClick(view.edit_button, Qt.MouseButton.LeftButton)
    dialog = estate_window.dialog
    assert isinstance(dialog, AttachmentDialog)
    qtbot.waitUntil(lambda: dialog.links_loaded)
    assert dialog.editors["title"].text() == "扫描件"
    dialog.editors["kind"].combo.setCurrentText("备案证明")  # type: ignore[attr-defined]
    for key, typed in (("title", "第三届业委会备案证明"), ("dated_on", "2024年1月20日")):
        edit = dialog.editors[key].line_edit  # type: ignore[attr-defined]
        edit.selectAll()
        type_text(edit, typed)
    assert dialog.choose_link(("committee_terms", term))
    save(qtbot, dialog)
    qtbot.waitUntil(lambda: view.current_model.index(0, 1).data() == "第三届业委会备案证明")
    assert view.current_model.index(0, 2).data() == "2024-01-20"
    assert view.current_model.index(0, 3).data() == "第3届业委会"
    qtbot.waitUntil(lambda: FILING_GAP not in gap_messages(estate_window))
    fields = {field for _action, _register, field, _text in history_rows(qtbot, estate_window, 5)}
    assert {"附件类型", "名称", "文件日期", "业委会届次"} <= fields


@pytest.fixture
def kept() -> Iterator[list[object]]:
    """Holds models past the test body, until the model tester has let go of them."""
    holder: list[object] = []
    yield holder
    holder.clear()


def test_the_attachment_models_keep_their_contract(
    qtmodeltester: Any, kept: list[object], services: Services, estates: dict[str, int], certificate: Path
) -> None:
    estate = estates["曹杨新村"]
    services.attachments.add(estate, certificate, kind="备案证明")
    other = certificate.with_name("合同.pdf")
    other.write_bytes(b"contract" * 500)
    services.attachments.remove(services.attachments.add(estate, other, kind="合同"), expected_version=1)
    listing = services.attachments.of_estate(estate)
    for in_bin, rows in ((False, listing.current), (True, listing.removed)):
        model = AttachmentTableModel(in_bin=in_bin)
        proxy = RowSortProxy()
        proxy.setSourceModel(model)
        kept.extend([model, proxy])
        model.set_rows(rows)
        assert model.rowCount() == 1
        qtmodeltester.check(model, force_py=True)
        qtmodeltester.check(proxy, force_py=True)
    assert model.headerData(5, Qt.Orientation.Horizontal) == "移入回收站"
