"""Local SQLite cache: models, schema upgrades, FTS5 search, repositories."""
