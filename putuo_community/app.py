"""The composition root: resolve paths, set up logging, open the database, wire services to the GUI or CLI."""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from putuo_community import APP_TITLE, __version__
from putuo_community.cli.prefetch import start_reading
from putuo_community.domain.errors import UserError
from putuo_community.domain.formatting import mask_personal_numbers
from putuo_community.logs import masked_traceback, setup_logging
from putuo_community.paths import DataPaths, temporary_files_in

if TYPE_CHECKING:
    from putuo_community.services import Services
    from putuo_community.storage.database import Database

log = logging.getLogger(__name__)
EXIT_USER_ERROR = 2  # as the commands' (cli.main), which load only once the arguments are known


def open_database(url: str, **options: Any) -> Database:
    """The archive at `url` (SQLAlchemy and the storage layer load here, not when the program starts)."""
    from putuo_community.storage.database import open_database as open_archive

    return open_archive(url, **options)


def main(argv: Sequence[str] | None = None) -> int:
    # A frozen Windows build starts batch-print workers by running this very executable: let them work.
    multiprocessing.freeze_support()
    # The register an import reads is read while the libraries below load: the two overlap.
    start_reading(sys.argv[1:] if argv is None else argv)
    from putuo_community.cli.main import build_parser

    args = build_parser().parse_args(argv)
    gui = args.command is None
    try:
        paths = DataPaths.resolve(args.data_dir)
        paths.ensure()
    except OSError as exc:
        return _fail(f"无法使用数据文件夹：{exc}", gui=gui and not args.no_crash_dialog)
    try:
        setup_logging(paths.log_file)
    except OSError as exc:  # a read-only or broken logs/ folder: the archive is still usable, without a log
        print(
            f"无法写入日志文件“{paths.log_file}”（{exc.strerror or exc}），本次运行不记日志；"
            "请检查数据文件夹中 logs 文件夹的权限。",
            file=sys.stderr,
        )
        # Without it Python prints every warning to stderr, in English and unmasked: the clerk was told instead.
        logging.getLogger().addHandler(logging.NullHandler())
    log.info("%s %s starting: %s", APP_TITLE, __version__, " ".join(sys.argv[1:]) if argv is None else argv)
    # Before anything makes a temporary file: a killed export's rows stay in the data folder, not the system's.
    with temporary_files_in(paths.temp):
        return _run(args, paths, gui=gui)


def _run(args: argparse.Namespace, paths: DataPaths, *, gui: bool) -> int:
    from putuo_community.cli.accounts import log_in
    from putuo_community.cli.main import EXIT_BUG, run_command
    from putuo_community.services import Services

    url = args.db or paths.database_url

    def open_services() -> Services:
        database = open_database(url, backup_dir=paths.backups, read_only=bool(getattr(args, "read_only", False)))
        try:  # a command logs in before it runs (accounts on); the window asks for its login itself
            actor = None if gui else log_in(args, database)
        except BaseException:
            database.dispose()
            raise
        return Services.build(
            database,
            actor=actor,
            mapping_file=paths.import_mappings,
            settings_file=paths.settings,
            backup_dir=paths.backups,
        )

    try:
        if not gui:
            return run_command(args, open_services)
        services = open_services()
    except UserError as exc:
        log.warning("user error: %s", exc.message)
        return _fail(exc.message, gui=gui and not args.no_crash_dialog)
    except KeyboardInterrupt:
        return EXIT_USER_ERROR
    except Exception as exc:
        log.exception("unexpected error")
        print(masked_traceback(exc), file=sys.stderr, end="")
        print(f"程序出错，详情见日志：{paths.log_file}", file=sys.stderr)
        return EXIT_BUG

    from putuo_community.gui.application import run_gui  # Qt loads only when a window is wanted

    try:
        exit_code: int = run_gui(
            services,
            log_file=paths.log_file,
            smoke_test=args.smoke_test,
            crash_dialog=not args.no_crash_dialog,
            demo_folder=paths.demo,
            # Accounts on: the window acts for the account logged in, on the same archive.
            services_as=lambda actor: Services.build(
                services.database,
                actor=actor,
                mapping_file=paths.import_mappings,
                settings_file=paths.settings,
                backup_dir=paths.backups,
            ),
        )
        return exit_code
    finally:
        services.close()


def _fail(message: str, *, gui: bool) -> int:
    message = mask_personal_numbers(message)
    print(message, file=sys.stderr)
    if gui:
        from putuo_community.gui.application import show_startup_error

        show_startup_error(message)
    return EXIT_USER_ERROR


if __name__ == "__main__":
    raise SystemExit(main())
