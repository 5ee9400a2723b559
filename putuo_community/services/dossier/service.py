"""Print estate dossiers (一小区一档案) to PDF: one estate, or every estate of a 街镇 with an index.

A batch loads its estates' records a chunk at a time in this process and renders the PDFs
in worker processes (one per core). Files are written into a hidden folder beside the
destination and moved into place when every estate has been tried, so a cancelled batch
leaves nothing behind. An estate that cannot be printed is listed in the index with the
reason, and the others are printed all the same.
"""

from __future__ import annotations

import io
import logging
import os
import shutil
from collections import defaultdict
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from pathlib import Path

from sqlalchemy import select

from putuo_community.domain.accounts import Actor
from putuo_community.domain.completeness import Gap, completeness_ratio, dossier_gaps
from putuo_community.domain.errors import BadFile, EnvironmentProblem, PermissionDenied, RecordNotFound, UserError
from putuo_community.domain.file_names import UniqueFileNames
from putuo_community.domain.names import EstateNameIndex
from putuo_community.domain.parsing import clean_text
from putuo_community.io.document import Document, Section, Table
from putuo_community.services.credit import CreditService
from putuo_community.services.dossier.batch import (
    IndexEntry,
    Job,
    WorkerRenders,
    failure,
    failure_of_id,
    index_document,
    index_entry,
    move_reason,
    render_pdf,
)
from putuo_community.services.dossier.common import (
    BatchFailure,
    BatchResult,
    DossierCancelled,
    EstateChoice,
    FontChoice,
)
from putuo_community.services.dossier.content import build_document, build_sections, facts_of, screen_tables
from putuo_community.services.dossier.data import DossierContext, EstateFile, load_estate_files
from putuo_community.services.dossier.staging import make_staging_folder, remove_stale_staging
from putuo_community.services.permissions import Permissions
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


