"""Temporary files stay in the data folder's own tmp/, and what a killed run left there goes at the next start."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import pytest

import putuo_community.cli.main as cli_main
from putuo_community.app import main
from putuo_community.paths import TEMP_ENVIRONMENT, DataPaths, temporary_files_in
from putuo_community.services import Services
from putuo_community.storage.database import open_database

# The export of the program run as a clerk runs it, ended after two rows as the Task Manager would end
# it: no clean-up of any kind runs.
KILLED_EXPORT = """
import os, sys
import putuo_community.io.ledger as ledger

real_write = ledger._write

def write_then_die(book, spec, rows, progress, cancelled):
    def rows_until_killed():
        for number, row in enumerate(rows):
            if number == 2:
                os._exit(9)
            yield row
    return real_write(book, spec, rows_until_killed(), progress, cancelled)

ledger._write = write_then_die
from putuo_community.app import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.fixture
def data(tmp_path: Path) -> DataPaths:
    """A data folder whose archive holds five estates."""
    paths = DataPaths(tmp_path / "data")
    paths.ensure()
    database = open_database(paths.database_url, backup_dir=paths.backups)
    try:
        services = Services.build(database, user="测试员")
        street = services.records.list("streets", filters={"short_name": "长征"})[0]
        for number in range(1, 6):
            services.records.create("estates", {"name": f"临时文件{number}村", "street_id": street.id})
    finally:
        database.dispose()
    return paths


def _temp_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.name != "in-use.lock")


def test_a_command_and_the_window_make_their_temporary_files_in_the_data_folder(
    data: DataPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[str, ...]] = []

    def where_temporary_files_go(*args: object) -> int:
        seen.append((tempfile.gettempdir(), *(os.environ[name] for name in TEMP_ENVIRONMENT)))
        return 0

    monkeypatch.setattr(cli_main, "run_reminders", where_temporary_files_go)
    import putuo_community.gui.application as application

    monkeypatch.setattr(application, "run_gui", lambda *args, **kwargs: where_temporary_files_go())
    before = tempfile.gettempdir()

    assert main(["--data-dir", str(data.root), "reminders"]) == 0
    assert main(["--data-dir", str(data.root), "--no-crash-dialog"]) == 0

    assert len(seen) == 2
    for places in seen:
        assert len(set(places)) == 1
        assert Path(places[0]).parent == data.temp
    assert tempfile.gettempdir() == before  # and as they were once the program has ended
    assert not _temp_files(data.temp)


def test_a_ledger_export_streams_its_rows_through_the_data_folder(
    data: DataPaths, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import openpyxl.worksheet._writer as sheet_writer

    made: list[Path] = []
    real = sheet_writer.create_temporary_file

    def recorded(suffix: str = "") -> str:
        name: str = real(suffix)
        made.append(Path(name))
        return name

    monkeypatch.setattr(sheet_writer, "create_temporary_file", recorded)

    assert (
        main(["--data-dir", str(data.root), "export", "ledger", "estates", "--out", str(tmp_path / "小区.xlsx")]) == 0
    )

    assert made
    assert all(path.is_relative_to(data.temp) for path in made), made
    assert not _temp_files(data.temp)


def test_a_killed_export_leaves_its_rows_in_the_data_folder_until_the_next_start(
    data: DataPaths, tmp_path: Path
) -> None:
    system_temp = tmp_path / "system-temp"
    system_temp.mkdir()
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", **dict.fromkeys(TEMP_ENVIRONMENT, str(system_temp))}
    out = tmp_path / "小区台账.xlsx"
    killed = subprocess.run(
        [
            sys.executable,
            "-c",
            KILLED_EXPORT,
            "--data-dir",
            str(data.root),
            *("export", "ledger", "estates"),
            "--out",
            out,
        ],
        env=env,
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert killed.returncode == 9, killed.stderr.decode("utf-8", "replace")
    left = _temp_files(data.temp)
    assert any(path.name.startswith("openpyxl.") for path in left), left
    assert not list(system_temp.iterdir())
    assert not out.exists()

    assert main(["--data-dir", str(data.root), "reminders"]) == 0

    assert not _temp_files(data.temp)
    assert not [p for p in data.temp.iterdir() if p.is_dir()]


def test_the_next_start_leaves_a_running_programs_files_alone(data: DataPaths) -> None:
    long_ago = time.time() - 3600
    stale = data.temp / "openpyxl.left-by-an-old-version"
    data.temp.mkdir()
    stale.write_text("行")
    os.utime(stale, (long_ago, long_ago))

    with temporary_files_in(data.temp) as running:  # a window open on the same archive
        assert running is not None
        in_use = running / "openpyxl.being-written"
        in_use.write_text("行")
        os.utime(running, (long_ago, long_ago))

        assert main(["--data-dir", str(data.root), "reminders"]) == 0

        assert in_use.exists()
        assert tempfile.gettempdir() == str(running)
    assert not stale.exists()
    assert not running.exists()  # the window's own files go when it closes


def _temp_folder_of_a_worker() -> str:
    return tempfile.gettempdir()


def test_batch_print_workers_inherit_the_folder() -> None:
    """Dossier batches render in worker processes started with spawn, as on Windows."""
    with tempfile.TemporaryDirectory() as scratch, temporary_files_in(Path(scratch) / "tmp") as own:
        assert own is not None
        with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
            assert pool.submit(_temp_folder_of_a_worker).result(timeout=60) == str(own)


def test_without_a_usable_temp_folder_the_program_still_runs(data: DataPaths, monkeypatch: pytest.MonkeyPatch) -> None:
    data.temp.write_text("a file where the folder should be")
    seen: list[str] = []
    monkeypatch.setattr(cli_main, "run_reminders", lambda *args: seen.append(tempfile.gettempdir()) or 0)
    before = tempfile.gettempdir()

    assert main(["--data-dir", str(data.root), "reminders"]) == 0

    assert seen == [before]  # the system's, as before
    assert "cannot use" in data.log_file.read_text(encoding="utf-8")
