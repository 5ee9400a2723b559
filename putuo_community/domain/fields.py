"""The language in which every register's fields are declared once.

Storage builds its tables from these declarations; forms, table columns, import
mapping, export headers and the dossier read them too.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypedDict, Unpack

from putuo_community.domain.credit_code import normalize_credit_code

# Text fields stored in one spelling whatever way it was typed, by field key: every path in (import,
# forms, the record service) reads this, so two spellings never make two records.
_CANONICAL_SPELLING: dict[str, Callable[[str], str]] = {
    "credit_code": normalize_credit_code,
}


class FieldType(enum.Enum):
    TEXT = "text"
    LONG_TEXT = "long_text"
    INTEGER = "integer"
    DECIMAL = "decimal"
    DATE = "date"
    BOOL = "bool"
    CHOICE = "choice"
    REF = "ref"  # the id of a record in another register


@dataclass(frozen=True)
class Field:
    """One column of a register, with everything every layer needs to know."""

    key: str
    label: str
    type: FieldType
    required: bool = False
    choices: tuple[str, ...] = ()
    # Other spellings of a choice found in real registers: (synonym, choice).
    choice_synonyms: tuple[tuple[str, str], ...] = ()
    # Other header words for this column in clerks' workbooks.
    synonyms: tuple[str, ...] = ()
    width: int = 12  # export column width, in characters
    personal: bool = False  # masked in exports unless asked for
    unit: str = ""  # 元, 万元, ㎡ ... shown in headers, stripped on import
    ref: str = ""  # register key, for REF fields
    max_length: int = 200
    decimals: int = 2
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    note: str = ""  # help text for forms and template comments
    unique: bool = False  # unique within the register (beside natural keys)

    @property
    def is_year(self) -> bool:
        """A year (建成年份, 出生年份, 批次年份): an integer field whose key ends in _year."""
        return self.type is FieldType.INTEGER and self.key.endswith("_year")

    @property
    def has_canonical_spelling(self) -> bool:
        """Whether `normalise_text` may change a text (统一社会信用代码: upper-case, half-width, no spaces)."""
        return self.key in _CANONICAL_SPELLING

    def normalise_text(self, text: str) -> str:
        """The spelling this field stores ``text`` in; other fields keep it as it is."""
        normalise = _CANONICAL_SPELLING.get(self.key)
        return text if normalise is None else normalise(text)

    @property
    def header(self) -> str:
        """The export header: the label with its unit, as clerks write it."""
        return f"{self.label}（{self.unit}）" if self.unit else self.label

    def normalise_choice(self, text: str) -> str | None:
        """The declared choice a spelling stands for, or None."""
        value = text.strip()
        if value in self.choices:
            return value
        for synonym, choice in self.choice_synonyms:
            if value == synonym:
                return choice
        return None


@dataclass(frozen=True)
class Register:
    """A kind of record the street offices keep: its fields and how it hangs together."""

    key: str  # also the table name
    label: str  # Chinese name of the register (台账 name)
    fields: tuple[Field, ...]
    # The field that names a record to a person (小区名称, 企业名称, ...).
    title_field: str
    # The field pointing at the owning record, when this register belongs to another.
    parent_field: str = ""
    # Fields that identify a record for matching and duplicate checks.
    natural_key: tuple[str, ...] = ()
    # The register belongs to one estate's dossier through this field (or via its parent).
    estate_field: str = ""
    # The register of estates themselves: a record is its own estate (its dossier, its aliases, its history).
    is_estate: bool = False
    # Reference data: kept by the district, not edited by clerks.
    reference: bool = False
    # The columns a list of these records shows (all fields stay in forms and ledgers).
    list_fields: tuple[str, ...] = ()
    # The few facts a person reads first about one record (a side panel, a dossier's opening block).
    summary_fields: tuple[str, ...] = ()
    description: str = ""
    _index: dict[str, Field] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        keys = [f.key for f in self.fields]
        if len(set(keys)) != len(keys):
            raise ValueError(f"register {self.key} declares a field twice")
        self._index.update({f.key: f for f in self.fields})
        for name in (
            self.title_field,
            self.parent_field,
            self.estate_field,
            *self.natural_key,
            *self.list_fields,
            *self.summary_fields,
        ):
            if name and name not in self._index:
                raise ValueError(f"register {self.key}: unknown field {name}")

    def field(self, key: str) -> Field:
        try:
            return self._index[key]
        except KeyError:
            raise KeyError(f"register {self.key} has no field {key}") from None

    def has_field(self, key: str) -> bool:
        return key in self._index

    @property
    def columns(self) -> tuple[Field, ...]:
        """The fields a table of these records shows."""
        if self.list_fields:
            return tuple(self._index[k] for k in self.list_fields)
        return tuple(f for f in self.fields if f.type is not FieldType.LONG_TEXT)[:10]

    @functools.cached_property
    def field_keys(self) -> frozenset[str]:
        return frozenset(self._index)

    @functools.cached_property
    def ref_fields(self) -> tuple[Field, ...]:
        # Cached: read for every row a list or an import turns into a record.
        return tuple(f for f in self.fields if f.type is FieldType.REF)

    @functools.cached_property
    def canonical_fields(self) -> tuple[Field, ...]:
        """The fields whose text is stored in one spelling (see `Field.normalise_text`)."""
        return tuple(f for f in self.fields if f.has_canonical_spelling)

    @functools.cached_property
    def personal_fields(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.personal)


class FieldOptions(TypedDict, total=False):
    required: bool
    choice_synonyms: tuple[tuple[str, str], ...]
    synonyms: tuple[str, ...]
    width: int
    personal: bool
    unit: str
    max_length: int
    decimals: int
    minimum: Decimal | None
    maximum: Decimal | None
    note: str
    unique: bool


def text(key: str, label: str, **kw: Unpack[FieldOptions]) -> Field:
    return Field(key, label, FieldType.TEXT, **kw)


def long_text(key: str, label: str, **kw: Unpack[FieldOptions]) -> Field:
    kw.setdefault("max_length", 4000)
    kw.setdefault("width", 30)
    return Field(key, label, FieldType.LONG_TEXT, **kw)


def integer(key: str, label: str, **kw: Unpack[FieldOptions]) -> Field:
    kw.setdefault("width", 10)
    kw.setdefault("minimum", Decimal(0))
    return Field(key, label, FieldType.INTEGER, **kw)


def decimal(key: str, label: str, **kw: Unpack[FieldOptions]) -> Field:
    kw.setdefault("minimum", Decimal(0))
    return Field(key, label, FieldType.DECIMAL, **kw)


def date_field(key: str, label: str, **kw: Unpack[FieldOptions]) -> Field:
    kw.setdefault("width", 12)
    return Field(key, label, FieldType.DATE, **kw)


def boolean(key: str, label: str, **kw: Unpack[FieldOptions]) -> Field:
    kw.setdefault("width", 8)
    return Field(key, label, FieldType.BOOL, **kw)


def choice(key: str, label: str, choices: tuple[str, ...], **kw: Unpack[FieldOptions]) -> Field:
    return Field(key, label, FieldType.CHOICE, choices=choices, **kw)


def ref(key: str, label: str, register: str, **kw: Unpack[FieldOptions]) -> Field:
    kw.setdefault("width", 16)
    return Field(key, label, FieldType.REF, ref=register, **kw)
