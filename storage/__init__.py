"""SQLite storage: the only package that holds SQL."""
