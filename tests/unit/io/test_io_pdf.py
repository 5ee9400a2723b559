"""Printing documents as PDF: what a reader of the printout sees, and what the PDF file carries."""

from __future__ import annotations

import datetime as dt
import errno
import io
import os
import re
import struct
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import Destination

from putuo_community.domain.errors import BadFile, UserError
from putuo_community.io.cjk_wrap import FORBIDDEN_AT_START
from putuo_community.io.document import Document, Facts, Section, Table, Text
from putuo_community.io.fonts import bundled_font_path, register_font
from putuo_community.io.pdf import drawing, render_document, renderer, tables

PRINTED = dt.date(2026, 11, 24)
NOTO_CJK = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

REPORT = (
    "梅川一村位于长征镇中部，始建于上世纪八十年代，是典型的售后公房小区。近年来，在街镇党委领导下，"
    "居委会、业委会、物业服务企业“三驾马车”协同治理，先后完成了旧住房综合修缮、雨污分流改造、加装电梯等"
    "民心工程（其中加装电梯10台，惠及居民120户）。2025年，小区被评为区级“美丽家园”示范小区；但仍存在"
    "停车位不足、非机动车充电设施缺乏、部分楼栋外墙渗水等问题，需要在下一阶段重点推进！"
)


def dossier(estate: str = "梅川一村", *, with_cover: bool = True) -> Document:
    """A fully populated dossier: 15 sections, about 150 table rows."""
    basic = Facts(
        items=(
            ("小区名称", estate),
            ("所属街镇", "长征镇"),
            ("居委会", "梅川居委会"),
            ("小区编码", "PT-CZ-0001"),
            ("地址", "梅川路100弄、梅川路120弄1-35号"),
            ("建成年份", "1980"),
            ("建筑面积", "18,600.50 平方米"),
            ("户数", "300 户"),
            ("四至范围", "东至梅岭北路，南至梅川路，西至铜川路（含沿街商铺及非机动车棚），北至真北路绿化带。"),
        )
    )
    buildings = Table(
        headers=("楼号", "层数", "户数", "结构", "建成年份", "电梯", "备注"),
        rows=tuple(
            (
                f"{i}号",
                str(5 + i % 2),
                str(10 + i % 7),
                "砖混",
                "1980",
                "是（2023年加装）" if i % 4 == 0 else "否",
                "外墙渗水，已列入2025年度综合修缮计划。" if i % 9 == 0 else "",
            )
            for i in range(1, 36)
        ),
        caption="楼栋一览",
        numeric=(1, 2),
    )
    fund = Table(
        headers=("年度", "归集（元）", "使用（元）", "年末余额（元）", "说明"),
        rows=tuple(
            (
                str(2013 + i),
                f"{120000 + i * 3500:,}.00",
                f"{i * 17 % 9 * 10000:,}.00",
                f"{1_000_000 + i * 95000:,}.50",
                "屋面防水、雨污水管道改造" if i % 3 == 0 else "",
            )
            for i in range(13)
        ),
        caption="专项维修资金收支",
        numeric=(1, 2, 3),
    )
    repairs = Table(
        headers=("日期", "项目", "内容", "金额（元）"),
        rows=tuple(
            (
                f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}",
                ("屋面修缮", "管道改造", "消防设施")[i % 3],
                "排查雨污混接点，更换老化铸铁立管，修复化粪池；施工期间设置临时围挡并张贴告示，做好居民解释工作。",
                f"{35000 + i * 1234:,}.00",
            )
            for i in range(20)
        ),
        caption="维修工程记录",
        weights=(1.2, 1.2, 5, 1.4),
        numeric=(3,),
    )
    complaints = Table(
        headers=("日期", "来源", "反映内容", "办理情况", "状态"),
        rows=tuple(
            (
                f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}",
                ("12345热线", "来访", "网格巡查")[i % 3],
                "居民反映楼道堆物严重，影响消防通道畅通（多次反映）；要求物业及时清理。"
                if i % 2
                else "夜间噪声扰民，“广场舞”音量过大。",
                "已转物业公司处理，居委会跟踪回访；当事人表示满意。",
                ("已办结", "办理中")[i % 2],
            )
            for i in range(40)
        ),
        caption="投诉与信访",
    )
    people = Table(
        headers=("姓名", "职务", "楼号", "任期"),
        rows=tuple((f"委员{i}", "委员", f"{i}号", "2023-05-01至2028-04-30") for i in range(1, 8)),
        caption="第五届业主委员会",
    )
    hazards = Table(
        headers=("编号", "位置", "隐患描述", "等级"),
        rows=tuple(
            (f"YH-{i:03d}", f"{i * 3}号楼", "电动自行车在楼道内充电，存在火灾隐患。", "红色") for i in range(1, 21)
        ),
    )
    lifts = Table(
        headers=("楼号", "征询日期", "同意率", "状态"),
        rows=tuple((f"{i}号", f"2024-03-{i:02d}", f"{80 + i}.5%", "已竣工") for i in range(1, 11)),
    )
    sections = (
        Section("一、基本情况", (basic, Text(REPORT))),
        Section("二、房屋与楼栋", (buildings,)),
        Section("三、业主大会与业主委员会", (Facts((("届次", "第五届"), ("任期届满", "2028-04-30"))), people)),
        Section("四、物业服务", (Text("合同将于2026年12月31日到期，请提前六个月启动续聘或选聘程序。", tone="alert"),)),
        Section("五、专项维修资金", (fund, Text("注：余额以区住房维修资金管理中心对账单为准。", tone="note"))),
        Section("六、加装电梯", (lifts,)),
        Section("七、维修工程", (repairs,)),
        Section("八、投诉与信访", (complaints,)),
        Section("九、安全隐患", (hazards,)),
        Section("十、综合治理", (Text(REPORT * 2),)),
        Section("十一、停车管理", (Facts((("地面车位", "86 个"), ("机动车数量", "142 辆"))),)),
        Section("十二、垃圾分类", (Table(headers=("日期", "检查内容", "结果"), rows=(), caption="检查记录"),)),
        Section("十三、文明创建", (Text("2025年获评区级文明小区。"),)),
        Section("十四、信用评价", (Table(("年度", "得分"), (("2025", "90.0"),), numeric=(1,)),)),
        Section("十五、备注", (Text("数据来源：街镇台账、区房管局系统导出、居委会走访记录。", tone="note"),)),
    )
    return Document(
        title=f"{estate} 小区档案",
        running_header=f"{estate}（长征镇）",
        printed_on=PRINTED,
        sections=sections,
        cover=(("街镇", "长征镇"), ("居委会", "梅川居委会"), ("小区编码", "PT-CZ-0001")),
        keywords=("一小区一档案", estate),
        with_cover=with_cover,
    )


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> tuple[PdfReader, int]:
    """The dossier, printed once for the tests that only read it."""
    path = tmp_path_factory.mktemp("pdf") / "梅川一村.pdf"
    pages = render_document(dossier(), path)
    return PdfReader(path), pages


