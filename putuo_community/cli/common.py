"""Pieces the commands share: naming a 街镇, a progress line on the terminal."""

from __future__ import annotations

from typing import TextIO

from putuo_community.domain.errors import UserError
from putuo_community.domain.streets import street_by_any_name
from putuo_community.services import Services


def street_id_of(services: Services, text: str) -> int:
    """The id of the 街镇 a clerk typed (长征, 长征镇, 长风新村街道 ...)."""
    street = street_by_any_name(text)
    if street is None:
        raise UserError(f"普陀区没有名为“{text}”的街镇。")
    return services.records.list("streets", filters={"name": street.name})[0].id


class ProgressLine:
    """A one-line progress figure on a terminal; silent when the output is not a terminal."""

    def __init__(self, stream: TextIO, label: str) -> None:
        self.stream = stream
        self.label = label
        self.active = stream.isatty()
        self._last = -1

    def __call__(self, done: int, total: int) -> None:
        percent = done * 100 // max(total, 1)
        if self.active and percent != self._last:
            self._last = percent
            self.stream.write(f"\r{self.label}：{percent:3d}%（{done}/{total}）")
            self.stream.flush()

    def finish(self) -> None:
        if self.active:
            self.stream.write("\n")
