"""Benchmark: the 提醒 page on a 20,000-estate district (about 151,000 lifts, 43,000 reminders).

First, with no window: computing every reminder of the district (`ReminderService.list`, then the split
into what needs action now and the 长期未办), best of three, against a floor: the very SQL statements
that call sends (caught as it runs them) replayed with the plain `sqlite3` module, fetching the same
candidate rows and applying no rule, building no reminder. What lies between the two is SQLAlchemy's
row handling, the rules and the reminders themselves. Target: under 1 s.

Then the page, measured in one process of its own, with a 10 ms timer ticking on the UI thread
throughout: the largest gap between two ticks is the longest freeze the user would feel. Figures, each
against a baseline taken in the same run:
- the window computing the district's reminders in the background once the estate list is shown (they
  feed the status bar's overdue count and the page), with the estate list's longest freeze meanwhile;
- opening the page until its rows are painted, against the bare `ReminderService.list` call, with the
  longest freeze, against going to a page already loaded (the window repaints, nothing is read);
- F5: the reminders computed again, the rows shown meanwhile, until the new ones are painted;
- a search (the text set and, as once the debounce delay has passed, the rows filtered and painted),
  against matching the same words over the reminders' texts already lowercased in a plain list (the
  least any search can do); the keystroke itself only restarts the debounce timer;
- the 长期未办 tab, and grouping by kind and by estate (the groups counted and painted, collapsed);
- clearing the search and choosing a category, the same way;
- a header click sorting by 小区 and by 到期日, against Python's `sorted` on the same values;
- the longest freeze over all of that, against the longest gap of the idle timer.
Targets: computing < 1 s, open < 1 s, a freeze < 100 ms, a keystroke < 50 ms, a sort < 200 ms.

History on the shared two-core machine: open 7.0 s → 1.0-1.4 s when the page computed its reminders as
it opened (the bare service 0.65-1.0 s), then 0.88-1.3 s with the GUI thread kept answering as the app
keeps it (freezes 73-134 ms). With the reminders computed ahead by the window, sort keys and all, and
lighter records (named tuples), the page opens in 0.03 s (bare service 0.53-0.55 s) with a freeze of
28-30 ms (page switch 11 ms); F5 takes 1.1 s with the old rows on screen (freeze 47-49 ms); a keystroke
25-42 ms (bare match 20 ms); a sort 51-58 ms (bare sorted 144-158 ms); the longest freeze 51-58 ms. Until
then, this helper painted the table twice per figure; it paints once now, as the program does. Every
target is asserted with a 10 % margin, F5 at twice the open's.

The district is built once per test session (about 25 s), or taken from PUTUO_BENCH_DEMO_DIR (a folder
made by `putuo-community demo --estates 20000 --data-dir ...`).
Run alone: `python tests/benchmarks/test_reminders_benchmark.py DATA_DIR`.
"""

from __future__ import annotations

import json
import sqlite3
import sys
import threading
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from benchmark_script import run_benchmark
from gui_bench import (
    FREEZE_SECONDS,
    KEYSTROKE_SECONDS,
    MARGIN,
    PAGE_OPEN_SECONDS,
    SORT_SECONDS,
    FreezeMeter,
    open_main_window,
    painted,
    wait_until,
)

SEARCHES = ("万", "万里", "电梯", "换届", "曹杨 换届", "2027", "评估 3110")
COMPUTE_SECONDS = 1.0  # every reminder of the district, computed and split


def _search(page: Any, text: str) -> None:
    """The text typed, and the filter run as it is once the typing stops (the debounce delay not counted)."""
    page.search_edit.setText(text)
    page.apply_search_now()


def _paint_tree(app: Any, page: Any) -> None:
    page.tree.viewport().update()
    app.processEvents()


def _timed(app: Any, page: Any, meter: FreezeMeter, action: Callable[[], object]) -> tuple[float, float]:
    """Seconds from `action` to the rows painted, and the longest freeze meanwhile."""
    meter.start()
    started = time.perf_counter()
    action()
    painted(app, page)
    return time.perf_counter() - started, meter.stop()


