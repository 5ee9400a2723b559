"""Column mappings a user chose, remembered per register kind and file shape (header signature)."""

from __future__ import annotations

from pathlib import Path

from putuo_community.services.jsonfile import read_json_object, write_json_object


class MappingStore:
    """A small JSON file: {kind: {signature: {column index: field key}}}."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def get(self, kind: str, signature: str) -> dict[int, str] | None:
        stored = read_json_object(self.path).get(kind, {}).get(signature)
        if not isinstance(stored, dict):
            return None
        return {int(index): str(key) for index, key in stored.items()}

    def put(self, kind: str, signature: str, mapping: dict[int, str]) -> None:
        data = read_json_object(self.path)
        data.setdefault(kind, {})[signature] = {str(i): k for i, k in sorted(mapping.items())}
        write_json_object(self.path, data)