def page_texts(reader: PdfReader) -> list[str]:
    return [page.extract_text() for page in reader.pages]


def all_text(reader: PdfReader) -> str:
    return "\n".join(page_texts(reader))


# -- what the reader sees -----------------------------------------------------------------


def test_every_section_and_its_content_is_printed(printed: tuple[PdfReader, int]) -> None:
    text = all_text(printed[0])
    for section in dossier().sections:
        assert section.title in text
    for expected in (
        "梅川路100弄、梅川路120弄1-35号",
        "外墙渗水，已列入2025年度综合修缮计划。",
        "1,095,000.50",
        "YH-020",
    ):
        assert expected in text
    assert "合同将于2026年12月31日到期" in text


def test_cover_shows_title_lines_date_classification_and_author(printed: tuple[PdfReader, int]) -> None:
    cover = printed[0].pages[0].extract_text()
    for expected in (
        "梅川一村 小区档案",
        "居委会",
        "梅川居委会",
        "打印日期：2026年11月24日",
        "内部资料",
        "普陀区房屋管理局",
    ):
        assert expected in cover
    assert "第 1 页" not in cover


def test_pages_are_numbered_out_of_the_total(printed: tuple[PdfReader, int]) -> None:
    reader, pages = printed
    assert pages == len(reader.pages)
    assert 5 <= pages <= 10
    for number, text in enumerate(page_texts(reader)[1:], start=2):
        assert f"第 {number} 页 共 {pages} 页" in text
        assert "梅川一村（长征镇）" in text  # the running header
        assert "一小区一档案" in text


