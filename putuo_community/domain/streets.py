"""The 10 街镇 of 普陀区: reference data present in every database."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Street:
    name: str
    short_name: str
    kind: str  # 街道 or 镇


PUTUO_STREETS: tuple[Street, ...] = (
    Street("曹杨新村街道", "曹杨", "街道"),
    Street("长风新村街道", "长风", "街道"),
    Street("长寿路街道", "长寿", "街道"),
    Street("甘泉路街道", "甘泉", "街道"),
    Street("石泉路街道", "石泉", "街道"),
    Street("宜川路街道", "宜川", "街道"),
    Street("真如镇街道", "真如", "街道"),
    Street("万里街道", "万里", "街道"),
    Street("长征镇", "长征", "镇"),
    Street("桃浦镇", "桃浦", "镇"),
)


def street_by_any_name(text: str) -> Street | None:
    """The street a clerk means by its full name, short name or a common variant."""
    value = text.strip().replace(" ", "")
    for street in PUTUO_STREETS:
        variants = {street.name, street.short_name, street.short_name + street.kind}
        if street.kind == "街道":
            base = street.name.removesuffix("街道")
            variants |= {base, base + "街道", street.short_name + "街道"}
        if value in variants:
            return street
    return None
