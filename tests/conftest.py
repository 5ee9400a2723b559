"""Shared fixtures. Qt must be told to draw offscreen before anything imports it."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"  # without a display the whole run would abort
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.fonts=false")

from collections.abc import Iterator
from pathlib import Path

import pytest
from pg_support import PostgresDatabases, test_database_url

from putuo_community.paths import DATA_DIR_ENV, DataPaths
from putuo_community.services import Services
from putuo_community.storage.database import Database, open_database

SQLITE_FILE_MARK = "sqlite_file"
SERVER_ONLY_MARK = "server_only"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{SQLITE_FILE_MARK}: the test is about what only a database file has (its attachments folder, file backups,"
        " PRAGMAs): its `database` is a SQLite file even when PUTUO_TEST_DATABASE_URL names a server",
    )
    config.addinivalue_line(
        "markers", f"{SERVER_ONLY_MARK}: the test is about a PostgreSQL-only code path: it runs on the server only"
    )


@pytest.fixture(autouse=True)
def _never_the_real_profile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never touch the user's real data folder."""
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "default-data"))


@pytest.fixture
def data_paths(tmp_path: Path) -> DataPaths:
    paths = DataPaths(tmp_path / "data")
    paths.ensure()
    return paths


@pytest.fixture(scope="session")
def postgres_databases() -> Iterator[PostgresDatabases | None]:
    """The PostgreSQL server of `PUTUO_TEST_DATABASE_URL`, or None: the tests use SQLite files."""
    url = test_database_url()
    if url is None:
        yield None
        return
    databases = PostgresDatabases(url)
    yield databases
    databases.close()


SERVER_SUITES = ("storage",)  # the folders under tests/ whose tests also run on the server when one is given


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """With `PUTUO_TEST_DATABASE_URL` set, every storage and services test that uses a database runs twice in
    the one pytest run: on a SQLite file and on the server (not those marked `sqlite_file`)."""
    if "database" not in metafunc.fixturenames or test_database_url() is None:
        return
    if metafunc.definition.get_closest_marker(SQLITE_FILE_MARK) is not None:
        return
    if metafunc.definition.get_closest_marker(SERVER_ONLY_MARK) is not None:
        metafunc.parametrize("database_backend", ["postgresql"], indirect=True)
        return
    suite = Path(str(metafunc.definition.path)).resolve().relative_to(Path(__file__).resolve().parent).parts[0]
    if suite in SERVER_SUITES:
        metafunc.parametrize("database_backend", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture
def database_backend(request: pytest.FixtureRequest) -> str:
    """Which database a test's `database` is: "sqlite" unless the test was given the server (see above)."""
    return str(getattr(request, "param", "sqlite"))


@pytest.fixture
def database(
    database_backend: str, data_paths: DataPaths, postgres_databases: PostgresDatabases | None
) -> Iterator[Database]:
    """A new, migrated database: a SQLite file, or a new database on the test server when the test runs
    on it (`PUTUO_TEST_DATABASE_URL` given, a storage test, not marked `sqlite_file`)."""
    if postgres_databases is None or database_backend != "postgresql":
        db = open_database(data_paths.database_url, backup_dir=data_paths.backups)
        yield db
        db.dispose()
        return
    db = open_database(postgres_databases.fresh(), backup_dir=data_paths.backups)
    yield db
    db.dispose()
    postgres_databases.empty()


@pytest.fixture
def services(database: Database) -> Services:
    return Services.build(database, user="测试员")
