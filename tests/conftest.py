"""Shared fixtures. Qt must be told to draw offscreen before anything imports it."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # without a display the whole run would abort
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.fonts=false")

from collections.abc import Iterator
from pathlib import Path

import pytest

from putuo_community.paths import DATA_DIR_ENV, DataPaths
from putuo_community.services import Services
from putuo_community.storage.database import Database, open_database


@pytest.fixture(autouse=True)
def _never_the_real_profile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never touch the user's real data folder."""
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "default-data"))


@pytest.fixture
def data_paths(tmp_path: Path) -> DataPaths:
    paths = DataPaths(tmp_path / "data")
    paths.ensure()
    return paths


@pytest.fixture
def database(data_paths: DataPaths) -> Iterator[Database]:
    db = open_database(data_paths.database_url, backup_dir=data_paths.backups)
    yield db
    db.dispose()


@pytest.fixture
def services(database: Database) -> Services:
    return Services.build(database, user="测试员")
