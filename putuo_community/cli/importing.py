"""The import commands: import a register, write a blank template, list and undo batches.

On a terminal the import shows its progress (rows done, rows per second, time left) on stderr;
Ctrl+C stops it between rows, inside the import's transaction, so nothing is written.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
import time
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import TextIO, TypeVar

from putuo_community.domain.errors import UserError
from putuo_community.domain.parsing import normalise_header
from putuo_community.services import Services
from putuo_community.services.bulkwork import paused_gc
from putuo_community.services.importing import (
    IMPORT_KINDS,
    ImportKind,
    ImportPlan,
    ImportSource,
    RowStatus,
    get_import_kind,
)
from putuo_community.services.pace import PaceMeter
from putuo_community.services.templates import write_import_template

EXIT_OK = 0
EXIT_NOTHING_IMPORTED = 2
EXIT_INTERRUPTED = 130  # what shells report for a command stopped with Ctrl+C

T = TypeVar("T")


def add_import_commands(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    kinds = list(IMPORT_KINDS)
    imp = commands.add_parser("import", parents=[common], help="导入 Excel/CSV 台账（先预览，后写入）")
    imp.add_argument("kind", choices=kinds, metavar="KIND", help="台账类型：" + "、".join(kinds))
    imp.add_argument("file", type=Path, metavar="FILE", help=".xlsx / .xlsm / .xls / .csv 文件")
    imp.add_argument("--sheet", metavar="NAME", help="工作表名称（默认第一张有数据的表）")
    imp.add_argument("--dry-run", action="store_true", help="只预览每一行将如何处理，不写入数据库")
    imp.add_argument(
        "--report", type=Path, metavar="OUT.xlsx", help="把未导入的行（原值和原因）写入此文件，改正后可再导入"
    )
    imp.add_argument(
        "--mapping",
        type=Path,
        metavar="FILE.json",
        help='列对应：{"表头文字": "字段名或中文标签"}；未列出的列按自动识别',
    )
    imp.add_argument("--only-valid", action="store_true", help="有错误行时只导入无误的行（默认：有错误则全部不导入）")

    tpl = commands.add_parser("template", parents=[common], help="生成空白导入模板（含下拉选项和填写说明）")
    tpl.add_argument("kind", choices=kinds, metavar="KIND", help="台账类型：" + "、".join(kinds))
    tpl.add_argument("--out", type=Path, required=True, metavar="FILE.xlsx", help="模板保存位置")

    batches = commands.add_parser("batches", parents=[common], help="列出最近的导入和修改批次")
    batches.add_argument("--imports", action="store_true", help="只列出导入批次")
    undo = commands.add_parser("undo", parents=[common], help="整批撤销一次导入（或一次修改）")
    undo.add_argument("batch", type=int, metavar="BATCH", help="批次编号（见 batches 命令）")


def run_import(args: argparse.Namespace, services: Services, out: TextIO) -> int:
    try:
        # The command's rows live until it ends: the cyclic collector, paused by each step, stays paused
        # between them too, rather than scan a million young objects each time a step ends.
        with _ctrl_c_stops_between_rows() as interrupt, paused_gc():
            return _import(args, services, out, interrupt)
    except (KeyboardInterrupt, ImportInterrupted):
        print("\n已中断导入：没有写入任何数据。", file=sys.stderr)
        return EXIT_INTERRUPTED


def _import(args: argparse.Namespace, services: Services, out: TextIO, interrupt: Interrupt) -> int:
    status = StatusLine(sys.stderr)
    status.show(f"正在读取“{args.file.name}”…")
    source = services.imports.read(args.kind, args.file, sheet=args.sheet)
    mapping = source.mapping
    if args.mapping:
        mapping = _mapping_from_file(args.mapping, source)
    plan = _with_progress(
        status, interrupt, "已核对", lambda progress: services.imports.plan(source, mapping, progress=progress)
    )
    _print_plan(plan, out, verbose=args.dry_run)
    if args.report and plan.rejected:
        written = services.imports.write_report(plan, args.report)
        print(f"未导入的 {written} 行已写入：{args.report}", file=out)
    if plan.problems:
        for problem in plan.problems:
            print(problem, file=sys.stderr)
        return EXIT_NOTHING_IMPORTED
    if args.dry_run:
        print("预览完成，未写入数据库。", file=out)
        return EXIT_OK if plan.accepted or plan.count(RowStatus.UNCHANGED) else EXIT_NOTHING_IMPORTED
    if plan.rejected and not args.only_valid:
        print(
            f"有 {len(plan.rejected)} 行不能导入，全部未写入。改正后重试，或加 --only-valid 只导入无误的行。",
            file=sys.stderr,
        )
        return EXIT_NOTHING_IMPORTED
    result = _with_progress(
        status,
        interrupt,
        "已写入",
        lambda progress: services.imports.commit(plan, skip_rejected=args.only_valid, progress=progress),
    )
    print(
        f"已导入：{result.summary()}" + (f"（批次 {result.batch_id}，可用 undo 撤销）" if result.batch_id else ""),
        file=out,
    )
    if plan.unmapped:
        print(f"未导入的列（{len(plan.unmapped)} 列）的内容没有写入数据库，见上。", file=out)
    if result.created + result.updated == 0 and not plan.count(RowStatus.UNCHANGED):
        return EXIT_NOTHING_IMPORTED
    return EXIT_OK


# -- progress and Ctrl+C --------------------------------------------------------------------


class ImportInterrupted(Exception):
    """Raised from a progress report after Ctrl+C: the service stops there and writes nothing."""


class Interrupt:
    """Whether Ctrl+C was pressed since the import began."""

    def __init__(self) -> None:
        self.requested = False


@contextmanager
def _ctrl_c_stops_between_rows() -> Iterator[Interrupt]:
    """The first Ctrl+C is noted and stops the work at its next progress report; a second one stops it at once."""
    interrupt = Interrupt()
    if threading.current_thread() is not threading.main_thread():  # signals only reach the main thread
        yield interrupt
        return
    previous = signal.getsignal(signal.SIGINT)

    def noted(_signum: int, _frame: FrameType | None) -> None:
        interrupt.requested = True
        signal.signal(signal.SIGINT, previous)

    signal.signal(signal.SIGINT, noted)
    try:
        yield interrupt
    finally:
        signal.signal(signal.SIGINT, previous)


def _with_progress(
    status: StatusLine, interrupt: Interrupt, doing: str, work: Callable[[Callable[[int, int], None]], T]
) -> T:
    """Run `work(progress)`, showing "已核对 1,200 / 50,000 行（2%），每秒 …" on the status line."""
    meter = PaceMeter()

    def progress(done: int, total: int) -> None:
        if interrupt.requested:
            raise ImportInterrupted
        status.show(meter.update(done, total).describe(doing), now=done == 0 or done >= total)

    result = work(progress)
    status.finish()
    return result


class StatusLine:
    """One line on a terminal, redrawn in place with \r; nothing at all when the stream is not a terminal."""

    REDRAW_SECONDS = 0.1

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.active = stream.isatty()
        self._width = 0
        self._shown_at = 0.0

    def show(self, text: str, *, now: bool = True) -> None:
        """Redraw the line: at once, or (`now` False, figures in between) at most every REDRAW_SECONDS."""
        if not self.active:
            return
        shown_at = time.monotonic()
        if not now and shown_at - self._shown_at < self.REDRAW_SECONDS:
            return
        self._shown_at = shown_at
        width = _display_width(text)
        self.stream.write("\r" + text + " " * max(self._width - width, 0))
        self.stream.flush()
        self._width = width

    def finish(self) -> None:
        """Keep the last figure and move on to a new line."""
        if self.active and self._width:
            self.stream.write("\n")
            self.stream.flush()
            self._width = 0


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _print_plan(plan: ImportPlan, out: TextIO, *, verbose: bool) -> None:
    source = plan.source
    print(
        f"{source.path.name}（工作表“{source.sheet}”，表头在第 {'、'.join(map(str, source.table.header_lines))} 行）"
        f" → {source.kind.label}",
        file=out,
    )
    for index, key in sorted(plan.mapping.items()):
        print(f"  列“{source.table.columns[_position(source, index)].text}” → {source.kind.field(key).label}", file=out)
    for line, reason in source.table.skipped:
        if verbose:
            print(f"  第{line}行 跳过：{reason}", file=out)
    for row in plan.rows:
        if row.status in (RowStatus.ERROR, RowStatus.CONFIRM):
            print(f"  第{row.line}行 {row.status.value}：{row.title} — {row.reason}", file=out)
        elif verbose and row.status is RowStatus.UPDATE:
            changes = "，".join(f"{c.label} {c.old or '（空）'}→{c.new}" for c in row.changes) or "新增别名"
            print(f"  第{row.line}行 更新：{row.title} — {changes}", file=out)
        elif verbose and row.status is RowStatus.NEW:
            print(f"  第{row.line}行 新增：{row.title}", file=out)
        for warning in row.warnings if verbose else ():
            print(f"    提示：{warning}", file=out)
    print(f"共 {len(plan.rows):,} 行：{plan.summary()}", file=out)
    _print_left_out(plan, out)


def _print_left_out(plan: ImportPlan, out: TextIO) -> None:
    """Every column the import leaves out, with a sample, and how to map one: none is dropped silently."""
    left_out = plan.unmapped
    if not left_out:
        return
    print(plan.unmapped_text(), file=out)
    mapped = set(plan.mapping.values())
    free = [f.label for f in plan.source.kind.all_fields if f.key not in mapped]
    column = next((c for c in left_out if c.header != "序号"), left_out[0])  # not the row numbers every register has
    example = json.dumps({column.header: "字段名"}, ensure_ascii=False)
    print(
        f"  如要导入其中某列：把列对应写入一个 UTF-8 的 JSON 文件，例如 {example}（表头: 字段），"
        "再加 --mapping 文件名.json 重新运行。",
        file=out,
    )
    if free:
        print(f"  还没有对应列的字段：{'、'.join(free)}", file=out)


def _position(source: ImportSource, index: int) -> int:
    for position, column in enumerate(source.table.columns):
        if column.index == index:
            return position
    raise KeyError(index)


def _mapping_from_file(path: Path, source: ImportSource) -> dict[int, str]:
    """A user's mapping file: {"表头文字": "字段名或中文标签" or null}, applied over the suggestion."""
    try:
        given = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError) as exc:
        raise UserError(f"无法读取列对应文件“{path.name}”：{exc}") from exc
    if not isinstance(given, dict):
        raise UserError(f'列对应文件“{path.name}”应为 {{"表头": "字段"}} 形式。')
    kind = source.kind
    mapping = dict(source.mapping)
    # A header is named as shown ("基本情况 / 地址"), by its own part ("地址") or without its unit.
    columns = {normalise_header(c.sub)[0]: c.index for c in source.table.columns}
    columns.update({c.sub: c.index for c in source.table.columns})
    columns.update({c.text: c.index for c in source.table.columns})
    for header, target in given.items():
        index = columns.get(header, columns.get(normalise_header(str(header))[0]))
        if index is None:
            raise UserError(f"列对应文件中的“{header}”不是此表的表头。")
        if target is None:
            mapping.pop(index, None)
            continue
        mapping[index] = _field_key(kind, str(target))
    return mapping


