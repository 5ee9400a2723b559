"""Estate dossiers printed from a realistic district: sections, page numbers, bookmarks, batches and cancelling."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from putuo_community.domain.errors import RecordNotFound, UserError
from putuo_community.services import Services
from putuo_community.services.demo import generate_demo
from putuo_community.services.dossier import DossierCancelled, safe_file_name
from putuo_community.storage.database import open_database
from putuo_community.storage.schema import TABLES

TODAY = date(2026, 11, 24)
SECTIONS = (
    "一、基本情况",
    "二、楼栋",
    "三、业主大会与业委会",
    "四、物业服务与企业信用",
    "五、修缮改造项目",
    "六、电梯",
    "七、加装电梯",
    "八、维修资金",
    "九、投诉与隐患",
    "十、附件目录",
    "十一、档案完整性",
    "十二、近期变更",
)


@pytest.fixture(scope="module")
def district(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Services]:
    folder = tmp_path_factory.mktemp("dossiers")
    database = open_database(f"sqlite:///{folder / 'district.sqlite3'}", backup_dir=folder)
    generate_demo(database, estates=30, seed=5, today=TODAY)
    services = Services.build(database, user="打印测试")
    yield services
    database.dispose()


def _richest_estate(services: Services) -> tuple[int, str]:
    """The estate with the most lifts and committee terms: every section has something to show."""
    lifts, terms, estates = TABLES["lifts"], TABLES["committee_terms"], TABLES["estates"]
    with services.database.read() as conn:
        lift_counts = dict(conn.execute(select(lifts.c.estate_id, func.count()).group_by(lifts.c.estate_id)).all())
        term_counts = dict(conn.execute(select(terms.c.estate_id, func.count()).group_by(terms.c.estate_id)).all())
        names = dict(conn.execute(select(estates.c.id, estates.c.name)).all())
    best = max(names, key=lambda i: (lift_counts.get(i, 0) > 0, term_counts.get(i, 0), lift_counts.get(i, 0)))
    return best, names[best]


def _text(reader: PdfReader) -> list[str]:
    return [page.extract_text() or "" for page in reader.pages]


def test_a_dossier_has_every_section_page_numbers_and_bookmarks(district: Services, tmp_path: Path) -> None:
    estate_id, name = _richest_estate(district)
    path = tmp_path / "档案.pdf"
    pages = district.dossiers.write(estate_id, path, today=TODAY)
    reader = PdfReader(path)
    assert len(reader.pages) == pages >= 4
    texts = _text(reader)
    everything = "\n".join(texts)
    assert name in texts[0]
    assert "内部资料" in texts[0]
    for title in SECTIONS:
        assert title in everything, title
    for number, text in enumerate(texts[1:], start=2):
        assert re.search(rf"第\s*{number}\s*页\s*共\s*{pages}\s*页", text), f"page {number}: {text[-80:]}"
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert outline == list(SECTIONS)
    assert reader.metadata is not None
    assert reader.metadata.title == f"{name} 小区档案"


def test_a_dossier_never_prints_a_full_phone_number(district: Services, tmp_path: Path) -> None:
    estate_id, _name = _richest_estate(district)
    path = tmp_path / "档案.pdf"
    district.dossiers.write(estate_id, path, today=TODAY)
    everything = "\n".join(_text(PdfReader(path))).replace(" ", "")
    assert re.search(r"1[3-9]\d\*{4}\d{4}", everything), "members' phones appear, masked"
    assert not re.search(r"(?<!\d)1[3-9]\d{9}(?!\d)", everything)


def test_an_estate_is_found_by_name_alias_or_code(district: Services) -> None:
    estates, aliases = TABLES["estates"], TABLES["estate_aliases"]
    with district.database.read() as conn:
        estate_id, name, code = conn.execute(
            select(estates.c.id, estates.c.name, estates.c.code).where(estates.c.code.is_not(None)).limit(1)
        ).one()
        alias_row = conn.execute(select(aliases.c.estate_id, aliases.c.alias).limit(1)).first()
    assert district.dossiers.resolve_estate(name).id == estate_id
    assert district.dossiers.resolve_estate(code).id == estate_id
    if alias_row is not None:
        assert district.dossiers.resolve_estate(alias_row.alias).id == alias_row.estate_id
    with pytest.raises(RecordNotFound, match="没有找到小区“不存在的小区”"):
        district.dossiers.resolve_estate("不存在的小区")


def test_two_estates_of_one_name_must_be_told_apart(services: Services) -> None:
    for street in ("长征镇", "桃浦镇"):
        street_id = services.records.list("streets", filters={"name": street})[0].id
        services.records.create("estates", {"name": "金光新村", "street_id": street_id})
    with pytest.raises(UserError, match=r"有多个小区叫“金光新村”.*--street"):
        services.dossiers.resolve_estate("金光新村")
    taopu = services.records.list("streets", filters={"name": "桃浦镇"})[0].id
    assert services.dossiers.resolve_estate("金光新村", street_id=taopu).street == "桃浦镇"


def test_a_street_batch_writes_one_pdf_per_estate_and_an_index(district: Services, tmp_path: Path) -> None:
    street_id = district.records.list("streets", filters={"name": "长征镇"})[0].id
    estate_ids = district.dossiers.estates_of_street(street_id)
    assert estate_ids
    seen: list[tuple[int, int]] = []
    result = district.dossiers.write_street(
        street_id, tmp_path, today=TODAY, workers=2, progress=lambda done, total: seen.append((done, total))
    )
    assert len(result.files) == len(estate_ids)
    assert seen[-1] == (len(estate_ids), len(estate_ids))
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*(p.name for p in result.files), result.index.name])
    index_text = "\n".join(_text(PdfReader(result.index)))
    for path in result.files:
        assert path.stat().st_size > 10_000
        assert path.stem.split("（")[0] in index_text.replace("\n", "")


def test_a_cancelled_batch_leaves_no_file_behind(district: Services, tmp_path: Path) -> None:
    street_id = district.records.list("streets", filters={"name": "长征镇"})[0].id
    calls = []

    def cancel_after_first() -> bool:
        calls.append(1)
        return len(calls) > 1

    with pytest.raises(DossierCancelled, match="已取消"):
        district.dossiers.write_street(street_id, tmp_path, today=TODAY, workers=1, cancelled=cancel_after_first)
    assert list(tmp_path.iterdir()) == []


def test_file_names_are_safe_on_windows() -> None:
    assert safe_file_name('曹杨"新村"/一期:*?') == "曹杨_新村__一期___"
    assert safe_file_name("  梅川一村. ") == "梅川一村"


def test_recent_changes_read_as_sentences_not_raw_records(services: Services, tmp_path: Path) -> None:
    street_id = services.records.list("streets", filters={"name": "万里街道"})[0].id
    estate_id = services.records.create("estates", {"name": "万里城一街坊", "street_id": street_id, "households": 800})
    version = services.records.get("estates", estate_id).version
    services.records.update("estates", estate_id, {"households": 812}, expected_version=version)
    path = tmp_path / "万里城.pdf"
    services.dossiers.write(estate_id, path, today=TODAY)
    text = "\n".join(_text(PdfReader(path)))
    assert "800 → 812" in text
    assert "新增记录" in text
    assert '{"' not in text  # no JSON snapshot in a printed dossier
