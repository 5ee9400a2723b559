"""Issue 9 end to end: one clerk, one archive, one session, through the real widgets.

(1) the third committee's election counted, failing by one owner and then passing, with its margins and rule;
(2) a 加装电梯 consent for one 单元 that fails by one owner, and why;
(3) a 6-point act logged: the company turns orange in the company list, the estate window and the printed dossier;
(4) a correction of an 18-point act refused (and nothing written);
(5) an objection filed and accepted, its deadline counted on the official calendar over 国庆;
(6) the 备案证明 dropped on the term's row closes the filing gap;
(7) the scan moved to the bin (the gap is back) and restored (closed again);
and every step read back in the estate's 变更记录.
"""

from __future__ import annotations

import io
import itertools
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from gui_helpers import Answers, line_edit, type_text, wait_loaded
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QPlainTextEdit
from test_attachments import CERTIFICATE, FILING_GAP, attachments_view, drop_files, gap_messages, save, shown_gaps
from test_credit_workflow import COMPANY, company_level, ledger_cell, section_text, step
from test_vote_calculator import enter, open_calculator, record_dialog, results, table_cells

from putuo_community.gui.attachment_dialog import AttachmentDialog
from putuo_community.gui.dialogs import RecordDialog
from putuo_community.gui.estate_window import EstateWindow
from putuo_community.gui.main_window import MainWindow
from putuo_community.gui.pages.company_window import CompanyWindow
from putuo_community.gui.pages.estate_page import EstatePage
from putuo_community.gui.pages.register_page import RegisterPage
from putuo_community.services import Services
from putuo_community.services.change_log import HistoryFilter
from putuo_community.services.credit import ObjectionStep

TODAY = date.today()
EXPIRED_TERM_GAP = "业委会任期已于2025-04-30届满，未登记新一届"


@dataclass(frozen=True)
class Archive:
    estate: int
    severe_2024: int  # 18 points, long expired: the company asks to have it corrected
    minor_2024: int  # 3 points, scored 2024-09-20: the objection over 国庆


@pytest.fixture
def archive(services: Services, estates: dict[str, int]) -> Archive:
    """曹杨新村 as the district keeps it: 1号楼 with two 单元, the second committee (filed, its term run out),
    a service contract with the company, and two old credit acts that no longer count."""
    estate = estates["曹杨新村"]
    company = services.records.get("estates", estate).values["company_id"]
    building = services.records.create("buildings", {"estate_id": estate, "number": "1号", "households": 24})
    for number, area in (("1单元", "20000.00"), ("2单元", "21250.50")):
        services.records.create(
            "units", {"building_id": building, "number": number, "households": 12, "exclusive_area": Decimal(area)}
        )
    services.records.create(
        "committee_terms",
        {
            "estate_id": estate,
            "term_no": 2,
            "start_on": date(2020, 5, 1),
            "end_on": date(2025, 4, 30),
            "filed_on": date(2020, 6, 15),
        },
    )
    services.records.create(
        "contracts",
        {"estate_id": estate, "company_id": company, "kind": "物业服务", "start_on": date(2023, 1, 1)},
    )
    act = {"subject": "企业", "company_id": company, "estate_id": estate}
    severe = services.records.create(
        "credit_events",
        {
            **act,
            "band": "特别严重",
            "points": 18,
            "act_on": date(2024, 3, 5),
            "scored_on": date(2024, 3, 12),
            "description": "擅自撤离物业服务区域",
        },
    )
    minor = services.records.create(
        "credit_events",
        {
            **act,
            "band": "轻微",
            "points": 3,
            "act_on": date(2024, 9, 10),
            "scored_on": date(2024, 9, 20),
            "description": "公共部位保洁不到位",
        },
    )
    return Archive(estate, severe, minor)


# -- what the clerk reads -------------------------------------------------------------------------


def printed_dossier(qtbot: Any, window: MainWindow, estate_id: int) -> str:
    """The dossier as the 小区档案 page's 打印档案… previews it, as plain text."""
    page = window.show_page("estates")
    assert isinstance(page, EstatePage)
    wait_loaded(qtbot, page)
    assert page.select_record(estate_id)
    page.print_action.trigger()
    qtbot.waitUntil(lambda: page.preview_dialog is not None and page.preview_dialog.isVisible(), timeout=10000)
    dialog = page.preview_dialog
    assert dialog is not None
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(dialog.pdf)).pages)
    dialog.close()
    return text.replace(" ", "").replace("\n", "")


