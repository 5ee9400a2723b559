"""Storage: tables built from the register declarations, migrations, sessions."""
