"""The 提醒 page's models: every reminder in one flat table (`ReminderTableModel`, filtered and sorted in
memory), and the same rows in groups by kind or by estate with their counts (`ReminderGroupModel`).

Each reminder is either current (needs action now) or 长期未办 (overdue beyond the district's
setting): the split is made with the rows, off the UI thread, and the table shows one side or the other.
"""

from __future__ import annotations

import functools
import heapq
import operator
import time
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from putuo_community.domain.reminder_policy import ReminderPolicy
from putuo_community.domain.rules import Rule
from putuo_community.gui.i18n import translator
from putuo_community.gui.models import OVERDUE_COLOUR, Column, RowTableModel, native_sort_value, text_collator
from putuo_community.services.reminders.view import is_backlog, rule_in_force

_tr = translator("models")
AnyIndex = QModelIndex | QPersistentModelIndex
LAPSED_MARK = "⚠"


@functools.lru_cache(maxsize=256)
def _validity(rule: Rule, day: date) -> tuple[bool, str]:
    """Whether `rule` is in force on `day`, and why not; asked once per rule and day, not per row."""
    return rule_in_force(rule, day), rule.validity_note(day)


def basis_text(reminder: Any, today: date | None = None) -> str:
    """The 依据 cell: the rule's title, marked when its documents are no longer (or not yet) in force."""
    in_force, _note = _validity(reminder.rule, today or date.today())
    return reminder.rule.title if in_force else f"{LAPSED_MARK} {reminder.rule.title}"


def _date_text(value: date | None) -> str:
    return value.isoformat() if value is not None else ""


def _rule_tooltip(reminder: Any) -> str:
    rule = reminder.rule
    tip = _tr("{text}\n依据：{source}").format(text=rule.text, source=rule.source)
    in_force, note = _validity(rule, date.today())
    if not in_force:
        tip += "\n" + _tr("{mark} 注意：{note}。此规则的依据已不在有效期内，请核实后再办理。").format(
            mark=LAPSED_MARK, note=note
        )
    return tip


def reminder_columns() -> tuple[Column, ...]:
    """Columns of the reminders table; a row is a `Reminder` from the reminders service.

    依据 comes right after the message so it stays in view on a small screen.
    """
    return (
        Column(
            _tr("状态"),
            lambda r: _tr("已逾期") if r.overdue else _tr("待办"),
            lambda r: int(not r.overdue),
            width_chars=6,
        ),
        Column(_tr("到期日"), lambda r: _date_text(r.due_on), lambda r: native_sort_value(r.due_on), width_chars=11),
        Column(_tr("小区"), lambda r: r.estate_name, lambda r: r.estate_name or None, width_chars=18),
        Column(
            _tr("事项"), lambda r: r.subject, lambda r: r.subject or None, tooltip=lambda r: r.subject, width_chars=26
        ),
        Column(
            _tr("说明"), lambda r: r.message, lambda r: r.message or None, tooltip=lambda r: r.message, width_chars=28
        ),
        Column(_tr("依据"), basis_text, lambda r: r.rule.title or None, tooltip=_rule_tooltip, width_chars=18),
        Column(_tr("类别"), lambda r: r.category, lambda r: r.category or None, width_chars=8),
        Column(_tr("街镇"), lambda r: r.street_name, lambda r: r.street_name or None, width_chars=12),
    )


def sort_keys_of(rows: Sequence[Any], column: Column) -> list[Any]:
    """A value per row that orders like `column` does in `RowTableModel` (None for blank).

    Text becomes its rank among the column's distinct texts in the Chinese collation, so a
    later sort compares integers: collating 43,000 reminders anew at each header click took
    longer than the click may. Runs in any thread: the collator is its own.
    """
    values: list[Any] = []
    for start in range(0, len(rows), _COLLATED_AT_ONCE):
        values.extend(column.sort_value(r) for r in rows[start : start + _COLLATED_AT_ONCE])
        _let_the_gui_thread_in()
    filled = {v for v in values if v is not None}
    texts = {v for v in filled if isinstance(v, str)}
    if not texts or len(texts) < len(filled):
        return values
    rank = _collation_ranks(texts)
    return [None if v is None else rank[str(v)] for v in values]


_COLLATED_AT_ONCE = 2_000  # Python cannot switch threads inside a sort of collation keys: sort in runs


