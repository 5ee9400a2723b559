"""Kill an operation at random moments and check what it leaves (issue 11, crash safety).

Each run copies a prepared data folder, starts the operation in a process of its own, kills it
(`Popen.kill()`: SIGKILL, or TerminateProcess on Windows) after a seeded random delay, and then checks
the data folder as the next start of the program would find it: the database opens, SQLite and the
program's own check find it sound, and it holds exactly the state before the operation or exactly the
state after it. Every backup file the run left must be a complete, sound copy of the archive as it was;
only `.part` files may be half written.

Shared by tests/e2e/test_kill.py (save, undo, backup, restore) and tests/benchmarks/kill_import.py.
"""

from __future__ import annotations

import hashlib
import math
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass, field, replace
from pathlib import Path

DATABASE_FILE = "putuo-community.sqlite3"
# Columns whose values depend on the moment a write ran, so they differ between two complete runs of the
# same operation: the timestamps, and the history's hash chain (which covers `changed_at`). The program's
# own check verifies the chain; the fingerprint keeps only whether each of these is set.
MOMENT_COLUMNS = frozenset({"created_at", "updated_at", "changed_at", "started_at", "undone_at", "chain_hash"})
PARTIAL_SUFFIXES = (".part", ".part-journal", ".part-wal", ".part-shm")
SUBPROCESS_ENV = {"QT_QPA_PLATFORM": "offscreen", "PYTHONIOENCODING": "utf-8"}


# -- what a database holds ---------------------------------------------------------------------


@dataclass(frozen=True)
class Fingerprint:
    """Every table's row count and a hash of its sorted rows, plus a hash of the schema."""

    tables: tuple[tuple[str, int, str], ...]

    def rows(self, table: str) -> int:
        return next((count for name, count, _digest in self.tables if name == table), 0)

    def differences(self, other: Fingerprint) -> list[str]:
        """The tables whose rows differ, as "estates 205→208 rows"."""
        mine = {name: (count, digest) for name, count, digest in self.tables}
        theirs = {name: (count, digest) for name, count, digest in other.tables}
        found = []
        for name in sorted(mine.keys() | theirs.keys()):
            if mine.get(name) != theirs.get(name):
                count, other_count = mine.get(name, (0, ""))[0], theirs.get(name, (0, ""))[0]
                found.append(f"{name} {other_count}→{count} rows" if count != other_count else f"{name} (contents)")
        return found


@dataclass(frozen=True)
class State:
    """A database's content exactly, and with the moment columns reduced to set / not set."""

    exact: Fingerprint
    masked: Fingerprint


def _digest(lines: Iterator[str]) -> tuple[int, str]:
    ordered = sorted(lines)
    digest = hashlib.sha256()
    for line in ordered:
        digest.update(line.encode("utf-8", "surrogatepass"))
        digest.update(b"\n")
    return len(ordered), digest.hexdigest()


def read_state(path: Path) -> State:
    """The state of the SQLite database at `path` (a WAL left by a killed process is recovered first,
    as the program's next start would)."""
    exact: list[tuple[str, int, str]] = []
    masked: list[tuple[str, int, str]] = []
    with closing(sqlite3.connect(path)) as conn:
        schema = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
        count, digest = _digest(repr(tuple(row)) for row in schema)
        exact.append(("(schema)", count, digest))
        masked.append(("(schema)", count, digest))
        tables = sorted(name for kind, name, _table, _sql in schema if kind == "table")
        for table in tables:
            cursor = conn.execute(f'SELECT * FROM "{table}"')  # names from sqlite_master, not from input
            columns = [d[0] for d in cursor.description]
            moment = [i for i, name in enumerate(columns) if name in MOMENT_COLUMNS]
            rows = cursor.fetchall()
            exact.append((table, *_digest(repr(row) for row in rows)))
            if moment:
                reduced = (
                    repr(tuple(("<set>" if v is not None else None) if i in moment else v for i, v in enumerate(row)))
                    for row in rows
                )
                masked.append((table, *_digest(reduced)))
            else:
                masked.append(exact[-1])
    return State(Fingerprint(tuple(exact)), Fingerprint(tuple(masked)))


