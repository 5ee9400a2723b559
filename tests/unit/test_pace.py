"""Rows per second and the time left, as the import wizard and the command line show them."""

from __future__ import annotations

from putuo_community.services.pace import Pace, PaceMeter, duration_text, rate_text


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_rate_is_the_average_since_the_first_report_and_the_time_left_follows() -> None:
    clock = Clock()
    meter = PaceMeter(clock)
    assert meter.update(0, 50_000) == Pace(0, 50_000)
    clock.now += 0.1
    assert meter.update(1_000, 50_000).per_second is None  # too early to tell
    clock.now += 1.9
    pace = meter.update(20_000, 50_000)
    assert pace.per_second == 10_000
    assert pace.seconds_left == 3
    assert pace.percent == 40
    assert pace.describe("已核对") == "已核对 20,000 / 50,000 行（40%），每秒 10,000 行，还需约 3 秒"


def test_the_start_is_the_first_report_not_when_the_meter_was_made() -> None:
    clock = Clock()
    meter = PaceMeter(clock)
    clock.now += 30  # the file took half a minute to read
    meter.update(500, 2_000)
    clock.now += 1
    pace = meter.update(1_000, 2_000)
    assert pace.per_second == 500
    assert pace.seconds_left == 2


def test_a_finished_count_says_no_time_left_and_nothing_is_divided_by_zero() -> None:
    clock = Clock()
    meter = PaceMeter(clock)
    meter.update(0, 10)
    clock.now += 1
    assert meter.update(10, 10).describe("已写入") == "已写入 10 / 10 行（100%），每秒 10 行"
    assert Pace(0, 0).describe("已写入") == "已写入 0 / 0 行（0%）"
    stalled = PaceMeter(clock)
    stalled.update(5, 10)
    clock.now += 5
    assert stalled.update(5, 10).seconds_left is None


def test_durations_and_rates_read_as_a_person_says_them() -> None:
    assert duration_text(0.4) == "不到 1 秒"
    assert duration_text(11.2) == "约 12 秒"
    assert duration_text(125) == "约 2 分 05 秒"
    assert duration_text(25 * 60) == "约 25 分钟"
    assert duration_text(80 * 60) == "约 1 小时 20 分"
    assert rate_text(17_034.6) == "17,035"
    assert rate_text(8.46) == "8.5"
