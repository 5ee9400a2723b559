"""What the district summary holds: its figures (columns, targets) and the values of every 街镇.

Plain data, no spreadsheet library: the service builds it, `summary_book` writes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

KINDS = ("count", "rate", "area", "money")


@dataclass(frozen=True)
class SummaryColumn:
    """One figure of the summary."""

    header: str  # e.g. "业委会组建率"
    kind: str  # "count" | "rate" | "area" | "money"; a rate is a Decimal 0..1, an area in 万㎡
    target: Decimal | None = None  # a 街镇 below it is marked; 0.95 is "目标≥95%" for a rate
    note: str = ""  # how the figure is computed: the header's comment and a line of the 说明 sheet
    group: str = ""  # a header over several neighbouring columns ("业委会", "电梯")

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown kind of figure: {self.kind}")

    @property
    def target_text(self) -> str:
        """ "≥95%" for a rate, "≥120" for a count; "" without a target."""
        if self.target is None:
            return ""
        if self.kind == "rate":
            return f"≥{_plain(self.target * 100)}%"
        return f"≥{_plain(self.target)}"

    @property
    def display_header(self) -> str:
        """The header as the table shows it: with its target, "业委会组建率（目标≥95%）"."""
        return f"{self.header}（目标{self.target_text}）" if self.target is not None else self.header

    def below_target(self, value: int | Decimal | None) -> bool:
        return self.target is not None and value is not None and value < self.target


@dataclass(frozen=True)
class SummaryReport:
    """The figures of every 街镇 and of the district, as the service computed them."""

    title: str  # "普陀区小区综合管理情况汇总表"
    as_of: date
    columns: tuple[SummaryColumn, ...]
    rows: tuple[tuple[str, tuple[int | Decimal | None, ...]], ...]  # (街镇, its figures), one per 街镇
    total: tuple[int | Decimal | None, ...]  # the district's figures ("全区合计")
    notes: tuple[str, ...] = ()  # how rates are computed, where the targets come from
    chart_columns: tuple[int, ...] = ()  # indexes into `columns` of the figures charted per 街镇

    def __post_init__(self) -> None:
        width = len(self.columns)
        for name, values in self.rows:
            if len(values) != width:
                raise ValueError(f"{name} has {len(values)} figures for {width} columns")
        if len(self.total) != width:
            raise ValueError(f"the district row has {len(self.total)} figures for {width} columns")
        if any(not 0 <= i < width for i in self.chart_columns):
            raise ValueError("a charted column is not a column of the summary")


def _plain(number: Decimal) -> str:
    return format(number.normalize(), "f")
