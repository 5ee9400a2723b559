"""Property service contract rules: the notice a leaving company gives, and temporary service's 6 months."""

from __future__ import annotations

from datetime import date, timedelta

from putuo_community.domain.dates import add_months

TEMPORARY_SERVICE = "临时物业服务"  # the 合同类型 of a temporary service contract
NOTICE_DAYS = 90  # a fixed-term contract: written notice at least 90 days before it ends
OPEN_ENDED_NOTICE_DAYS = 60  # an open-ended (不定期) contract: the company leaves 60 days after its notice
TEMPORARY_SERVICE_MONTHS = 6


def notice_deadline(end_on: date) -> date:
    """The last day a company may give notice that it will not serve past a fixed term's end."""
    return end_on - timedelta(days=NOTICE_DAYS)


def notice_is_late(notice_on: date | None, end_on: date | None) -> bool:
    """Notice recorded less than 90 days before a fixed term's end (exactly 90 days is in time)."""
    return notice_on is not None and end_on is not None and notice_on > notice_deadline(end_on)


def open_ended_leaving_on(notice_on: date) -> date:
    """The earliest day a company serving without a fixed term may leave: 60 days after its notice.

    The 街镇 should have a new company chosen (or an interim one arranged) by then.
    """
    return notice_on + timedelta(days=OPEN_ENDED_NOTICE_DAYS)


def temporary_service_until(start_on: date) -> date:
    """The last end date temporary service may have: 6 calendar months from its start.

    Written as the anniversary (2026-01-15 至 2026-07-15) or inclusively (至 07-14), both fit;
    a start on 08-31 ends by 02-28 (or 02-29).
    """
    return add_months(start_on, TEMPORARY_SERVICE_MONTHS)


def temporary_service_problem(kind: str | None, start_on: date | None, end_on: date | None) -> str | None:
    """Why a temporary service contract's dates break the 6-month limit; None when they do not."""
    if kind != TEMPORARY_SERVICE or start_on is None or end_on is None:
        return None
    until = temporary_service_until(start_on)
    if end_on > until:
        return f"临时物业服务期限不得超过6个月，结束日期最晚为{until.isoformat()}"
    return None
