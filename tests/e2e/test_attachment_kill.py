"""A scan being added when the program is killed: afterwards every attachment's record has its file, whole and
with its hash; at worst a file no record names is left, which `check` tidies."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest

from putuo_community.domain.attachments import FileState
from putuo_community.paths import DataPaths
from putuo_community.services import Services
from putuo_community.storage.database import open_database

HELPER = Path(__file__).with_name("attach_until_killed.py")
ROUNDS = 6
SCAN_BYTES = 3 * 1024 * 1024


@pytest.mark.slow
def test_a_killed_add_never_leaves_a_record_without_its_file(tmp_path: Path) -> None:
    paths = DataPaths(tmp_path / "data")
    paths.ensure()
    database = open_database(paths.database_url)
    services = Services.build(database, user="测试员")
    street = services.records.list("streets")[0].id
    estate = services.records.create("estates", {"name": "桃浦新村", "street_id": street})
    database.dispose()
    scans = tmp_path / "scans"
    scans.mkdir()
    for number in range(ROUNDS * 15):
        (scans / f"{number:03d}.jpg").write_bytes(os.urandom(64) * (SCAN_BYTES // 64))

    chooser = random.Random(20261129)
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    kills = []
    for _round in range(ROUNDS):
        with subprocess.Popen(
            [sys.executable, str(HELPER), str(paths.root), str(scans), str(estate)],
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            env=env,
        ) as process:
            assert process.stdout is not None
            assert process.stdout.readline().strip() == "ready"
            time.sleep(chooser.uniform(0.05, 1.2))
            process.kill()
            process.wait(timeout=30)
            kills.append(process.stdout.read().count("added"))

        database = open_database(paths.database_url)
        try:
            services = Services.build(database, user="检查")
            listing = services.attachments.of_estate(estate)
            assert all(a.state is FileState.OK for a in listing.current), kills
            assert services.integrity.check_attachments().ok
        finally:
            database.dispose()
    print("attachments added before each kill:", kills)
    assert sum(kills) > 0, "every kill came before the first add finished: nothing was tested past the copy"
