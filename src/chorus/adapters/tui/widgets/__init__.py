"""Widgets shared by several screens: a mémoire's detail, paged tables, small dialogs."""
