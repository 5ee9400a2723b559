"""The pages of the main window: one per register, the reminders, import and export."""
