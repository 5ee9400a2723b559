"""One rotating log file in the data folder; everything logs through `logging`."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def setup_logging(log_file: Path, *, level: int = logging.INFO) -> None:
    log_file.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(log_file, maxBytes=2_000_000, backupCount=5, encoding="utf-8")
    handler.setFormatter(logging.Formatter(FORMAT))
    root = logging.getLogger()
    # Calling twice (tests, smoke runs) must not log every line twice.
    for old in [h for h in root.handlers if getattr(h, "_putuo", False)]:
        root.removeHandler(old)
        old.close()
    handler._putuo = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
