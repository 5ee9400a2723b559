"""A stand-in for the batch's drawing function that fails on chosen estates, in the worker process itself.

Patched over `batch.render_pdf`, it is sent to the workers by name, so it must live in a module
they can import (the test folder is on the path a spawned worker inherits).
"""

from __future__ import annotations

import os
from pathlib import Path

from putuo_community.io.document import Document
from putuo_community.services.dossier import batch
from putuo_community.services.dossier.common import FontChoice

_real_render = batch.render_pdf  # taken before any test patches it

RAISES = "排版故障小区"
DIES = "进程崩溃小区"


def render_or_fail(document: Document, target: Path, font: FontChoice) -> int:
    if document.title.startswith(RAISES):
        raise RuntimeError("模拟的排版故障")
    if document.title.startswith(DIES):
        os._exit(9)  # as a worker ended by the system would
    return _real_render(document, target, font)
