"""Print estate dossiers (一小区一档案) to PDF: one estate, or every estate of a 街镇 with an index.

A batch loads its estates' records a chunk at a time in this process and renders the PDFs
in worker processes (one per core). Files are written into a hidden folder beside the
destination and moved into place only when the whole batch has succeeded, so a cancelled
or failed batch leaves nothing half-written behind.
"""

from __future__ import annotations

import io
import logging
import multiprocessing
import os
import shutil
import uuid
from collections.abc import Callable, Collection, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from pathlib import Path

from sqlalchemy import select

from putuo_community.domain.completeness import Gap, completeness_ratio, dossier_gaps
from putuo_community.domain.errors import BadFile, RecordNotFound, UserError
from putuo_community.domain.names import EstateNameIndex
from putuo_community.domain.parsing import clean_text
from putuo_community.io.document import Document, Section, Table
from putuo_community.services.credit import CreditService
from putuo_community.services.dossier.common import (
    BatchResult,
    DossierCancelled,
    EstateChoice,
    FontChoice,
    safe_file_name,
)
from putuo_community.services.dossier.content import build_document, build_sections, facts_of, screen_tables
from putuo_community.services.dossier.data import DossierContext, EstateFile, load_estate_files
from putuo_community.services.records import Record
from putuo_community.storage.database import Database
from putuo_community.storage.schema import TABLES

log = logging.getLogger(__name__)

CHUNK = 50  # estates loaded per query round in a batch


@dataclass(frozen=True)
class EstateDossier:
    """What the estate window shows: the dossier's sections as printed, and the records behind its tables."""

    estate: Record
    street: str
    sections: dict[str, Section]  # by declared section key, in dossier order
    # Every declared table with all the estate's records (the PDF prints a selection), by register.
    tables: dict[str, Table]
    records: dict[str, list[Record]]  # by register
    gaps: tuple[Gap, ...]
    completeness: Fraction
    today: date

    def record(self, register_key: str, record_id: int) -> Record | None:
        if register_key == self.estate.register and record_id == self.estate.id:
            return self.estate
        return next((r for r in self.records.get(register_key, ()) if r.id == record_id), None)


def _render(document: Document, target: Path, font: FontChoice) -> int:
    """Run in a worker process: draw one PDF."""
    from putuo_community.io.pdf import render_document  # reportlab loads with the first dossier printed

    return render_document(document, target, font_path=font.path, font_subfont=font.subfont)


