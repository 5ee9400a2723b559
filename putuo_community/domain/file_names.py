"""The one rule for file names the program makes from a record's text (a dossier, a ledger, an index).

A name made here opens on Windows and on the file systems a clerk copies to (a USB stick, a
Samba share): no reserved device name, no character Windows refuses or hides, no trailing dot
or space, short enough, and within one folder unique regardless of case.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable

MAX_CHARS = 100
# ext4, APFS and Samba shares count 255 bytes of UTF-8, and a Chinese character takes three: 100
# of them would be refused there. 200 leaves room for the temporary name a file is written under.
MAX_BYTES = 200
MAX_HINT_CHARS = 20  # what tells two estates of one name apart: a 小区编码

_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,15}")

# Device names Windows opens instead of a file, whatever the extension (CON.txt, nul.tar.gz).
_RESERVED = frozenset(
    ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"]
    + [f"{device}{n}" for device in ("COM", "LPT") for n in "0123456789¹²³"]
)
_REFUSED = frozenset('<>:"/\\|?*')
_TRAILING = " ."


def safe_file_name(text: str, extension: str = "", *, fallback: str = "未命名") -> str:
    """`text` made into a file name by the rule above, with `extension` (".pdf") kept whole.

    Characters Windows refuses and control characters become "_"; invisible format characters
    (bidi overrides and isolates, zero-width spaces) are dropped; a long name loses the end of
    its stem; a reserved name gets "_" after the device word (CON → CON_, nul.txt → nul_.txt).
    The same text always gives the same name.
    """
    return _compose(text, _extension(extension), fallback, "")


class UniqueFileNames:
    """Names for the files of one folder, each distinct from the others regardless of case.

    Windows (and macOS) would write ABC小区.pdf and abc小区.pdf into one file. The first to
    claim a name gets it as is; a later one gets `（hint）` when a hint is given and free, else
    `（2）`, `（3）` ..., so the result depends only on the order of the claims.
    """

    def __init__(self, taken: Iterable[str] = ()) -> None:
        self._taken = {_fold(name) for name in taken}

    def claim(self, text: str, extension: str = "", *, hint: str = "", fallback: str = "未命名") -> str:
        suffix = _extension(extension)
        hint = _clean(hint).strip()[:MAX_HINT_CHARS]
        tags = itertools.chain([""], [f"（{hint}）"] if hint else [], (f"（{n}）" for n in itertools.count(2)))
        for tag in tags:
            name = _compose(text, suffix, fallback, tag)
            if _fold(name) not in self._taken:
                self._taken.add(_fold(name))
                return name
        raise AssertionError("the numbered tags never run out")

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and _fold(name) in self._taken


def is_reserved(name: str) -> bool:
    """Whether Windows takes `name` for a device: CON, con.txt, "NUL .pdf", COM1.tar.gz."""
    return name.split(".", 1)[0].rstrip(" ").upper() in _RESERVED


def _compose(text: str, extension: str, fallback: str, tag: str) -> str:
    chars, size = MAX_CHARS - len(extension) - len(tag), MAX_BYTES - _size(extension) - _size(tag)
    stem = _cut(_clean(text).strip(), chars, size).rstrip(_TRAILING)
    stem = stem or _cut(_clean(fallback).strip(), chars, size).rstrip(_TRAILING) or "_"
    if is_reserved(stem):
        word = stem.split(".", 1)[0].rstrip(" ")
        stem = _cut(word + "_" + stem[len(word) :], chars, size).rstrip(_TRAILING)
    return stem + tag + extension


def _extension(extension: str) -> str:
    """A suffix the program chose (".pdf"), checked rather than trusted to be short and clean."""
    if extension and not _EXTENSION.fullmatch(extension):
        raise ValueError(f"not a file extension: {extension!r}")
    return extension


def _clean(text: str) -> str:
    return "".join(_replacement(ch) for ch in text)


def _replacement(ch: str) -> str:
    if ch in _REFUSED:
        return "_"
    category = unicodedata.category(ch)
    if category == "Cf":  # bidi overrides and isolates, zero-width spaces, BOM: invisible, and they reorder text
        return ""
    if category in ("Cc", "Cs", "Zl", "Zp"):  # control characters, lone surrogates, line breaks
        return "_"
    return ch


def _cut(stem: str, chars: int, size: int) -> str:
    stem = stem[: max(chars, 1)]
    while _size(stem) > size and len(stem) > 1:
        stem = stem[:-1]
    return stem


def _size(text: str) -> int:
    return len(text.encode("utf-8"))


def _fold(name: str) -> str:
    """What a case-insensitive file system compares: ABC.pdf and abc.PDF are one file."""
    return unicodedata.normalize("NFC", name).casefold()
