"""Property service contract reminders: filing, temporary service, the notice of a leaving company."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from sqlalchemy import and_, false, or_, true

from putuo_community.domain import rules
from putuo_community.domain.contracts import (
    NOTICE_DAYS,
    OPEN_ENDED_NOTICE_DAYS,
    TEMPORARY_SERVICE,
    notice_deadline,
    notice_is_late,
    open_ended_leaving_on,
    temporary_service_until,
)
from putuo_community.services.reminders.core import DATE_SLACK, Reminder, Scan, is_latest
from putuo_community.storage.schema import TABLES


def reminders(scan: Scan) -> Iterator[Reminder]:
    """The current contract of each estate: the one that started last."""
    contracts = TABLES["contracts"]
    # Those a rule below may remind of: unfiled, temporary, a fixed term ending within the notice
    # period, or an open-ended one whose company has given notice.
    may_remind = or_(
        contracts.c.filed_on.is_(None),
        contracts.c.kind == TEMPORARY_SERVICE,
        and_(
            or_(contracts.c.open_ended.is_(None), contracts.c.open_ended == false()),
            contracts.c.end_on <= scan.horizon + timedelta(days=NOTICE_DAYS) + DATE_SLACK,
        ),
        and_(
            contracts.c.open_ended == true(),
            contracts.c.notice_on <= scan.horizon - timedelta(days=OPEN_ENDED_NOTICE_DAYS) + DATE_SLACK,
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
        if current.kind == TEMPORARY_SERVICE:
            r = scan.reminder(
                current,
                "物业合同",
                current.kind,
                "临时物业服务期限不得超过6个月，应尽快选聘物业",
                temporary_service_until(start),
                rules.TEMP_SERVICE,
            )
            if r:
                yield r
        elif current.open_ended:
            if current.notice_on is not None:
                leaving = open_ended_leaving_on(current.notice_on)
                r = scan.reminder(
                    current,
                    "物业合同",
                    current.kind,
                    f"不定期合同：企业已于{current.notice_on.isoformat()}告知退出，最早于{leaving.isoformat()}"
                    "撤出（告知后60日）：街镇应督促业主大会在此前选聘新物业",
                    leaving,
                    rules.CONTRACT_NOTICE,
                )
                if r:
                    yield r
        elif current.end_on is not None:
            end = current.end_on.isoformat()
            if notice_is_late(current.notice_on, current.end_on):
                message = (
                    f"企业于{current.notice_on.isoformat()}才告知不再续约，距合同届满（{end}）不足90日，"
                    "告知逾期：应督促企业继续服务至新物业接管，业主大会尽快选聘"
                )
            else:
                message = f"合同将于{end}届满：企业不再续约须提前90日告知，业主大会应及早决定续聘或选聘"
            r = scan.reminder(
                current, "物业合同", current.kind, message, notice_deadline(current.end_on), rules.CONTRACT_NOTICE
            )
            if r:
                yield r


_CONTRACT_COLUMNS = (
    "kind",
    "signed_on",
    "start_on",
    "end_on",
    "filed_on",
    "open_ended",
    "notice_on",
    "terminated_on",
)
