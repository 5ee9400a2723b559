"""Attachments from the command line: add scans in bulk, list an estate's, and what `check` found of their files."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import TextIO

from putuo_community.cli.common import street_id_of
from putuo_community.domain.attachments import LINKS, check_kind, shown_name
from putuo_community.domain.errors import DuplicateRecord, RecordNotFound, UserError
from putuo_community.domain.parsing import parse_cell
from putuo_community.domain.registers import ATTACHMENTS, REGISTERS
from putuo_community.services import Services
from putuo_community.services.attachments import Attachment, FileCheck, Link

EXIT_OK = 0
EXIT_PROBLEM = 3

# Words a clerk may write before the colon of --record, besides a register's key and its label.
_REGISTER_WORDS = {
    "term": "committee_terms",
    "terms": "committee_terms",
    "届次": "committee_terms",
    "业委会": "committee_terms",
    "contract": "contracts",
    "合同": "contracts",
    "lift": "lifts",
    "project": "projects",
    "修缮项目": "projects",
    "lift-project": "lift_projects",
    "lift_project": "lift_projects",
    "加装电梯": "lift_projects",
}


def add_attachment_commands(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    kinds = "、".join(ATTACHMENTS.field("kind").choices)
    attach = commands.add_parser("attach", parents=[common], help="给小区档案添加附件（扫描件），可一次添加多个文件")
    attach.add_argument("estate", metavar="ESTATE", help="小区名称、别名、小区编码或编号")
    attach.add_argument("files", nargs="+", type=Path, metavar="FILE", help="扫描件文件（可写多个）")
    attach.add_argument("--kind", required=True, metavar="类型", help=f"附件类型：{kinds}")
    attach.add_argument(
        "--record",
        metavar="REGISTER:ID",
        help="关联本小区的一条记录，例如 committee_terms:12（业委会届次）、contracts:3、lifts:7、projects:2、"
        "lift_projects:5",
    )
    attach.add_argument("--title", metavar="名称", help="附件名称（默认取文件名；只添加一个文件时可用）")
    attach.add_argument("--date", metavar="日期", help="文件上的日期，例如 2024-05-01 或 2024年5月1日")
    attach.add_argument("--note", metavar="备注", help="备注")
    attach.add_argument("--street", metavar="街镇", help="小区同名时用街镇区分")

    listing = commands.add_parser("attachments", parents=[common], help="列出一个小区的附件（含文件是否完好）")
    listing.add_argument("estate", metavar="ESTATE", help="小区名称、别名、小区编码或编号")
    listing.add_argument("--bin", action="store_true", help="列出回收站中的附件")
    listing.add_argument("--street", metavar="街镇", help="小区同名时用街镇区分")


def run_attach(args: argparse.Namespace, services: Services, out: TextIO) -> int:
    estate_id, estate_name = _estate(args, services)
    kind = check_kind(args.kind)
    link = _link(args.record) if args.record else None
    if args.title and len(args.files) > 1:
        raise UserError("一次添加多个文件时不能指定 --title：每个附件的名称取自它的文件名。")
    dated_on = _date(args.date) if args.date else None
    attachments = services.attachments
    for source in args.files:  # every file checked before any is added: a typo stops the whole batch
        attachments.check_file(source)
    added = skipped = 0
    for source in args.files:
        try:
            attachment_id = attachments.add(
                estate_id, source, kind=kind, title=args.title, dated_on=dated_on, note=args.note, link=link
            )
        except DuplicateRecord as duplicate:
            print(f"跳过“{shown_name(source.name)}”：{duplicate.message}", file=out)
            skipped += 1
            continue
        attachment = attachments.get(attachment_id, verify=False)
        linked = f"，关联{attachment.link_label}" if attachment.link_label else ""
        print(
            f"已添加 {kind}“{shown_name(attachment.title)}”（{attachment.size_text}{linked}，"
            f"SHA-256 {attachment.value('sha256')[:12]}…）",
            file=out,
        )
        added += 1
    print(f"{estate_name}：添加 {added} 个附件" + (f"，跳过 {skipped} 个已有的" if skipped else "") + "。", file=out)
    return EXIT_OK


def run_attachments(args: argparse.Namespace, services: Services, out: TextIO) -> int:
    estate_id, estate_name = _estate(args, services)
    listing = services.attachments.of_estate(estate_id)
    shown = listing.removed if args.bin else listing.current
    for attachment in shown:
        print("\t".join(_row(attachment, in_bin=args.bin)), file=out)
    where = "回收站中" if args.bin else ""
    others = f"（档案中另有 {len(listing.current)} 个）" if args.bin else f"（回收站中另有 {len(listing.removed)} 个）"
    print(f"{estate_name}：{where}共 {len(shown)} 个附件{others}。", file=out)
    flagged = [a for a in shown if a.state.name != "OK"]
    if flagged:
        print(f"其中 {len(flagged)} 个的文件有问题（见“状态”列），请运行 check 检查。", file=out)
        return EXIT_PROBLEM
    return EXIT_OK


def print_attachment_check(found: FileCheck, out: TextIO) -> int:
    """What `check` found of the attachment files, after the database itself checked out."""
    if found.ok:
        tidied = f"，清理了 {found.tidied} 个无记录引用的文件" if found.tidied else ""
        print(f"附件文件完好：{found.checked} 个附件的文件均与登记的 SHA-256 一致{tidied}。", file=out)
        return EXIT_OK
    print(f"附件文件有问题：{found.checked} 个附件中有 {found.bad} 个的文件缺失或已在程序外被改动。", file=out)
    print(f"  第一个：{found.problems[0]}", file=out)
    for problem in found.problems[1:]:
        print(f"  {problem}", file=out)
    print(
        "可从备份恢复（备份中存有附件文件：putuo-community restore 备份文件），"
        "或在小区档案的“附件目录”中移除有问题的附件后重新添加扫描件。",
        file=out,
    )
    return EXIT_PROBLEM


def _row(attachment: Attachment, *, in_bin: bool) -> list[str]:
    def text(key: str) -> str:
        return attachment.record.display(key)

    cells = [
        str(attachment.id),
        text("kind"),
        attachment.title,
        text("dated_on") or "—",
        attachment.link_label or "—",
        attachment.size_text,
        f"添加于 {text('added_on')}",
        attachment.state.label,
    ]
    if in_bin:
        cells.append(f"移入回收站 {text('removed_on')}")
    return cells


def _estate(args: argparse.Namespace, services: Services) -> tuple[int, str]:
    """The estate a clerk named by its id, name, alias or code."""
    text = str(args.estate).strip()
    if text.isdigit():
        try:
            estate = services.records.get("estates", int(text))
            return estate.id, estate.title
        except RecordNotFound:
            pass  # perhaps an estate named or coded with digits only
    street_id = street_id_of(services, args.street) if args.street else None
    try:
        found = services.dossiers.resolve_estate(text, street_id=street_id)
    except RecordNotFound:
        raise RecordNotFound(f"没有找到小区“{text}”：请输入小区名称、别名、小区编码或编号。") from None
    return found.id, found.name


def _link(text: str) -> Link:
    """REGISTER:ID of --record, the register by its key, label or a common word."""
    word, colon, number = text.partition(":")
    if not colon:
        word, colon, number = text.partition("：")
    register = _register_named(word.strip())
    if not colon or register is None or not number.strip().isdigit():
        linkable = "、".join(f"{link.register}（{REGISTERS[link.register].label}）" for link in LINKS)
        raise UserError(f"--record “{text}”应写成 台账:编号，例如 committee_terms:12。可关联的台账：{linkable}")
    return (register, int(number.strip()))


def _register_named(word: str) -> str | None:
    for link in LINKS:
        if word in (link.register, REGISTERS[link.register].label, link.word):
            return link.register
    return _REGISTER_WORDS.get(word.lower())


def _date(text: str) -> date:
    parsed = parse_cell(ATTACHMENTS.field("dated_on"), text)
    if parsed.problem or not isinstance(parsed.value, date):
        raise UserError(f"--date “{text}”不是可识别的日期，例如 2024-05-01 或 2024年5月1日。")
    return parsed.value
