"""Read spreadsheet cells into the typed values declared fields hold, and the clean-up the importer shares.

`cells` reads one cell for a field (`parse_cell`), with `numbers` and `dates` for those types;
`text` cleans up text and tells placeholders; `names` reduces headers, 街镇 and 居委会 names.
"""

from __future__ import annotations

from putuo_community.domain.parsing.cells import parse_cell
from putuo_community.domain.parsing.names import (
    header_forms,
    header_key,
    header_matches,
    header_resembles,
    neighbourhood_key,
    normalise_header,
    street_from_text,
)
from putuo_community.domain.parsing.numbers import unit_factor
from putuo_community.domain.parsing.text import (
    FULL_WIDTH_TO_ASCII,
    Parsed,
    chinese_numerals_to_digits,
    clean_text,
    is_placeholder,
)

__all__ = [
    "FULL_WIDTH_TO_ASCII",
    "Parsed",
    "chinese_numerals_to_digits",
    "clean_text",
    "header_forms",
    "header_key",
    "header_matches",
    "header_resembles",
    "is_placeholder",
    "neighbourhood_key",
    "normalise_header",
    "parse_cell",
    "street_from_text",
    "unit_factor",
]
