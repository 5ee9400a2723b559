"""The estate window: one estate's dossier on screen, every section editable in place."""

from putuo_community.gui.estate_window.window import EstateWindow

__all__ = ["EstateWindow"]
