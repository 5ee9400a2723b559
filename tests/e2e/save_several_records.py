"""A clerk's save of several records in one transaction, run by the kill tests in a process of their own.

No service call saves several hand-entered records at once (a form saves one, and the import is killed
on its own), so this is what such a save would do through the public services: a new estate with its
buildings and a change to an existing estate, validated as `RecordService` does, in one
`Database.transaction()` and one history batch.

Usage: python save_several_records.py DATA_DIR
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any

from putuo_community.domain.errors import ValidationFailed
from putuo_community.domain.fields import Register
from putuo_community.domain.registers import REGISTERS
from putuo_community.domain.validation import normalise_values, validate_record
from putuo_community.paths import DataPaths
from putuo_community.services import Services
from putuo_community.services.history import ChangeWriter
from putuo_community.services.records import insert_record, update_record
from putuo_community.storage.database import open_database

BUILDINGS = 6


def _checked(register: Register, values: Mapping[str, Any]) -> dict[str, Any]:
    """The values as `RecordService.create` stores them: normalised, validated, every field present."""
    values = normalise_values(register, values)
    report = validate_record(register, values)
    if not report.ok:
        raise ValidationFailed(report)
    return {f.key: values.get(f.key) for f in register.fields}


def save(services: Services) -> int:
    """The new estate's id."""
    estates, buildings = REGISTERS["estates"], REGISTERS["buildings"]
    street = services.records.list("streets", filters={"name": "长征镇"})[0]
    existing = services.records.list("estates", order_by=("id",), limit=1)[0]
    with services.database.transaction() as conn:
        writer = ChangeWriter(conn, user="测试员", kind="新增", description="新增小区及其楼栋")
        estate_id = insert_record(
            conn,
            estates,
            _checked(
                estates,
                {"name": "真北新苑", "street_id": street.id, "address": "真北路 1200 弄", "households": 480},
            ),
            writer,
        )
        for number in range(1, BUILDINGS + 1):
            values = {"estate_id": estate_id, "number": f"{number}号", "floors": 6 + number, "households": 80}
            insert_record(conn, buildings, _checked(buildings, values), writer)
        households = (existing.values.get("households") or 0) + 12
        update_record(conn, estates, existing.id, {"households": households}, existing.version, writer)
    return estate_id


def main(data_dir: str) -> int:
    paths = DataPaths.resolve(data_dir)
    services = Services.build(open_database(paths.database_url, backup_dir=paths.backups), user="测试员")
    try:
        print(f"saved estate {save(services)}")
    finally:
        services.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
