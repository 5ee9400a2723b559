"""The policy library shipped with the program, and rules as data: citations, validity, lapsed documents."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from putuo_community.domain import rules
from putuo_community.domain.policies import Validity, parse_policies, policy, policy_library

HEADER = "序号,简称,全称,文号,发布机关,发布/印发日期,施行日期,有效期至,关键数字(摘要),官方链接\n"


def _by_number(document_no: str) -> int:
    return next(p.number for p in policy_library().values() if p.document_no == document_no)


def test_the_library_ships_every_document_with_its_number_and_dates() -> None:
    library = policy_library()
    assert sorted(library) == list(range(18))
    opinions = library[_by_number("沪房规范〔2021〕6号")]
    assert opinions.effective_from == date(2021, 7, 1)
    assert opinions.valid_until == date(2026, 6, 30)
    regulation = library[1]
    assert regulation.valid_until is None  # 长期
    assert regulation.citation_name == "《上海市住宅物业管理规定》（2023-12-28第四次修正）"
    full_set = library[_by_number("沪房规范〔2023〕1号")]
    assert full_set.citation_name == "《上海市旧住房成套改造和拆除重建实施管理办法（试行）》（沪房规范〔2023〕1号）"
    assert opinions.citation_name.startswith("《关于进一步贯彻实施〈上海市住宅物业管理规定〉的若干意见》")


@pytest.mark.parametrize(
    ("document_no", "last_day", "after"),
    [
        ("沪房规范〔2021〕6号", date(2026, 6, 30), Validity.EXPIRED),
        ("沪房规范〔2021〕1号", date(2025, 12, 31), Validity.TO_CHECK),
    ],
)
def test_a_document_lapses_the_day_after_its_validity(document_no: str, last_day: date, after: Validity) -> None:
    document = policy(_by_number(document_no))
    assert document.validity_on(last_day - timedelta(days=1)) is Validity.IN_FORCE
    assert document.validity_on(last_day) is Validity.IN_FORCE
    assert document.validity_on(last_day + timedelta(days=1)) is after
    note = document.validity_note(last_day + timedelta(days=1))
    assert document_no in note
    assert last_day.isoformat() in note


def test_a_document_not_yet_in_force_says_from_when() -> None:
    audit = policy(_by_number("沪房规范〔2025〕9号"))
    assert audit.validity_on(date(2026, 2, 28)) is Validity.NOT_YET
    assert audit.validity_on(date(2026, 3, 1)) is Validity.IN_FORCE
    assert "2026-03-01" in audit.validity_note(date(2026, 2, 28))


def test_every_rule_is_data_with_resolvable_citations() -> None:
    for rule in rules.ALL_RULES:
        assert rule.watches, rule.code
        assert rule.offset, rule.code
        assert rule.produces, rule.code
        if rule.local:
            assert rule.source.startswith("普陀区本地管理口径")
            continue
        assert rule.citations, rule.code
        for citation in rule.citations:
            assert citation.document.number == citation.policy
        assert rule.source.startswith("《"), rule.code


def test_a_rule_whose_only_document_lapsed_says_so_instead_of_applying_silently() -> None:
    audit = rules.RENEWAL_AUDIT  # cites only 沪房规范〔2021〕6号
    assert audit.validity_on(date(2026, 6, 30)) is Validity.IN_FORCE
    assert audit.validity_note(date(2026, 6, 30)) == ""
    assert audit.validity_on(date(2026, 7, 1)) is Validity.EXPIRED
    assert "沪房规范〔2021〕6号" in audit.validity_note(date(2026, 7, 1))
    assert audit.applies_between() == (date(2021, 7, 1), date(2026, 6, 30))


def test_a_rule_still_standing_on_another_document_stays_in_force() -> None:
    # 沪房规范〔2021〕6号 lapsed, but the 记分规则 (valid to 2028-06-30) states the same limit.
    assert rules.MANAGER_ESTATES.validity_on(date(2026, 11, 29)) is Validity.IN_FORCE
    assert rules.MANAGER_ESTATES.validity_on(date(2028, 7, 1)) is Validity.EXPIRED


def test_a_rule_applies_from_its_document() -> None:
    assert rules.ANNUAL_AUDIT.validity_on(date(2026, 2, 28)) is Validity.NOT_YET
    assert rules.ANNUAL_AUDIT.validity_on(date(2026, 3, 1)) is Validity.IN_FORCE
    assert rules.CREDIT_WARNING.validity_on(date(2000, 1, 1)) is Validity.IN_FORCE  # local policy


def test_a_malformed_library_row_names_its_line() -> None:
    good = "1,规定,某规定,地方性法规,市人大,2023-12-28,2011-04-01,长期,摘要,\n"
    bad = "x,规定,某规定,地方性法规,市人大,2023-12-28,2011-04-01,长期,摘要,\n"
    assert parse_policies(HEADER + good)[0].valid_until is None
    with pytest.raises(ValueError, match="第3行"):
        parse_policies(HEADER + good + bad)


@pytest.mark.parametrize(
    ("until", "expected"),
    [
        ("2030", date(2030, 12, 31)),
        ("2025年", date(2025, 12, 31)),
        ("—", None),
        ("2024-12-31(需核实是否延期)", date(2024, 12, 31)),
    ],
)
def test_validity_spellings(until: str, expected: date | None) -> None:
    row = f"1,简称,全称,文号,机关,2023-01-01,—,{until},摘要,\n"
    (document,) = parse_policies(HEADER + row)
    assert document.valid_until == expected
    assert document.effective_from == date(2023, 1, 1)  # not stated: from the day it was issued
