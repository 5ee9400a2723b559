"""The demo district looks like the 普陀 of the plan: its rates near the plan's, a clerk's week of reminders.

One demo of 400 estates on a fixed day (seed and `today` fixed), measured with the summary the app
exports and with the reminders it lists. The day is in the last weeks before the end-2027 remote
monitoring deadline, so every kind of reminder can show.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from putuo_community.services.credit import CreditService
from putuo_community.services.demo import generate_demo
from putuo_community.services.reminders import Reminder, ReminderService
from putuo_community.services.summary import SummaryService
from putuo_community.storage.database import Database, open_database

TODAY = date(2027, 10, 15)
ESTATES = 400
RULE_CODES = (
    "FORMATION_REPORT",
    "PREP_GROUP",
    "FIRST_ASSEMBLY",
    "RENEWAL_REPORT",
    "RENEWAL_FILING",
    "RENEWAL_AUDIT",
    "COMMITTEE_SIZE",
    "EARLY_REELECTION",
    "ANNUAL_AUDIT",
    "CONTRACT_FILING",
    "CONTRACT_NOTICE",
    "TEMP_SERVICE",
    "LIFT_ASSESSMENT",
    "LIFT_RISK_PLAN",
    "LIFT_PRICE_AUDIT",
    "LIFT_REMOTE_MONITORING",
    "FUND_TOPUP",
    "FUND_PUBLICATION",
    "CREDIT_OBJECTION",
    "CREDIT_ACTIVE",
)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    folder: Path = tmp_path_factory.mktemp("calibrated")
    database = open_database(f"sqlite:///{folder / 'demo.sqlite3'}")
    generate_demo(database, estates=ESTATES, seed=2026, today=TODAY)
    yield database
    database.dispose()


@pytest.fixture(scope="module")
def figures(demo: Database) -> dict[str, object]:
    """The district row of the summary workbook, by column header."""
    report = SummaryService(demo, CreditService(demo)).report(today=TODAY)
    return {column.header: value for column, value in zip(report.columns, report.total, strict=True)}


@pytest.fixture(scope="module")
def reminders(demo: Database) -> list[Reminder]:
    return ReminderService(demo).list(today=TODAY)


def test_about_95_percent_of_qualifying_estates_have_a_committee(figures: dict[str, object]) -> None:
    rate = figures["组建率"]
    assert isinstance(rate, Decimal)
    assert Decimal("0.92") <= rate <= Decimal("0.98")
    assert figures["符合组建条件"] != figures["已组建业委会"]  # some estates are still forming theirs


def test_about_85_percent_of_committees_operate_by_the_rules(figures: dict[str, object]) -> None:
    rate = figures["规范运作达标率"]
    assert isinstance(rate, Decimal)
    assert Decimal("0.80") <= rate <= Decimal("0.90")


def test_lifts_15_years_old_are_mostly_assessed_and_mostly_monitored(figures: dict[str, object]) -> None:
    old, assessed = figures["满15年"], figures["满15年已评估"]
    lifts, monitored = figures["电梯总数"], figures["已装远程监测"]
    assert isinstance(old, int)
    assert isinstance(assessed, int)
    assert isinstance(lifts, int)
    assert isinstance(monitored, int)
    assert old > 0
    assert 0.85 <= assessed / old < 1  # mostly, not all
    assert 0.85 <= monitored / lifts < 1


def test_each_street_has_dozens_of_reminders_not_thousands(reminders: list[Reminder]) -> None:
    per_street = Counter(r.street_name for r in reminders if r.street_name)
    assert len(per_street) == 10
    assert min(per_street.values()) >= 10
    assert max(per_street.values()) <= 150
    overdue = [r for r in reminders if r.overdue]
    assert 0 < len(overdue) < len(reminders)  # a minority is overdue, the rest is coming up
    assert len(overdue) <= len(reminders) * 0.6
    backlog = [r for r in overdue if r.due_on is not None and (TODAY - r.due_on).days > 365]
    assert len(backlog) <= len(reminders) * 0.15  # 长期未办 is a small backlog, not the list


def test_estates_without_a_committee_are_mostly_recent(reminders: list[Reminder]) -> None:
    """The few qualifying estates without a committee are being formed now, not overdue since 1992."""
    formation = [r for r in reminders if r.rule.code in ("FORMATION_REPORT", "PREP_GROUP", "FIRST_ASSEMBLY")]
    assert formation
    recent = [r for r in formation if r.due_on is not None and (TODAY - r.due_on).days <= 365]
    assert len(recent) > len(formation) / 2


@pytest.mark.parametrize("code", RULE_CODES)
def test_every_rule_shows_among_the_reminders(reminders: list[Reminder], code: str) -> None:
    assert any(r.rule.code == code for r in reminders), code
