"""Property service contract reminders: filing, temporary service, notice before the end."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from sqlalchemy import and_, false, or_

from putuo_community.domain import rules
from putuo_community.domain.dates import add_months
from putuo_community.services.reminders.core import DATE_SLACK, Reminder, Scan, is_latest
from putuo_community.storage.schema import TABLES


def reminders(scan: Scan) -> Iterator[Reminder]:
    """The current contract of each estate: the one that started last."""
    contracts = TABLES["contracts"]
    # Those a rule below may remind of: unfiled, temporary, or ending within the notice period.
    may_remind = or_(
        contracts.c.filed_on.is_(None),
        contracts.c.kind == "临时物业服务",
        and_(
            or_(contracts.c.open_ended.is_(None), contracts.c.open_ended == false()),
            contracts.c.end_on <= scan.horizon + timedelta(days=90) + DATE_SLACK,
        ),
    )
    for current in scan.rows(
        contracts,
        *(contracts.c[k] for k in ("estate_id", *_CONTRACT_COLUMNS)),
        where=and_(contracts.c.terminated_on.is_(None), may_remind, is_latest(contracts, contracts.c.start_on)),
    ):
        start = current.start_on
        if current.filed_on is None:
            r = scan.reminder(
                current,
                "物业合同",
                current.kind,
                "物业服务合同应在签订后30日内网签备案",
                (current.signed_on or start) + timedelta(days=30),
                rules.CONTRACT_FILING,
            )
            if r:
                yield r
        if current.kind == "临时物业服务":
            r = scan.reminder(
                current,
                "物业合同",
                current.kind,
                "临时物业服务期限不得超过6个月，应尽快选聘物业",
                add_months(start, 6),
                rules.TEMP_SERVICE,
            )
            if r:
                yield r
        elif current.end_on is not None and not current.open_ended:
            r = scan.reminder(
                current,
                "物业合同",
                current.kind,
                f"合同将于{current.end_on.isoformat()}届满：企业不再续约须提前90日告知，业主大会应及早决定续聘或选聘",
                current.end_on - timedelta(days=90),
                rules.CONTRACT_NOTICE,
            )
            if r:
                yield r


_CONTRACT_COLUMNS = ("kind", "signed_on", "start_on", "end_on", "filed_on", "open_ended", "terminated_on")
