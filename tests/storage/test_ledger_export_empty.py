"""An empty ledger is not exported: the clerk is told there is nothing to export, and no file appears."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from putuo_community.services import Services
from putuo_community.services.ledgers import NothingToExport

TODAY = date(2026, 11, 24)


def test_an_empty_register_writes_no_file(services: Services, tmp_path: Path) -> None:
    folder = tmp_path / "导出"
    folder.mkdir()
    with pytest.raises(NothingToExport, match="普陀区没有小区记录，没有可导出的内容，未生成文件"):
        services.ledgers.export("estates", folder / "小区.xlsx", today=TODAY)
    assert list(folder.iterdir()) == []


def test_a_filter_that_matches_nothing_writes_no_file_and_leaves_an_old_one_alone(
    services: Services, tmp_path: Path
) -> None:
    services.records.create("estates", {"name": "梅川一村", "street_id": _street(services, "长征")})
    path = tmp_path / "小区.xlsx"
    path.write_bytes(b"last week's ledger")
    with pytest.raises(NothingToExport, match="长征镇没有含“兰溪”的小区记录"):
        services.ledgers.export("estates", path, today=TODAY, street_id=_street(services, "长征"), search="兰溪")
    assert path.read_bytes() == b"last week's ledger"
    assert services.ledgers.export("estates", path, today=TODAY).rows == 1


def _street(services: Services, short_name: str) -> int:
    return next(s.id for s in services.records.list("streets") if s.values["short_name"] == short_name)