def combo(dialog: RecordDialog, key: str) -> QComboBox:
    box = getattr(dialog.form.editor(key), "combo", None)
    assert isinstance(box, QComboBox), key
    return box


def save_with_ctrl_s(qtbot: Any, dialog: RecordDialog) -> None:
    dialog.activateWindow()  # back from the calculator: Ctrl+S goes to the record's dialog
    qtbot.waitUntil(dialog.isActiveWindow)
    with qtbot.waitSignal(dialog.saved):
        qtbot.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)


# -- the steps ------------------------------------------------------------------------------------


def elect_the_third_committee(qtbot: Any, estate_window: EstateWindow, services: Services) -> int:
    """(1) The new term with its election: 426 of 640 owners is one short of 2/3; the late ballots make 430."""
    estate_window.show_section("committee")
    qtbot.mouseClick(estate_window.boxes["committee_terms"].new_button, Qt.MouseButton.LeftButton)
    dialog = record_dialog(qtbot, estate_window)
    type_text(line_edit(dialog, "term_no"), "3")
    combo(dialog, "kind").setCurrentText("换届")
    type_text(line_edit(dialog, "elected_on"), "2025.4.20")
    type_text(line_edit(dialog, "start_on"), "2025.5.1")
    type_text(line_edit(dialog, "end_on"), "2030年4月30日")

    vote = open_calculator(qtbot, dialog)
    assert vote.scope_label.text() == "曹杨新村全体业主"
    assert (vote.editors["total_area"].text(), vote.editors["total_owners"].text()) == ("41250.50", "640")
    enter(vote, "voting_area", "27600")
    enter(vote, "voting_owners", "426")
    enter(vote, "agree_area", "20000")
    enter(vote, "agree_owners", "300")
    assert results(vote)["参与人数"] == ("未通过", "人数差 1 人")  # 2/3 of 640 is 426.67
    assert "参与人数不足2/3，差1人" in vote.verdict_label.text()
    enter(vote, "voting_owners", "430")
    assert results(vote) == {
        "参与面积": ("通过", "面积超 99.66 ㎡"),  # 2/3 of 41,250.50 ㎡ is 27,500.34 ㎡
        "参与人数": ("通过", "人数超 3 人"),
        "同意面积": ("通过", "面积超 6,199.99 ㎡"),
        "同意人数": ("通过", "人数超 84 人"),  # more than half of 430: 216
    }
    assert "未通过" not in vote.verdict_label.text()
    assert "一般事项表决" in vote.verdict_label.text()
    assert "表决参与门槛" in vote.rules_label.text()
    assert "第二百七十八条" in vote.rules_label.text()
    qtbot.mouseClick(vote.ok_button, Qt.MouseButton.LeftButton)
    assert "通过（一般事项表决）" in dialog.vote_panel.verdict_label.text()  # type: ignore[union-attr]
    save_with_ctrl_s(qtbot, dialog)

    terms = estate_window.boxes["committee_terms"]
    qtbot.waitUntil(lambda: "通过（一般事项表决）" in table_cells(terms, "选举表决"))
    # The new term is the current one: no longer run out, but not yet filed.
    qtbot.waitUntil(lambda: EXPIRED_TERM_GAP not in gap_messages(estate_window))
    assert FILING_GAP in gap_messages(estate_window)
    return next(r.id for r in services.records.list("committee_terms") if r.values["term_no"] == 3)


