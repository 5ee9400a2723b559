"""Forms made from the register declarations: one editor per field type, and the record form."""

from __future__ import annotations

from putuo_community.gui.forms.editors import FieldEditor, make_field_editor, value_text
from putuo_community.gui.forms.record_form import RecordForm
from putuo_community.gui.forms.ref_picker import RefOptionModel, RefPicker

__all__ = ["FieldEditor", "RecordForm", "RefOptionModel", "RefPicker", "make_field_editor", "value_text"]