def test_without_a_cover_the_first_page_is_page_1(tmp_path: Path) -> None:
    path = tmp_path / "索引.pdf"
    pages = render_document(dossier(with_cover=False), path)
    first = PdfReader(path).pages[0].extract_text()
    assert f"第 1 页 共 {pages} 页" in first
    assert "梅川一村 小区档案" in first


def bookmarks(reader: PdfReader) -> list[tuple[str, int]]:
    """The outline's entries: title and page index (from 0)."""
    entries = []
    for entry in reader.outline:
        assert isinstance(entry, Destination)  # one level, no nested lists
        index = reader.get_destination_page_number(entry)
        assert entry.title is not None
        assert index is not None
        entries.append((entry.title, index))
    return entries


def test_bookmarks_lead_to_each_section(printed: tuple[PdfReader, int]) -> None:
    reader = printed[0]
    outline = bookmarks(reader)
    assert [title for title, _ in outline] == [section.title for section in dossier().sections]
    texts = page_texts(reader)
    for title, index in outline:
        assert title in texts[index]
    root: Any = reader.trailer["/Root"]
    assert root["/PageMode"] == "/UseOutlines"


def _lines_by_height(page: Any) -> dict[int, list[str]]:
    lines: defaultdict[int, list[str]] = defaultdict(list)

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if text.strip():
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            lines[round(y)].append(text.strip())

    page.extract_text(visitor_text=visit)
    return lines


def test_contents_gives_the_page_of_each_section(printed: tuple[PdfReader, int]) -> None:
    reader = printed[0]
    contents = _lines_by_height(reader.pages[1])
    assert any("目\u3000录" in parts for parts in contents.values())
    for title, index in bookmarks(reader):
        line = next(parts for parts in contents.values() if title in parts)
        assert str(index + 1) in line


def test_an_empty_table_says_no_records(printed: tuple[PdfReader, int]) -> None:
    text = all_text(printed[0])
    assert "检查记录\n无记录" in text


def test_a_long_table_repeats_its_header_on_the_next_page(printed: tuple[PdfReader, int]) -> None:
    pages_with_header = [text for text in page_texts(printed[0]) if "反映内容" in text]
    assert len(pages_with_header) >= 2  # 40 complaints do not fit on one page


def test_no_line_starts_with_closing_punctuation(tmp_path: Path) -> None:
    def clean(text: str) -> str:
        return text.lstrip("".join(FORBIDDEN_AT_START))  # a text may begin with "，" only if its writer put it there

    paragraphs = tuple(Text(clean(REPORT[i:] + REPORT[:i])) for i in range(0, len(REPORT), 7))
    narrow = Table(
        headers=("内容", "说明", "备注"),
        rows=tuple(
            (clean(REPORT[i : i + 60]), clean(REPORT[i + 3 : i + 40]), "（已办结）。") for i in range(0, 200, 5)
        ),
        weights=(3, 2, 1),
    )
    document = Document(
        title="断行检查",
        running_header="断行",
        printed_on=PRINTED,
        sections=(Section("正文", paragraphs), Section("表格", (narrow,))),
    )
    path = tmp_path / "断行.pdf"
    render_document(document, path)
    lines = [line.strip() for line in all_text(PdfReader(path)).splitlines() if line.strip()]
    assert len(lines) > 300
    bad = [line for line in lines if line[0] in FORBIDDEN_AT_START]
    assert len(bad) / len(lines) == 0, bad[:5]


