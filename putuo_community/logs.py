"""One rotating log file in the data folder; everything logs through `logging`, with personal numbers masked.

A 身份证号 or 手机号 in a record's message, arguments or traceback is masked before any of our
handlers writes it; `masked_traceback` gives the same for what the program prints to stderr.
"""

from __future__ import annotations

import logging
import logging.handlers
import traceback
from pathlib import Path

from putuo_community.domain.formatting import mask_personal_numbers

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_TRACEBACKS = logging.Formatter()


class MaskPersonalNumbers(logging.Filter):
    """Masks 身份证号 and 手机号 in a record before a handler writes it.

    The record itself is changed (message formatted, traceback rendered), so a handler
    after ours sees the masked text too.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # arguments that do not fit the message: logging reports it, with masked values
            message = f"{record.msg} {record.args!r}"
        record.msg = mask_personal_numbers(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = _TRACEBACKS.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_personal_numbers(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_personal_numbers(record.stack_info)
        return True


def setup_logging(log_file: Path, *, level: int = logging.INFO) -> None:
    log_file.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(log_file, maxBytes=2_000_000, backupCount=5, encoding="utf-8")
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(MaskPersonalNumbers())
    root = logging.getLogger()
    # Calling twice (tests, smoke runs) must not log every line twice.
    for old in [h for h in root.handlers if getattr(h, "_putuo", False)]:
        root.removeHandler(old)
        old.close()
    handler._putuo = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    # Python's own last resort, which prints a warning to stderr when no handler takes it.
    last_resort = logging.lastResort
    if last_resort is not None and not any(isinstance(f, MaskPersonalNumbers) for f in last_resort.filters):
        last_resort.addFilter(MaskPersonalNumbers())


def masked_traceback(error: BaseException) -> str:
    """The traceback Python would print for `error`, with personal numbers masked."""
    return mask_personal_numbers("".join(traceback.format_exception(error)))
