"""SQLite storage adapter (`sqlite:///…`), through sqlite-utils."""

from chorus.adapters.storage.sqlite.unite_de_travail import UniteDeTravailSqlite

__all__ = ["UniteDeTravailSqlite"]