class DossierService:
    def __init__(self, database: Database, credit: CreditService, *, font: FontChoice | None = None) -> None:
        self.database = database
        self.credit = credit
        self.font = font or FontChoice()

    def choose_font(self, font: FontChoice) -> None:
        """Print in another font from now on; a font that cannot be embedded is refused with the reason."""
        from putuo_community.io.fonts import register_font

        register_font(font.path, subfont=font.subfont)
        self.font = font

    # -- finding the estate -----------------------------------------------------------------

    def find_estates(self, text: str, *, street_id: int | None = None) -> list[EstateChoice]:
        """Estates a clerk may mean by `text`: its code, its name or one of its aliases."""
        wanted = clean_text(text)
        estates, streets, aliases = TABLES["estates"], TABLES["streets"], TABLES["estate_aliases"]
        with self.database.read() as conn:
            rows = conn.execute(
                select(estates.c.id, estates.c.name, estates.c.code, streets.c.name.label("street")).join(
                    streets, streets.c.id == estates.c.street_id
                )
            ).all()
            alias_rows = conn.execute(select(aliases.c.estate_id, aliases.c.alias)).all()
            street_name = conn.scalar(select(streets.c.name).where(streets.c.id == street_id)) if street_id else None
        by_id = {r.id: EstateChoice(r.id, r.name, r.street, r.code or "") for r in rows}
        by_code = [c for c in by_id.values() if c.code and c.code.upper() == wanted.upper()]
        if by_code:
            return by_code
        alias_map: dict[int, list[str]] = {}
        for estate_id, alias in alias_rows:
            alias_map.setdefault(estate_id, []).append(alias)
        index = EstateNameIndex.build((c.id, c.street, c.name, tuple(alias_map.get(c.id, ()))) for c in by_id.values())
        return [by_id[i] for i in index.exact(street_name, wanted)]

    def resolve_estate(self, text: str, *, street_id: int | None = None) -> EstateChoice:
        found = self.find_estates(text, street_id=street_id)
        if not found:
            raise RecordNotFound(f"没有找到小区“{text}”：请输入小区名称、别名或小区编码")
        if len(found) > 1:
            listed = "、".join(f"{c.street}{c.name}" for c in found[:8])
            raise UserError(f"有多个小区叫“{text}”：{listed}。请用 --street 指定街镇，或改用小区编码")
        return found[0]

    # -- one dossier --------------------------------------------------------------------------

    def context(self, today: date, *, company_ids: Collection[int] | None = None) -> DossierContext:
        """What the dossiers share: the companies' standings (all, or only those of `company_ids`)."""
        standings = {s.company_id: s for s in self.credit.company_standings(today=today, company_ids=company_ids)}
        return DossierContext(today, standings, self.credit.thresholds())

    def document(self, estate_id: int, *, today: date) -> Document:
        context = self.context(today)
        with self.database.read() as conn:
            files = load_estate_files(conn, [estate_id], context)
        if not files:
            raise RecordNotFound(f"小区（编号 {estate_id}）不存在，可能已被删除。")
        return build_document(files[0], today)

    def estate_dossier(self, estate_id: int, *, today: date) -> EstateDossier:
        """One estate's dossier for the screen: the printed sections, with the records behind their tables."""
        estates = TABLES["estates"]
        with self.database.read() as conn:
            company_id = conn.scalar(select(estates.c.company_id).where(estates.c.id == estate_id))
        context = self.context(today, company_ids=[company_id] if company_id is not None else [])
        with self.database.read() as conn:
            files = load_estate_files(conn, [estate_id], context)
        if not files:
            raise RecordNotFound(f"小区（编号 {estate_id}）不存在，可能已被删除。")
        data = files[0]
        gaps = dossier_gaps(facts_of(data, today), today)
        records = {key: list(found) for key, found in data.records.items()}
        records["credit_events"] = list(data.credit_events)
        return EstateDossier(
            estate=data.estate,
            street=data.street,
            sections=build_sections(data, today),
            tables=screen_tables(data, records, today),
            records=records,
            gaps=gaps,
            completeness=completeness_ratio(gaps),
            today=today,
        )

    def write(self, estate_id: int, path: Path, *, today: date) -> int:
        """Print one estate's dossier to `path` (atomically); returns the page count."""
        return _render(self.document(estate_id, today=today), path, self.font)

    def pdf_bytes(self, estate_id: int, *, today: date) -> bytes:
        """The dossier as PDF bytes, for a print preview."""
        from putuo_community.io.pdf import render_document

        stream = io.BytesIO()
        render_document(
            self.document(estate_id, today=today), stream, font_path=self.font.path, font_subfont=self.font.subfont
        )
        return stream.getvalue()

    # -- a batch ------------------------------------------------------------------------------

    def estates_of_street(self, street_id: int) -> list[int]:
        estates = TABLES["estates"]
        with self.database.read() as conn:
            return list(
                conn.scalars(
                    select(estates.c.id).where(estates.c.street_id == street_id).order_by(estates.c.name, estates.c.id)
                )
            )

    def write_street(
        self,
        street_id: int,
        folder: Path,
        *,
        today: date,
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
        workers: int | None = None,
    ) -> BatchResult:
        """One PDF per estate of the 街镇 plus an index PDF, all in `folder`."""
        with self.database.read() as conn:
            street = conn.scalar(select(TABLES["streets"].c.name).where(TABLES["streets"].c.id == street_id))
        if street is None:
            raise RecordNotFound(f"街镇（编号 {street_id}）不存在")
        return self.write_batch(
            self.estates_of_street(street_id),
            folder,
            title=f"{street}小区档案目录",
            today=today,
            progress=progress,
            cancelled=cancelled,
            workers=workers,
        )

    def write_batch(
        self,
        estate_ids: Sequence[int],
        folder: Path,
        *,
        title: str,
        today: date,
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
        workers: int | None = None,
    ) -> BatchResult:
        if not estate_ids:
            raise UserError("没有可打印的小区")
        if not folder.is_dir():
            raise BadFile(f"文件夹“{folder}”不存在，请先创建或另选文件夹")
        staging = folder / f".~档案-{uuid.uuid4().hex[:8]}"
        try:
            staging.mkdir()
        except OSError as exc:
            raise BadFile(f"无法在“{folder}”中写入：{exc.strerror or exc}") from exc
        try:
            entries, pages = self._render_all(estate_ids, staging, today, progress, cancelled, workers)
            index_name = safe_file_name(title) + ".pdf"
            pages += _render(_index_document(title, today, entries), staging / index_name, self.font)
            files = []
            for entry in entries:
                files.append(folder / entry.file_name)
                os.replace(staging / entry.file_name, folder / entry.file_name)
            os.replace(staging / index_name, folder / index_name)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        return BatchResult(folder, tuple(files), folder / index_name, pages)

    def _render_all(
        self,
        estate_ids: Sequence[int],
        staging: Path,
        today: date,
        progress: Callable[[int, int], None] | None,
        cancelled: Callable[[], bool] | None,
        workers: int | None,
    ) -> tuple[list[_IndexEntry], int]:
        total = len(estate_ids)
        context = self.context(today)
        entries: dict[int, _IndexEntry] = {}
        names: set[str] = set()
        done = 0
        pages = 0
        count = workers if workers is not None else min(os.cpu_count() or 1, 4)
        # "spawn" everywhere: it is what Windows does, and forking a process that runs Qt threads is unsafe.
        with ProcessPoolExecutor(max_workers=max(1, count), mp_context=multiprocessing.get_context("spawn")) as pool:
            pending: dict[Future[int], int] = {}
            try:
                for data in self._chunks(estate_ids, context):
                    if cancelled is not None and cancelled():
                        raise DossierCancelled
                    entry = _entry(data, today, names)
                    entries[data.estate.id] = entry
                    document = build_document(data, today)
                    pending[pool.submit(_render, document, staging / entry.file_name, self.font)] = data.estate.id
                    while len(pending) >= 4 * max(1, count):
                        done, pages = self._collect(pending, entries, done, pages, total, progress, cancelled)
                while pending:
                    done, pages = self._collect(pending, entries, done, pages, total, progress, cancelled)
            except BaseException:
                for future in pending:
                    future.cancel()
                raise
        return [entries[i] for i in estate_ids if i in entries], pages

    @staticmethod
    def _collect(
        pending: dict[Future[int], int],
        entries: dict[int, _IndexEntry],
        done: int,
        pages: int,
        total: int,
        progress: Callable[[int, int], None] | None,
        cancelled: Callable[[], bool] | None,
    ) -> tuple[int, int]:
        finished, _ = wait(pending, timeout=0.5, return_when=FIRST_COMPLETED)
        if cancelled is not None and cancelled():
            raise DossierCancelled
        for future in finished:
            estate_id = pending.pop(future)
            count = future.result()
            entries[estate_id].pages = count
            pages += count
            done += 1
            if progress is not None:
                progress(done, total)
        return done, pages

    def _chunks(self, estate_ids: Sequence[int], context: DossierContext) -> Iterator[EstateFile]:
        for start in range(0, len(estate_ids), CHUNK):
            with self.database.read() as conn:
                files = load_estate_files(conn, estate_ids[start : start + CHUNK], context)
            yield from files


