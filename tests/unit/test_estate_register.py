"""The register of estates says so itself; the services ask it rather than compare its key."""

from __future__ import annotations

from putuo_community.domain.registers import REGISTERS


def test_exactly_one_register_is_the_register_of_estates() -> None:
    assert [key for key, register in REGISTERS.items() if register.is_estate] == ["estates"]
