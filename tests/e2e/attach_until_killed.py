"""Adds scans to an estate one after another until it is killed: run by the attachment kill test.

Each scan is a few megabytes of its own content, so a kill lands while one is being copied and hashed,
between its file and its record, or while its record is written.

Usage: python attach_until_killed.py DATA_DIR SCANS_DIR ESTATE_ID
"""

from __future__ import annotations

import sys
from pathlib import Path

from putuo_community.domain.errors import DuplicateRecord
from putuo_community.paths import DataPaths
from putuo_community.services import Services
from putuo_community.storage.database import open_database


def main(data_dir: str, scans: str, estate_id: str) -> int:
    paths = DataPaths.resolve(data_dir)
    services = Services.build(open_database(paths.database_url), user="测试员")
    try:
        print("ready", flush=True)
        for source in sorted(Path(scans).iterdir()):
            try:
                services.attachments.add(int(estate_id), source, kind="照片")
            except DuplicateRecord:
                continue  # added before an earlier kill
            print(f"added {source.name}", flush=True)
    finally:
        services.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:4]))
