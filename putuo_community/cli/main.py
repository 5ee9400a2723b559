"""The command line: argument parsing and the commands that need no window."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TextIO

from putuo_community import APP_TITLE, __version__
from putuo_community.cli.accounts import accounts_write, add_account_commands, run_accounts
from putuo_community.cli.attachments import add_attachment_commands, run_attach, run_attachments
from putuo_community.cli.calendar import add_calendar_commands, calendar_writes, run_calendar
from putuo_community.cli.common import ProgressLine
from putuo_community.cli.exporting import add_export_commands, run_dossier, run_export
from putuo_community.cli.importing import add_import_commands, run_batches, run_import, run_template, run_undo
from putuo_community.cli.maintenance import add_maintenance_commands, run_backup, run_backups, run_check, run_restore
from putuo_community.cli.reminders import add_reminder_commands, run_reminders
from putuo_community.domain.accounts import Action
from putuo_community.domain.errors import ReadOnlyDatabase, UserError
from putuo_community.domain.registers import get_register
from putuo_community.services import Services
from putuo_community.services.integrity import refusal_message

EXIT_OK = 0
EXIT_BUG = 1
EXIT_USER_ERROR = 2

ServicesFactory = Callable[[], Services]


def _common_options(parser: argparse.ArgumentParser, *, top_level: bool) -> None:
    # On subcommands the defaults are suppressed, so an option given before the
    # command is not overwritten by the subcommand's default.
    default = None if top_level else argparse.SUPPRESS
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        default=default,
        help="数据文件夹（默认：用户数据文件夹；数据库、日志和备份都在其中）",
    )
    parser.add_argument(
        "--db", metavar="URL", default=default, help="另一个数据库的地址，例如 postgresql+psycopg://user@host/putuo"
    )
    parser.add_argument(
        "--read-only",
        action="store_true",
        default=False if top_level else argparse.SUPPRESS,
        help="以只读方式打开数据库：可以查看、导出和打印，不能修改（数据库文件或文件夹不可写入时自动如此）",
    )
    parser.add_argument(
        "--user",
        metavar="NAME",
        default=default,
        help="已启用账户时以此账户登录；密码由环境变量 PUTUO_PASSWORD 给出，或在终端提示输入",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="putuo-community",
        description=f"{APP_TITLE}：一小区一档案。不带命令时启动图形界面。",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    _common_options(parser, top_level=True)
    parser.add_argument("--smoke-test", action="store_true", help="启动界面、显示主窗口后立即退出（用于检查安装）")
    parser.add_argument("--no-crash-dialog", action="store_true", help="程序错误时不弹出崩溃对话框，直接输出并退出")
    commands = parser.add_subparsers(dest="command", metavar="命令")

    common = argparse.ArgumentParser(add_help=False)
    _common_options(common, top_level=False)
    demo = commands.add_parser("demo", parents=[common], help="生成演示数据（普陀10个街镇的模拟小区档案）")
    demo.add_argument(
        "--estates", type=_positive_int, default=1000, metavar="N", help="小区数量（默认 1000，最多 20000）"
    )
    demo.add_argument("--seed", type=int, default=2026, metavar="S", help="随机种子；相同种子生成相同数据")
    demo.add_argument("--replace", action="store_true", help="清空已有档案后重新生成（先自动备份）")
    demo.add_argument("--yes", action="store_true", help="与 --replace 同用：不再询问，直接清空")

    add_reminder_commands(commands, common)
    add_import_commands(commands, common)
    add_export_commands(commands, common)
    add_maintenance_commands(commands, common)
    add_attachment_commands(commands, common)
    add_calendar_commands(commands, common)
    add_account_commands(commands, common)
    return parser


def _positive_int(text: str) -> int:
    value = int(text)
    if not 1 <= value <= 20000:
        raise argparse.ArgumentTypeError("小区数量应在 1 到 20000 之间")
    return value


def run_command(args: argparse.Namespace, open_services: ServicesFactory, *, out: TextIO = sys.stdout) -> int:
    handlers = {
        "demo": _demo,
        "reminders": run_reminders,
        "import": run_import,
        "template": run_template,
        "batches": run_batches,
        "undo": run_undo,
        "export": run_export,
        "dossier": run_dossier,
        "backup": run_backup,
        "backups": run_backups,
        "restore": run_restore,
        "check": run_check,
        "attach": run_attach,
        "attachments": run_attachments,
        "calendar": run_calendar,
        "accounts": run_accounts,
    }
    services = open_services()
    try:
        reason = services.database.read_only_reason
        if reason is not None and _writes(args):
            raise ReadOnlyDatabase(reason)  # before a file is read or a backup taken: nothing is begun
        if reason is not None and not getattr(args, "read_only", False):
            print(f"注意：数据库以只读方式打开（{reason}），可以查看、导出和打印，不能修改。", file=sys.stderr)
        if _writes(args):
            # A damaged file is not written to (it would spread the damage): checked before each write.
            problems = services.integrity.guard()
            if problems and args.command != "restore":
                raise UserError(refusal_message(problems))
        if args.command not in ("backup", "restore", "check"):
            _keep_todays_backup(services)
        return handlers[args.command](args, services, out)
    finally:
        services.close()


def _writes(args: argparse.Namespace) -> bool:
    """Whether the command writes to the archive (an import preview does not)."""
    if args.command == "import":
        return not args.dry_run
    if args.command == "calendar":
        return calendar_writes(args)
    if args.command == "accounts":
        return accounts_write(args)
    return args.command in ("demo", "undo", "restore", "attach")


def _keep_todays_backup(services: Services) -> None:
    """The first command of the day keeps a copy of the archive; a failure is said, and the work goes on."""
    try:
        services.backups.ensure_daily()
    except UserError as error:
        print(f"今天的自动备份未完成：{error.message}", file=sys.stderr)


def _demo(args: argparse.Namespace, services: Services, out: TextIO) -> int:
    from putuo_community.services.demo import generate_demo  # 2,000 lines the window never needs

    if args.replace and services.records.count("estates"):
        services.records.permissions.require(Action.GENERATE_DEMO)  # refused before the backup it would take
        if not args.yes:
            raise UserError(
                "数据库中已有小区档案。--replace 会清空全部档案和修改记录（之前会自动备份）；"
                "确认要清空，请加 --yes 再运行。"
            )
        saved = services.backups.before("demo")
        if saved is not None:
            print(f"清空前的数据库已备份到：{saved}", file=out)
    progress = ProgressLine(sys.stderr, "生成演示数据")
    summary = generate_demo(
        services.database,
        estates=args.estates,
        seed=args.seed,
        replace=args.replace,
        progress=progress,
        actor=services.actor,
    )
    progress.finish()
    print(f"已生成演示数据（种子 {args.seed}，用时 {summary.elapsed_seconds:.1f} 秒）：", file=out)
    for key, count in summary.counts.items():
        if count:
            print(f"  {get_register(key).label}：{count:,}", file=out)
    print(f"数据库：{services.database_name}", file=out)
    return EXIT_OK
