"""No 身份证号 or 手机号 reaches the log, stderr or a crash report, whichever way a command fails.

Each test provokes one error path of the program as a clerk runs it (`main([...])` in this
process, stderr captured), then searches the log file and stderr for personal numbers.
"""

from __future__ import annotations

import csv
import re
import sqlite3
import sys
from datetime import date
from pathlib import Path

import pytest

from putuo_community.app import main
from putuo_community.cli.main import EXIT_BUG, EXIT_USER_ERROR
from putuo_community.paths import DataPaths
from putuo_community.services import Services
from putuo_community.services.importing import ImportService
from putuo_community.storage.database import open_database

MEMBERS = [
    ("王建国", "主任", "310107196503124417", "13812345678"),
    ("李秀英", "委员", "31010719720815002X", "13900001111"),
    ("张伟", "委员", "310107198811300035", "15012348765"),
]
PERSONAL = [value for _name, _role, id_number, phone in MEMBERS for value in (id_number, phone)]
ID_NUMBER = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")
MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def assert_no_personal_numbers(text: str) -> None:
    assert not ID_NUMBER.findall(text), ID_NUMBER.findall(text)
    assert not MOBILE.findall(text), MOBILE.findall(text)
    for value in PERSONAL:
        assert value not in text


@pytest.fixture
def data(tmp_path: Path) -> DataPaths:
    """A data folder with one estate, its 4th committee term and nothing else."""
    paths = DataPaths(tmp_path / "data")
    paths.ensure()
    database = open_database(paths.database_url, backup_dir=paths.backups)
    try:
        services = Services.build(database, user="测试员")
        street = services.records.list("streets", filters={"short_name": "甘泉"})[0]
        estate = services.records.create("estates", {"name": "甘泉一村", "street_id": street.id})
        services.records.create(
            "committee_terms",
            {"estate_id": estate, "term_no": 4, "start_on": date(2023, 5, 1), "end_on": date(2028, 4, 30)},
        )
    finally:
        database.dispose()
    return paths


@pytest.fixture
def members_file(tmp_path: Path) -> Path:
    path = tmp_path / "甘泉一村业委会成员.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        out = csv.writer(file)
        out.writerow(["小区名称", "届次", "姓名", "职务", "身份证号", "联系电话"])
        for name, role, id_number, phone in MEMBERS:
            out.writerow(["甘泉一村", "第4届", name, role, id_number, phone])
    return path


def run(data: DataPaths, *args: str | Path) -> int:
    return main(["--data-dir", str(data.root), *map(str, args)])


