"""Local SQLite cache: models, schema upgrades, FTS5 search, repositories.

Entry points: ``db.open_cache`` (checks, pragmas, upgrades; typed ``CacheError``s),
``db.write_transaction``, ``db.quick_check``, ``db.rebuild_cache``; ``bulk.load_rows``;
``fts.index_customers`` after changing customers, orders or coverages;
``repositories.CustomerRepository`` and ``repositories.WorklistRepository``.
"""