def test_tall_cells_and_wide_tables_still_print(tmp_path: Path) -> None:
    document = Document(
        title="极端情况",
        running_header="极端",
        printed_on=PRINTED,
        with_contents=False,
        sections=(
            Section(
                "一、极端情况",
                (
                    Table(headers=("序号", "内容"), rows=(("1", "很长的内容。" * 900), ("2", "结束标记"))),
                    Table(
                        headers=tuple(f"列{i}" for i in range(16)), rows=((*(f"值{i}" for i in range(15)), "右下角"),)
                    ),
                    Facts(items=()),
                    Facts(items=(("情况说明", "很长的说明；" * 1200 + "说明完毕"), ("单独一项", "在最后"))),
                    Table(headers=(), rows=((),), empty="没有列"),
                    Text("ABCDEFGHIJKLMNOPQRSTUVWXYZ" * 30),
                ),
            ),
        ),
    )
    path = tmp_path / "极端.pdf"
    pages = render_document(document, path)
    text = all_text(PdfReader(path))
    assert pages >= 3
    assert "结束标记" in text
    assert "右下角" in text
    assert "说明完毕" in text
    assert "在最后" in text
    assert "没有列" in text


def test_column_widths_fill_the_frame_and_never_exceed_it() -> None:
    measure = drawing.measure(register_font(), drawing.TABLE_SIZE)
    for columns in (1, 3, 8, 16, 40):
        table = Table(
            headers=tuple(f"列{i}" for i in range(columns)), rows=(tuple("很长的内容" * i for i in range(columns)),)
        )
        widths = tables._column_widths(table, columns, measure, drawing.FRAME_WIDTH)
        assert sum(widths) == pytest.approx(drawing.FRAME_WIDTH)
        assert all(width > 0 for width in widths)


# -- what the file carries ----------------------------------------------------------------


def test_metadata(printed: tuple[PdfReader, int]) -> None:
    info = printed[0].metadata
    assert info is not None
    assert info.title == "梅川一村 小区档案"
    assert info.author == "普陀区房屋管理局"
    assert info.subject == "一小区一档案"
    assert info.creator == "普陀小区档案"
    assert "梅川一村" in str(info["/Keywords"])


def _fonts(reader: PdfReader) -> list[Any]:
    fonts = []
    for page in reader.pages:
        resources: Any = page["/Resources"]
        for font in resources["/Font"].values():
            fonts.append(font.get_object())
    return fonts


def test_the_font_is_embedded_as_a_subset(printed: tuple[PdfReader, int]) -> None:
    fonts = _fonts(printed[0])
    assert fonts
    for font in fonts:
        assert re.fullmatch(r"/[A-Z]{6}\+WenQuanYiMicroHei(-\d+)?", font["/BaseFont"])
        assert "/FontFile2" in font["/FontDescriptor"].get_object()
        assert "/ToUnicode" in font  # text can be copied and searched


def test_another_truetype_face_can_be_chosen() -> None:
    stream = io.BytesIO()
    render_document(dossier(), stream, font_path=bundled_font_path(), font_subfont=1)
    reader = PdfReader(stream)
    assert all("WenQuanYiMicroHeiMono" in font["/BaseFont"] for font in _fonts(reader))
    assert "梅川一村" in reader.pages[0].extract_text()


def test_a_dossier_renders_fast() -> None:
    register_font()
    document = dossier()
    timings = []
    for _ in range(3):
        start = time.perf_counter()
        render_document(document, io.BytesIO())
        timings.append(time.perf_counter() - start)
    assert min(timings) < 0.3


# -- writing the file ---------------------------------------------------------------------


def test_writing_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "档案.pdf"
    target.write_bytes(b"old")
    render_document(dossier(), target)
    assert target.read_bytes().startswith(b"%PDF")
    assert [p.name for p in tmp_path.iterdir()] == ["档案.pdf"]