def ask_the_second_units_owners(qtbot: Any, estate_window: EstateWindow) -> None:
    """(2) 2单元's consent to a lift: 6 of the 9 who voted agree, 7 were needed."""
    estate_window.show_section("lift_projects")
    qtbot.mouseClick(estate_window.boxes["lift_projects"].new_button, Qt.MouseButton.LeftButton)
    dialog = record_dialog(qtbot, estate_window)
    building, unit = dialog.form.picker("building_id"), dialog.form.picker("unit_id")
    type_text(building.line_edit, "1号")
    qtbot.waitUntil(lambda: building.record_id is not None)
    type_text(unit.line_edit, "2单元")
    qtbot.waitUntil(lambda: unit.record_id is not None)
    combo(dialog, "stage").setCurrentText("意愿征询")

    vote = open_calculator(qtbot, dialog)
    assert vote.scope_label.text() == "1号 2单元的业主"
    assert vote.editors["households"].text() == "12"
    enter(vote, "voting_owners", "9")
    enter(vote, "voting_area", "16000")
    enter(vote, "agree_owners", "6")
    enter(vote, "agree_area", "12000")
    assert results(vote)["同意人数"] == ("未通过", "人数差 1 人")  # 3/4 of 9 is 6.75
    assert results(vote)["同意面积"] == ("通过", "面积恰好达到")
    assert "同意人数不足3/4，差1人" in vote.verdict_label.text()
    assert "沪房更新〔2024〕126号" in vote.rules_label.text()
    qtbot.mouseClick(vote.ok_button, Qt.MouseButton.LeftButton)
    save_with_ctrl_s(qtbot, dialog)
    why = "未通过（加装电梯意愿征询）：同意人数不足3/4，差1人"
    qtbot.waitUntil(lambda: table_cells(estate_window.boxes["lift_projects"], "意愿征询结果") == [why])


def log_a_serious_act(
    qtbot: Any,
    window: MainWindow,
    estate_window: EstateWindow,
    companies: RegisterPage,
    company_window: CompanyWindow,
) -> None:
    """(3) A 6-point act, logged in the estate's window: orange everywhere, without F5."""
    estate_window.show_section("service")
    qtbot.mouseClick(estate_window.boxes["credit_events"].new_button, Qt.MouseButton.LeftButton)
    dialog = record_dialog(qtbot, estate_window)
    assert dialog.form.values()["company_id"] is not None  # the serving company, filled in
    combo(dialog, "subject").setCurrentText("企业")
    combo(dialog, "band").setCurrentText("较严重")
    combo(dialog, "source").setCurrentText("巡查")
    type_text(line_edit(dialog, "points"), "6")
    for key, day in (("act_on", 20), ("discovered_on", 15), ("scored_on", 10)):
        type_text(line_edit(dialog, key), (TODAY - timedelta(days=day)).isoformat())
    description = getattr(dialog.form.editor("description"), "text_edit", None)
    assert isinstance(description, QPlainTextEdit)
    type_text(description, "消防通道堆物，经责令整改逾期未改")
    qtbot.waitUntil(dialog.save_button.isEnabled)
    with qtbot.waitSignal(dialog.saved):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    window.show_page("companies")
    qtbot.waitUntil(lambda: company_level(companies) == "橙色", timeout=5000)
    qtbot.waitUntil(lambda: "预警等级：橙色" in company_window.level_label.text(), timeout=5000)
    assert "有效记分 6 分" in company_window.level_label.text()
    estate_window.show_section("service")
    qtbot.waitUntil(lambda: "信用预警等级：橙色" in section_text(estate_window, "service"), timeout=5000)
    assert "有效记分：6 分" in section_text(estate_window, "service")
    printed = printed_dossier(qtbot, window, estate_window.estate_id)
    assert "信用预警等级橙色" in printed
    assert "有效记分6分" in printed


def try_to_correct_the_severe_act(
    qtbot: Any, estate_window: EstateWindow, company_window: CompanyWindow, severe: int
) -> None:
    """(4) An 18-point act can never be corrected: no 信用修正 in the company window, a refusal in the form."""
    assert company_window.select_entry(severe)
    assert ledger_cell(company_window, severe, "可申请修正") == "不可修正"
    assert not company_window.step_buttons[None].isEnabled()  # 信用修正…
    estate_window.show_section("service")
    events = estate_window.boxes["credit_events"]
    assert events.select(severe)
    qtbot.mouseClick(events.edit_button, Qt.MouseButton.LeftButton)
    dialog = record_dialog(qtbot, estate_window)
    type_text(line_edit(dialog, "corrected_on"), (TODAY - timedelta(days=5)).isoformat())
    qtbot.waitUntil(lambda: "不得修正" in dialog.form.message_text("corrected_on"))
    assert "需要修改才能保存：信用修正日期" in dialog.status.text()
    refusal = dialog.form.message_text("corrected_on")
    assert refusal.startswith("特别严重失信行为（18分）不得修正")
    assert "沪房规范〔2023〕2号" in refusal
    assert not dialog.save_button.isEnabled()
    qtbot.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # refused all the same
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # and the clerk gives up (the save question: 不保存)
    qtbot.waitUntil(lambda: not dialog.isVisible())


