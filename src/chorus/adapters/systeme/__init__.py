"""Adapters of the machine's services: clocks and identifier generators."""
