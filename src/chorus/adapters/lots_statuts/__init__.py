"""Readers of the batch files of back-office status events (JSON and CSV, see
``docs/statuts.md``)."""

from chorus.adapters.lots_statuts.lecture import LecteurLotsStatuts

__all__ = ["LecteurLotsStatuts"]
