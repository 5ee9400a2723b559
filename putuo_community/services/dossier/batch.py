"""The parts of a batch of dossiers: drawing them in worker processes, and the index that lists them.

One estate that cannot be printed never stops the others: whatever goes wrong with it (its
records, its layout, a worker process that dies on it) becomes a `BatchFailure` with a reason
in words, listed in the index and in the batch's result.
"""

from __future__ import annotations

import errno
import logging
from collections.abc import Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import TracebackType

from putuo_community.domain.completeness import completeness_ratio, dossier_gaps
from putuo_community.domain.errors import UserError
from putuo_community.domain.file_names import UniqueFileNames
from putuo_community.io.document import Document, Section, Table, Text
from putuo_community.services.dossier.common import BatchFailure, FontChoice
from putuo_community.services.dossier.content import facts_of
from putuo_community.services.dossier.data import EstateFile
from putuo_community.services.dossier.staging import worker_pool
from putuo_community.services.records import Record

log = logging.getLogger(__name__)

WORKER_DIED = "打印进程意外退出（可能是内存不足）"


def render_pdf(document: Document, target: Path, font: FontChoice) -> int:
    """Draw one PDF (in a worker process, for a batch); returns its page count."""
    from putuo_community.io.pdf import render_document  # reportlab loads with the first dossier printed

    return render_document(document, target, font_path=font.path, font_subfont=font.subfont)


@dataclass
class IndexEntry:
    """One printed estate's line in the index."""

    estate_id: int
    name: str
    code: str
    neighbourhood: str
    completeness: str
    file_name: str
    pages: int = 0


def index_entry(data: EstateFile, today: date, names: UniqueFileNames) -> IndexEntry:
    """The estate's line, with a file name of its own in the batch's folder."""
    estate = data.estate
    ratio = completeness_ratio(dossier_gaps(facts_of(data, today), today))
    return IndexEntry(
        estate.id,
        estate.title,
        estate.display("code"),
        estate.display("neighbourhood_id"),
        f"{float(ratio) * 100:.0f}%",
        names.claim(estate.title, ".pdf", hint=estate.display("code"), fallback="小区"),
    )


def failure(estate: Record, error: BaseException | str) -> BatchFailure:
    return BatchFailure(estate.id, estate.title, estate.display("code"), _reason(estate.id, error))


def failure_of_id(
    estate_id: int, name: str, code: str, error: BaseException | str, *, reading: bool = False
) -> BatchFailure:
    """`reading`: the error came while reading the estate's records, so its data may be damaged."""
    return BatchFailure(estate_id, name, code, _reason(estate_id, error, reading=reading))


def _reason(estate_id: int, error: BaseException | str, *, reading: bool = False) -> str:
    """Why an estate was not printed, in words for the clerk; a bug goes to the log with its traceback."""
    if isinstance(error, str):
        return error
    if isinstance(error, UserError):
        return error.message
    if isinstance(error, MemoryError):
        return "内存不足"
    if isinstance(error, OSError):
        if error.errno == errno.ENOSPC:
            return "磁盘空间不足"
        return f"无法写入文件：{error.strerror or error}"
    log.error("the dossier of estate %d could not be printed", estate_id, exc_info=error)
    if reading:
        return f"无法读取该小区的记录，数据可能已损坏（{type(error).__name__}），详情已写入日志"
    return f"程序错误（{type(error).__name__}），详情已写入日志"


def move_reason(file_name: str, error: OSError) -> str:
    if isinstance(error, PermissionError):
        return f"“{file_name}”正被其他程序（如 PDF 阅读器）打开，或没有写入权限"
    return _reason(0, error)


