"""A failing statement never quotes its parameters: they hold 身份证号 and 手机号."""

from __future__ import annotations

import logging
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import exc as sa_exc
from sqlalchemy import insert

from putuo_community.logs import setup_logging
from putuo_community.services import Services
from putuo_community.storage import database as database_module
from putuo_community.storage.database import Database
from putuo_community.storage.schema import TABLES, now

ID_NUMBER = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")
MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
DUPLICATE = re.compile("UNIQUE constraint failed|duplicate key value violates unique constraint")  # SQLite, PostgreSQL


def assert_no_personal_numbers(text: str) -> None:
    assert not ID_NUMBER.findall(text), ID_NUMBER.findall(text)
    assert not MOBILE.findall(text), MOBILE.findall(text)


@pytest.fixture
def term(services: Services) -> int:
    street = services.records.list("streets", filters={"short_name": "甘泉"})[0]
    estate = services.records.create("estates", {"name": "甘泉一村", "street_id": street.id})
    return services.records.create(
        "committee_terms",
        {"estate_id": estate, "term_no": 4, "start_on": date(2023, 5, 1), "end_on": date(2028, 4, 30)},
    )


def _member(term: int, name: str, id_number: str, phone: str) -> dict[str, Any]:
    stamp = now()
    return {
        "term_id": term,
        "name": name,
        "role": "委员",
        "id_number": id_number,
        "phone": phone,
        "version": 1,
        "created_at": stamp,
        "updated_at": stamp,
    }


def test_a_duplicate_member_fails_without_quoting_the_row(database: Database, term: int, tmp_path: Path) -> None:
    members = TABLES["committee_members"]
    with database.transaction() as conn:
        conn.execute(insert(members), [_member(term, "王建国", "310107196503124417", "13812345678")])
    log_file = tmp_path / "logs" / "test.log"
    setup_logging(log_file)

    with pytest.raises(sa_exc.IntegrityError) as caught, database.transaction() as conn:
        conn.execute(insert(members), [_member(term, "王建国", "31010719720815002X", "13900001111")])
    logging.getLogger(__name__).error("failed", exc_info=caught.value)

    assert DUPLICATE.search(str(caught.value))  # what went wrong is still said
    assert "parameters hidden" in str(caught.value)
    assert_no_personal_numbers(str(caught.value))
    assert_no_personal_numbers(log_file.read_text(encoding="utf-8"))


def test_many_rows_at_once_as_a_large_import_writes_them(database: Database, term: int) -> None:
    """executemany through the driver, as the bulk writer of a large import does it."""
    rows = [(term, "李秀英", "委员", "31010719720815002X", "13900001111")] * 2
    mark = "?" if database.engine.dialect.paramstyle == "qmark" else "%s"  # SQLite's driver, or the server's
    with pytest.raises(sa_exc.IntegrityError) as caught, database.transaction() as conn:
        conn.exec_driver_sql(
            "INSERT INTO committee_members (term_id, name, role, id_number, phone, version, created_at, updated_at) "
            f"VALUES ({', '.join([mark] * 5)}, 1, '2026-01-01 00:00:00', '2026-01-01 00:00:00')",
            rows,
        )
    assert DUPLICATE.search(str(caught.value))
    assert_no_personal_numbers(str(caught.value))


def test_a_database_server_hides_them_too(monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[dict[str, Any]] = []
    monkeypatch.setattr(database_module, "create_engine", lambda url, **kwargs: made.append(kwargs))

    database_module.create_db_engine("postgresql+psycopg://clerk@archive-server/putuo")

    assert [kwargs.get("hide_parameters") for kwargs in made] == [True]
