"""The policy library: the published documents the rules come from, with their 文号 and validity.

The documents ship with the program as `resources/policies.csv` (the district's reference list,
one row a document). A rule cites documents by their 序号; whether a rule still stands on a day
follows from its documents' validity dates, so a document that has lapsed is said to have lapsed
instead of being applied silently.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import Enum
from functools import cache
from pathlib import Path
from types import MappingProxyType

POLICY_FILE = "policies.csv"
RESOURCES = "resources"

_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_YEAR = re.compile(r"^(\d{4})年?$")
_TRAILING_NOTE = re.compile(r"（([^（）]*)）$")


class Validity(Enum):
    NOT_YET = "尚未施行"
    IN_FORCE = "有效"
    TO_CHECK = "需核实"  # past its stated date, which the list itself marks as to be checked for an extension
    EXPIRED = "已过有效期"

    @property
    def label(self) -> str:
        return self.value

    @property
    def lapsed(self) -> bool:
        return self in (Validity.TO_CHECK, Validity.EXPIRED)


@dataclass(frozen=True)
class Policy:
    """One published document."""

    number: int  # 序号 in the library
    short_name: str
    full_name: str
    document_no: str  # 文号; a 地方性法规 has none and says so
    issuer: str
    issued_on: date | None
    effective_from: date | None  # None: from the day it was issued, or not stated
    valid_until: date | None  # None: no end (长期) or none stated
    until_text: str  # the validity as the library writes it, e.g. "2025-12-31(需核实是否延期)"
    summary: str
    link: str

    @property
    def needs_check(self) -> bool:
        """The library itself doubts the stated end date (an extension may have been published)."""
        return "需核实" in self.until_text

    @property
    def citation_name(self) -> str:
        """《全称》（文号）: how a document is cited in messages and in the dossier.

        A title quoted inside the title takes 〈〉; a dated note the list keeps after a title
        ("(2023-12-28第四次修正)") goes after the closing mark, while "（试行）" stays part of it.
        """
        title = self.full_name.replace("《", "〈").replace("》", "〉").replace("(", "（").replace(")", "）")
        note = ""
        found = _TRAILING_NOTE.search(title)
        if found and any(ch.isdigit() for ch in found[1]):
            title, note = title[: found.start()], found[1]
        parts = [n for n in (note, self.document_no if "法规" not in self.document_no else "") if n]
        return f"《{title}》" + (f"（{'，'.join(parts)}）" if parts else "")

    def validity_on(self, day: date) -> Validity:
        if self.effective_from is not None and day < self.effective_from:
            return Validity.NOT_YET
        if self.valid_until is not None and day > self.valid_until:
            return Validity.TO_CHECK if self.needs_check else Validity.EXPIRED
        return Validity.IN_FORCE

    def validity_note(self, day: date) -> str:
        """Empty while in force; otherwise a sentence a clerk can act on."""
        state = self.validity_on(day)
        if state is Validity.IN_FORCE:
            return ""
        if state is Validity.NOT_YET:
            assert self.effective_from is not None
            return f"{self.citation_name}自{self.effective_from.isoformat()}起施行，尚未生效"
        assert self.valid_until is not None
        if state is Validity.TO_CHECK:
            return f"{self.citation_name}有效期至{self.valid_until.isoformat()}，已过期，请核实是否延期"
        return f"{self.citation_name}已于{self.valid_until.isoformat()}到期"


def _first_date(text: str) -> date | None:
    found = _ISO.search(text)
    return date(int(found[1]), int(found[2]), int(found[3])) if found else None


def _until(text: str) -> date | None:
    """'2026-06-30', '2025-12-31(需核实…)', a bare year ('2030', '2025年': its last day), '长期' or '—'."""
    text = text.strip()
    stated = _first_date(text)
    if stated is not None:
        return stated
    year = _YEAR.match(text)
    return date(int(year[1]), 12, 31) if year else None


def parse_policies(text: str) -> tuple[Policy, ...]:
    """The library from its CSV text; a malformed row raises ValueError naming its line."""
    policies = []
    reader = csv.DictReader(io.StringIO(text))
    for line, row in enumerate(reader, start=2):
        try:
            issued = _first_date(row["发布/印发日期"] or "")
            # "2011-04-01(原)/2023-12-28(修正)": the rules stand from the first date; amendments keep them.
            effective = _first_date(row["施行日期"] or "") or issued
            policies.append(
                Policy(
                    number=int(row["序号"]),
                    short_name=row["简称"].strip(),
                    full_name=row["全称"].strip(),
                    document_no=row["文号"].strip(),
                    issuer=row["发布机关"].strip(),
                    issued_on=issued,
                    effective_from=effective,
                    valid_until=_until(row["有效期至"] or ""),
                    until_text=(row["有效期至"] or "").strip(),
                    summary=(row["关键数字(摘要)"] or "").strip(),
                    link=(row["官方链接"] or "").strip(),
                )
            )
        except (KeyError, ValueError, TypeError, AttributeError) as exc:
            raise ValueError(f"政策文件库第{line}行格式不正确：{exc}") from exc
    return tuple(policies)


def policy_file_path() -> Path:
    """The library shipped with the program: in the installed package, the source checkout or a frozen build."""
    here = Path(__file__).resolve()
    candidates = [here.parents[1] / RESOURCES / POLICY_FILE, here.parents[2] / RESOURCES / POLICY_FILE]
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        candidates.append(Path(frozen) / RESOURCES / POLICY_FILE)
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"找不到随程序提供的政策文件库 {POLICY_FILE}")


@cache
def policy_library() -> Mapping[int, Policy]:
    """Every document by its 序号, read once."""
    text = policy_file_path().read_text(encoding="utf-8")
    return MappingProxyType({p.number: p for p in parse_policies(text)})


def policy(number: int) -> Policy:
    try:
        return policy_library()[number]
    except KeyError:
        raise KeyError(f"政策文件库中没有序号为{number}的文件") from None