def _let_the_gui_thread_in() -> None:
    """Hand the interpreter over between runs of background work, so the window never waits a whole
    run of it: a busy background thread otherwise keeps the GUI thread's slots waiting in turn."""
    time.sleep(0.001)


def _collation_ranks(texts: Collection[str]) -> dict[str, int]:
    """Each text's place in the Chinese collation; texts that collate alike share a place."""
    sort_key = text_collator().sortKey
    items = list(texts)
    keys: dict[str, Any] = {}
    runs = []
    for start in range(0, len(items), _COLLATED_AT_ONCE):
        run = items[start : start + _COLLATED_AT_ONCE]
        keys.update((text, sort_key(text)) for text in run)
        runs.append(sorted(run, key=keys.__getitem__))
        _let_the_gui_thread_in()
    rank: dict[str, int] = {}
    previous: Any = None
    place = -1
    for text in heapq.merge(*runs, key=keys.__getitem__):
        key = keys[text]
        if previous is None or previous.compare(key) != 0:
            place += 1
        rank[text] = place
        previous = key
    return rank


@dataclass(frozen=True)
class PreparedReminders:
    """Reminders made ready for the table off the UI thread: what the search looks in, their
    categories in collation order, and the sort keys of the columns asked for."""

    rows: list[Any]
    search_text: list[str]  # casefolded: the estate, 街镇, subject, message and rule title
    categories: list[str]
    sort_keys: dict[int, list[Any]]
    overdue: bytes = b""  # 1 for each overdue row: counting a filtered 43,000 takes a C loop, not a Python one
    backlog: bytes = b""  # 1 for each 长期未办 row (empty: none is)

    @property
    def backlog_count(self) -> int:
        return sum(self.backlog)

    @property
    def current_overdue_count(self) -> int:
        """Overdue reminders of the current view: the 长期未办 are counted apart."""
        if not self.backlog:
            return sum(self.overdue)
        return sum(o and not b for o, b in zip(self.overdue, self.backlog, strict=True))


def prepare_reminders(
    reminders: Sequence[Any],
    sort_columns: Collection[int] = (),
    *,
    today: date | None = None,
    policy: ReminderPolicy | None = None,
) -> PreparedReminders:
    """Runs with the query, in the background; `sort_columns` are the columns whose order is wanted at once.

    With `today` and `policy`, the reminders overdue beyond the policy's limit are marked 长期未办.
    """
    rows = list(reminders)
    search_text = [
        " ".join((r.estate_name, r.street_name, r.subject, r.message, r.rule.title)).casefold() for r in rows
    ]
    categories = sorted({r.category for r in rows if r.category}, key=text_collator().sortKey)
    columns = reminder_columns()
    keys = {c: sort_keys_of(rows, columns[c]) for c in sort_columns if 0 <= c < len(columns)}
    backlog = b""
    if today is not None and policy is not None:
        backlog = bytes(is_backlog(r, today, policy) for r in rows)
    return PreparedReminders(rows, search_text, categories, keys, bytes(r.overdue for r in rows), backlog)