def index_document(
    title: str, today: date, printed: Sequence[IndexEntry], failures: Sequence[BatchFailure]
) -> Document:
    """The batch's index: every printed estate with its file, then those not printed and why."""
    rows = tuple(
        (str(i), e.name, e.code, e.neighbourhood, str(e.pages), e.completeness, e.file_name)
        for i, e in enumerate(printed, start=1)
    )
    table = Table(
        ("序号", "小区名称", "小区编码", "居委会", "页数", "档案完整度", "文件名"),
        rows,
        numeric=(0, 4, 5),
        empty="没有打印出任何小区的档案",
    )
    total = len(printed) + len(failures)
    if not failures:
        return _index(title, today, (Section(f"共 {total} 个小区", (table,)),))
    said = Text(f"共 {total} 个小区：已打印 {len(printed)} 个，{len(failures)} 个未能打印（原因见下一节）。", "alert")
    failed = Table(
        ("序号", "小区名称", "小区编码", "未能打印的原因"),
        tuple((str(i), f.name, f.code, f.reason) for i, f in enumerate(failures, start=1)),
        weights=(0.6, 3.0, 1.6, 4.0),
        numeric=(0,),
    )
    return _index(
        title,
        today,
        (Section(f"共 {total} 个小区", (said, table)), Section(f"未能打印的小区（{len(failures)} 个）", (failed,))),
    )


def _index(title: str, today: date, sections: tuple[Section, ...]) -> Document:
    return Document(
        title=title,
        running_header=title,
        printed_on=today,
        sections=sections,
        with_cover=False,
        with_contents=False,
    )


@dataclass
class Job:
    entry: IndexEntry
    document: Document


class WorkerRenders:
    """Dossiers drawn by a pool of worker processes, each job's outcome a page count or an error.

    A worker that dies (a crash, the system ending it) breaks the whole pool and every job in
    it. Those jobs are then drawn again one at a time in a pool of their own, so only the
    estate that kills its worker fails; the pool is started afresh for the rest.
    """

    def __init__(self, staging: Path, font: FontChoice, workers: int) -> None:
        self.staging = staging
        self.font = font
        self.workers = max(1, workers)
        self.pool = worker_pool(self.workers)
        self.pending: dict[Future[int], Job] = {}
        self.orphans: list[Job] = []  # jobs of a pool that broke

    def __enter__(self) -> WorkerRenders:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)

    @property
    def busy(self) -> bool:
        """Enough work queued to keep every worker going; collect some before submitting more."""
        return len(self.pending) + len(self.orphans) >= 4 * self.workers

    @property
    def waiting(self) -> bool:
        return bool(self.pending or self.orphans)

    def submit(self, job: Job) -> None:
        try:
            self.pending[self._start(self.pool, job)] = job
        except BrokenProcessPool:
            self.orphans.append(job)

    def _start(self, pool: ProcessPoolExecutor, job: Job) -> Future[int]:
        return pool.submit(render_pdf, job.document, self.staging / job.entry.file_name, self.font)

    def outcomes(self, timeout: float) -> list[tuple[Job, int | BaseException]]:
        """Jobs finished within `timeout` seconds (none if none did)."""
        finished, _ = wait(self.pending, timeout=timeout, return_when=FIRST_COMPLETED)
        done: list[tuple[Job, int | BaseException]] = []
        for future in finished:
            job = self.pending.pop(future)
            error = future.exception()
            if isinstance(error, BrokenProcessPool):
                self.orphans.append(job)
            else:
                done.append((job, error if error is not None else future.result()))
        if self.orphans and not self.pending:
            done += self._one_at_a_time()
        return done

    def _one_at_a_time(self) -> list[tuple[Job, int | BaseException]]:
        log.warning("a dossier worker process died; drawing its %d dossier(s) one at a time", len(self.orphans))
        self.pool.shutdown(wait=True, cancel_futures=True)
        done: list[tuple[Job, int | BaseException]] = []
        alone = worker_pool(1)
        try:
            for job in self.orphans:
                try:
                    done.append((job, self._start(alone, job).result()))
                except BrokenProcessPool:
                    done.append((job, UserError(WORKER_DIED)))
                    alone.shutdown(wait=True)
                    alone = worker_pool(1)
                except Exception as exc:
                    done.append((job, exc))
        finally:
            alone.shutdown(wait=True)
        self.orphans = []
        self.pool = worker_pool(self.workers)
        return done