def sqlite_problems(path: Path) -> list[str]:
    """What SQLite's full integrity check and the foreign key check find; empty: sound."""
    try:
        with closing(sqlite3.connect(path)) as conn:
            found = [str(row[0]) for row in conn.execute("PRAGMA integrity_check")]
            problems = [] if found == ["ok"] else found
            problems += [f"foreign key: {row}" for row in conn.execute("PRAGMA foreign_key_check")]
    except sqlite3.DatabaseError as exc:
        return [f"cannot be read: {exc}"]
    return problems


def program_problems(path: Path) -> list[str]:
    """What the program's own check (`putuo-community check`: pages, indexes, references, history) finds."""
    from putuo_community.domain.errors import UserError
    from putuo_community.services import Services
    from putuo_community.storage.database import open_database, sqlite_url

    try:
        services = Services.build(open_database(sqlite_url(path)), user="检查")
    except UserError as error:
        return [f"does not open: {error.message}"]
    try:
        return services.integrity.check()
    finally:
        services.close()


# -- one operation ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Operation:
    """An operation to kill: how to start it on a data folder, and what the archive holds before and after.

    `backup_label`: the backup (`before-undo` …) it keeps of the archive before writing; once the operation
    has completed, that backup must exist. `decided_by_backup`: the archive never changes (a backup), so
    "after" means that the new backup file exists.
    """

    name: str
    command: Callable[[Path], list[str]]
    before: State
    after: State | None = None  # None: what the unkilled runs leave
    after_exact: bool = False  # compare every column (a restore puts back the backup's very pages)
    backup_label: str | None = None
    decided_by_backup: bool = False


@dataclass(frozen=True)
class Kill:
    """When to kill: `delay` seconds after the process started ("start"), after its first write to the data
    folder was seen ("write": a backup it takes first, or the database), or after its first write to the
    database itself ("database"). The last two aim at the few milliseconds in which it writes, wherever the
    machine's load puts them."""

    anchor: str
    delay: float

    def __str__(self) -> str:
        return f"{self.anchor[0]}{self.delay:.4f}"

    @classmethod
    def parse(cls, text: str) -> Kill:
        """Read "s0.512" or "0.512" (after the start), "w0.004" (after the first write) or "d0.004"
        (after the first write to the database)."""
        text = text.strip()
        anchors = {"s": "start", "w": "write", "d": "database"}
        if text[:1] in anchors:
            return cls(anchors[text[0]], float(text[1:]))
        return cls("start", float(text))


@dataclass
class Run:
    index: int
    kill: Kill
    folder: Path
    exit: str = ""  # "killed" or "exited N"
    at: float = 0.0  # seconds after the start at which it was killed or ended
    outcome: str = ""  # "before", "after" or "neither"
    problems: list[str] = field(default_factory=list)
    leftovers: list[str] = field(default_factory=list)  # .part files a killed backup left


def copy_folder(base: Path, folder: Path) -> Path:
    """A fresh copy of the prepared data folder (closed and checkpointed: a file copy is exact)."""
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(base, folder / "data")
    return folder / "data"


def start(command: list[str], folder: Path) -> subprocess.Popen[bytes]:
    out = (folder / "stdout.txt").open("wb")
    err = (folder / "stderr.txt").open("wb")
    try:
        return subprocess.Popen(command, stdout=out, stderr=err, env={**os.environ, **SUBPROCESS_ENV})
    finally:  # the child holds its own handles
        out.close()
        err.close()


def kill_after(process: subprocess.Popen[bytes], delay: float) -> str:
    """Kill the process `delay` seconds from now, unless it has ended by then."""
    try:
        process.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        return "killed"
    return f"exited {process.returncode}"


def kill_after_first_write(
    process: subprocess.Popen[bytes], data: Path, delay: float, seen: tuple[object, ...], *, database_only: bool
) -> str:
    """Kill the process `delay` seconds after it first changes the data folder, or only its database
    (see `_folder_signature`)."""
    part = slice(0, DATABASE_PART) if database_only else slice(None)
    while _folder_signature(data)[part] == seen[part]:
        if process.poll() is not None:
            return f"exited {process.returncode}"
        time.sleep(0.0005)
    return kill_after(process, delay)


def _backups(data: Path) -> set[str]:
    folder = data / "backups"
    return {p.name for p in folder.iterdir()} if folder.is_dir() else set()


