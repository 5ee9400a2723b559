"""File formats: reading registers from Excel/CSV, writing ledgers and PDF dossiers."""
