"""Committing an import reports its progress, and stopping it from the progress callback writes nothing."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from putuo_community.domain.changes import Changes
from putuo_community.services import Services
from putuo_community.services.importing import RowStatus
from putuo_community.services.importing.planner import PROGRESS_STEPS
from putuo_community.storage.database import Database

STREETS = ("长征镇", "桃浦镇", "真如镇街道", "甘泉路街道")


class Stop(Exception):
    """What a cancel button raises through the callback."""


def write_register(path: Path, rows: int, *, households: int = 300) -> Path:
    """A plain estates register as CSV: quick to write at any size."""
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        out = csv.writer(file)
        out.writerow(["街镇", "小区名称", "居委会", "户数", "备注说明"])
        for i in range(rows):
            street = STREETS[i % len(STREETS)]
            out.writerow([street, f"进度测试{i}号小区", f"第{i % 7}居委会", households + i % 50, "无"])
    return path


def table_counts(database: Database) -> dict[str, int]:
    """Rows of every table that an import writes to."""
    tables = ("estates", "neighbourhoods", "estate_aliases", "change_batches", "change_history")
    with database.engine.connect() as con:  # plain SQL on a connection of its own
        return {t: int(con.exec_driver_sql(f"SELECT count(*) FROM {t}").scalar_one()) for t in tables}


def test_commit_reports_rows_written_from_none_to_all(services: Services, tmp_path: Path) -> None:
    rows = 12_000
    plan = services.imports.plan(services.imports.read("estates", write_register(tmp_path / "长征镇.csv", rows)))
    assert plan.count(RowStatus.NEW) == rows
    reports: list[tuple[int, int]] = []
    result = services.imports.commit(plan, progress=lambda done, total: reports.append((done, total)))
    assert result.created == rows
    assert reports[0] == (0, rows)
    assert reports[-1] == (rows, rows)
    done = [d for d, _ in reports]
    assert done == sorted(done)
    assert {t for _, t in reports} == {rows}
    assert 10 <= len(reports) <= PROGRESS_STEPS + 2  # real progress, and not a signal per row
    assert services.records.count("estates") == rows


def test_a_commit_stopped_half_way_leaves_the_database_exactly_as_it_was(
    services: Services, database: Database, tmp_path: Path
) -> None:
    existing = write_register(tmp_path / "第一批.csv", 400)
    services.imports.commit(services.imports.plan(services.imports.read("estates", existing)))
    before = table_counts(database)
    published: list[Changes] = []
    services.changes.subscribe(published.append)

    # 400 updates of the first batch (户数 changed) and 6,000 new estates with new 居委会.
    register = write_register(tmp_path / "第二批.csv", 6_400, households=1_000)
    plan = services.imports.plan(services.imports.read("estates", register))
    assert (plan.count(RowStatus.UPDATE), plan.count(RowStatus.NEW)) == (400, 6_000)
    seen: list[int] = []

    def cancel_half_way(done: int, total: int) -> None:
        seen.append(done)
        if done >= total // 2:
            raise Stop

    with pytest.raises(Stop):
        services.imports.commit(plan, progress=cancel_half_way)
    assert 0 < seen[-1] < 6_400
    assert table_counts(database) == before
    assert published == []
    assert {r.values["households"] for r in services.records.list("estates")} <= set(range(300, 350))


def test_a_commit_stopped_among_the_updates_keeps_the_old_values(
    services: Services, database: Database, tmp_path: Path
) -> None:
    services.imports.commit(
        services.imports.plan(services.imports.read("estates", write_register(tmp_path / "一.csv", 300)))
    )
    before = table_counts(database)
    plan = services.imports.plan(
        services.imports.read("estates", write_register(tmp_path / "二.csv", 300, households=2_000))
    )
    assert plan.count(RowStatus.UPDATE) == 300
    reports: list[int] = []

    def cancel_late(done: int, total: int) -> None:
        reports.append(done)
        if done > total * 3 // 4:
            raise Stop

    with pytest.raises(Stop):
        services.imports.commit(plan, progress=cancel_late)
    assert reports[-1] > 225  # most rows were written before the stop, and all were rolled back
    assert table_counts(database) == before
    assert max(r.values["households"] for r in services.records.list("estates")) < 2_000

    result = services.imports.commit(plan)  # the same plan still goes in whole afterwards
    assert result.updated == 300