def test_the_second_of_two_imports_fails_without_writing_their_numbers(
    data: DataPaths, members_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two clerks import the same members: the second's plan was made before the first committed."""
    database = open_database(data.database_url)
    try:
        services = Services.build(database)
        stale = services.imports.plan(services.imports.read("committee-members", members_file))
    finally:
        database.dispose()
    assert run(data, "import", "committee-members", members_file) == 0
    monkeypatch.setattr(ImportService, "plan", lambda *args, **kwargs: stale)

    code = run(data, "import", "committee-members", members_file)

    err = capsys.readouterr().err
    log = data.log_file.read_text(encoding="utf-8")
    assert code in (EXIT_BUG, EXIT_USER_ERROR)
    assert "Traceback" in log or "user error" in log  # the failure was logged
    assert_no_personal_numbers(log)
    assert_no_personal_numbers(err)


def test_a_value_the_program_cannot_read_is_not_quoted_in_full(
    data: DataPaths, members_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A date column holding an ID number (edited outside the program): the export fails, quoting the value."""
    assert run(data, "import", "committee-members", members_file) == 0
    con = sqlite3.connect(data.database)
    with con:
        # Text, not a number: a DATE column would store digits alone as an integer.
        con.execute("UPDATE committee_members SET joined_on = id_number || '号', left_on = phone || '号'")
    con.close()
    capsys.readouterr()

    code = run(data, "export", "ledger", "committee-members", "--out", tmp_path / "成员.xlsx", "--include-personal")

    err = capsys.readouterr().err
    log = data.log_file.read_text(encoding="utf-8")
    assert code == EXIT_BUG
    assert "Traceback" in err
    # The value is quoted, masked as the ledgers mask it.
    assert re.search(r"Invalid isoformat string: '310107\*{8}\d{3}[\dX]号'", err)
    assert re.search(r"Invalid isoformat string: '310107\*{8}\d{3}[\dX]号'", log)
    assert_no_personal_numbers(log)
    assert_no_personal_numbers(err)


def test_a_bug_whose_message_holds_numbers_prints_them_masked(
    data: DataPaths, members_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken_commit(self: ImportService, plan: object, **kwargs: object) -> None:
        values = [f"{row[2]}/{row[3]}" for row in MEMBERS]
        raise ValueError(f"cannot write rows {values}")

    monkeypatch.setattr(ImportService, "commit", broken_commit)
    code = run(data, "import", "committee-members", members_file)

    err = capsys.readouterr().err
    log = data.log_file.read_text(encoding="utf-8")
    assert code == EXIT_BUG
    assert "ValueError: cannot write rows" in err
    assert "ValueError: cannot write rows" in log
    assert "138****5678" in err
    assert_no_personal_numbers(log)
    assert_no_personal_numbers(err)


def test_a_file_named_with_a_phone_number_that_cannot_be_read(
    data: DataPaths, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The clerk's message names the file; the log records the command line. Neither shows the number."""
    damaged = tmp_path / "王建国13812345678联系表.xlsx"
    damaged.write_bytes(b"PK\x03\x04 not really a workbook")

    code = run(data, "import", "committee-members", damaged)

    err = capsys.readouterr().err
    log = data.log_file.read_text(encoding="utf-8")
    assert code == EXIT_USER_ERROR
    assert "无法读取“王建国138****5678联系表.xlsx”" in err
    assert "王建国138****5678联系表.xlsx" in log
    assert_no_personal_numbers(log)
    assert_no_personal_numbers(err)


def test_a_locked_database_message_and_log_hold_no_numbers(
    data: DataPaths, members_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """While another program writes; the file is named after the clerk's contact, as files often are."""
    import putuo_community.app as app

    named = members_file.rename(members_file.with_name("成员（联系人13812345678）.csv"))
    monkeypatch.setattr(app, "open_database", lambda url, **kwargs: open_database(url, busy_timeout_ms=100))
    other = sqlite3.connect(data.database, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # another clerk's program is writing
        code = run(data, "import", "committee-members", named)
    finally:
        other.close()

    err = capsys.readouterr().err
    log = data.log_file.read_text(encoding="utf-8")
    assert code == EXIT_USER_ERROR
    assert "占用" in err
    assert "成员（联系人138****5678）.csv" in log
    assert_no_personal_numbers(log)
    assert_no_personal_numbers(err)


# -- the window's crash report and its --no-crash-dialog output ------------------------------


def _raised(error: BaseException) -> BaseException:
    try:
        raise error
    except BaseException as caught:
        return caught


def test_the_crash_report_a_clerk_copies_masks_the_numbers() -> None:
    from putuo_community.gui.crash import crash_report

    error = _raised(RuntimeError(f"cannot save member {MEMBERS[0][2]}, {MEMBERS[0][3]}"))
    report = crash_report(type(error), error, error.__traceback__)

    assert "RuntimeError: cannot save member 310107********4417, 138****5678" in report
    assert "Traceback" in report
    assert_no_personal_numbers(report)


def test_a_bug_in_the_window_without_the_dialog_prints_and_logs_masked(
    data: DataPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    from putuo_community.gui.crash import ExceptionRouter
    from putuo_community.logs import setup_logging

    setup_logging(data.log_file)
    router = ExceptionRouter(log_file=data.log_file, crash_dialog=False)
    error = _raised(RuntimeError(f"cannot save member {MEMBERS[1][2]} {MEMBERS[1][3]}"))

    router.route(error)

    err = capsys.readouterr().err
    log = data.log_file.read_text(encoding="utf-8")
    assert router.failed
    assert "RuntimeError: cannot save member 310107********002X 139****1111" in err
    assert "RuntimeError: cannot save member 310107********002X 139****1111" in log
    assert_no_personal_numbers(log)
    assert_no_personal_numbers(err)


def test_the_stderr_last_resort_masks_too(data: DataPaths, capsys: pytest.CaptureFixture[str]) -> None:
    """A warning logged where no handler takes it goes to Python's last resort on stderr: masked."""
    import logging

    from putuo_community.logs import setup_logging

    setup_logging(data.log_file)
    root = logging.getLogger()
    saved = root.handlers[:]
    root.handlers.clear()
    try:
        logging.getLogger("putuo_community.test").warning("member %s", MEMBERS[2][3])
    finally:
        root.handlers[:] = saved
    err = capsys.readouterr().err
    assert "member 150****8765" in err
    assert_no_personal_numbers(err)
    assert sys.stderr is not None
