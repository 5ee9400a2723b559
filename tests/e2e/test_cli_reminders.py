"""`putuo-community reminders` as a clerk or a script runs it: what needs action now, the 长期未办 left out
unless asked for, filters, and the json, csv and table outputs read back field by field."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from cli_process import run_cli

from putuo_community.domain import rules
from putuo_community.paths import DataPaths
from putuo_community.services import Services
from putuo_community.storage.database import open_database

TODAY = date(2026, 11, 23)
# Each estate's unfiled contract: its filing (signed + 30 days) falls this many days from TODAY.
ESTATES = {"梅川一村": ("长征", -10), "真如新村": ("真如", -400), "万里城": ("万里", 50)}


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    paths = DataPaths(tmp_path_factory.mktemp("reminders") / "data")
    paths.ensure()
    database = open_database(paths.database_url, backup_dir=paths.backups)
    ids = {}
    try:
        services = Services.build(database, user="测试员")
        company = services.records.create("companies", {"name": "上海真如物业管理有限公司"})
        for name, (street, due_in) in ESTATES.items():
            street_id = services.records.list("streets", filters={"short_name": street})[0].id
            ids[name] = services.records.create("estates", {"name": name, "street_id": street_id})
            signed = TODAY + timedelta(days=due_in - 30)
            services.records.create(
                "contracts",
                {
                    "estate_id": ids[name],
                    "company_id": company,
                    "kind": "物业服务",
                    "signed_on": signed,
                    "start_on": signed,
                    "end_on": signed + timedelta(days=5 * 365),
                },
            )
    finally:
        database.dispose()
    return paths.root, ids


def reminders(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli("reminders", "--date", TODAY.isoformat(), "--data-dir", str(folder), *args)


def as_json(folder: Path, *args: str) -> list[dict[str, Any]]:
    result = reminders(folder, "--format", "json", *args)
    assert result.returncode == 0, result.stderr
    data: list[dict[str, Any]] = json.loads(result.stdout)
    return data


def test_json_lists_what_needs_action_now_with_every_field(archive: tuple[Path, dict[str, int]]) -> None:
    folder, ids = archive
    result = reminders(folder, "--format", "json")
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert [r["estate"] for r in found] == ["梅川一村", "万里城"]  # overdue first; 真如新村 is 长期未办
    rule = rules.CONTRACT_FILING
    assert found[0] == {
        "estate": "梅川一村",
        "estate_id": ids["梅川一村"],
        "street": "长征镇",
        "kind": "物业合同",
        "item": "物业服务",
        "message": "物业服务合同应在签订后30日内网签备案",
        "due_on": "2026-11-13",
        "days_left": -10,
        "overdue": True,
        "backlog": False,
        "rule": {
            "code": rule.code,
            "title": rule.title,
            "text": rule.text,
            "citation": rule.source,
            "in_force": rule.validity_on(TODAY).value == "有效",
            "validity_note": rule.validity_note(TODAY),
        },
    }
    assert "《" in found[0]["rule"]["citation"]  # a published document, by name and 文号
    upcoming = found[1]
    assert (upcoming["street"], upcoming["due_on"], upcoming["days_left"], upcoming["overdue"]) == (
        "万里街道",
        "2027-01-12",
        50,
        False,
    )
    assert "长期未办" in result.stderr
    assert "1 条" in result.stderr
    assert "--all" in result.stderr


def test_all_brings_the_backlog_and_overdue_keeps_only_the_overdue(archive: tuple[Path, dict[str, int]]) -> None:
    folder, _ids = archive
    everything = as_json(folder, "--all")
    assert [r["estate"] for r in everything] == ["梅川一村", "万里城", "真如新村"]
    backlog = everything[2]
    assert (backlog["days_left"], backlog["overdue"], backlog["backlog"]) == (-400, True, True)
    assert [r["estate"] for r in as_json(folder, "--overdue")] == ["梅川一村"]
    assert [r["estate"] for r in as_json(folder, "--overdue", "--all")] == ["梅川一村", "真如新村"]


def test_within_street_and_kind_narrow_the_list(archive: tuple[Path, dict[str, int]]) -> None:
    folder, _ids = archive
    assert [r["estate"] for r in as_json(folder, "--within", "49")] == ["梅川一村"]  # due in 50 days: not yet
    assert [r["estate"] for r in as_json(folder, "--within", "50")] == ["梅川一村", "万里城"]
    assert [r["estate"] for r in as_json(folder, "--street", "万里")] == ["万里城"]
    assert len(as_json(folder, "--kind", "物业合同")) == 2
    assert as_json(folder, "--kind", "电梯") == []


def test_an_unknown_kind_is_a_clear_error_naming_the_valid_ones(archive: tuple[Path, dict[str, int]]) -> None:
    folder, _ids = archive
    result = reminders(folder, "--kind", "楼道")
    assert result.returncode == 2
    assert "没有“楼道”这一类提醒" in result.stderr
    for kind in ("换届", "业委会组建", "业委会", "年度审计", "物业合同", "电梯", "维修资金", "信用"):
        assert kind in result.stderr
    assert result.stdout == ""


def test_csv_opens_in_excel_with_a_header_row(archive: tuple[Path, dict[str, int]]) -> None:
    folder, _ids = archive
    result = reminders(folder, "--format", "csv", "--all")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("\ufeff")  # the BOM: Excel then reads it as UTF-8
    rows = list(csv.reader(io.StringIO(result.stdout.removeprefix("\ufeff"))))
    assert rows[0][:5] == ["状态", "到期日", "剩余天数", "街镇", "小区"]
    assert [row[4] for row in rows[1:]] == ["梅川一村", "万里城", "真如新村"]
    assert rows[3][0] == "长期未办"
    assert rows[3][2] == "-400"


def test_the_table_closes_with_the_count_and_how_to_see_the_backlog(archive: tuple[Path, dict[str, int]]) -> None:
    folder, _ids = archive
    result = reminders(folder)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("逾期\t2026-11-13\t长征镇\t梅川一村\t物业合同\t")
    assert lines[-1].startswith("共 2 条提醒，其中逾期 1 条")
    assert "长期未办" in lines[-1]
    assert "--all" in lines[-1]


def test_a_reader_that_stops_early_ends_the_command_quietly(archive: tuple[Path, dict[str, int]]) -> None:
    folder, _ids = archive
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONIOENCODING": "utf-8"}
    command = [sys.executable, "-m", "putuo_community", "reminders", "--all", "--format", "json"]
    process = subprocess.Popen(
        [*command, "--date", TODAY.isoformat(), "--data-dir", str(folder)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert process.stdout is not None
    process.stdout.close()  # as `| head -0` does: nobody reads what is written
    _out, err = process.communicate(timeout=120)
    assert process.returncode == 0
    assert b"Traceback" not in err
    assert b"BrokenPipe" not in err