def object_over_national_day(qtbot: Any, company_window: CompanyWindow, minor: int) -> None:
    """(5) Filed Thursday 26 September 2024, accepted Friday 27: 15 working days over 国庆 end on 23 October."""
    step(qtbot, company_window, minor, ObjectionStep.FILE, date(2024, 9, 26))
    assert ledger_cell(company_window, minor, "异议") == "已提出"
    assert ledger_cell(company_window, minor, "异议处理期限") == ""
    step(qtbot, company_window, minor, ObjectionStep.ACCEPT, date(2024, 9, 27))
    assert ledger_cell(company_window, minor, "异议") == "已受理"
    assert ledger_cell(company_window, minor, "异议处理期限") == "2024-10-23"  # Mon–Fri counting: 10-18


def drop_the_certificate(qtbot: Any, estate_window: EstateWindow, certificate: Path, third_term: int) -> None:
    """(6) The scan dragged from the file manager onto the third term's row."""
    assert FILING_GAP in shown_gaps(qtbot, estate_window)
    estate_window.show_section("committee")
    terms = estate_window.boxes["committee_terms"]
    assert terms.select(third_term)
    row = terms.view.visualRect(terms.view.currentIndex()).center()
    drop_files(estate_window, [certificate], terms.view.viewport().mapTo(estate_window, row))
    dialog = estate_window.dialog
    assert isinstance(dialog, AttachmentDialog)
    qtbot.waitUntil(lambda: dialog.links_loaded)
    assert dialog.link == ("committee_terms", third_term)
    assert dialog.editors["kind"].text() == "备案证明"
    assert dialog.editors["title"].text() == "第三届业委会备案证明"
    save(qtbot, dialog)
    qtbot.waitUntil(lambda: FILING_GAP not in gap_messages(estate_window))  # no F5
    assert FILING_GAP not in shown_gaps(qtbot, estate_window)


def bin_and_restore(qtbot: Any, estate_window: EstateWindow) -> None:
    """(7) Into the bin: the gap is back; restored: closed again."""
    view = attachments_view(qtbot, estate_window, count=1)
    assert view.listing is not None
    assert view.select(view.listing.current[0].id)
    qtbot.mouseClick(view.remove_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.tabs.tabText(1) == "回收站（1）")
    qtbot.waitUntil(lambda: FILING_GAP in gap_messages(estate_window))
    assert view.tabs.tabText(0) == "档案中的附件（0）"
    assert "移入回收站" in view.message.text()
    view.show_bin()
    assert view.bin_model.rowCount() == 1
    assert view.bin_model.index(0, 1).data() == "第三届业委会备案证明"
    assert view.select(view.listing.removed[0].id)
    qtbot.mouseClick(view.restore_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.tabs.tabText(0) == "档案中的附件（1）")
    qtbot.waitUntil(lambda: FILING_GAP not in gap_messages(estate_window))
    assert FILING_GAP not in shown_gaps(qtbot, estate_window)


# -- the session ----------------------------------------------------------------------------------


def shown_history(qtbot: Any, estate_window: EstateWindow, wanted: int) -> list[tuple[str, ...]]:
    """The 变更记录 section's rows as the table shows them: (操作, 台账, 记录, 字段, 变更内容), newest first;
    waits until `wanted` rows are there (the view reads again after every write)."""
    estate_window.show_section("changes")
    view = estate_window.history_view
    assert view is not None
    qtbot.waitUntil(lambda: view.model.rowCount() >= wanted, timeout=5000)
    model = view.model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    columns = [headers.index(h) for h in ("操作", "台账", "记录", "字段", "变更内容")]
    return [tuple(model.index(r, c).data() for c in columns) for r in range(model.rowCount())]