def examine(operation: Operation, run: Run, data: Path, base_backups: set[str]) -> None:
    """Classify what the run left and note every problem in `run.problems`."""
    database = data / DATABASE_FILE
    if not database.is_file():
        run.problems.append("the database file is gone")
        return
    run.problems += sqlite_problems(database)
    if run.problems:
        return
    state = read_state(database)
    after = operation.after
    assert after is not None
    is_before = state.exact == operation.before.exact
    is_after = (state.exact == after.exact) if operation.after_exact else (state.masked == after.masked)
    new_files = sorted(_backups(data) - base_backups)
    run.leftovers = [name for name in new_files if name.endswith(PARTIAL_SUFFIXES)]
    complete = [name for name in new_files if name not in run.leftovers]
    for name in complete:
        run.problems += _backup_problems(data / "backups" / name, operation.before)
    label = operation.backup_label
    taken = label is not None and any(name.endswith(f"-{label}.sqlite3") for name in complete)
    if operation.decided_by_backup:
        if not is_before:
            run.problems.append("the archive changed: " + ", ".join(state.exact.differences(operation.before.exact)))
        run.outcome = "after" if taken else "before"
    elif is_before:
        run.outcome = "before"
    elif is_after:
        run.outcome = "after"
        if operation.backup_label is not None and not taken:
            run.problems.append(f"completed, but no {operation.backup_label} backup was kept")
    else:
        run.outcome = "neither"
        run.problems.append(
            "neither before nor after: differs from before in "
            + ", ".join(state.exact.differences(operation.before.exact))
            + "; from after in "
            + ", ".join(state.masked.differences(after.masked))
        )
    if run.exit == "exited 0" and run.outcome != "after":
        run.problems.append("the command finished, yet the archive is not in the after state")
    elif run.exit not in ("killed", "exited 0"):
        run.problems.append(f"the command failed on its own ({run.exit}): {_tail(run.folder / 'stderr.txt')}")
    if not run.problems:
        run.problems += program_problems(database)


def _backup_problems(path: Path, expected: State) -> list[str]:
    """A file in backups/ under a backup's name must be a complete copy of the archive before the operation."""
    problems = sqlite_problems(path)
    if problems:
        return [f"backup {path.name} is not sound: {problems[0]}"]
    state = read_state(path)
    if state.exact != expected.exact:
        return [f"backup {path.name} is not the archive before: " + ", ".join(state.exact.differences(expected.exact))]
    return []


def _tail(path: Path) -> str:
    """The last lines a process wrote (a traceback's last line says what went wrong)."""
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    except OSError:
        return ""
    return " | ".join(lines[-3:])


# -- measuring and scheduling -----------------------------------------------------------------


@dataclass(frozen=True)
class Timing:
    """An unkilled run: how long it took from start to exit (interpreter start-up included), and when
    the data folder was written: first and last change seen, and the first change to the database itself
    (after the backups an operation takes first)."""

    seconds: float
    first_write: float
    last_write: float
    database_write: float


DATABASE_PART = 2  # a folder signature begins with the database's and its WAL's


def _folder_signature(data: Path) -> tuple[object, ...]:
    """What a write changes: the database, its WAL and the backups. Opening the database makes an empty
    WAL and closing it removes it: only the WAL's size counts, missing or empty alike."""
    found: list[object] = []
    try:
        stat = (data / DATABASE_FILE).stat()
        found.append((stat.st_size, stat.st_mtime_ns))
    except OSError:
        found.append(None)
    try:
        found.append((data / (DATABASE_FILE + "-wal")).stat().st_size)
    except OSError:
        found.append(0)
    folder = data / "backups"
    names = sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []
    for name in names:
        try:
            found.append((name, (folder / name).stat().st_size))
        except OSError:  # renamed or removed this very moment
            found.append((name, None))
    return tuple(found)