def test_a_missing_folder_is_a_bad_file(tmp_path: Path) -> None:
    with pytest.raises(BadFile) as caught:
        render_document(dossier(), tmp_path / "不存在" / "档案.pdf")
    assert "档案.pdf" in caught.value.message
    assert "不存在" in caught.value.message


def test_a_failure_while_writing_leaves_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "档案.pdf"
    target.write_bytes(b"the old printout")

    def full_disk(self: object, stream: io.BufferedWriter) -> int:
        stream.write(b"%PDF-1.4 half")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(renderer._Renderer, "render", full_disk)
    with pytest.raises(BadFile, match="磁盘空间不足") as caught:
        render_document(dossier(), target)
    assert "档案.pdf" in caught.value.message
    assert target.read_bytes() == b"the old printout"
    assert [p.name for p in tmp_path.iterdir()] == ["档案.pdf"]


def test_a_file_open_elsewhere_is_a_bad_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "档案.pdf"
    target.write_bytes(b"the old printout")

    def locked(source: object, destination: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(BadFile, match="正被其他程序") as caught:
        render_document(dossier(), target)
    assert "档案.pdf" in caught.value.message
    assert target.read_bytes() == b"the old printout"
    assert [p.name for p in tmp_path.iterdir()] == ["档案.pdf"]


# -- fonts --------------------------------------------------------------------------------


def test_the_bundled_font_is_found_and_registered_once() -> None:
    path = bundled_font_path()
    assert path.name == "wqy-microhei.ttc"
    assert (path.parent / "LICENSE-wqy-microhei.txt").is_file()
    assert register_font() == register_font(path) == register_font(None)
    assert register_font(path, subfont=1) != register_font(path)


def _cff_font(path: Path) -> Path:
    """The start of an OpenType font with PostScript outlines (like Noto Sans CJK), enough to be told apart."""
    path.write_bytes(b"OTTO" + struct.pack(">HHHH", 10, 128, 3, 32) + bytes(200))
    return path


def test_a_postscript_outline_font_is_refused(tmp_path: Path) -> None:
    with pytest.raises(
        UserError, match=re.escape("不是 TrueType 字体，无法嵌入 PDF；请选择 .ttf 或 .ttc 字体，例如微软雅黑")
    ):
        register_font(_cff_font(tmp_path / "NotoSansCJK-Regular.otf"))
    collection = tmp_path / "NotoSansCJK.ttc"
    collection.write_bytes(b"ttcf" + struct.pack(">HHII", 1, 0, 1, 16) + b"OTTO" + bytes(200))
    with pytest.raises(UserError, match="不是 TrueType 字体"):
        render_document(dossier(), tmp_path / "x.pdf", font_path=collection)
    assert not (tmp_path / "x.pdf").exists()


def test_noto_sans_cjk_is_refused() -> None:
    assert NOTO_CJK.exists(), "install fonts-noto-cjk (.ci/run does): the real CFF font people will try"
    with pytest.raises(UserError, match="不是 TrueType 字体"):
        register_font(NOTO_CJK)


def test_a_font_without_chinese_is_refused() -> None:
    assert DEJAVU.exists(), "install fonts-dejavu-core (.ci/run does)"
    with pytest.raises(UserError, match="不含中文字形"):
        register_font(DEJAVU)


def test_missing_or_broken_fonts_are_user_errors(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="找不到字体文件"):
        register_font(tmp_path / "msyh.ttc")
    broken = tmp_path / "broken.ttf"
    broken.write_bytes(b"\x00\x01\x00\x00" + bytes(40))
    with pytest.raises(UserError, match=r"broken\.ttf"):
        register_font(broken)
    text = tmp_path / "readme.ttf"
    text.write_text("not a font", encoding="utf-8")
    with pytest.raises(UserError, match="不是有效的字体文件"):
        register_font(text)
    with pytest.raises(UserError, match="没有第 3 个"):
        register_font(bundled_font_path(), subfont=2)
