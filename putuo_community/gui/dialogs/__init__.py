"""Dialogs that change records: add or edit one, settle a clash between two clerks, delete one."""

from __future__ import annotations

from putuo_community.gui.dialogs.conflict_dialog import ConflictChoice, ConflictDialog
from putuo_community.gui.dialogs.delete import confirm_delete
from putuo_community.gui.dialogs.record_dialog import RecordDialog, SaveChoice, ask_to_save

__all__ = ["ConflictChoice", "ConflictDialog", "RecordDialog", "SaveChoice", "ask_to_save", "confirm_delete"]
