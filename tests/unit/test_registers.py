"""The register declarations hold together: every layer relies on them being coherent."""

from __future__ import annotations

import pytest

from putuo_community.domain.fields import FieldType, Register
from putuo_community.domain.registers import REGISTERS, get_register

ALL = list(REGISTERS.values())


@pytest.mark.parametrize("register", ALL, ids=lambda r: r.key)
def test_references_point_at_registers_declared_before(register: Register) -> None:
    order = list(REGISTERS)
    for field in register.ref_fields:
        assert field.ref in REGISTERS, f"{register.key}.{field.key} refers to unknown {field.ref}"
        if field.ref != register.key and register.key not in ("estates",):
            # estates refer to companies and managers, declared before them; everything else follows its targets
            assert order.index(field.ref) < order.index(register.key), (register.key, field.key)


@pytest.mark.parametrize("register", ALL, ids=lambda r: r.key)
def test_header_words_are_unambiguous_within_a_register(register: Register) -> None:
    """An import maps a header to exactly one field, so no two fields may share a label or synonym."""
    owners: dict[str, str] = {}
    for field in register.fields:
        for word in (field.label, field.header, *field.synonyms):
            assert owners.setdefault(word, field.key) == field.key, (
                f"{register.key}: “{word}” names both {owners[word]} and {field.key}"
            )


@pytest.mark.parametrize("register", ALL, ids=lambda r: r.key)
def test_choices_and_their_synonyms_are_declared_values(register: Register) -> None:
    for field in register.fields:
        if field.type is FieldType.CHOICE:
            assert len(field.choices) == len(set(field.choices)) >= 2, field.key
            for synonym, target in field.choice_synonyms:
                assert target in field.choices, f"{register.key}.{field.key}: {synonym} → {target}"
                assert field.normalise_choice(synonym) == target
        else:
            assert not field.choices, f"{register.key}.{field.key} has choices but is not a choice field"


def test_personal_data_is_flagged() -> None:
    personal = {(r.key, f.key) for r in ALL for f in r.personal_fields}
    assert ("committee_members", "id_number") in personal
    assert ("committee_members", "phone") in personal
    assert ("managers", "id_number") in personal
    assert ("companies", "contact_phone") in personal  # often the contact person's own mobile
    assert ("companies", "legal_rep") not in personal  # published in the business register


def test_units_are_part_of_the_header() -> None:
    estates = get_register("estates")
    assert estates.field("floor_area").header == "建筑面积（㎡）"
    assert estates.field("name").header == "小区名称"


def test_an_unknown_register_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match="estates"):
        get_register("小区")


def test_a_declaration_with_a_repeated_field_is_refused() -> None:
    from putuo_community.domain.fields import text

    with pytest.raises(ValueError, match="twice"):
        Register(key="x", label="x", title_field="a", fields=(text("a", "甲"), text("a", "乙")))


def test_list_and_summary_fields_must_be_declared_fields() -> None:
    from putuo_community.domain.fields import text

    with pytest.raises(ValueError, match="unknown field b"):
        Register(key="x", label="x", title_field="a", fields=(text("a", "甲"),), list_fields=("a", "b"))
    with pytest.raises(ValueError, match="unknown field c"):
        Register(key="x", label="x", title_field="a", fields=(text("a", "甲"),), summary_fields=("c",))