def _computing_figures(services: Any, figures: dict[str, Any]) -> Any:
    """Every reminder of the district computed and split, best of three, and the plain-sqlite3 floor."""
    from sqlalchemy import event

    from putuo_community.services.reminders.view import split

    today = date.today()
    statements: list[tuple[str, Any]] = []
    caller = threading.get_ident()

    def caught(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool) -> None:
        if threading.get_ident() != caller:
            return  # the window's own reads, in the background
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):  # not the BEGIN and PRAGMAs around them
            statements.append((statement, parameters))

    engine = services.database.engine
    times = []
    view = None
    for attempt in range(3):
        if attempt == 0:
            event.listen(engine, "before_cursor_execute", caught)
        started = time.perf_counter()
        policy = services.reminders.policy()
        view = split(services.reminders.list(today=today, policy=policy), today=today, policy=policy)
        times.append(time.perf_counter() - started)
        if attempt == 0:
            event.remove(engine, "before_cursor_execute", caught)
    figures["compute_seconds"] = min(times)
    figures["current"], figures["backlog"] = len(view.current), len(view.backlog)
    figures["statements"] = len(statements)

    raw = sqlite3.connect(str(Path(engine.url.database or "")))
    floors, fetched = [], 0
    try:
        for _ in range(3):
            started = time.perf_counter()
            fetched = sum(len(raw.execute(sql, parameters).fetchall()) for sql, parameters in statements)
            floors.append(time.perf_counter() - started)
    finally:
        raw.close()
    figures["compute_baseline_seconds"] = min(floors)
    figures["candidate_rows"] = fetched
    return view


