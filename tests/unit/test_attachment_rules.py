"""The attachment rules every layer shares: kinds, the size limit, names for the viewer, what a scan belongs to."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from putuo_community.domain.attachments import (
    AttachmentProblem,
    check_kind,
    format_size,
    guess_kind,
    link_label,
    size_limit_text,
    title_from_file_name,
    too_large_message,
    viewer_file_name,
)
from putuo_community.domain.completeness import DossierFacts, dossier_gaps

TODAY = date(2026, 5, 1)


@pytest.mark.parametrize(
    ("name", "register", "kind"),
    [
        ("第三届业委会备案证明.pdf", None, "备案证明"),
        ("物业服务合同2024.pdf", "committee_terms", "合同"),  # the name says more than the row it is dropped on
        ("扫描0001.pdf", "committee_terms", "备案证明"),
        ("扫描0002.pdf", "lifts", "评估报告"),
        ("IMG_2041.JPG", None, "照片"),
        ("扫描0003.pdf", None, None),
    ],
)
def test_the_kind_offered_first(name: str, register: str | None, kind: str | None) -> None:
    assert guess_kind(name, register) == kind


def test_a_wrong_kind_is_refused_with_the_kinds_listed() -> None:
    assert check_kind(" 合同 ") == "合同"
    with pytest.raises(
        AttachmentProblem, match="附件类型“发票”不可用。可选：备案证明、合同、表决结果、评估报告、验收报告"
    ):
        check_kind("发票")


def test_sizes_read_as_a_clerk_reads_them() -> None:
    assert [format_size(n) for n in (812, 46_387, 3_565_158)] == ["812 字节", "45.3 KB", "3.4 MB"]
    assert size_limit_text() == "50 MB"
    message = too_large_message("整本扫描 310107198001011234.pdf", 63 * 1024 * 1024)
    assert "63.0 MB" in message
    assert "50 MB" in message
    assert "310107198001011234" not in message  # a personal number in a file name stays masked


@pytest.mark.parametrize(
    ("original", "shown"),
    [
        ("第三届备案证明.pdf", "第三届备案证明.pdf"),
        ("CON.pdf", "CON_.pdf"),
        ('合同:"终稿"?.PDF', "合同__终稿__.PDF"),
        ("没有扩展名", "没有扩展名"),
    ],
)
def test_a_copy_for_the_viewer_gets_the_original_name_made_safe_for_windows(original: str, shown: str) -> None:
    assert viewer_file_name(original) == shown


def test_the_name_an_attachment_starts_with_and_what_it_belongs_to() -> None:
    assert title_from_file_name("物业服务合同 2024.pdf") == "物业服务合同 2024"
    assert title_from_file_name("会议纪要.2024.05") == "会议纪要.2024"
    assert link_label("committee_terms", "3") == "第3届业委会"
    assert link_label("contracts", "物业服务") == "物业服务合同"
    assert link_label("lifts", "") == ""


def test_a_certificate_on_the_current_term_counts_as_its_filing() -> None:
    unfiled = DossierFacts(
        building_count=3,
        committee_expected=True,
        current_term_end=date(2028, 12, 31),
        member_count=7,
        latest_fund_on=date(2026, 1, 31),
        attachment_count=1,
        last_change_on=TODAY,
    )
    assert [g.message for g in dossier_gaps(unfiled, TODAY)] == ["现任业委会未登记备案"]
    assert dossier_gaps(replace(unfiled, current_term_certificate=True), TODAY) == ()