@dataclass
class _IndexEntry:
    name: str
    code: str
    neighbourhood: str
    completeness: str
    file_name: str
    pages: int = 0


def _entry(data: EstateFile, today: date, taken: set[str]) -> _IndexEntry:
    estate = data.estate
    base = safe_file_name(estate.title)
    name = base
    if name in taken:
        name = f"{base}（{safe_file_name(estate.display('code') or str(estate.id))}）"
    taken.add(name)
    ratio = completeness_ratio(dossier_gaps(facts_of(data, today), today))
    return _IndexEntry(
        estate.title,
        estate.display("code"),
        estate.display("neighbourhood_id"),
        f"{float(ratio) * 100:.0f}%",
        name + ".pdf",
    )


def _index_document(title: str, today: date, entries: Sequence[_IndexEntry]) -> Document:
    rows = tuple(
        (str(i), e.name, e.code, e.neighbourhood, str(e.pages), e.completeness, e.file_name)
        for i, e in enumerate(entries, start=1)
    )
    table = Table(
        ("序号", "小区名称", "小区编码", "居委会", "页数", "档案完整度", "文件名"),
        rows,
        numeric=(0, 4, 5),
    )
    return Document(
        title=title,
        running_header=title,
        printed_on=today,
        sections=(Section(f"共 {len(entries)} 个小区", (table,)),),
        with_cover=False,
        with_contents=False,
    )
