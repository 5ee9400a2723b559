"""The output commands: Excel ledgers, the district summary and PDF dossiers."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import TextIO

from putuo_community.cli.common import ProgressLine, street_id_of
from putuo_community.domain.errors import UserError
from putuo_community.services import Services
from putuo_community.services.importing import IMPORT_KINDS

EXIT_OK = 0
EXIT_NOT_ALL_PRINTED = 3  # a batch printed, but some estates could not be: the output and the index say why


def add_export_commands(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    kinds = list(IMPORT_KINDS)
    export = commands.add_parser("export", parents=[common], help="导出 Excel 台账或全区汇总表")
    what = export.add_subparsers(dest="export_what", metavar="内容", required=True)
    ledger = what.add_parser("ledger", parents=[common], help="导出一种台账（可再导入，无变化）")
    ledger.add_argument("kind", choices=kinds, metavar="KIND", help="台账类型：" + "、".join(kinds))
    ledger.add_argument("--out", type=Path, required=True, metavar="FILE.xlsx", help="保存位置")
    ledger.add_argument("--street", metavar="街镇", help="只导出一个街镇，例如 长征 或 长征镇（默认全区）")
    ledger.add_argument("--search", default="", metavar="文字", help="只导出含这些文字的记录（与列表页的搜索相同）")
    ledger.add_argument(
        "--include-personal", action="store_true", help="包含完整的身份证号、手机号（默认隐去中间几位）"
    )
    _date_option(ledger)
    summary = what.add_parser("summary", parents=[common], help="导出全区汇总表（各街镇指标、达标率和图表）")
    summary.add_argument("--out", type=Path, required=True, metavar="FILE.xlsx", help="保存位置")
    _date_option(summary)

    dossier = commands.add_parser(
        "dossier",
        parents=[common],
        help="打印小区档案（PDF）：一个小区，或一个街镇的全部",
        epilog=(
            "退出码：0 全部打印；2 无法打印（如找不到小区、无法写入）；"
            f"{EXIT_NOT_ALL_PRINTED} 有小区未能打印（其余已打印，原因见输出和目录）"
        ),
    )
    dossier.add_argument(
        "estate", nargs="?", metavar="ESTATE", help="小区名称、别名或小区编码；省略时打印 --street 的全部小区"
    )
    dossier.add_argument("--street", metavar="街镇", help="街镇；与 ESTATE 同用时用于区分同名小区")
    dossier.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar="PATH",
        help="一个小区：PDF 文件；整个街镇：保存的文件夹（不存在时自动创建）",
    )
    dossier.add_argument("--workers", type=int, metavar="N", help="批量打印时使用的进程数（默认按 CPU 核数）")
    _date_option(dossier)


def _date_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--date", type=date.fromisoformat, metavar="YYYY-MM-DD", help="截至哪一天（默认今天）")


def run_export(args: argparse.Namespace, services: Services, out: TextIO) -> int:
    today = args.date or date.today()
    if args.export_what == "summary":
        report = services.summary.export(args.out, today=today)
        print(f"已导出全区汇总表：{len(report.rows)} 个街镇 → {args.out}", file=out)
        return EXIT_OK
    street_id = street_id_of(services, args.street) if args.street else None
    progress = ProgressLine(sys.stderr, "导出台账")
    result = services.ledgers.export(
        args.kind,
        args.out,
        today=today,
        street_id=street_id,
        search=args.search,
        include_personal=args.include_personal,
        progress=progress,
    )
    progress.finish()
    masked = "" if args.include_personal else "（身份证号、手机号已隐去中间几位）"
    print(f"已导出{result.scope}{result.kind_label}台账：{result.rows:,} 条 → {result.path}{masked}", file=out)
    return EXIT_OK


def run_dossier(args: argparse.Namespace, services: Services, out: TextIO) -> int:
    today = args.date or date.today()
    street_id = street_id_of(services, args.street) if args.street else None
    if args.estate:
        estate = services.dossiers.resolve_estate(args.estate, street_id=street_id)
        pages = services.dossiers.write(estate.id, args.out, today=today)
        print(f"已打印 {estate.street}{estate.name} 的小区档案：{pages} 页 → {args.out}", file=out)
        return EXIT_OK
    if street_id is None:
        raise UserError("请给出小区名称（打印一个小区），或用 --street 指定街镇（打印该街镇的全部小区）")
    _make_folder(args.out)
    progress = ProgressLine(sys.stderr, "打印小区档案")
    result = services.dossiers.write_street(street_id, args.out, today=today, progress=progress, workers=args.workers)
    progress.finish()
    print(
        f"已打印 {len(result.files)} 个小区的档案（共 {result.pages} 页），目录：{result.index.name} → {result.folder}",
        file=out,
    )
    if not result.failures:
        return EXIT_OK
    print(f"{len(result.failures)} 个小区未能打印（已列入目录）：", file=out)
    for failed in result.failures:
        code = f"（{failed.code}）" if failed.code else ""
        print(f"  {failed.name}{code}：{failed.reason}", file=out)
    return EXIT_NOT_ALL_PRINTED


def _make_folder(folder: Path) -> None:
    """The batch's folder, created with its parents when it does not exist yet."""
    if folder.exists() and not folder.is_dir():
        raise UserError(f"“{folder}”是一个文件：打印整个街镇时，--out 应是保存档案的文件夹")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"无法创建文件夹“{folder}”：{exc.strerror or exc}") from exc
