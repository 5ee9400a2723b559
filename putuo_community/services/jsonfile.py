"""Small JSON files in the data folder (remembered mappings, user settings), written atomically."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from putuo_community.io.files import replacing

log = logging.getLogger(__name__)


def read_json_object(path: Path) -> dict[str, Any]:
    """The object stored at `path`; {} when the file is missing or damaged (it only held preferences)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        log.warning("ignoring unreadable file %s: %s", path, exc)
        return {}
    return data if isinstance(data, dict) else {}


def write_json_object(path: Path, data: dict[str, Any]) -> None:
    """Replace the file in one step, so a crash or a full disk never leaves half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, ensure_ascii=False, indent=1)
    with replacing(path) as out:
        out.write(text.encode("utf-8"))
