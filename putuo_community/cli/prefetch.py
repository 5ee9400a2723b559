"""Spotting, before the command line is parsed, the register an `import` command will read.

The parser lives with the commands, which bring in the database libraries; this look at the
arguments needs nothing, so the file can be read while those libraries load (`io.prefetch`). A
wrong guess costs only the reading: the import takes the result only for the same file and sheet.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from putuo_community.io import prefetch

# Options of the import command (and the common ones) that take a value: their value is no FILE.
_WITH_VALUE = frozenset({"--data-dir", "--db", "--sheet", "--report", "--mapping"})


def import_source(argv: Sequence[str]) -> tuple[Path, str | None] | None:
    """(FILE, --sheet) of `… import KIND FILE …`, or None when the arguments are no import (or --help)."""
    args = list(argv)
    if "import" not in args or "-h" in args or "--help" in args:
        return None
    before, rest = args[: args.index("import")], args[args.index("import") + 1 :]
    if before and before[-1] in _WITH_VALUE:  # "import" was an option's value
        return None
    positional: list[str] = []
    sheet: str | None = None
    skip = False
    for at, arg in enumerate(rest):
        if skip:
            skip = False
        elif arg.startswith("--sheet="):
            sheet = arg.partition("=")[2]
        elif arg in _WITH_VALUE:
            skip = True
            if arg == "--sheet" and at + 1 < len(rest):
                sheet = rest[at + 1]
        elif not arg.startswith("-"):
            positional.append(arg)
    return (Path(positional[1]), sheet) if len(positional) >= 2 else None


def start_reading(argv: Sequence[str]) -> None:
    """Begin reading the register an import command names, if these arguments are one."""
    found = import_source(argv)
    if found is not None:
        prefetch.start(*found)