def measure(operation: Operation, base: Path, work: Path, *, parallel: int) -> tuple[Timing, State]:
    """Run the operation to the end `parallel` times at once on fresh copies (the load the killed runs
    meet), watching when each writes; returns the mean timing and the state they leave (all the same)."""
    folders = [work / f"{operation.name}-measured-{i}" for i in range(parallel)]
    datas = [copy_folder(base, folder) for folder in folders]
    seen = [_folder_signature(data) for data in datas]
    changes: list[list[float]] = [[] for _ in folders]
    database_changes: list[list[float]] = [[] for _ in folders]
    ended: list[float | None] = [None for _ in folders]
    started = time.perf_counter()
    processes = [start(operation.command(folder), folder) for folder in folders]
    while any(end is None for end in ended):
        for i, (process, data) in enumerate(zip(processes, datas, strict=True)):
            if ended[i] is not None:
                continue
            running = process.poll() is None
            signature = _folder_signature(data)
            elapsed = time.perf_counter() - started
            if signature != seen[i]:
                changes[i].append(elapsed)
                if signature[:DATABASE_PART] != seen[i][:DATABASE_PART]:
                    database_changes[i].append(elapsed)
                seen[i] = signature
            if not running:
                ended[i] = elapsed
        time.sleep(0.001)
    states = []
    for process, folder, data in zip(processes, folders, datas, strict=True):
        assert process.returncode == 0, f"{operation.name} failed unkilled: {_tail(folder / 'stderr.txt')}"
        problems = sqlite_problems(data / DATABASE_FILE) + program_problems(data / DATABASE_FILE)
        assert not problems, f"{operation.name} left problems unkilled: {problems}"
        states.append(read_state(data / DATABASE_FILE))
        shutil.rmtree(folder)
    assert all(state.masked == states[0].masked for state in states), (
        f"two unkilled runs of {operation.name} differ in more than their moment columns: "
        + ", ".join(states[1].masked.differences(states[0].masked))
    )
    seconds = [end for end in ended if end is not None]
    firsts = [c[0] if c else end for c, end in zip(changes, seconds, strict=True)]
    lasts = [c[-1] if c else end for c, end in zip(changes, seconds, strict=True)]
    database = [c[0] if c else end for c, end in zip(database_changes, seconds, strict=True)]
    mean = statistics.mean
    return Timing(mean(seconds), mean(firsts), mean(lasts), mean(database)), states[0]


def kill_plan(rng: random.Random, runs: int, timing: Timing) -> list[Kill]:
    """Half the kills timed from the start, spread evenly over the whole run and past its end (start-up,
    work, exit). A quarter timed from the first write and a quarter from the first write to the database,
    log-uniformly from 0.1 ms to a little past the last write: as many kills in the first few milliseconds
    (a commit, a rename) as in all the rest."""

    def soon_after(begin: float) -> float:
        longest = 1.25 * max(timing.last_write - begin, 0.0) + 0.05
        return round(math.exp(rng.uniform(math.log(0.0001), math.log(longest))), 4)

    writes_database = timing.database_write < timing.seconds  # a backup only reads it
    plan = []
    for i in range(runs):
        if i % 2 == 0:
            plan.append(Kill("start", round(rng.uniform(0.0, timing.seconds * 1.2), 4)))
        elif i % 4 == 1 or not writes_database:
            plan.append(Kill("write", soon_after(timing.first_write)))
        else:
            plan.append(Kill("database", soon_after(timing.database_write)))
    return plan


PHASES = (
    "before the first write",
    "backing up, database not yet",
    "writing the database",
    "after the last write",
    "after the end",
)


def phase(run: Run, timing: Timing) -> str:
    """Where a kill landed, judged by the unkilled runs' writes (a kill timed from the first write by its
    offset from it, which the machine's load stretches less)."""
    if run.exit != "killed":
        return PHASES[4]
    anchors = {"start": 0.0, "write": timing.first_write, "database": timing.database_write}
    at = run.at if run.kill.anchor == "start" else anchors[run.kill.anchor] + run.kill.delay
    if at < timing.first_write:
        return PHASES[0]
    if at < timing.database_write:
        return PHASES[1]
    return PHASES[2] if at <= timing.last_write else PHASES[3]


