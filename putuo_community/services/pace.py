"""How fast long work goes: rows done of the total, rows per second and the time left, as one sentence.

The import wizard and the command line both show it; the arithmetic lives here, once.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

SETTLE_SECONDS = 0.3  # before this much time has passed, a rate is noise: say nothing of speed or time left


@dataclass(frozen=True)
class Pace:
    """Where the work stands: `per_second` and `seconds_left` are None until they can be told."""

    done: int
    total: int
    per_second: float | None = None
    seconds_left: float | None = None

    @property
    def percent(self) -> int:
        return min(self.done * 100 // self.total, 100) if self.total > 0 else 0

    def describe(self, doing: str, unit: str = "行") -> str:
        """E.g. "已核对 12,500 / 50,000 行（25%），每秒 17,000 行，还需约 3 秒"."""
        text = f"{doing} {self.done:,} / {self.total:,} {unit}（{self.percent}%）"
        if self.per_second is not None:
            text += f"，每秒 {rate_text(self.per_second)} {unit}"
        if self.seconds_left is not None and self.done < self.total:
            text += f"，还需{duration_text(self.seconds_left)}"
        return text


class PaceMeter:
    """Turns `(done, total)` reports into a `Pace`: the average rate since the first report."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._start: tuple[float, int] | None = None  # (time, done) of the first report

    def update(self, done: int, total: int) -> Pace:
        now = self._clock()
        if self._start is None:
            self._start = (now, done)
        started, done_at_start = self._start
        elapsed, counted = now - started, done - done_at_start
        if elapsed < SETTLE_SECONDS or counted <= 0:
            return Pace(done, total)
        per_second = counted / elapsed
        return Pace(done, total, per_second, max(total - done, 0) / per_second)


def rate_text(per_second: float) -> str:
    """17,034.6 → "17,035"; 8.46 → "8.5": whole numbers once they are large enough to read as such."""
    return f"{round(per_second):,}" if per_second >= 10 else f"{per_second:.1f}"


def duration_text(seconds: float) -> str:
    """The time left as a person says it: "不到 1 秒", "约 12 秒", "约 2 分 05 秒", "约 1 小时 20 分"."""
    if seconds < 1:
        return "不到 1 秒"
    whole = math.ceil(seconds)
    if whole < 60:
        return f"约 {whole} 秒"
    minutes, rest = divmod(whole, 60)
    if minutes < 10:
        return f"约 {minutes} 分 {rest:02d} 秒"
    if minutes < 60:
        return f"约 {minutes} 分钟"
    hours, minutes = divmod(minutes, 60)
    return f"约 {hours} 小时 {minutes} 分"
