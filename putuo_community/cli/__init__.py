"""The command line: demo data, and later import, export and dossiers."""