@dataclass
class Report:
    operation: str
    seed: int
    timing: Timing
    after: State  # the archive an unkilled run leaves
    runs: list[Run]
    seconds: float = 0.0

    @property
    def outcomes(self) -> Counter[str]:
        return Counter(run.outcome or "unread" for run in self.runs)

    @property
    def failed(self) -> list[Run]:
        return [run for run in self.runs if run.problems or run.outcome not in ("before", "after")]

    def table(self) -> list[str]:
        """Outcomes by where the kill landed."""
        counts = Counter(
            (phase(run, self.timing), run.outcome if run not in self.failed else "FAILED") for run in self.runs
        )
        columns = ("before", "after", "FAILED")
        lines = [f"  {'kill landed':<30}" + "".join(f"{c:>8}" for c in columns)]
        for name in PHASES:
            lines.append(f"  {name:<30}" + "".join(f"{counts[(name, c)]:>8}" for c in columns))
        lines.append(f"  {'all':<30}" + "".join(f"{sum(counts[(p, c)] for p in PHASES):>8}" for c in columns))
        return lines

    def describe(self) -> str:
        t = self.timing
        phases = Counter(phase(run, t) for run in self.runs)
        exits = Counter(run.exit for run in self.runs)
        leftovers = sum(1 for run in self.runs if run.leftovers)
        lines = [
            f"[{self.operation}] seed {self.seed}; {len(self.runs)} runs in {self.seconds:.1f} s; unkilled run "
            f"{t.seconds:.3f} s, writing {t.first_write:.3f}-{t.last_write:.3f} s (the database from "
            f"{t.database_write:.3f} s)",
            f"  kills: {dict(sorted(phases.items()))}; processes: {dict(sorted(exits.items()))}",
            f"  outcomes: {dict(sorted(self.outcomes.items()))}; runs that left .part files: {leftovers}",
            *self.table(),
            "  kills (s = after the start, w = after the first write, d = after the first database write;"
            " → seconds from the start, outcome):",
        ]
        for chunk in range(0, len(self.runs), 8):
            lines.append(
                "    "
                + "  ".join(
                    f"{run.index:>2} {run.kill!s:>7}→{run.at:.3f} {run.outcome or '?'}"
                    for run in self.runs[chunk : chunk + 8]
                )
            )
        for run in self.failed:
            lines.append(
                f"  FAILED {self.operation} run {run.index} (seed {self.seed}, kill {run.kill} = {run.at:.4f} s "
                f"after start, {run.exit}): {'; '.join(run.problems) or run.outcome} — kept in {run.folder}"
            )
        return "\n".join(lines)


def kill_runs(
    operation: Operation,
    base: Path,
    work: Path,
    *,
    runs: int,
    seed: int,
    parallel: int = 2,
    keep: Callable[[Run], bool] = lambda run: False,
    kills: Sequence[Kill] | None = None,
) -> Report:
    """Measure unkilled runs, then `runs` killed runs (`parallel` at a time), each checked as it ends.

    A run's folder is removed once checked, unless it failed or `keep(run)` wants it.
    """
    began = time.perf_counter()
    timing, after = measure(operation, base, work, parallel=parallel)
    if operation.after is None:
        operation = replace(operation, after=after)
    elif operation.after_exact:
        assert after.exact == operation.after.exact, f"an unkilled {operation.name} does not reach the after state"
    else:
        assert after.masked == operation.after.masked, f"an unkilled {operation.name} does not reach the after state"
    plan = list(kills) if kills is not None else kill_plan(random.Random(seed), runs, timing)
    base_backups = _backups(base)
    report = Report(operation.name, seed, timing, after, [])

    def one(index: int, kill: Kill) -> Run:
        run = Run(index, kill, work / f"{operation.name}-{index:03d}")
        data = copy_folder(base, run.folder)
        seen = _folder_signature(data)
        started = time.perf_counter()
        process = start(operation.command(run.folder), run.folder)
        if kill.anchor == "start":
            run.exit = kill_after(process, kill.delay)
        else:
            run.exit = kill_after_first_write(process, data, kill.delay, seen, database_only=kill.anchor == "database")
        run.at = time.perf_counter() - started
        return run

    # The checks below hold the GIL for long stretches: hand it over often, so that a killing thread
    # wakes within a fraction of a millisecond of its moment.
    switch_interval = sys.getswitchinterval()
    sys.setswitchinterval(0.0002)
    try:
        with ThreadPoolExecutor(max_workers=parallel) as pool:
            futures: list[Future[Run]] = [pool.submit(one, i, kill) for i, kill in enumerate(plan)]
            for future in futures:  # checked here, while the pool kills the next runs
                run = future.result()
                examine(operation, run, run.folder / "data", base_backups)
                report.runs.append(run)
                if not run.problems and run.outcome in ("before", "after") and not keep(run):
                    shutil.rmtree(run.folder, ignore_errors=True)
    finally:
        sys.setswitchinterval(switch_interval)
    report.seconds = time.perf_counter() - began
    return report


def python_command(*args: str) -> list[str]:
    """The program as a clerk runs it, by the interpreter running the tests."""
    return [sys.executable, "-m", "putuo_community", *args]
