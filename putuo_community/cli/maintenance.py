"""Keeping the archive safe from the command line: take a backup, list them, restore one.

A database file is copied with SQLite's backup API; a database on a server is dumped with pg_dump and put back
with pg_restore (`services.server_backup`), into the same backups folder."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from putuo_community.cli.attachments import print_attachment_check
from putuo_community.cli.common import ProgressLine
from putuo_community.domain.errors import UserError
from putuo_community.services import Services
from putuo_community.services.backups import describe_backup

EXIT_OK = 0
EXIT_DECLINED = 2
EXIT_DAMAGED = 3


def add_maintenance_commands(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    backup = commands.add_parser(
        "backup", parents=[common], help="备份数据库（默认存入数据文件夹的 backups；服务器上的数据库用 pg_dump）"
    )
    backup.add_argument(
        "--out", type=Path, metavar="FILE", help="备份文件保存位置（例如 U 盘上的文件；服务器上的数据库为 .dump 文件）"
    )
    commands.add_parser("backups", parents=[common], help="列出数据文件夹中的备份")
    restore = commands.add_parser(
        "restore", parents=[common], help="用一个备份替换当前数据库（先自动备份当前数据库；服务器上用 pg_restore）"
    )
    restore.add_argument("file", type=Path, metavar="FILE", help="备份文件")
    restore.add_argument("--yes", action="store_true", help="不再询问，直接恢复")
    commands.add_parser("check", parents=[common], help="检查数据库文件是否完好（逐页、索引和引用）")


def run_backup(args: argparse.Namespace, services: Services, out: TextIO) -> int:
    progress = ProgressLine(sys.stderr, "正在备份")
    path = services.backups.backup(out=args.out, progress=progress)
    progress.finish()
    print(f"已备份到：{path}（{path.stat().st_size / 1048576:,.1f} MB）", file=out)
    return EXIT_OK


def run_backups(args: argparse.Namespace, services: Services, out: TextIO) -> int:
    backups = services.backups.list()
    if not backups:
        print("数据文件夹中还没有备份。", file=out)
        return EXIT_OK
    for backup in backups:
        size = backup.path.stat().st_size / 1048576
        print(f"{backup.taken_at:%Y-%m-%d %H:%M:%S}\t{backup.reason}\t{size:,.1f} MB\t{backup.path}", file=out)
    print(f"共 {len(backups)} 个备份。", file=out)
    return EXIT_OK


def run_restore(args: argparse.Namespace, services: Services, out: TextIO) -> int:
    contents = services.backups.inspect(args.file)
    print(describe_backup(contents), file=out)
    if contents.problem is not None:
        raise UserError(f"不能恢复：{contents.problem}。数据库没有任何改动。")
    if not args.yes and not _confirmed(out):
        print("未恢复，数据库没有任何改动。", file=out)
        return EXIT_DECLINED
    progress = ProgressLine(sys.stderr, "正在恢复")
    saved = services.backups.restore(args.file, progress=progress)
    progress.finish()
    print("已恢复。", file=out)
    if saved is not None:
        print(f"恢复前的数据库已备份到：{saved}", file=out)
    return EXIT_OK


def _confirmed(out: TextIO) -> bool:
    if not sys.stdin.isatty():
        raise UserError("恢复会替换当前数据库。请确认后加 --yes 再运行。")
    print("恢复后，当前数据库的内容将被这个备份替换（替换前会先自动备份）。确认恢复？[y/N] ", end="", file=out)
    out.flush()
    return sys.stdin.readline().strip().lower() in ("y", "yes", "是")


def run_check(args: argparse.Namespace, services: Services, out: TextIO) -> int:
    problems = services.integrity.check()
    if not problems:
        print(f"数据库完好：{services.database_name}（已核对每一页、索引、引用和变更记录链）", file=out)
        return print_attachment_check(services.integrity.check_attachments(), out)
    print(f"数据库有问题：{services.database_name}", file=out)
    for problem in problems:
        print(f"  {problem}", file=out)
    latest = services.integrity.newest_sound_backup()
    if latest is not None:
        print(f"最近的完好备份：{latest.path}（{latest.taken_at:%Y-%m-%d %H:%M}，{latest.reason}）", file=out)
        print(f"恢复：putuo-community restore {latest.path}", file=out)
    return EXIT_DAMAGED