class DossierService:
    def __init__(
        self, database: Database, credit: CreditService, *, font: FontChoice | None = None, actor: Actor | None = None
    ) -> None:
        """`actor`: whom the dossier is shown to (None: the credit service's), personal numbers masked for a 只读."""
        self.database = database
        self.credit = credit
        self.font = font or FontChoice()
        self.permissions = Permissions(database, actor or credit.actor)

    def choose_font(self, font: FontChoice) -> None:
        """Print in another font from now on; a font that cannot be embedded is refused with the reason."""
        from putuo_community.io.fonts import register_font

        register_font(font.path, subfont=font.subfont)
        self.font = font

    # -- finding the estate -----------------------------------------------------------------

    def find_estates(self, text: str, *, street_id: int | None = None) -> list[EstateChoice]:
        """Estates a clerk may mean by `text`: its code, its name or one of its aliases."""
        wanted = clean_text(text)
        street_id = self.permissions.street_in_view(street_id)  # a 街镇经办人 finds their own 街镇's only
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
        return build_document(self._shown(files[0]), today)

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
        data = self._shown(files[0])
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

    def _shown(self, data: EstateFile) -> EstateFile:
        """The estate's file as the actor may read it: a 只读 account's with personal numbers masked; a
        街镇经办人 reads only their own 街镇's dossiers."""
        actor = self.permissions.actor
        if self.permissions.street_bound and data.estate.values.get("street_id") != actor.street_id:
            raise PermissionDenied(
                f"当前账户“{actor.name}”只能查看{actor.street_name or '本街镇'}的小区档案，"
                f"“{data.estate.title}”属于{data.street or '其他街镇'}"
            )
        if self.permissions.sees_personal:
            return data
        shown = self.permissions.shown_all
        data.estate = self.permissions.shown(data.estate)
        data.records = defaultdict(list, {key: shown(found) for key, found in data.records.items()})
        data.members = defaultdict(list, {term: shown(found) for term, found in data.members.items()})
        data.company = self.permissions.shown(data.company) if data.company is not None else None
        data.credit_events = shown(data.credit_events)
        return data

    def write(self, estate_id: int, path: Path, *, today: date) -> int:
        """Print one estate's dossier to `path` (atomically); returns the page count."""
        return render_pdf(self.document(estate_id, today=today), path, self.font)

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
        street_id = self.permissions.street_in_view(street_id) or street_id
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
        """One PDF per estate plus an index PDF in `folder`; an estate that fails is listed, not fatal."""
        if not estate_ids:
            raise UserError("没有可打印的小区")
        if not folder.is_dir():
            raise BadFile(f"文件夹“{folder}”不存在，请先创建或另选文件夹")
        remove_stale_staging(folder)
        staging = make_staging_folder(folder)
        try:
            names = UniqueFileNames()
            index_name = names.claim(title, ".pdf", fallback="小区档案目录")  # first: no estate takes its name
            count = workers if workers is not None else min(os.cpu_count() or 1, 4)
            printed, failed = self._render_all(estate_ids, staging, names, today, progress, cancelled, count)
            files = []
            for estate_id in estate_ids:
                entry = printed.get(estate_id)
                if entry is None:
                    continue
                try:
                    os.replace(staging / entry.file_name, folder / entry.file_name)
                except OSError as exc:
                    failed[estate_id] = BatchFailure(
                        estate_id, entry.name, entry.code, move_reason(entry.file_name, exc)
                    )
                    del printed[estate_id]
                    continue
                files.append(folder / entry.file_name)
            entries = [printed[i] for i in estate_ids if i in printed]
            failures = [failed[i] for i in estate_ids if i in failed]
            document = index_document(title, today, entries, failures)
            pages = sum(e.pages for e in entries) + render_pdf(document, staging / index_name, self.font)
            os.replace(staging / index_name, folder / index_name)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        if failures:
            log.warning("batch %s: %d of %d estate(s) not printed", title, len(failures), len(estate_ids))
        return BatchResult(folder, tuple(files), folder / index_name, pages, tuple(failures))

    def _render_all(
        self,
        estate_ids: Sequence[int],
        staging: Path,
        names: UniqueFileNames,
        today: date,
        progress: Callable[[int, int], None] | None,
        cancelled: Callable[[], bool] | None,
        workers: int,
    ) -> tuple[dict[int, IndexEntry], dict[int, BatchFailure]]:
        """Draw every estate's PDF into `staging`: the printed ones' index lines, and the failed ones."""
        total = len(estate_ids)
        printed: dict[int, IndexEntry] = {}
        failed: dict[int, BatchFailure] = {}

        def check_cancelled() -> None:
            if cancelled is not None and cancelled():
                raise DossierCancelled

        def tried(outcome: IndexEntry | BatchFailure) -> None:
            if isinstance(outcome, BatchFailure):
                failed[outcome.estate_id] = outcome
            else:
                printed[outcome.estate_id] = outcome
            if progress is not None:
                progress(len(printed) + len(failed), total)

        def record(outcomes: Sequence[tuple[Job, int | BaseException]]) -> None:
            for job, outcome in outcomes:
                entry = job.entry
                if isinstance(outcome, BaseException) and not isinstance(outcome, Exception):
                    raise outcome  # Ctrl+C reached the worker too: it stops the batch, it is no estate's fault
                if isinstance(outcome, BaseException):
                    tried(failure_of_id(entry.estate_id, entry.name, entry.code, outcome))
                else:
                    entry.pages = outcome
                    tried(entry)

        with WorkerRenders(staging, self.font, workers) as renders:
            for loaded in self._estate_files(estate_ids, self.context(today)):
                check_cancelled()
                if isinstance(loaded, BatchFailure):
                    tried(loaded)
                    continue
                try:
                    job = Job(index_entry(loaded, today, names), build_document(loaded, today))
                except EnvironmentProblem:
                    raise  # the database's or the machine's fault: the whole batch says so
                except Exception as exc:
                    tried(failure(loaded.estate, exc))
                    continue
                renders.submit(job)
                while renders.busy:
                    record(renders.outcomes(0.5))
                    check_cancelled()
            while renders.waiting:
                record(renders.outcomes(0.5))
                check_cancelled()
        return printed, failed

    def _estate_files(self, estate_ids: Sequence[int], context: DossierContext) -> Iterator[EstateFile | BatchFailure]:
        """Each estate's records, a chunk per query; an estate whose records cannot be read, as a failure."""
        for start in range(0, len(estate_ids), CHUNK):
            chunk = estate_ids[start : start + CHUNK]
            try:
                with self.database.read() as conn:
                    files = load_estate_files(conn, chunk, context)
            except EnvironmentProblem:
                raise  # the database's fault, not an estate's: the whole batch says so
            except Exception:
                files = None
            if files is None:  # one of them is broken: read them one by one to find which
                for estate_id in chunk:
                    yield from self._estate_file(estate_id, context)
                continue
            found = {f.estate.id: f for f in files}
            for estate_id in chunk:
                yield found.get(estate_id) or self._gone(estate_id, "小区已不存在（可能在打印时被删除）")

    def _estate_file(self, estate_id: int, context: DossierContext) -> Iterator[EstateFile | BatchFailure]:
        try:
            with self.database.read() as conn:
                files = load_estate_files(conn, [estate_id], context)
        except EnvironmentProblem:
            raise
        except Exception as exc:
            yield self._gone(estate_id, exc, reading=True)
            return
        yield files[0] if files else self._gone(estate_id, "小区已不存在（可能在打印时被删除）")

    def _gone(self, estate_id: int, error: BaseException | str, *, reading: bool = False) -> BatchFailure:
        """A failure for an estate whose records could not be loaded: named from its row alone, if that can be read."""
        estates = TABLES["estates"]
        try:
            with self.database.read() as conn:
                row = conn.execute(select(estates.c.name, estates.c.code).where(estates.c.id == estate_id)).first()
        except Exception:
            row = None
        name, code = (row.name, row.code or "") if row is not None else (f"小区（编号 {estate_id}）", "")
        return failure_of_id(estate_id, name, code, error, reading=reading)
