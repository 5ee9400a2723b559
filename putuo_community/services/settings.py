"""The user's own settings on this computer (not the district's): for now, the font dossiers print in."""

from __future__ import annotations

from pathlib import Path

from putuo_community.domain.changes import ChangeBus, Changes
from putuo_community.domain.errors import UserError
from putuo_community.services.dossier import FontChoice
from putuo_community.services.jsonfile import read_json_object, write_json_object

FONT_KEY = "dossier_font"


class UserSettings:
    def __init__(self, path: Path | None, *, changes: ChangeBus | None = None) -> None:
        self.path = path  # None: nothing is remembered (tests, one-off runs)
        self._changes = changes

    def dossier_font(self) -> FontChoice:
        """The chosen font, or the bundled one when none is chosen or the chosen file has gone."""
        if self.path is None:
            return FontChoice()
        stored = read_json_object(self.path).get(FONT_KEY)
        if not isinstance(stored, dict) or not stored.get("path"):
            return FontChoice()
        path = Path(str(stored["path"]))
        if not path.is_file():
            return FontChoice()
        return FontChoice(path, int(stored.get("subfont", 0) or 0))

    def set_dossier_font(self, font: FontChoice) -> None:
        if self.path is None:
            return
        data = read_json_object(self.path)
        if font.path is None:
            data.pop(FONT_KEY, None)
        else:
            data[FONT_KEY] = {"path": str(font.path), "subfont": font.subfont}
        try:
            write_json_object(self.path, data)
        except OSError as exc:
            raise UserError(f"无法保存设置：{exc.strerror or exc}") from exc
        if self._changes is not None:
            self._changes.publish(Changes(settings=frozenset({FONT_KEY}), kind="设置"))