class ReminderTableModel(RowTableModel):
    """Reminders, overdue ones in red, filtered by category and search words in the model itself.

    A `QSortFilterProxyModel` asked Python about each of 43,000 rows at every keystroke; here a
    filter is one pass over the text prepared with the rows. Sorting compares the keys of
    `sort_keys_of`; a column whose keys are not there yet is sorted once they arrive
    (`sort_keys_wanted` asks for them), keeping the current order meanwhile.
    """

    # A sort by this column waits for its keys: compute them (`sort_keys_of`) and hand them to `add_sort_keys`.
    sort_keys_wanted = Signal(int)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(reminder_columns(), parent)
        self._prepared = PreparedReminders([], [], [], {})
        self._keys: dict[int, list[Any]] = {}
        self._order: list[int] = []  # every reminder's position in `prepared.rows`, in the shown order
        self._sorted_by: tuple[int, Qt.SortOrder] | None = None  # the sort `_order` follows
        self._visible: list[int] = []  # the positions that pass the filter, in order
        self._category: str | None = None
        self._words: list[str] = []
        self._backlog = False  # showing the 长期未办 rather than what needs action now

    # -- rows --------------------------------------------------------------------------------

    @property
    def prepared(self) -> PreparedReminders:
        return self._prepared

    @property
    def categories(self) -> list[str]:
        return self._prepared.categories

    @property
    def sort_column(self) -> int:
        return self._sort_column

    def set_rows(self, rows: Sequence[Any]) -> None:
        """Replace every reminder, preparing them here (a few rows, or tests)."""
        self.show_prepared(prepare_reminders(rows, (self._sort_column,)))

    def show_prepared(self, prepared: PreparedReminders) -> None:
        """Replace every reminder (a reload), keeping the current sort and filter."""
        self.beginResetModel()
        self._prepared = prepared
        self._keys = dict(prepared.sort_keys)
        self._order = list(range(len(prepared.rows)))
        self._sorted_by = None
        if self._sort_column in self._keys:
            self._order = self._sorted_positions_by_keys()
            self._sorted_by = (self._sort_column, self._sort_order)
        self._refilter()
        self.endResetModel()
        if self._sort_column >= 0 and self._sorted_by is None and prepared.rows:
            self.sort_keys_wanted.emit(self._sort_column)

    def missing_sort_keys(self) -> list[int]:
        return [c for c in range(len(self._columns)) if c not in self._keys]

    def add_sort_keys(self, prepared: PreparedReminders, keys: dict[int, list[Any]]) -> None:
        """Keys computed in the background for `prepared`'s rows; dropped if other rows are shown by now."""
        if prepared is not self._prepared:
            return
        prepared.sort_keys.update(keys)  # kept with the rows: shown again, they need no new keys
        self._keys.update(keys)
        if self._sort_column in keys and self._sorted_by != (self._sort_column, self._sort_order):
            self.sort(self._sort_column, self._sort_order)

    def shown(self) -> list[Any]:
        """The reminders shown, in order (the model's own list: read, never change it)."""
        return self._rows

    def overdue_count(self) -> int:
        """How many of the reminders shown are overdue."""
        return sum(map(self._prepared.overdue.__getitem__, self._visible))

    def row_of(self, reminder: Any) -> int | None:
        """The row showing `reminder` (the same object, else an equal one, as after a reload); None if hidden."""
        found = next((row for row, r in enumerate(self._rows) if r is reminder), None)
        if found is None:
            found = next((row for row, r in enumerate(self._rows) if r == reminder), None)
        return found

    # -- filtering ---------------------------------------------------------------------------

    @property
    def showing_backlog(self) -> bool:
        return self._backlog

    def set_filter(self, *, category: str | None, search: str, backlog: bool | None = None) -> None:
        """Show the reminders of `category` (None: all) whose text holds every word of `search`, of the
        current view or (`backlog`) the 长期未办; None keeps the side shown."""
        words = [w.casefold() for w in search.split()]
        backlog = self._backlog if backlog is None else backlog
        if (category, words, backlog) == (self._category, self._words, self._backlog):
            return
        self.beginResetModel()
        self._category, self._words, self._backlog = category, words, backlog
        self._refilter()
        self.endResetModel()

    def _refilter(self) -> None:
        rows, text = self._prepared.rows, self._prepared.search_text
        visible = self._order
        flags = self._prepared.backlog
        if flags and (self._backlog or any(flags)):
            wanted = int(self._backlog)
            visible = [i for i in visible if flags[i] == wanted]
        elif self._backlog:
            visible = []
        if self._category is not None:
            category = self._category
            visible = [i for i in visible if rows[i].category == category]
        for word in self._words:  # the rarest word first would be quicker still; typing narrows anyway
            visible = [i for i in visible if word in text[i]]
        self._visible = visible
        self._rows = list(map(rows.__getitem__, visible))
        self._sort_cache.clear()

    # -- sorting -----------------------------------------------------------------------------

    def _sorted_positions_by_keys(self) -> list[int]:
        """`_order` sorted by the current sort column's keys; blanks last, ties keep their order."""
        keys = self._keys[self._sort_column]
        filled = [i for i in self._order if keys[i] is not None]
        blank = [i for i in self._order if keys[i] is None]
        filled.sort(key=keys.__getitem__, reverse=self._sort_order == Qt.SortOrder.DescendingOrder)
        return filled + blank

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort_column, self._sort_order = column, order
        if not (0 <= column < len(self._columns)) or not self._prepared.rows:
            return
        if column not in self._keys:
            self.sort_keys_wanted.emit(column)
            return
        if self._sorted_by == (column, order):
            # Already in this order: a header click reaches here twice (the view's sortByColumn, then
            # the header's indicator signal), and the second would cost as much as the first.
            return
        self.layoutAboutToBeChanged.emit()
        old_visible = self._visible
        self._order = self._sorted_positions_by_keys()
        self._sorted_by = (column, order)
        self._refilter()
        persistent = self.persistentIndexList()
        if persistent:
            new_row = self._rows_of({old_visible[i.row()] for i in persistent if i.isValid()})
            self.changePersistentIndexList(
                persistent,
                [self.index(new_row[old_visible[i.row()]], i.column()) if i.isValid() else i for i in persistent],
            )
        self.layoutChanged.emit()

    def _rows_of(self, positions: set[int]) -> dict[int, int]:
        """The rows now showing these reminders (by position in `prepared.rows`); the few the view keeps
        track of (the current row, a selection) are found by a C-level scan each, not a 43,000-entry dict."""
        visible = self._visible
        if len(positions) > 32:
            return {position: row for row, position in enumerate(visible)}
        return {position: visible.index(position) for position in positions}

    # -- Qt overrides ----------------------------------------------------------------------

    def row_foreground(self, row_object: Any) -> QColor | None:
        return OVERDUE_COLOUR if row_object.overdue else None


