"""Column mappings a user chose, remembered per register kind and file shape (header signature)."""

from __future__ import annotations

import json
import logging
import os
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)


class MappingStore:
    """A small JSON file: {kind: {signature: {column index: field key}}}."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _load(self) -> dict[str, dict[str, dict[str, str]]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:  # a damaged file only loses the remembered mappings
            log.warning("ignoring unreadable mapping store %s: %s", self.path, exc)
            return {}
        return data if isinstance(data, dict) else {}

    def get(self, kind: str, signature: str) -> dict[int, str] | None:
        stored = self._load().get(kind, {}).get(signature)
        if not isinstance(stored, dict):
            return None
        return {int(index): str(key) for index, key in stored.items()}

    def put(self, kind: str, signature: str, mapping: dict[int, str]) -> None:
        data = self._load()
        data.setdefault(kind, {})[signature] = {str(i): k for i, k in sorted(mapping.items())}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(data, out, ensure_ascii=False, indent=1)
            os.replace(temp, self.path)
        except OSError:
            Path(temp).unlink(missing_ok=True)
            raise