def test_one_session_of_votes_credit_and_attachments(
    qtbot: Any,
    window: MainWindow,
    services: Services,
    archive: Archive,
    answers: Answers,
    tmp_path: Path,
) -> None:
    companies = window.show_page("companies")
    assert isinstance(companies, RegisterPage)
    wait_loaded(qtbot, companies)
    listed = [companies.proxy.row_object(r) for r in range(companies.proxy.rowCount())]
    record = next(r for r in listed if r is not None and r.title == COMPANY)
    assert record is not None
    company_window = companies.open_company(record)
    qtbot.waitUntil(lambda: company_window.file is not None)
    estate_window = window.open_estate(archive.estate, "service")
    qtbot.waitUntil(lambda: estate_window.dossier is not None and not estate_window.loading)
    # Where the session starts: green everywhere (the 2024 acts no longer count), the second term run out.
    assert company_level(companies) == "绿色"
    assert "预警等级：绿色" in company_window.level_label.text()
    assert "信用预警等级：绿色" in section_text(estate_window, "service")
    assert "信用预警等级绿色" in printed_dossier(qtbot, window, archive.estate)
    assert EXPIRED_TERM_GAP in gap_messages(estate_window)
    assert FILING_GAP not in gap_messages(estate_window)  # the second term was filed
    history_before = len(services.history.changes(HistoryFilter(estate_id=archive.estate)))

    third_term = elect_the_third_committee(qtbot, estate_window, services)
    ask_the_second_units_owners(qtbot, estate_window)
    log_a_serious_act(qtbot, window, estate_window, companies, company_window)

    before_refusal = len(services.history.changes(HistoryFilter(estate_id=archive.estate)))
    versions = {r.id: r.version for r in services.records.list("credit_events")}
    try_to_correct_the_severe_act(qtbot, estate_window, company_window, archive.severe_2024)
    assert answers.asked_to_save  # closed with unsaved edits: 不保存
    assert len(services.history.changes(HistoryFilter(estate_id=archive.estate))) == before_refusal
    assert {r.id: r.version for r in services.records.list("credit_events")} == versions

    object_over_national_day(qtbot, company_window, archive.minor_2024)

    certificate = tmp_path / "扫描件" / "第三届业委会备案证明.pdf"
    certificate.parent.mkdir()
    certificate.write_bytes(CERTIFICATE)
    drop_the_certificate(qtbot, estate_window, certificate, third_term)
    bin_and_restore(qtbot, estate_window)
    assert answers.warnings == []

    # The estate's 变更记录, as the clerk reads it: every step, in the order of the session.
    # Each expected row: (操作, 台账, 记录, 字段) and what its 变更内容 says.
    today = TODAY.isoformat()
    objection = ("修改", "信用记分", "公共部位保洁不到位")
    certificate_row = ("附件", "第三届业委会备案证明")
    steps: dict[str, list[tuple[tuple[str, ...], tuple[str, ...]]]] = {
        "(1) the election": [
            (
                ("新增", "业委会届次", "3", ""),
                ("产生方式：换届", "参与表决人数：430；参与表决面积：27600.00；同意人数：300"),
            ),
        ],
        "(2) the lift consent": [
            (
                ("新增", "加装电梯项目", "意愿征询", ""),
                ("单元：2单元", "参与表决人数：9；参与表决面积：16000.00；同意人数：6"),
            ),
        ],
        "(3) the 6-point act": [
            (("新增", "信用记分", "消防通道堆物，经责令整改逾期未改", ""), ("情形：较严重；分值：6",)),
        ],
        "(5) the objection": [
            ((*objection, "异议"), ("填写“已提出”",)),
            ((*objection, "异议提出日期"), ("填写“2024-09-26”",)),
            ((*objection, "异议"), ("已提出 → 已受理",)),
            ((*objection, "异议受理日期"), ("填写“2024-09-27”",)),
        ],
        "(6) the certificate": [
            (("新增", *certificate_row, ""), ("附件类型：备案证明", "业委会届次：3")),
        ],
        "(7) into the bin": [
            (("修改", *certificate_row, "移入回收站日期"), (f"填写“{today}”",)),
        ],
        "(7) restored": [
            (("修改", *certificate_row, "移入回收站日期"), (f"清除“{today}”",)),
        ],
    }
    shown = shown_history(qtbot, estate_window, history_before + 10)
    written = shown[: len(shown) - history_before]  # newest first; the archive's setup is below

    def position(where: tuple[str, ...], says: tuple[str, ...]) -> int:
        found = [n for n, row in enumerate(written) if row[:4] == where and all(s in row[4] for s in says)]
        assert len(found) == 1, (where, says, written)
        return found[0]

    positions = {name: [position(*expected) for expected in rows] for name, rows in steps.items()}
    assert sorted(n for found in positions.values() for n in found) == list(range(len(written)))  # nothing else
    for earlier, later in itertools.pairwise(positions.values()):
        assert min(earlier) > max(later), (earlier, later)  # newest first
    # (4) refused: no correction date, nothing about the 18-point act at all.
    assert not any(row[3] == "信用修正日期" or row[2] == "擅自撤离物业服务区域" for row in written)
