"""The import wizard (导入台账): choose a file, check the preview and the column mapping, dry-run, import."""

from putuo_community.gui.import_wizard.wizard import ImportWizard

__all__ = ["ImportWizard"]