# -- in groups ------------------------------------------------------------------------------------

GROUP_BY_CATEGORY = "category"
GROUP_BY_ESTATE = "estate"
_GROUP_ROW = 0  # a group's index carries this id; a reminder's carries its group's number + 1


@dataclass
class ReminderGroup:
    key: Any  # the category, or (estate id, estate name)
    label: str
    street: str
    rows: list[int]  # the source model's rows, in its order
    overdue: int


_GROUP_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_REMINDER_FLAGS = _GROUP_FLAGS | Qt.ItemFlag.ItemNeverHasChildren  # the view need not ask each row for children


def _group_of(grouping: str) -> Any:
    if grouping == GROUP_BY_ESTATE:
        return operator.attrgetter("estate_id", "estate_name")
    return operator.attrgetter("category")


GROUP_BATCH = 400  # groups handed to the tree at a time


class ReminderGroupModel(QAbstractItemModel):
    """The rows a `ReminderTableModel` shows, in groups by kind or by estate, each with its count.

    The groups follow the table's order (the group of the most urgent reminder first) and are made
    again, in one pass, whenever the table filters or sorts. The first column names the group; the
    others are the table's. A tree view lays out only the groups it expands, so tens of thousands of
    reminders in thousands of estates open at once. The groups themselves are handed to the view a
    batch at a time (`fetchMore`, as it scrolls): laying out 8,000 estates' groups at once asks the
    model about each of them while the window waits.
    """

    def __init__(self, source: ReminderTableModel, parent: Any = None) -> None:
        super().__init__(parent)
        self.source = source
        self.grouping = GROUP_BY_CATEGORY
        self.groups: list[ReminderGroup] = []
        self._shown = 0  # the groups handed to the view so far
        source.modelReset.connect(self._regroup)
        source.layoutChanged.connect(self._regroup)

    def set_grouping(self, grouping: str) -> None:
        if grouping != self.grouping:
            self.grouping = grouping
            self._regroup()

    def _regroup(self) -> None:
        self.beginResetModel()
        key_of = _group_of(self.grouping)
        found: dict[Any, ReminderGroup] = {}
        shown = self.source.shown()
        for row, (key, r) in enumerate(zip(map(key_of, shown), shown, strict=True)):
            group = found.get(key)
            if group is None:
                label = r.category if self.grouping == GROUP_BY_CATEGORY else (r.estate_name or _tr("（不属于小区）"))
                street = r.street_name if self.grouping == GROUP_BY_ESTATE else ""
                group = found[key] = ReminderGroup(key, label, street, [], 0)
            group.rows.append(row)
            group.overdue += r.overdue
        self.groups = list(found.values())
        self._shown = min(len(self.groups), GROUP_BATCH)
        self.endResetModel()

    def _reveal(self, number: int) -> None:
        """Hand the view every group up to the `number`th (to select a row in it)."""
        if number >= self._shown:
            end = min(len(self.groups), number + 1)
            self.beginInsertRows(QModelIndex(), self._shown, end - 1)
            self._shown = end
            self.endInsertRows()

    def reminder(self, index: AnyIndex) -> Any | None:
        """The reminder at `index`; None on a group's row."""
        row = self.source_row(index)
        return None if row is None else self.source.row_object(row)

    def source_row(self, index: AnyIndex) -> int | None:
        if not index.isValid() or index.internalId() == _GROUP_ROW:
            return None
        return self.groups[index.internalId() - 1].rows[index.row()]

    def group_row(self, key: Any) -> int | None:
        number = next((n for n, g in enumerate(self.groups) if g.key == key), None)
        if number is not None:
            self._reveal(number)
        return number

    def index_of_source_row(self, source_row: int, column: int = 1) -> QModelIndex:
        """Where the table's row `source_row` sits here (an invalid index if not shown)."""
        for number, group in enumerate(self.groups):
            if group.rows and group.rows[0] <= source_row <= group.rows[-1] and source_row in group.rows:
                self._reveal(number)
                return self.createIndex(group.rows.index(source_row), column, number + 1)
        return QModelIndex()

    # -- Qt overrides ----------------------------------------------------------------------

    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:  # noqa: B008 (Qt's signature)
        # Asked once per group as a tree lays thousands of groups out: bounds checked here, not by `hasIndex`.
        if row < 0 or not 0 <= column <= len(self.source.columns):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, _GROUP_ROW) if row < self._shown else QModelIndex()
        if parent.internalId() != _GROUP_ROW or parent.column() != 0 or row >= len(self.groups[parent.row()].rows):
            return QModelIndex()
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, index: AnyIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid() or index.internalId() == _GROUP_ROW:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, _GROUP_ROW)

    def canFetchMore(self, parent: AnyIndex) -> bool:
        return not parent.isValid() and self._shown < len(self.groups)

    def fetchMore(self, parent: AnyIndex) -> None:
        if self.canFetchMore(parent):
            self._reveal(min(self._shown + GROUP_BATCH, len(self.groups)) - 1)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        if not parent.isValid():
            return self._shown
        if parent.internalId() == _GROUP_ROW and parent.column() == 0:
            return len(self.groups[parent.row()].rows)
        return 0

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return self.source.columnCount() + 1

    def hasChildren(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008 (Qt's signature)
        return self.rowCount(parent) > 0

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if index.internalId() == _GROUP_ROW:
            return self._group_data(self.groups[index.row()], index.column(), role)
        if index.column() == 0:
            return None
        row = self.source_row(index)
        return self.source.data(self.source.index(row, index.column() - 1), role) if row is not None else None

    def _group_data(self, group: ReminderGroup, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        if column == 0 and role == Qt.ItemDataRole.DisplayRole:
            return _tr("{label}（{count}）").format(label=group.label, count=f"{len(group.rows):,}")
        if column == 1 and role == Qt.ItemDataRole.DisplayRole and group.overdue:
            return _tr("逾期 {count}").format(count=f"{group.overdue:,}")
        if column == 1 and role == Qt.ItemDataRole.ForegroundRole and group.overdue:
            return QBrush(OVERDUE_COLOUR)
        if role == Qt.ItemDataRole.DisplayRole and self.grouping == GROUP_BY_ESTATE:
            headers = [c.header for c in self.source.columns]
            if column - 1 == headers.index(_tr("街镇")):
                return group.street
        if role == Qt.ItemDataRole.ToolTipRole and column == 0:
            return _tr("{label}：{count} 条提醒，其中 {overdue} 条已逾期").format(
                label=group.label, count=f"{len(group.rows):,}", overdue=f"{group.overdue:,}"
            )
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and section == 0 and role == Qt.ItemDataRole.DisplayRole:
            return _tr("小区") if self.grouping == GROUP_BY_ESTATE else _tr("类别")
        if orientation == Qt.Orientation.Horizontal and section > 0:
            return self.source.headerData(section - 1, orientation, role)
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return _GROUP_FLAGS if index.internalId() == _GROUP_ROW else _REMINDER_FLAGS

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """A header click sorts the table's rows; the groups follow (the first column: by the group's own column)."""
        if column < 0:
            return
        if column == 0:
            headers = [c.header for c in self.source.columns]
            column = 1 + headers.index(_tr("小区") if self.grouping == GROUP_BY_ESTATE else _tr("类别"))
        self.source.sort(column - 1, order)