def main(data_dir: str) -> dict[str, Any]:
    from PySide6.QtCore import Qt

    from putuo_community.gui.models import text_collator

    app, responsive, services, window = open_main_window(data_dir)
    meter = FreezeMeter()
    figures: dict[str, Any] = {}
    view = _computing_figures(services, figures)

    # The estate list opens first; a person looks at it a moment before choosing 提醒.
    painted(app, window.page("estates"))
    responsive.settle()  # as the app does once its first list is on screen
    # Meanwhile the window computes the district's reminders in the background (its status bar counts
    # the overdue ones): the longest freeze of the estate list while it does.
    meter.start()
    started = time.perf_counter()
    wait_until(app, lambda: window.reminder_feed.ready and window.runner.active_count == 0)
    figures["background_seconds"] = time.perf_counter() - started
    figures["background_freeze"] = meter.stop()
    meter.start()
    idle_end = time.perf_counter() + 1.0
    wait_until(app, lambda: time.perf_counter() > idle_end)
    figures["idle_freeze"] = meter.stop()

    # Baseline of the open: the service alone, best of two (the first also warms the file cache).
    bare = []
    for _ in range(2):
        started = time.perf_counter()
        reminders = services.reminders.list(today=date.today())
        bare.append(time.perf_counter() - started)
    figures["service_seconds"] = min(bare)
    figures["reminders"] = len(reminders)

    # Baseline of an open's freeze: going to a page already loaded (the window repaints, nothing is read).
    window.show_page("committees")
    painted(app, window.page("committees"))
    wait_until(app, lambda: window.runner.active_count == 0)
    switches = []
    for key in ("estates", "committees", "estates"):
        switches.append(_timed(app, window.page(key), meter, lambda key=key: window.show_page(key))[1])
    figures["switch_freeze"] = min(switches)

    page = window.page("reminders")
    meter.start()
    started = time.perf_counter()
    window.show_page("reminders")
    painted(app, page)
    figures["open_seconds"] = time.perf_counter() - started
    figures["rows"] = page.view.model().rowCount()
    figures["rows_expected"] = len(view.current)
    # What the page goes on doing in the background once the rows are shown (the sort keys).
    wait_until(app, lambda: window.runner.active_count == 0 and not page.model.missing_sort_keys())
    figures["settled_seconds"] = time.perf_counter() - started
    figures["open_freeze"] = meter.stop()
    meter.start()
    started = time.perf_counter()
    page.refresh()
    painted(app, page)
    figures["reload_seconds"] = time.perf_counter() - started
    wait_until(app, lambda: window.runner.active_count == 0 and not page.model.missing_sort_keys())
    figures["reload_freeze"] = meter.stop()

    # Keystrokes: the text as typed, to the rows painted (the page filters as the text changes).
    texts = [" ".join((r.estate_name, r.street_name, r.subject, r.message, r.rule.title)).casefold() for r in reminders]
    keystrokes, keystroke_freezes, bare_searches = [], [], []
    for text in SEARCHES:
        seconds, freeze = _timed(app, page, meter, lambda text=text: _search(page, text))
        keystrokes.append(seconds)
        keystroke_freezes.append(freeze)
        words = text.casefold().split()
        started = time.perf_counter()
        [i for i, t in enumerate(texts) if all(w in t for w in words)]
        bare_searches.append(time.perf_counter() - started)
    figures["keystroke_seconds"] = max(keystrokes)
    figures["keystroke_freeze"] = max(keystroke_freezes)
    figures["keystroke_baseline_seconds"] = max(bare_searches)
    figures["clear_seconds"], figures["clear_freeze"] = _timed(app, page, meter, lambda: _search(page, ""))
    combo = page.category_filter
    figures["category_seconds"], figures["category_freeze"] = _timed(
        app, page, meter, lambda: combo.setCurrentIndex(combo.findData("电梯"))
    )
    _timed(app, page, meter, lambda: combo.setCurrentIndex(0))

    # The 长期未办 tab and back; the groups by kind and by estate, painted collapsed, and back to none.
    figures["backlog_seconds"], figures["backlog_freeze"] = _timed(app, page, meter, lambda: page.show_backlog(True))
    _timed(app, page, meter, lambda: page.show_backlog(False))
    groupings = page.grouping
    for key in ("category", "estate"):

        def group(key: str = key) -> None:
            groupings.setCurrentIndex(groupings.findData(key))
            _paint_tree(app, page)

        seconds, freeze = _timed(app, page, meter, group)
        figures[f"group_{key}_seconds"], figures[f"group_{key}_freeze"] = seconds, freeze
        figures[f"groups_{key}"] = len(page.groups.groups)  # all of them, not only those handed to the tree yet
    seconds, freeze = _timed(app, page, meter, lambda: (_search(page, "万里"), _paint_tree(app, page)))
    figures["group_search_seconds"], figures["group_search_freeze"] = seconds, freeze
    _timed(app, page, meter, lambda: (_search(page, ""), groupings.setCurrentIndex(0)))

    # Header clicks: by 小区 (Chinese collation) and by 到期日, each way.
    model = page.view.model()
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    sorts, sort_freezes = [], []
    for header in ("小区", "到期日"):
        column = headers.index(header)
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            seconds, freeze = _timed(app, page, meter, lambda c=column, o=order: page.view.sortByColumn(c, o))
            sorts.append(seconds)
            sort_freezes.append(freeze)
    figures["sort_seconds"] = max(sorts)
    figures["sort_freeze"] = max(sort_freezes)
    names = [r.estate_name for r in reminders]
    dues = [r.due_on or date.max for r in reminders]
    started = time.perf_counter()
    sort_key = text_collator().sortKey
    sorted(range(len(names)), key=[sort_key(n) for n in names].__getitem__)
    sorted(range(len(dues)), key=dues.__getitem__)
    figures["sort_baseline_seconds"] = time.perf_counter() - started
    figures["freeze"] = max(
        figures[k]
        for k in (
            "background_freeze",
            "open_freeze",
            "reload_freeze",
            "keystroke_freeze",
            "clear_freeze",
            "sort_freeze",
            "backlog_freeze",
            "group_category_freeze",
            "group_estate_freeze",
            "group_search_freeze",
        )
    )
    window.close()
    services.close()

    print(
        f"计算全区每一条提醒（含划分需要办理 / 长期未办）：{figures['compute_seconds']:.2f} 秒"
        f"（需要办理 {figures['current']:,} 条，长期未办 {figures['backlog']:,} 条），"
        f"基线（用 sqlite3 直接执行同样的 {figures['statements']} 条查询、取回同样的 "
        f"{figures['candidate_rows']:,} 行候选记录，不套规则）{figures['compute_baseline_seconds']:.2f} 秒"
    )
    group_freeze = max(figures[f"{k}_freeze"] for k in ("backlog", "group_category", "group_estate", "group_search"))
    print(
        f"长期未办页签 {figures['backlog_seconds'] * 1000:.0f} 毫秒；"
        f"按类别分组 {figures['group_category_seconds'] * 1000:.0f} 毫秒（{figures['groups_category']} 组），"
        f"按小区分组 {figures['group_estate_seconds'] * 1000:.0f} 毫秒（{figures['groups_estate']:,} 组），"
        f"分组时搜索 {figures['group_search_seconds'] * 1000:.0f} 毫秒；最长卡顿 {group_freeze * 1000:.0f} 毫秒"
    )
    print(
        f"启动后在后台计算全区提醒：{figures['background_seconds']:.2f} 秒（从小区列表显示起），"
        f"其间小区列表最长卡顿 {figures['background_freeze'] * 1000:.0f} 毫秒"
    )
    print(
        f"提醒页打开到首屏：{figures['open_seconds']:.2f} 秒（{figures['rows']:,} 条提醒），"
        f"基线（只调用提醒服务）{figures['service_seconds']:.2f} 秒；"
        f"连同后台准备排序共 {figures['settled_seconds']:.2f} 秒，"
        f"其间最长卡顿 {figures['open_freeze'] * 1000:.0f} 毫秒"
        f"（基线：切换到已读好的页面 {figures['switch_freeze'] * 1000:.0f} 毫秒）；"
        f"刷新（F5，重新计算）{figures['reload_seconds']:.2f} 秒，卡顿 {figures['reload_freeze'] * 1000:.0f} 毫秒"
    )
    print(
        f"搜索一次按键（到显示）：最慢 {figures['keystroke_seconds'] * 1000:.0f} 毫秒，"
        f"基线（在已转小写的文字里直接匹配）{figures['keystroke_baseline_seconds'] * 1000:.0f} 毫秒；"
        f"最长卡顿 {figures['keystroke_freeze'] * 1000:.0f} 毫秒；"
        f"清空搜索 {figures['clear_seconds'] * 1000:.0f} 毫秒；选类别 {figures['category_seconds'] * 1000:.0f} 毫秒"
    )
    print(
        f"按小区、到期日排序：最慢 {figures['sort_seconds'] * 1000:.0f} 毫秒，"
        f"基线（Python sorted 同样的值）{figures['sort_baseline_seconds'] * 1000:.0f} 毫秒；"
        f"最长卡顿 {figures['sort_freeze'] * 1000:.0f} 毫秒"
    )
    print(
        f"全程最长卡顿 {figures['freeze'] * 1000:.0f} 毫秒，"
        f"基线（空闲时计时器的最长间隔）{figures['idle_freeze'] * 1000:.0f} 毫秒"
    )
    print("RESULT " + json.dumps(figures))
    return figures


@pytest.mark.slow
def test_the_reminders_page_answers_at_district_scale(district_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    figures = run_benchmark(__file__, str(district_dir), capsys)
    assert figures["reminders"] > 5_000  # the district's reminders, not an empty list
    assert figures["rows"] == figures["rows_expected"]  # the page opens on what needs action now
    assert figures["compute_seconds"] <= COMPUTE_SECONDS * MARGIN
    assert figures["group_estate_seconds"] <= PAGE_OPEN_SECONDS * MARGIN
    assert figures["sort_seconds"] <= SORT_SECONDS * MARGIN
    assert figures["open_seconds"] <= PAGE_OPEN_SECONDS * MARGIN
    assert figures["reload_seconds"] <= 2 * PAGE_OPEN_SECONDS * MARGIN  # computed anew, the old rows on screen
    assert figures["keystroke_seconds"] <= KEYSTROKE_SECONDS * MARGIN
    assert figures["clear_seconds"] <= KEYSTROKE_SECONDS * MARGIN
    assert figures["freeze"] <= FREEZE_SECONDS * MARGIN


if __name__ == "__main__":
    main(sys.argv[1])
