"""The 概览 page: the summary's indicators against the plan's targets, for the district or one 街镇.

Numbers in cards and QtCharts charts per 街镇; clicking a card, a bar or a slice opens the list
behind it, already filtered (`drill_requested`). The figures come from the summary's own tally,
so they equal the summary workbook's.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QLineSeries,
    QPieSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QKeyEvent, QMouseEvent, QPainter, QPen
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from putuo_community.domain.changes import Changes
from putuo_community.domain.credit import WarningLevel
from putuo_community.gui.pages.base import Page, PageContext, fill_street_combo, street_combo
from putuo_community.gui.widgets import enlarged_font
from putuo_community.services import Record
from putuo_community.services.credit import POLICY_KEYS
from putuo_community.services.dashboard import LEVEL_FIGURES, Dashboard, Drill, Figure, ScopeFigures

# The registers the figures are counted from: a write to any other cannot change one.
INPUTS = (
    "streets",
    "estates",
    "committee_terms",
    "committee_activities",
    "companies",
    "credit_events",
    "lifts",
    "lift_projects",
    "projects",
    "funds",
)
FOLLOW_DELAY_MS = 400  # writes in quick succession (an import's batches) recount once
BELOW_TARGET = QColor("#b71c1c")
MET_TARGET = QColor("#1b6e20")
SERIES_COLOURS = (QColor("#2f6fb0"), QColor("#7fb3e0"))
SELECTED_COLOUR = QColor("#f0a020")
LEVEL_COLOURS = {
    WarningLevel.RED: QColor("#d13438"),
    WarningLevel.ORANGE: QColor("#f7630c"),
    WarningLevel.YELLOW: QColor("#d8a800"),
    WarningLevel.GREEN: QColor("#3a9b3a"),
}
CHART_HEIGHT = 290


def short_street(name: str) -> str:
    """曹杨新村街道 → 曹杨, 长征镇 → 长征, as the 街镇 are called in speech: ten names fit under the bars."""
    return name.removesuffix("街道").removesuffix("镇").removesuffix("新村") or name


def figure_text(figure: Figure) -> str:
    value = figure.value
    if value is None:
        return "—"
    if figure.kind == "rate":
        return f"{Decimal(value) * 100:.1f}%"
    if figure.kind == "area":
        return f"{value:,.2f}"
    return f"{value:,}"


def _percent(part: int, whole: int) -> float | None:
    return part / whole * 100 if whole else None


class FigureCard(QFrame):
    """A figure: its name, its value (red below target), a line of detail; clicked, the list behind it."""

    clicked = Signal()

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("figureCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(
            "#figureCard { background: white; border: 1px solid #d0d7de; border-radius: 4px; }"
            '#figureCard[clickable="true"]:hover { border-color: #2f6fb0; background: #f3f8fd; }'
            "#figureCard:focus { border: 2px solid #2f6fb0; }"
        )
        self.title = QLabel(title, self)
        self.title.setStyleSheet("color: #555555;")
        self.value = QLabel(self)
        self.value.setFont(enlarged_font(self.value.font(), 1.8))
        self.detail = QLabel(self)
        self.detail.setWordWrap(True)
        self.detail.setStyleSheet("color: #555555;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 8)
        layout.setSpacing(2)
        layout.addWidget(self.title)
        layout.addWidget(self.value)
        layout.addWidget(self.detail)
        layout.addStretch(1)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.clickable = False

    def show_figure(self, value: str, detail: str, *, warn: bool | None, tip: str) -> None:
        """`warn`: True below target (red), False at or above (green), None without a target."""
        self.value.setText(value)
        colour = "" if warn is None else (BELOW_TARGET if warn else MET_TARGET).name()
        self.value.setStyleSheet(f"color: {colour};" if colour else "")
        self.detail.setText(detail)
        self.clickable = bool(tip)
        self.setProperty("clickable", self.clickable)
        self.style().unpolish(self)
        self.style().polish(self)
        self.setCursor(Qt.CursorShape.PointingHandCursor if self.clickable else Qt.CursorShape.ArrowCursor)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus if self.clickable else Qt.FocusPolicy.NoFocus)
        self.setToolTip(tip)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if (
            self.clickable
            and event.button() == Qt.MouseButton.LeftButton
            and self.rect().contains(event.position().toPoint())
        ):
            self.clicked.emit()
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.clickable and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.clicked.emit()
            return
        super().keyPressEvent(event)


def _chart_view(title: str, parent: QWidget) -> QChartView:
    chart = QChart()
    chart.setTitle(title)
    title_font = QFont(chart.titleFont())
    title_font.setBold(True)
    chart.setTitleFont(title_font)
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    view = QChartView(chart, parent)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumHeight(CHART_HEIGHT)
    return view


class DashboardPage(Page):
    """概览: the district's (or one 街镇's) indicators, each opening its list when clicked."""

    # The list behind a figure is wanted: a `Drill` (register, ids, label, 街镇).
    drill_requested = Signal(object)

    def __init__(self, context: PageContext, title: str, parent: QWidget | None = None) -> None:
        super().__init__(
            context, title, self.tr("对照“十四五”规划目标的主要指标；点击数字、柱形或扇区查看对应清单"), parent
        )
        self.dashboard: Dashboard | None = None
        self.street_filter = street_combo(self)
        self.street_filter.currentIndexChanged.connect(self._show_scope)
        self.as_of_label = QLabel(self)
        self.as_of_label.setStyleSheet("color: #666666;")
        self.header.addWidget(self.as_of_label)
        self.header.addSpacing(8)
        self.header.addWidget(self.street_filter)
        self._follow_timer = QTimer(self)
        self._follow_timer.setSingleShot(True)
        self._follow_timer.setInterval(FOLLOW_DELAY_MS)
        self._follow_timer.timeout.connect(self.refresh)

        self.stack = QStackedWidget(self)
        self.empty_panel = self._build_empty_panel()
        self.stack.addWidget(self.empty_panel)
        self.content = QWidget()
        self.stack.addWidget(self._scrolled(self.content))
        self.layout_.addWidget(self.stack, 1)

        self.cards: dict[str, FigureCard] = {}
        self.card_drills: dict[str, Drill | None] = {}
        grid = QGridLayout()
        grid.setSpacing(8)
        for number, (key, title) in enumerate(
            (
                ("formation_rate", self.tr("业委会组建率")),
                ("operation_rate", self.tr("规范运作达标率")),
                ("renewal_overdue", self.tr("换届逾期")),
                ("fund_low", self.tr("维修资金低于30%")),
                ("companies", self.tr("在管物业企业预警")),
                ("not_assessed", self.tr("满15年电梯安全评估")),
                ("unmonitored", self.tr("电梯远程监测")),
                ("repair_area", self.tr("综合修缮（万㎡）")),
                ("complete_area", self.tr("成套改造（万㎡）")),
                ("unformed", self.tr("应组建未组建业委会")),
            )
        ):
            card = FigureCard(title, self.content)
            card.clicked.connect(lambda key=key: self._card_clicked(key))
            self.cards[key] = card
            grid.addWidget(card, *divmod(number, 5))
        # The companies card: one link per warning level.
        self.cards["companies"].detail.setTextFormat(Qt.TextFormat.RichText)
        self.cards["companies"].detail.linkActivated.connect(self._level_clicked)

        self.rates_view = _chart_view(self.tr("各街镇业委会组建率、规范运作达标率（%）"), self.content)
        self.levels_view = _chart_view(self.tr("在管物业企业信用预警等级（家）"), self.content)
        self.lifts_view = _chart_view(self.tr("各街镇满15年电梯评估率、远程监测覆盖率（%）"), self.content)
        self.renovation_view = _chart_view(self.tr("各街镇修缮改造完成面积（万㎡，2021–2025年批次）"), self.content)
        # The pie needs less width than ten 街镇; the two bottom charts each show ten 街镇.
        charts = QVBoxLayout()
        charts.setSpacing(8)
        for views, stretches in (
            ((self.rates_view, self.levels_view), (3, 2)),
            ((self.lifts_view, self.renovation_view), (1, 1)),
        ):
            row = QHBoxLayout()
            row.setSpacing(8)
            for view, stretch in zip(views, stretches, strict=True):
                row.addWidget(view, stretch)
            charts.addLayout(row)
        content_layout = QVBoxLayout(self.content)
        content_layout.setContentsMargins(0, 0, 4, 0)
        content_layout.addLayout(grid)
        content_layout.addSpacing(6)
        content_layout.addLayout(charts)
        content_layout.addStretch(1)
        self.bar_sets: dict[str, list[QBarSet]] = {}
        self.level_slices: dict[WarningLevel, object] = {}

    def _scrolled(self, widget: QWidget) -> QScrollArea:
        scroll = QScrollArea(self)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(widget)
        return scroll

    def _build_empty_panel(self) -> QWidget:
        panel = QWidget(self)
        layout = QVBoxLayout(panel)
        layout.addStretch(1)
        heading = QLabel(self.tr("还没有可统计的小区"), panel)
        heading.setFont(enlarged_font(heading.font(), 1.5))
        heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text = QLabel(
            self.tr(
                "导入台账或新建小区后，这里按全区和各街镇显示业委会组建率、规范运作达标率、换届逾期、"
                "电梯评估和远程监测、物业企业信用预警、维修资金和修缮改造完成面积，"
                "并与“十四五”规划目标（组建率≥95%、规范运作≥85%、综合修缮 350 万㎡、成套改造 36 万㎡）对照。"
            ),
            panel,
        )
        text.setWordWrap(True)
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text.setStyleSheet("color: #555555;")
        text.setMaximumWidth(640)
        layout.addWidget(heading)
        layout.addSpacing(8)
        layout.addWidget(text, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        return panel

    # -- Page ------------------------------------------------------------------------------

    def set_streets(self, streets: list[Record]) -> None:
        fill_street_combo(self.street_filter, streets)

    @property
    def street_id(self) -> int | None:
        value = self.street_filter.currentData()
        return int(value) if value is not None else None

    def refresh(self) -> None:
        self._follow_timer.stop()
        service, today = self.context.services.dashboard, date.today()
        self.start_load(lambda: service.dashboard(today=today), self._show, description=self.tr("统计概览"))

    def depends_on(self, changes: Changes) -> bool:
        return changes.touches(*INPUTS) or bool(changes.settings & POLICY_KEYS)

    def follow_changes(self, changes: Changes) -> None:
        self._follow_timer.start()

    # -- showing ---------------------------------------------------------------------------

    def _show(self, dashboard: Dashboard) -> None:
        self.dashboard = dashboard
        self.as_of_label.setText(self.tr("统计截至 {day}").format(day=dashboard.as_of.isoformat()))
        self.stack.setCurrentIndex(0 if dashboard.empty else 1)
        self.street_filter.setEnabled(not dashboard.empty)
        if dashboard.empty:
            self.set_status(self.tr("还没有小区档案"))
            return
        self._draw_street_charts(dashboard)
        self._show_scope()

    def scope(self) -> ScopeFigures | None:
        return self.dashboard.scope(self.street_id) if self.dashboard is not None else None

    def _show_scope(self) -> None:
        scope = self.scope()
        if scope is None or self.dashboard is None or self.dashboard.empty:
            return
        self._fill_cards(scope)
        self._draw_levels(scope)
        streets = [s.street_id for s in self.dashboard.streets]
        chosen = streets.index(scope.street_id) if scope.street_id in streets else None
        for sets in self.bar_sets.values():
            for bar_set in sets:
                bar_set.deselectAllBars()
                if chosen is not None:
                    bar_set.selectBar(chosen)
        self.set_status(
            self.tr("{scope}：{estates} 个小区，{eligible} 个符合业委会组建条件").format(
                scope=scope.name, estates=f"{scope.count('estates'):,}", eligible=f"{scope.count('eligible'):,}"
            )
        )

    def _fill_cards(self, scope: ScopeFigures) -> None:
        def show(key: str, value: str, detail: str, figure: Figure, *, warn: bool | None = None) -> None:
            drill = figure.drill
            self.card_drills[key] = drill
            tip = (
                self.tr("点击查看：{label}（{count} 条）").format(label=drill.label, count=len(drill.ids))
                if drill
                else ""
            )
            self.cards[key].show_figure(value, detail, warn=warn, tip=tip)

        formation = scope["formation_rate"]
        show(
            "formation_rate",
            figure_text(formation),
            self.tr("已组建 {formed} / 符合条件 {eligible}；目标 ≥95%").format(
                formed=f"{scope.count('formed'):,}", eligible=f"{scope.count('eligible'):,}"
            ),
            scope["unformed"],
            warn=None if formation.value is None else formation.below_target,
        )
        operation = scope["operation_rate"]
        show(
            "operation_rate",
            figure_text(operation),
            self.tr("未达标 {bad} / 任期内 {all}；目标 ≥85%").format(
                bad=f"{scope.count('not_compliant'):,}", all=f"{scope.count('operating'):,}"
            ),
            scope["not_compliant"],
            warn=None if operation.value is None else operation.below_target,
        )
        show("unformed", figure_text(scope["unformed"]), self.tr("符合组建条件、尚无业委会的小区"), scope["unformed"])
        overdue = scope["renewal_overdue"]
        show("renewal_overdue", figure_text(overdue), self.tr("换届步骤逾期未完成的业委会"), overdue)
        low = scope["fund_low"]
        show("fund_low", figure_text(low), self.tr("余额低于首期归集30%、应续筹的小区"), low)
        old, assessed = scope.count("old_lifts"), scope.count("old_assessed")
        show(
            "not_assessed",
            f"{assessed:,} / {old:,}",
            self.tr("已评估 / 满15年；未评估 {count} 台").format(count=f"{scope.count('not_assessed'):,}"),
            scope["not_assessed"],
        )
        lifts, monitored = scope.count("lifts"), scope.count("monitored")
        show(
            "unmonitored",
            f"{monitored:,} / {lifts:,}",
            self.tr("已装 / 电梯总数；未装 {count} 台").format(count=f"{scope.count('unmonitored'):,}"),
            scope["unmonitored"],
        )
        for key in ("repair_area", "complete_area"):
            figure = scope[key]
            if figure.target is not None and figure.value is not None:
                share = Decimal(figure.value) / figure.target * 100
                detail = self.tr("规划目标 {target} 万㎡，完成 {share}%").format(
                    target=figure.target, share=f"{share:.1f}"
                )
                warn: bool | None = figure.below_target
            else:
                detail = self.tr("本街镇 2021–2025 年批次已竣工项目")
                warn = None
            show(key, figure_text(figure), detail, figure, warn=warn)
        links = []
        for level, (key, label, _column) in LEVEL_FIGURES.items():
            colour = LEVEL_COLOURS[level].name()
            links.append(
                f'<a href="{level.name}" style="color: {colour}; text-decoration: none;">'
                f"{label} <b>{scope.count(key):,}</b></a>"
            )
        companies = self.cards["companies"]
        companies.show_figure(
            f"{sum(scope.count(k) for k, _l, _c in LEVEL_FIGURES.values()):,}",
            "&nbsp;&nbsp;".join(links[:2]) + "<br>" + "&nbsp;&nbsp;".join(links[2:]),
            warn=None,
            tip="",
        )
        companies.detail.setToolTip(self.tr("点击等级查看对应的物业企业"))

    def _draw_street_charts(self, dashboard: Dashboard) -> None:
        streets = dashboard.streets
        names = [short_street(s.name) for s in streets]

        def rates(scope: ScopeFigures, key: str) -> float:
            value = scope[key].value
            return float(Decimal(value) * 100) if value is not None else 0.0

        self.bar_sets["rates"] = self._bars(
            self.rates_view,
            names,
            [
                (self.tr("组建率"), [rates(s, "formation_rate") for s in streets], "formation_rate"),
                (self.tr("规范运作达标率"), [rates(s, "operation_rate") for s in streets], "operation_rate"),
            ],
            targets=[(self.tr("组建率目标 95%"), 95.0), (self.tr("规范运作目标 85%"), 85.0)],
            maximum=100.0,
        )
        self.bar_sets["lifts"] = self._bars(
            self.lifts_view,
            names,
            [
                (
                    self.tr("满15年已评估"),
                    [_percent(s.count("old_assessed"), s.count("old_lifts")) or 0.0 for s in streets],
                    "not_assessed",
                ),
                (
                    self.tr("已装远程监测"),
                    [_percent(s.count("monitored"), s.count("lifts")) or 0.0 for s in streets],
                    "unmonitored",
                ),
            ],
            maximum=100.0,
        )
        self.bar_sets["renovation"] = self._bars(
            self.renovation_view,
            names,
            [
                (self.tr("综合修缮"), [float(s["repair_area"].value or 0) for s in streets], "repair_area"),
                (self.tr("成套改造"), [float(s["complete_area"].value or 0) for s in streets], "complete_area"),
            ],
        )

    def _bars(
        self,
        view: QChartView,
        names: list[str],
        series_values: list[tuple[str, list[float], str]],
        *,
        targets: list[tuple[str, float]] = (),  # type: ignore[assignment]
        maximum: float | None = None,
    ) -> list[QBarSet]:
        """Bars per 街镇, one set per figure; a bar clicked opens that 街镇's list behind `figure key`."""
        chart = view.chart()
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        series = QBarSeries()
        sets = []
        for number, (label, values, key) in enumerate(series_values):
            bar_set = QBarSet(label)
            bar_set.append(values)
            bar_set.setColor(SERIES_COLOURS[number % len(SERIES_COLOURS)])
            bar_set.setBorderColor(SERIES_COLOURS[number % len(SERIES_COLOURS)])
            bar_set.setSelectedColor(SELECTED_COLOUR)
            bar_set.clicked.connect(self._bar_handler(key))
            series.append(bar_set)
            sets.append(bar_set)
        chart.addSeries(series)
        x_axis = QBarCategoryAxis()
        x_axis.append(names)
        small = QFont(x_axis.labelsFont())
        small.setPointSizeF(max(small.pointSizeF() - 1, 7))
        x_axis.setLabelsFont(small)
        y_axis = QValueAxis()
        top = maximum if maximum is not None else max((v for _l, vs, _k in series_values for v in vs), default=0.0)
        y_axis.setRange(0, max(top * (1.0 if maximum is not None else 1.15), 1.0))
        y_axis.setLabelFormat("%.0f")
        if maximum is None:
            y_axis.applyNiceNumbers()  # round ticks for areas (0, 10, 20, 30), not 7.5-steps
        else:
            y_axis.setTickCount(5)
        y_axis.setLabelsFont(small)
        chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(x_axis)
        series.attachAxis(y_axis)
        for number, (label, target) in enumerate(targets):
            line = QLineSeries()
            line.setName(label)
            line.append(-0.5, target)
            line.append(len(names) - 0.5, target)
            pen = QPen(QColor("#c00000") if number == 0 else QColor("#7030a0"))
            pen.setStyle(Qt.PenStyle.DashLine)
            pen.setWidthF(1.6)
            line.setPen(pen)
            chart.addSeries(line)
            line.attachAxis(x_axis)
            line.attachAxis(y_axis)
        return sets

    def _bar_handler(self, key: str) -> Callable[[int], None]:
        def clicked(index: int) -> None:
            if self.dashboard is not None and 0 <= index < len(self.dashboard.streets):
                self.open_drill(self.dashboard.streets[index][key].drill)

        return clicked

    def _draw_levels(self, scope: ScopeFigures) -> None:
        chart = self.levels_view.chart()
        chart.removeAllSeries()
        pie = QPieSeries()
        pie.setHoleSize(0.35)
        self.level_slices = {}
        for level, (key, label, _column) in LEVEL_FIGURES.items():
            count = scope.count(key)
            piece = pie.append(f"{label} {count:,}", count)
            piece.setColor(LEVEL_COLOURS[level])
            piece.setLabelVisible(count > 0)
            piece.clicked.connect(lambda key=key: self.open_drill(scope[key].drill))
            self.level_slices[level] = piece
        chart.addSeries(pie)
        chart.setTitle(self.tr("{scope}在管物业企业信用预警等级（家）").format(scope=scope.name))

    # -- clicking through ------------------------------------------------------------------

    def _card_clicked(self, key: str) -> None:
        self.open_drill(self.card_drills.get(key))

    def _level_clicked(self, link: str) -> None:
        scope = self.scope()
        level = WarningLevel[link]
        if scope is not None:
            self.open_drill(scope[LEVEL_FIGURES[level][0]].drill)

    def open_drill(self, drill: Drill | None) -> None:
        if drill is not None:
            self.drill_requested.emit(drill)
