"""The assistant's full-text search over the FAQ: SQLite FTS5 (`fts5`) and its pure-Python
twin (`memoire`), held to one contract."""
