"""The storage and services suites on a PostgreSQL server, when `PUTUO_TEST_DATABASE_URL` names one.

The URL names a database the tests may connect to, as a role that may create databases (`.ci/postgres.sh`
makes both). Each test session gets a database of its own, migrated once by the program itself. After
each test every table is emptied and its ids restarted (one TRUNCATE, a tenth of a second, where copying
a template database took one to two seconds), so the next test opens what a new database holds: the
schema and the 10 街镇. A test that changed the schema itself, or left a connection holding a lock, gets
the database dropped and made again.
"""

from __future__ import annotations

import logging
import os

from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import make_url

TEST_DATABASE_ENV = "PUTUO_TEST_DATABASE_URL"
log = logging.getLogger(__name__)

_SCHEMA_FINGERPRINT = """
SELECT md5(coalesce(string_agg(table_name || '.' || column_name || ':' || data_type || ':' || is_nullable, ','
                               ORDER BY table_name, column_name), '')) || coalesce((SELECT string_agg(version_num, ',')
                                                                                    FROM alembic_version), '')
FROM information_schema.columns WHERE table_schema = 'public'
"""


def test_database_url() -> str | None:
    """The server the suites run against, or None: SQLite files."""
    url = os.environ.get(TEST_DATABASE_ENV, "").strip()
    if not url:
        return None
    if make_url(url).get_backend_name() != "postgresql":
        raise RuntimeError(f"{TEST_DATABASE_ENV} must name a PostgreSQL database (postgresql+psycopg://…), not {url}")
    return url


test_database_url.__test__ = False  # type: ignore[attr-defined]  # a helper, not a test


class PostgresDatabases:
    """This session's database on the server: handed to each test as new, emptied after it."""

    def __init__(self, url: str) -> None:
        base = make_url(url)
        self.name = f"putuo_test_{os.getpid()}"
        self.url = base.set(database=self.name).render_as_string(hide_password=False)
        self._admin: Engine = create_engine(base, isolation_level="AUTOCOMMIT", hide_parameters=True)
        self._engine: Engine | None = None
        self._fingerprint = ""

    def fresh(self) -> str:
        """The URL of a database holding the migrated schema and nothing else (open it to get the 街镇)."""
        if self._engine is None:
            self._make()
        return self.url

    def empty(self) -> None:
        """After a test: empty every table and restart the ids, or make the database again if that fails."""
        if self._engine is None:
            return
        try:
            with self._engine.begin() as conn:
                conn.execute(text("SET LOCAL lock_timeout = '2s'"))  # a connection the test left open
                if conn.scalar(text(_SCHEMA_FINGERPRINT)) != self._fingerprint:
                    raise _SchemaChanged
                conn.execute(text(f"TRUNCATE {', '.join(_tables(conn))} RESTART IDENTITY CASCADE"))
        except (_SchemaChanged, sa_exc.DBAPIError) as exc:
            log.info("making the test database again: %s", type(exc).__name__)
            self._drop()

    def close(self) -> None:
        self._drop()
        self._admin.dispose()

    def _make(self) -> None:
        from putuo_community.storage.database import open_database

        self._drop()
        with self._admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{self.name}"'))
        open_database(self.url).dispose()
        self._engine = create_engine(self.url, hide_parameters=True)
        with self._engine.begin() as conn:
            self._fingerprint = str(conn.scalar(text(_SCHEMA_FINGERPRINT)))
            conn.execute(text(f"TRUNCATE {', '.join(_tables(conn))} RESTART IDENTITY CASCADE"))

    def _drop(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
        with self._admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))


class _SchemaChanged(Exception):
    """The test altered the schema: emptying the tables would not give the next test a new database."""


def _tables(conn: Connection) -> list[str]:
    names = conn.scalars(
        text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'")
    )
    return [f'"{name}"' for name in names]