def _field_key(kind: ImportKind, target: str) -> str:
    for f in kind.all_fields:
        if target in (f.key, f.label, f.header):
            return f.key
    raise UserError(f"“{kind.label}”没有名为“{target}”的字段。")


def run_template(args: argparse.Namespace, services: Services, out: TextIO) -> int:
    write_import_template(args.kind, args.out)
    print(f"已生成{get_import_kind(args.kind).label}导入模板：{args.out}", file=out)
    return EXIT_OK


def run_batches(args: argparse.Namespace, services: Services, out: TextIO) -> int:
    for batch in services.batches.list(kind="导入" if args.imports else None):
        state = f"已撤销 {batch.undone_at:%Y-%m-%d %H:%M}" if batch.undone_at else ""
        print(
            f"{batch.id}\t{batch.started_at:%Y-%m-%d %H:%M}\t{batch.user}\t{batch.kind}\t{batch.changes} 项\t"
            f"{batch.description}\t{state}".rstrip(),
            file=out,
        )
    return EXIT_OK


def run_undo(args: argparse.Namespace, services: Services, out: TextIO) -> int:
    count = services.batches.undo(args.batch)
    print(f"已撤销批次 {args.batch}：恢复或移除 {count} 条记录。", file=out)
    return EXIT_OK
