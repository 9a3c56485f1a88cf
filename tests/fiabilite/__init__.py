"""Reliability of the storage adapters: crashes, concurrent writers, unreadable stores."""
