"""The record service (what forms save through) keeps one 统一社会信用代码 per company, however it is typed."""

from __future__ import annotations

import pytest

from putuo_community.domain.errors import DuplicateRecord
from putuo_community.services import Services

CODE = "91310107MA1G1C8Q5W"


def _company(services: Services, name: str, code: object) -> int:
    return services.records.create("companies", {"name": name, "credit_code": code})


@pytest.mark.parametrize(
    "typed",
    [
        CODE.lower(),
        "９１３１０１０７ＭＡ１Ｇ１Ｃ８Ｑ５Ｗ",
        "9131 0107 MA1G 1C8Q 5W",
        f"\u3000{CODE[:9]}\u3000{CODE[9:]}",
    ],
)
def test_a_code_is_stored_in_one_spelling(services: Services, typed: str) -> None:
    company_id = _company(services, "上海曹杨物业管理有限公司", typed)
    assert services.records.get("companies", company_id).values["credit_code"] == CODE


def test_two_spellings_of_one_code_are_one_company(services: Services) -> None:
    first = _company(services, "上海曹杨物业管理有限公司", CODE)
    with pytest.raises(DuplicateRecord) as caught:
        _company(services, "上海真如物业管理有限公司", CODE[:-1] + CODE[-1].lower())
    assert caught.value.message == (
        f"统一社会信用代码“{CODE}”已登记在物业服务企业“上海曹杨物业管理有限公司”名下，不能重复登记。"
    )
    assert [r.id for r in services.records.list("companies")] == [first]


def test_changing_a_code_to_another_companys_in_another_spelling_is_refused(services: Services) -> None:
    _company(services, "上海曹杨物业管理有限公司", CODE)
    other = _company(services, "上海真如物业管理有限公司", None)
    version = services.records.get("companies", other).version
    with pytest.raises(DuplicateRecord, match="上海曹杨物业管理有限公司"):
        services.records.update(
            "companies", other, {"credit_code": "９１３１０１０７ma1g1c8q5w"}, expected_version=version
        )
    assert services.records.get("companies", other).values["credit_code"] is None


def test_saving_a_code_again_in_another_spelling_changes_nothing(services: Services) -> None:
    company_id = _company(services, "上海曹杨物业管理有限公司", CODE)
    version = services.records.get("companies", company_id).version
    new_version = services.records.update(
        "companies", company_id, {"credit_code": "9131 0107 ma1g 1c8q 5w"}, expected_version=version
    )
    assert new_version == version
    assert services.records.get("companies", company_id).values["credit_code"] == CODE


def test_a_blank_code_is_no_code_and_never_a_duplicate(services: Services) -> None:
    _company(services, "上海曹杨物业管理有限公司", " ")
    _company(services, "上海真如物业管理有限公司", "\u3000")
    codes = [r.values["credit_code"] for r in services.records.list("companies")]
    assert codes == [None, None]
