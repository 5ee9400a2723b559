"""The pieces every part of the demo generator shares: the random source, the context and the estate shapes."""

from __future__ import annotations

import random
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from itertools import accumulate
from typing import TYPE_CHECKING, TypeVar

from putuo_community.storage.bulk import BulkWriter, Row

if TYPE_CHECKING:
    from _typeshed import SupportsLenAndGetItem

T = TypeVar("T")


class DemoRandom(random.Random):
    """`random.Random` with a `randint` and `choice` built on `random()`: several times faster.

    The standard ones draw bits until a value falls in range, which dominates the generator's time;
    the bias of scaling a float is far below anything a demo could show.
    """

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))

    def choice(self, seq: SupportsLenAndGetItem[T]) -> T:
        return seq[int(self.random() * len(seq))]

    def pick(self, values: tuple[T, ...], weights: tuple[int, ...]) -> T:
        """One of `values` by integer weight (what `choices(values, weights)[0]` does, without its set-up)."""
        cumulative = _CUMULATIVE.get(weights)
        if cumulative is None:
            cumulative = _CUMULATIVE[weights] = tuple(accumulate(weights))
        return values[bisect_right(cumulative, self.random() * cumulative[-1])]


_CUMULATIVE: dict[tuple[int, ...], tuple[int, ...]] = {}


@dataclass(slots=True)
class Unit:
    id: int
    number: str
    floors: int
    households: int
    area_cents: int  # 专有面积 in 0.01 ㎡
    row: Row


@dataclass(slots=True)
class Building:
    id: int
    number: str
    floors: int
    completion_year: int
    households: int
    floor_area_cents: int
    row: Row
    units: list[Unit] = field(default_factory=list)


@dataclass(slots=True)
class Term:
    """One 业委会 term while it is being generated."""

    number: int
    kind: str
    elected: date
    start: date
    end: date
    seats: int = 0
    id: int = 0
    filed: date | None = None


@dataclass(slots=True)
class Estate:
    """One estate while its dossier is being generated."""

    index: int
    id: int
    street: str  # short name, 曹杨
    name: str
    housing_type: str
    completion_year: int
    households: int
    floor_area_cents: int
    fee_cents: int  # 分/㎡·月
    company_id: int | None
    manager_id: int | None
    row: Row
    buildings: list[Building] = field(default_factory=list)
    has_committee: bool = False


@dataclass
class Context:
    rng: DemoRandom
    today: date
    writer: BulkWriter
    contractors: tuple[str, ...] = ()
    supervisors: tuple[str, ...] = ()
    maintainers: tuple[str, ...] = ()
    company_ids: tuple[int, ...] = ()
    # Lift registration serials already used, per year of first use.
    lift_serials: dict[int, int] = field(default_factory=dict)
    # Indexes into each stage list, so every stage occurs in small demos too.
    cycles: dict[str, int] = field(default_factory=dict)

    def days_ago(self, low: int, high: int) -> date:
        return self.today - timedelta(days=self.rng.randint(low, high))

    def between(self, start: date, end: date) -> date:
        """A day from start to end inclusive (start when the range is empty)."""
        span = (end - start).days
        return start if span <= 0 else start + timedelta(days=self.rng.randint(0, span))

    def cycled(self, key: str, options: tuple[str, ...], weights: tuple[int, ...]) -> str:
        """Each option once in turn at first, then by weight."""
        done = self.cycles.get(key, 0)
        self.cycles[key] = done + 1
        if done < len(options):
            return options[done]
        return self.rng.pick(options, weights)


def money(cents: int) -> Decimal:
    """An exact two-decimal amount from a whole number of cents (or 0.01 ㎡)."""
    return Decimal(cents).scaleb(-2)


def first_day(year: int) -> date:
    return date(year, 1, 1)


def in_year(ctx: Context, year: int) -> date:
    """A day of `year`, never after today."""
    start = date(year, 1, 1)
    end = min(date(year, 12, 31), ctx.today)
    return ctx.between(start, end) if start <= ctx.today else ctx.today
